package htaccess

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Source gives the loader access to files by OS-style absolute path.
// Glob has filepath.Glob semantics; the loader only uses it to list a
// directory (pattern "<escaped dir>/*") and applies httpd's own wildcard
// rules to the names itself.
//
// A Source may also implement IsDir(path string) bool; the loader then uses
// it to tell directories from files. Without it, a path that cannot be read
// but has entries is taken for a directory. ReadFile may be called from
// several goroutines at once (the files of a wildcard Include are read in
// parallel).
type Source interface {
	ReadFile(path string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

// OSSource reads the real file system.
type OSSource struct{}

// ReadFile implements Source.
func (OSSource) ReadFile(p string) ([]byte, error) { return os.ReadFile(p) }

// Glob implements Source.
func (OSSource) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// IsDir reports whether p is a directory (following symlinks).
func (OSSource) IsDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// FSSource serves the absolute paths under Root from FS, e.g.
// FSSource{FS: os.DirFS("testdata/etc"), Root: "/etc/apache2"} or an
// fstest.MapFS. Paths outside Root do not exist.
type FSSource struct {
	FS   fs.FS
	Root string
}

func (s FSSource) rel(p string) (string, bool) {
	root := path.Clean("/" + s.Root)
	p = path.Clean(p)
	if p == root {
		return ".", true
	}
	if root == "/" {
		return strings.TrimPrefix(p, "/"), strings.HasPrefix(p, "/")
	}
	if strings.HasPrefix(p, root+"/") {
		return p[len(root)+1:], true
	}
	return "", false
}

// ReadFile implements Source.
func (s FSSource) ReadFile(p string) ([]byte, error) {
	r, ok := s.rel(p)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	b, err := fs.ReadFile(s.FS, r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return b, nil
}

// Glob implements Source.
func (s FSSource) Glob(pattern string) ([]string, error) {
	dir, base := path.Split(pattern)
	r, ok := s.rel(unescapeGlob(path.Clean(dir)))
	if !ok {
		return nil, nil
	}
	// Only the last element may hold wildcards in the loader's use.
	matches, err := fs.Glob(s.FS, path.Join(escapeGlob(r), base))
	if err != nil {
		return nil, fmt.Errorf("glob %s: %w", pattern, err)
	}
	root := path.Clean("/" + s.Root)
	out := make([]string, len(matches))
	for i, m := range matches {
		out[i] = path.Join(root, m)
	}
	return out, nil
}

// IsDir reports whether p is a directory in FS.
func (s FSSource) IsDir(p string) bool {
	r, ok := s.rel(p)
	if !ok {
		return false
	}
	st, err := fs.Stat(s.FS, r)
	return err == nil && st.IsDir()
}

// escapeGlob quotes the filepath.Match meta characters of p.
func escapeGlob(p string) string {
	if !strings.ContainsAny(p, `*?[\`) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*', '?', '[', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// unescapeGlob undoes escapeGlob.
func unescapeGlob(p string) string {
	if !strings.Contains(p, `\`) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// hasWildcard is apr_fnmatch_test: '*' or '?', or a '[' with a later ']'.
func hasWildcard(s string) bool {
	open := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?':
			return true
		case '\\':
			i++
		case '[':
			open = true
		case ']':
			if open {
				return true
			}
		}
	}
	return false
}

// fnmatch matches name against pattern like apr_fnmatch with
// APR_FNM_PERIOD: '*', '?', '[...]' (with '!' or '^' negation and ranges),
// '\' escapes, and a leading '.' in name must be matched literally.
func fnmatch(pattern, name string) bool {
	if len(name) > 0 && name[0] == '.' && (len(pattern) == 0 || pattern[0] != '.') {
		return false
	}
	return match(pattern, name)
}

func match(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if match(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		case '[':
			if s == "" {
				return false
			}
			ok, rest, valid := matchClass(p, s[0])
			if !valid {
				// A '[' without ']' is literal.
				if s[0] != '[' {
					return false
				}
				p, s = p[1:], s[1:]
				continue
			}
			if !ok {
				return false
			}
			p, s = rest, s[1:]
		case '\\':
			if len(p) > 1 {
				p = p[1:]
			}
			fallthrough
		default:
			if s == "" || p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// matchClass matches c against the bracket expression at the start of p.
func matchClass(p string, c byte) (ok bool, rest string, valid bool) {
	i := 1
	neg := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		neg = true
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return ok != neg, p[i+1:], true
		}
		first = false
		lo := p[i]
		if lo == '\\' && i+1 < len(p) {
			i++
			lo = p[i]
		}
		i++
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi = p[i+1]
			if hi == '\\' && i+2 < len(p) {
				i++
				hi = p[i+1]
			}
			i += 2
		}
		if lo <= c && c <= hi {
			ok = true
		}
	}
	return false, p, false
}
