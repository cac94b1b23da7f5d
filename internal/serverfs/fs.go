package serverfs

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// FS is how the engine reads every file a config references: includes, user
// files, .htaccess files. Paths are the server's absolute paths; an
// implementation may map them elsewhere (a repository holding /etc/nginx).
// nginxconf.Source and htaccess.Source are subsets of it.
type FS interface {
	// ReadFile reads a configuration file; Open opens a user file.
	// Both refuse what is not a regular file (ErrNotRegular) or is over
	// its size limit (ErrTooLarge) without reading it.
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
	Open(name string) (io.ReadCloser, error)
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	// IsDir reports whether name is a directory (used by Apache's Include).
	IsDir(name string) bool
	// Display returns the path to show in findings for a server path.
	Display(name string) string
	// Unchecked says why name, a file this run does not find, cannot be
	// checked (an unmapped server path in an offline run, a file the
	// server provides that a checkout does not hold), so that it is
	// "cannot check" rather than "missing"; "" when missing is missing.
	Unchecked(name string) string
}

// OSFS reads the live filesystem as it is.
type OSFS struct{}

// ReadFile reads a whole configuration file: a regular file of at most
// MaxConfigSize bytes (ReadRegular).
func (OSFS) ReadFile(name string) ([]byte, error) { return ReadRegular(name, MaxConfigSize) }

// Glob expands a pattern, sorted.
func (OSFS) Glob(pattern string) ([]string, error) {
	m, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("glob %s: %w", pattern, err)
	}
	sort.Strings(m)
	return m, nil
}

// Open opens a user file for streaming: a regular file of at most
// MaxUserFileSize bytes (OpenRegular).
func (OSFS) Open(name string) (io.ReadCloser, error) { return OpenRegular(name, MaxUserFileSize) }

// Stat follows symlinks.
func (OSFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Lstat does not follow symlinks.
func (OSFS) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }

// Display returns name unchanged.
func (OSFS) Display(name string) string { return name }

// IsDir reports whether name is a directory.
func (OSFS) IsDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}

// Unchecked is always "": the live filesystem is the truth.
func (OSFS) Unchecked(string) string { return "" }

// ReadDir lists a directory, sorted by name.
func (OSFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// DirReader is implemented by an FS that lists directories with their entry
// types in one call; the .htaccess search uses it when it can.
type DirReader interface {
	ReadDir(name string) ([]fs.DirEntry, error)
}
