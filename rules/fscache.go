package rules

import "io/fs"

// cachedFS remembers Stat, Lstat and IsDir answers for one run: a large
// configuration references the same user files and directories from
// thousands of places, and each check walks every parent directory.
type cachedFS struct {
	FS
	stat, lstat map[string]statResult
	dirs        map[string]bool
}

type statResult struct {
	fi  fs.FileInfo
	err error
}

func newCachedFS(f FS) *cachedFS {
	return &cachedFS{FS: f, stat: map[string]statResult{}, lstat: map[string]statResult{}, dirs: map[string]bool{}}
}

func (c *cachedFS) Stat(name string) (fs.FileInfo, error) {
	r, ok := c.stat[name]
	if !ok {
		r.fi, r.err = c.FS.Stat(name)
		c.stat[name] = r
	}
	return r.fi, r.err
}

func (c *cachedFS) Lstat(name string) (fs.FileInfo, error) {
	r, ok := c.lstat[name]
	if !ok {
		r.fi, r.err = c.FS.Lstat(name)
		c.lstat[name] = r
	}
	return r.fi, r.err
}

func (c *cachedFS) IsDir(name string) bool {
	d, ok := c.dirs[name]
	if !ok {
		d = c.FS.IsDir(name)
		c.dirs[name] = d
	}
	return d
}

// ServerPath passes ServerPather through, so that a named main config in a
// mapped directory is still loaded under its server path.
func (c *cachedFS) ServerPath(local string) (string, bool) {
	if sp, ok := c.FS.(ServerPather); ok {
		return sp.ServerPath(local)
	}
	return "", false
}

// ReadDir passes DirReader through (listings are not cached: each
// directory is listed once).
func (c *cachedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if dr, ok := c.FS.(DirReader); ok {
		return dr.ReadDir(name)
	}
	return nil, fs.ErrInvalid
}
