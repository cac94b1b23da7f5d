package serverfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Mapping maps a server path prefix to a local directory: /etc/nginx ->
// deploy/nginx. A Mapping with Server "/" is a --root.
type Mapping struct {
	Server string
	Local  string
	// Inferred is set for a mapping authlint inferred from where a main
	// configuration lives in a checkout: the checkout need not hold every
	// file of the server directory, so a missing one is "cannot check".
	Inferred bool
}

// String renders "SERVER=LOCAL".
func (m Mapping) String() string { return m.Server + "=" + m.Local }

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
// exist and Unchecked reports them.
type MapFS struct {
	Maps []Mapping // longest Server prefix wins
	Live bool
	// Provided, when set, says who provides a server path on the server
	// ("the nginx package installs it on the server"), or "": a provided
	// file the run cannot see is "cannot check", never missing.
	Provided func(server string) string
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
		rel, ok := Within(mp.Server, name)
		if !ok {
			continue
		}
		local := filepath.Join(mp.Local, rel)
		if err := confined(mp.Local, local); err != nil {
			return "", true, fmt.Errorf("%s: %w", name, err)
		}
		return local, true, nil
	}
	if m.Live {
		return name, false, nil
	}
	return "", false, errOutside
}

// confined returns an error when local, a path below base, leaves base
// through a symlink: the deepest existing part of local (a missing file's
// directory) must resolve, symlinks followed, to base or below it.
func confined(base, local string) error {
	realBase, err := realPath(base)
	if err != nil {
		return nil // no mapped directory: nothing below it exists either
	}
	p := local
	for {
		real, err := realPath(p)
		if err == nil {
			if _, inside := Within(realBase, real); !inside {
				return fmt.Errorf("symlink leaves the mapped directory %s: %w", base, fs.ErrPermission)
			}
			return nil
		}
		parent := filepath.Dir(p)
		if parent == p || len(parent) < len(filepath.Clean(base)) {
			return nil
		}
		p = parent
	}
}

// realPath returns the absolute path of p with every symlink resolved.
func realPath(p string) (string, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(real)
}

// ServerPather is implemented by an FS that can tell the server path of a
// local file: a main configuration named on the command line that lies in a
// mapped directory is loaded under its server path, so that its relative
// includes resolve as on the server.
type ServerPather interface {
	ServerPath(local string) (server string, ok bool)
}

// ServerPath returns the server path of a local file below a mapped
// directory (the mapping with the deepest local directory wins), when that
// server path maps back to the same file.
func (m *MapFS) ServerPath(local string) (string, bool) {
	abs, err := filepath.Abs(local)
	if err != nil {
		return "", false
	}
	best, bestLen := "", -1
	for _, mp := range m.Maps {
		base, err := filepath.Abs(mp.Local)
		if err != nil || len(base) <= bestLen {
			continue
		}
		rel, ok := Within(base, abs)
		if !ok {
			continue
		}
		server := filepath.Join(mp.Server, rel)
		back, mapped, err := m.resolve(server)
		if err != nil || !mapped {
			continue
		}
		if b, err := filepath.Abs(back); err != nil || b != abs {
			continue
		}
		best, bestLen = server, len(base)
	}
	return best, bestLen >= 0
}

// ServerPathOf returns the server path of a local file when fsys knows it,
// else the file's absolute local path.
func ServerPathOf(fsys FS, local string) string {
	abs, err := filepath.Abs(local)
	if err != nil {
		return local
	}
	if sp, ok := fsys.(ServerPather); ok {
		if server, ok := sp.ServerPath(abs); ok {
			return server
		}
	}
	return abs
}

