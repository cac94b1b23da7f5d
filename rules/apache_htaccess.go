package rules

import (
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

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
	// The walk looks into directories concurrently (it is nearly all
	// system calls), so it reads through the uncached FS, whose methods are
	// safe for concurrent use; the run's cache is not.
	fsys = unwrapCache(fsys)
	w := &htWalker{fsys: fsys, m: m, sc: newScanCtx()}
	w.acc, w.haveAcc = apacheWorker(m) // looked up once: it reads the account database
	w.cond = sync.NewCond(&w.mu)
	for i := len(top) - 1; i >= 0; i-- {
		w.stack = append(w.stack, htDir{top[i], 0})
	}
	w.left = htaccessMaxDirs
	workers := min(max(runtime.GOMAXPROCS(0), 1), 8)
	var wg sync.WaitGroup
	results := make([][]*ApHtaccess, workers)
	for i := range workers {
		wg.Go(func() { results[i] = w.work() })
	}
	wg.Wait()
	var out []*ApHtaccess
	for _, r := range results {
		out = append(out, r...)
	}
	slices.SortFunc(out, func(a, b *ApHtaccess) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// htWalker is one .htaccess search: its workers share a stack of
// directories to look into (depth first), each pushing the
// subdirectories it finds.
type htWalker struct {
	fsys    FS
	m       *ApacheModel
	sc      *scanCtx
	acc     Account
	haveAcc bool

	mu    sync.Mutex
	cond  *sync.Cond // signalled when the stack grows or the walk ends
	stack []htDir
	busy  int // workers looking into a directory
	left  int // directories the budget still allows
}

type htDir struct {
	path  string
	depth int
}

// take pops a directory; false when the walk is over (nothing left and
// no worker that could push more).
func (w *htWalker) take() (htDir, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.stack) == 0 && w.busy > 0 {
		w.cond.Wait() // woken by put; busy drops to 0 at the latest when the last directory is done
	}
	if len(w.stack) == 0 || w.left <= 0 {
		w.stack = nil
		w.cond.Broadcast()
		return htDir{}, false
	}
	d := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.busy++
	w.left--
	return d, true
}

// put pushes the subdirectories of a finished directory.
func (w *htWalker) put(dir htDir, subdirs []string) {
	w.mu.Lock()
	if dir.depth < htaccessMaxDepth {
		for _, sub := range subdirs {
			w.stack = append(w.stack, htDir{path.Join(dir.path, sub), dir.depth + 1})
		}
	}
	w.busy--
	w.mu.Unlock()
	w.cond.Broadcast()
}

// work looks into directories until the walk is over and returns the
// access files found.
func (w *htWalker) work() []*ApHtaccess {
	var out []*ApHtaccess
	for {
		d, ok := w.take()
		if !ok {
			return out
		}
		scan, err := scanDirVia(w.fsys, d.path, w.m.AccessFileNames, w.sc)
		if err == nil { // else not a directory, or not searchable: httpd finds nothing there either
			if ht := w.accessFile(d.path, scan); ht != nil {
				out = append(out, ht)
			}
		}
		w.put(d, scan.Subdirs)
	}
}

// accessFile reads and parses the access file a scan found in dir.
func (w *htWalker) accessFile(dir string, scan dirScan) *ApHtaccess {
	if scan.Access == "" {
		return nil
	}
	p := path.Join(dir, scan.Access)
	data, err := scan.Data, scan.ReadErr
	if !scan.Read {
		data, err = w.fsys.ReadFile(p)
	}
	if isDirError(err) {
		return nil // a directory (or a symlink to one) by that name
	}
	ht := &ApHtaccess{Path: p, Dir: dir}
	if err != nil {
		ht.ReadErr = err
		return ht
	}
	if w.haveAcc {
		if prob := CheckReadable(w.fsys, p, w.acc); prob != nil {
			ht.ReadErr = prob
			return ht
		}
	}
	ht.File = htaccess.Parse(p, data)
	ht.data = data
	if w.m.Conf != nil {
		w.m.Conf.ExpandFile(ht.File)
	}
	return ht
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
