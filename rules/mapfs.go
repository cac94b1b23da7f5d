package rules

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Mapping maps a server path prefix to a local directory: /etc/nginx ->
// deploy/nginx. A Mapping with Server "/" is a --root.
type Mapping struct {
	Server string
	Local  string
}

// ParseMapping parses "SERVER=LOCAL".
func ParseMapping(s string) (Mapping, error) {
	server, local, ok := strings.Cut(s, "=")
	if !ok || !filepath.IsAbs(server) || local == "" {
		return Mapping{}, fmt.Errorf("bad --map %q: want /server/path=local/dir", s)
	}
	return Mapping{Server: filepath.Clean(server), Local: filepath.Clean(local)}, nil
}

// MapFS reads server paths through mappings. Paths outside every mapping are
// read from the live filesystem when Live is set; otherwise they do not
// exist and Unverifiable reports them.
type MapFS struct {
	Maps []Mapping // longest Server prefix wins
	Live bool
}

// NewMapFS sorts the mappings, longest server prefix first.
func NewMapFS(maps []Mapping, live bool) *MapFS {
	m := &MapFS{Maps: append([]Mapping(nil), maps...), Live: live}
	sort.SliceStable(m.Maps, func(i, j int) bool { return len(m.Maps[i].Server) > len(m.Maps[j].Server) })
	return m
}

// errOutside is returned for unmapped paths when not live.
var errOutside = fs.ErrNotExist

// resolve returns the local path for a server path, or ok=false when the
// path is outside every mapping. A path that would leave its mapping through
// ".." or a symlink resolves to nothing.
func (m *MapFS) resolve(name string) (local string, mapped bool, err error) {
	if !filepath.IsAbs(name) {
		return name, true, nil // relative paths are local already (command-line inputs)
	}
	name = filepath.Clean(name)
	for _, mp := range m.Maps {
		rel, ok := within(mp.Server, name)
		if !ok {
			continue
		}
		local := filepath.Join(mp.Local, rel)
		if _, inside := within(filepath.Clean(mp.Local), filepath.Clean(local)); !inside && filepath.IsAbs(mp.Local) {
			return "", true, fs.ErrNotExist
		}
		if real, err := filepath.EvalSymlinks(local); err == nil {
			base, berr := filepath.EvalSymlinks(mp.Local)
			if berr == nil {
				if _, inside := within(base, real); !inside {
					return "", true, fmt.Errorf("%s: symlink leaves the mapped directory %s: %w", name, mp.Local, fs.ErrPermission)
				}
			}
		}
		return local, true, nil
	}
	if m.Live {
		return name, false, nil
	}
	return "", false, errOutside
}

// within returns the path of p relative to dir when p is dir or below it.
func within(dir, p string) (string, bool) {
	if dir == "/" {
		return strings.TrimPrefix(p, "/"), true
	}
	if p == dir {
		return ".", true
	}
	if strings.HasPrefix(p, dir+"/") {
		return p[len(dir)+1:], true
	}
	return "", false
}

// Unverifiable reports whether name cannot be checked in this run: it lies
// outside every mapping and the run is not on the live system.
func (m *MapFS) Unverifiable(name string) bool {
	_, mapped, err := m.resolve(name)
	return !mapped && err != nil
}

// ReadFile reads a whole file.
func (m *MapFS) ReadFile(name string) ([]byte, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	return os.ReadFile(local)
}

// Open opens a file.
func (m *MapFS) Open(name string) (io.ReadCloser, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	return os.Open(local)
}

// Stat stats a file, following symlinks.
func (m *MapFS) Stat(name string) (fs.FileInfo, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: unwrapPath(err)}
	}
	return os.Stat(local)
}

// Lstat stats a file without following a final symlink.
func (m *MapFS) Lstat(name string) (fs.FileInfo, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: unwrapPath(err)}
	}
	return os.Lstat(local)
}

// Glob expands a server-path pattern and returns server paths, sorted.
func (m *MapFS) Glob(pattern string) ([]string, error) {
	if !filepath.IsAbs(pattern) {
		return OSFS{}.Glob(pattern)
	}
	pattern = filepath.Clean(pattern)
	for _, mp := range m.Maps {
		rel, ok := within(mp.Server, pattern)
		if !ok {
			continue
		}
		matches, err := filepath.Glob(filepath.Join(mp.Local, rel))
		if err != nil {
			return nil, fmt.Errorf("glob %s: %w", pattern, err)
		}
		out := make([]string, 0, len(matches))
		for _, local := range matches {
			r, _ := filepath.Rel(mp.Local, local)
			out = append(out, filepath.Join(mp.Server, r))
		}
		sort.Strings(out)
		return out, nil
	}
	if m.Live {
		return OSFS{}.Glob(pattern)
	}
	return nil, nil
}

// Display shows the local file for a mapped server path.
func (m *MapFS) Display(name string) string {
	local, mapped, err := m.resolve(name)
	if err != nil || !mapped {
		return name
	}
	return local
}

// unwrapPath returns the errno-level error inside a *fs.PathError.
func unwrapPath(err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// IsDir reports whether name is a directory.
func (m *MapFS) IsDir(name string) bool {
	st, err := m.Stat(name)
	return err == nil && st.IsDir()
}
