package serverfs

import (
	"io/fs"
	"sync"
)

// Cached remembers Stat, Lstat and IsDir answers for one run: a large
// configuration references the same user files and directories from
// thousands of places, and each check walks every parent directory.
type Cached struct {
	FS
	mu          sync.Mutex // rules running in parallel share the cache
	stat, lstat map[string]statResult
	dirs        map[string]bool
}

type statResult struct {
	fi  fs.FileInfo
	err error
}

func NewCached(f FS) *Cached {
	return &Cached{FS: f, stat: map[string]statResult{}, lstat: map[string]statResult{}, dirs: map[string]bool{}}
}

func (c *Cached) Stat(name string) (fs.FileInfo, error) {
	return c.cached(c.stat, name, c.FS.Stat)
}

func (c *Cached) Lstat(name string) (fs.FileInfo, error) {
	return c.cached(c.lstat, name, c.FS.Lstat)
}

// cached answers from memo, or asks f outside the lock (two callers may
// both ask; the answers are the same).
func (c *Cached) cached(memo map[string]statResult, name string, f func(string) (fs.FileInfo, error)) (fs.FileInfo, error) {
	c.mu.Lock()
	r, ok := memo[name]
	c.mu.Unlock()
	if !ok {
		r.fi, r.err = f(name)
		c.mu.Lock()
		memo[name] = r
		c.mu.Unlock()
	}
	return r.fi, r.err
}

func (c *Cached) IsDir(name string) bool {
	c.mu.Lock()
	d, ok := c.dirs[name]
	c.mu.Unlock()
	if !ok {
		d = c.FS.IsDir(name)
		c.mu.Lock()
		c.dirs[name] = d
		c.mu.Unlock()
	}
	return d
}

// ServerPath passes ServerPather through, so that a named main config in a
// mapped directory is still loaded under its server path.
func (c *Cached) ServerPath(local string) (string, bool) {
	if sp, ok := c.FS.(ServerPather); ok {
		return sp.ServerPath(local)
	}
	return "", false
}

// ReadDir passes DirReader through (listings are not cached: each
// directory is listed once).
func (c *Cached) ReadDir(name string) ([]fs.DirEntry, error) {
	if dr, ok := c.FS.(DirReader); ok {
		return dr.ReadDir(name)
	}
	return nil, fs.ErrInvalid
}

// Unwrap returns the FS a run's cache wraps, or fsys itself.
func Unwrap(fsys FS) FS {
	if c, ok := fsys.(*Cached); ok {
		return c.FS
	}
	return fsys
}
