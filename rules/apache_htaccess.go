package rules

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htaccess"
)

// Bounds of the .htaccess search: it must stay fast on a large docroot.
const (
	htaccessMaxDepth = 12
	htaccessMaxDirs  = 20000
)

// discoverHtaccess finds the .htaccess files (AccessFileName) under every
// DocumentRoot, Alias target and <Directory> of the configuration, the way
// httpd would look for them while serving those trees. Each is parsed;
// one that exists but cannot be read has ReadErr set.
func discoverHtaccess(fsys FS, m *ApacheModel) []*ApHtaccess {
	var roots []string
	for _, s := range m.Servers() {
		if s.DocRoot != "" {
			roots = append(roots, s.DocRoot)
		}
		for _, a := range s.Aliases {
			roots = append(roots, strings.TrimSuffix(a.Path, "/"))
		}
	}
	for _, s := range m.Sections {
		if s.Kind == htaccess.SecDirectory && s.Regex == nil && s.Pattern != "/" && !strings.ContainsAny(s.Pattern, "*?[") &&
			s.Conf.AllowOverride != nil {
			roots = append(roots, s.Pattern)
		}
	}
	slices.Sort(roots)
	roots = slices.Compact(roots)
	// Drop roots below another root: the walk reaches them.
	var top []string
	for _, r := range roots {
		if len(top) > 0 && underDir(r, top[len(top)-1]) {
			continue
		}
		top = append(top, r)
	}
	// The walk lists directories concurrently (it is all system calls), so
	// it reads through the uncached FS, whose methods are safe for
	// concurrent use; the run's cache is not.
	if c, ok := fsys.(*cachedFS); ok {
		fsys = c.FS
	}
	var (
		mu     sync.Mutex
		out    []*ApHtaccess
		wg     sync.WaitGroup
		budget atomic.Int64
	)
	budget.Store(htaccessMaxDirs)
	sem := make(chan struct{}, 8)
	dr, _ := fsys.(DirReader)
	acc, haveAcc := apacheWorker(m) // looked up once: it reads the account database
	var walk func(dir string, d int)
	walk = func(dir string, d int) {
		defer wg.Done()
		if d > htaccessMaxDepth || budget.Add(-1) < 0 {
			return
		}
		sem <- struct{}{}
		subdirs, ht := visitDir(fsys, dr, m, dir)
		<-sem
		if ht != nil {
			if haveAcc && ht.ReadErr == nil {
				if prob := CheckReadable(fsys, ht.Path, acc); prob != nil {
					ht.ReadErr = prob
				}
			}
			mu.Lock()
			out = append(out, ht)
			mu.Unlock()
		}
		for _, sub := range subdirs {
			wg.Add(1)
			go walk(sub, d+1)
		}
	}
	for _, r := range top {
		if fsys.IsDir(r) {
			wg.Add(1)
			go walk(r, 0)
		}
	}
	wg.Wait()
	slices.SortFunc(out, func(a, b *ApHtaccess) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// visitDir lists one directory: its subdirectories (not through symlinks)
// and its access file, parsed. One listing gives both; an FS without
// listings falls back to Glob and stats.
func visitDir(fsys FS, dr DirReader, m *ApacheModel, dir string) (subdirs []string, ht *ApHtaccess) {
	present := map[string]bool{}
	if entries, err := readDirEntries(dr, dir); err == nil {
		for _, e := range entries {
			switch {
			case e.Type().IsDir():
				subdirs = append(subdirs, path.Join(dir, e.Name()))
			case e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0:
				present[e.Name()] = true
			}
		}
	} else {
		matches, _ := fsys.Glob(globEscape(dir) + "/*")
		slices.Sort(matches)
		for _, e := range matches {
			if st, err := fsys.Lstat(e); err == nil && st.Mode()&fs.ModeSymlink == 0 && st.IsDir() {
				subdirs = append(subdirs, e)
			} else {
				present[path.Base(e)] = true
			}
		}
	}
	for _, name := range m.AccessFileNames {
		if !present[name] {
			continue
		}
		p := path.Join(dir, name)
		st, err := fsys.Stat(p)
		if err != nil || st.IsDir() {
			continue
		}
		ht = &ApHtaccess{Path: p, Dir: dir}
		data, err := fsys.ReadFile(p)
		if err != nil {
			ht.ReadErr = err
		} else {
			ht.File = htaccess.Parse(p, data)
			ht.data = data
			if m.Conf != nil {
				m.Conf.ExpandFile(ht.File)
			}
		}
		break // httpd reads the first AccessFileName that exists
	}
	return subdirs, ht
}

// globEscape escapes the glob metacharacters of a literal path.
func globEscape(p string) string {
	var b strings.Builder
	for _, c := range p {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// apacheWorker returns the account Apache's workers run as (User/Group),
// when the run is as root (so the server would switch to it) and the
// account exists here.
func apacheWorker(m *ApacheModel) (Account, bool) {
	if m.User == "" || strings.HasPrefix(m.User, "#") || strings.Contains(m.User, "${") || !runningAsRoot() {
		return Account{}, false
	}
	return LookupAccount(m.User, m.Group)
}

// spanStart is the file's first position, for findings about the file.
func (ht *ApHtaccess) spanStart() htaccess.Span {
	return htaccess.Span{Start: htaccess.Pos{Line: 1, Col: 1}}
}

// readDirEntries lists dir through dr, or fails when dr is nil.
func readDirEntries(dr DirReader, dir string) ([]fs.DirEntry, error) {
	if dr == nil {
		return nil, fs.ErrInvalid
	}
	return dr.ReadDir(dir)
}