// Within returns the path of p relative to dir when p is dir or below it.
func Within(dir, p string) (string, bool) {
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

// Unchecked says why name, a file this run does not find, cannot be
// checked: it lies outside every mapping of an offline run, or it is
// absent from a mapped directory and the server provides it (Provided),
// or the mapping was inferred (a checkout need not hold every file of the
// server's directory). It returns "" when a missing name is missing.
func (m *MapFS) Unchecked(name string) string {
	local, mapped, err := m.resolve(name)
	provided := ""
	if m.Provided != nil && filepath.IsAbs(name) {
		provided = m.Provided(filepath.Clean(name))
	}
	switch {
	case !mapped && err != nil:
		if provided != "" {
			return provided + ", outside the directories this run reads (" + m.mapsText() + ")"
		}
		if m.anyInferred() {
			return "it is outside the directories mapped from the checkout (" + m.mapsText() + ") and this run does not read this machine's files (--live would)"
		}
		return "it is outside every --map/--root and this run is offline"
	case !mapped || err != nil || !filepath.IsAbs(name):
		return ""
	}
	if _, err := os.Lstat(local); err == nil {
		return ""
	}
	mp := m.mappingOf(name)
	switch {
	case provided != "":
		return provided + ", and " + mp.Local + " (" + mp.Server + ") does not hold it"
	case mp.Inferred:
		return mp.Local + ", inferred to be the server's " + mp.Server + ", does not hold it: a checkout need not hold every file the server has (declare the mapping with --map or map: in .authlint.yaml to have a missing file reported)"
	}
	return ""
}

// mappingOf returns the mapping a server path resolves through.
func (m *MapFS) mappingOf(name string) Mapping {
	name = filepath.Clean(name)
	for _, mp := range m.Maps {
		if _, ok := Within(mp.Server, name); ok {
			return mp
		}
	}
	return Mapping{}
}

// anyInferred reports whether a mapping was inferred.
func (m *MapFS) anyInferred() bool {
	for _, mp := range m.Maps {
		if mp.Inferred {
			return true
		}
	}
	return false
}

// mapsText lists the mappings, "/etc/nginx=deploy/nginx, inferred".
func (m *MapFS) mapsText() string {
	parts := make([]string, 0, len(m.Maps))
	for _, mp := range m.Maps {
		s := mp.String()
		if mp.Inferred {
			s += ", inferred"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}

// ReadFile reads a whole file.
func (m *MapFS) ReadFile(name string) ([]byte, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	return ReadRegular(local, MaxConfigSize)
}

// Open opens a file.
func (m *MapFS) Open(name string) (io.ReadCloser, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	return OpenRegular(local, MaxUserFileSize)
}

// Stat stats a file, following symlinks.
func (m *MapFS) Stat(name string) (fs.FileInfo, error) {
	local, mapped, err := m.resolve(name)
	if !mapped && m.aboveMapping(name) {
		return parentDir(filepath.Base(name)), nil
	}
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: unwrapPath(err)}
	}
	return os.Stat(local)
}

// Lstat stats a file without following a final symlink.
func (m *MapFS) Lstat(name string) (fs.FileInfo, error) {
	local, mapped, err := m.resolve(name)
	if !mapped && m.aboveMapping(name) {
		return parentDir(filepath.Base(name)), nil
	}
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: unwrapPath(err)}
	}
	return os.Lstat(local)
}

// aboveMapping reports whether name is a directory above a mapped server
// path (/ and /etc for /etc/nginx): the server has it, whatever this
// machine has.
func (m *MapFS) aboveMapping(name string) bool {
	if !filepath.IsAbs(name) {
		return false
	}
	name = filepath.Clean(name)
	for _, mp := range m.Maps {
		if rel, ok := Within(name, mp.Server); ok && rel != "." {
			return true
		}
	}
	return false
}

// parentDir is the FileInfo of a directory above a mapping: root's, mode
// 0755, so that every account may search it.
type parentDir string

func (d parentDir) Name() string       { return string(d) }
func (d parentDir) Size() int64        { return 0 }
func (d parentDir) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (d parentDir) ModTime() time.Time { return time.Time{} }
func (d parentDir) IsDir() bool        { return true }
func (d parentDir) Sys() any           { return nil }

// Glob expands a server-path pattern and returns server paths, sorted.
func (m *MapFS) Glob(pattern string) ([]string, error) {
	if !filepath.IsAbs(pattern) {
		return OSFS{}.Glob(pattern)
	}
	pattern = filepath.Clean(pattern)
	for _, mp := range m.Maps {
		rel, ok := Within(mp.Server, pattern)
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

// ReadDir lists a directory (entry types come from the directory itself,
// no stat per entry).
func (m *MapFS) ReadDir(name string) ([]fs.DirEntry, error) {
	local, _, err := m.resolve(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: unwrapPath(err)}
	}
	return os.ReadDir(local)
}
