package apachemodel

import (
	"errors"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// Bounds of the .htaccess search, so that a run ends on any tree (a
// document root of /, a loop of bind mounts). scripts/bench-apache.sh's
// 10,000 virtual hosts are 20,000 directories 3 levels deep, well inside.
// Where the search stops, Model.SearchStops says so (AU903): a .htaccess
// further down is not checked.
const (
	HtaccessMaxDepth = 64
	HtaccessMaxDirs  = 200000
)

// SearchStop is a directory where the .htaccess search stopped.
type SearchStop struct {
	// Dir is the directory whose subdirectories were not searched (depth)
	// or the first directory left unsearched (budget).
	Dir string
	// Depth is set when the depth limit stopped it, Denied when authlint
	// (not root) may not look into the directory; else the directory
	// budget stopped it.
	Depth, Denied bool
}

// discoverHtaccess finds the .htaccess files (AccessFileName) under every
// DocumentRoot, Alias target and <Directory> that lets httpd read them, the
// way httpd would look for them while serving those trees. A <Directory>
// with AllowOverride None outside every served tree is not searched: no
// request reaches a .htaccess there, and httpd would not read it (Debian's
// stock <Directory /usr/share> would otherwise have the search list all of
// /usr/share). Each is parsed and
// built (buildHtaccess), for the caller to link; one that exists but
// cannot be read has ReadErr set. Directories that pf
// (may be nil) scanned ahead are not scanned again.
func discoverHtaccess(fsys serverfs.FS, m *Model, pf *Prefetch) []*Htaccess {
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
			s.overrides().Reads() {
			roots = append(roots, s.Pattern)
		}
	}
	cache := pf.finish(m.AccessFileNames)
	// The walk looks into directories concurrently (it is nearly all
	// system calls), so it reads through the uncached FS, whose methods are
	// safe for concurrent use; the run's cache is not.
	fsys = serverfs.Unwrap(fsys)
	acc, haveAcc := Worker(m) // looked up once: it reads the account database
	var (
		mu  sync.Mutex
		out []*Htaccess
	)
	var w *htWalker
	w = newHTWalker(serverfs.NewScanCtx(), func(d htDir, sc *serverfs.ScanCtx) []string {
		var scan serverfs.DirScan
		var parsed *htaccess.File
		if cached, ok := cache[d.path]; ok {
			scan, parsed = cached.scan, cached.parsed
		} else {
			var err error
			if scan, err = serverfs.ScanDir(fsys, d.path, m.AccessFileNames, sc); err != nil {
				if errors.Is(err, fs.ErrPermission) && !serverfs.RunningAsRoot() {
					w.stop(SearchStop{Dir: d.path, Denied: true}) // httpd, as root, may look in
				}
				return nil // not a directory, or not searchable: httpd finds nothing there either
			}
			countRead(m.onRead, &scan) // the prefetch counted what it read
		}
		if ht := accessFile(fsys, m, d.path, scan, parsed, acc, haveAcc); ht != nil {
			mu.Lock()
			out = append(out, ht)
			mu.Unlock()
		}
		return scan.Subdirs
	})
	// All at once, before any directory is listed: the walker drops
	// repeats, and a root below another is visited once, as a root.
	w.add(roots...)
	w.close()
	w.wait()
	slices.SortFunc(out, func(a, b *Htaccess) int { return strings.Compare(a.Path, b.Path) })
	m.SearchStops = w.stopped()
	return out
}

// stop records where the walk stopped short (at most maxStops).
func (w *htWalker) stop(s SearchStop) {
	w.mu.Lock()
	if len(w.stops) < maxStops {
		w.stops = append(w.stops, s)
	}
	w.mu.Unlock()
}

// stopped returns where the walk stopped short, sorted by directory.
func (w *htWalker) stopped() []SearchStop {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := slices.Clone(w.stops)
	slices.SortFunc(out, func(a, b SearchStop) int { return strings.Compare(a.Dir, b.Dir) })
	return out
}

// htWalker walks directory trees with one worker per core: the workers
// share a stack of directories (depth first), each pushing the
// subdirectories that visit returns. Roots may be added until close; the
// walk is bounded by HtaccessMaxDepth below each root and HtaccessMaxDirs
// in all. A subdirectory that was added as a root is not pushed again; a
// root added after its parent was listed is visited again (the prefetch's
// visit skips what it scanned already; the search adds all its roots at
// once, before the first listing).
type htWalker struct {
	visit func(htDir, *serverfs.ScanCtx) []string
	sc    *serverfs.ScanCtx // each worker takes its own context from it
	wg    sync.WaitGroup

	mu      sync.Mutex
	cond    *sync.Cond // signalled when the stack grows, a root may come, or the walk ends
	stack   []htDir
	seen    map[string]bool // the roots
	open    bool            // roots may still be added
	busy    int             // workers looking into directories
	left    int             // directories the budget still allows
	workers int
	started bool
	stops   []SearchStop // where the bounds stopped the walk
	spent   bool         // the budget stop is recorded
}

type htDir struct {
	path  string
	depth int
}

func newHTWalker(sc *serverfs.ScanCtx, visit func(htDir, *serverfs.ScanCtx) []string) *htWalker {
	w := &htWalker{visit: visit, sc: sc, seen: map[string]bool{}, open: true, left: HtaccessMaxDirs}
	w.cond = sync.NewCond(&w.mu)
	return w
}

// add queues roots, and starts the workers on the first ones.
func (w *htWalker) add(roots ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.seen) == 0 && len(roots) > 1 {
		w.seen = make(map[string]bool, len(roots)) // the search's roots come at once
		w.stack = slices.Grow(w.stack, len(roots))
	}
	for _, root := range roots {
		if !w.seen[root] {
			w.seen[root] = true
			w.stack = append(w.stack, htDir{root, 0})
		}
	}
	if !w.started && len(w.stack) > 0 {
		w.started = true
		w.workers = min(max(runtime.GOMAXPROCS(0), 1), 8)
		for range w.workers {
			w.wg.Go(func() {
				sc := w.sc.Worker()
				defer sc.Close()
				w.work(sc)
			})
		}
	}
	w.cond.Broadcast()
}

// close says no root will come any more.
func (w *htWalker) close() {
	w.mu.Lock()
	w.open = false
	w.mu.Unlock()
	w.cond.Broadcast()
}

// wait waits for the workers (close must have been called).
func (w *htWalker) wait() { w.wg.Wait() }

// take pops a directory; false when the walk is over (nothing left, no
// worker that could push more, no root to come) or the budget is spent.
func (w *htWalker) take(batch []htDir) ([]htDir, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.stack) == 0 && (w.busy > 0 || w.open) {
		w.cond.Wait() // woken by put, add or close
	}
	if len(w.stack) == 0 || w.left <= 0 {
		if len(w.stack) > 0 && !w.spent {
			w.spent = true
			w.stops = append(w.stops, SearchStop{Dir: w.stack[len(w.stack)-1].path})
		}
		w.stack = nil
		w.cond.Broadcast()
		return nil, false
	}
	// A few directories at a time, so that the workers seldom meet at the
	// lock, but not more than the others could share.
	n := min(len(w.stack), w.left, max(1, len(w.stack)/(2*w.workers)), htBatch)
	batch = append(batch[:0], w.stack[len(w.stack)-n:]...)
	w.stack = w.stack[:len(w.stack)-n]
	w.busy++
	w.left -= n
	return batch, true
}

// maxStops bounds the depth stops recorded (each is one finding).
const maxStops = 100

// htBatch is the most directories a worker takes at once.
const htBatch = 32

// put pushes the subdirectories found in a batch: found holds, for each
// directory of the batch in turn, its subdirectory names.
func (w *htWalker) put(batch []htDir, found [][]string) {
	w.mu.Lock()
	for i, dir := range batch {
		if dir.depth >= HtaccessMaxDepth {
			if len(found[i]) > 0 && len(w.stops) < maxStops {
				w.stops = append(w.stops, SearchStop{Dir: dir.path, Depth: true})
			}
			continue
		}
		for _, sub := range found[i] {
			// Subdirectory names come from a listing ("." and ".." left
			// out) and paths from a clean root: no path.Join needed. A
			// subdirectory that is also a root was queued by add.
			p := dir.path + "/" + sub
			if dir.path == "/" {
				p = "/" + sub
			}
			if !w.seen[p] {
				w.stack = append(w.stack, htDir{p, dir.depth + 1})
			}
		}
	}
	w.busy--
	w.mu.Unlock()
	w.cond.Broadcast()
}

// work looks into directories until the walk is over.
func (w *htWalker) work(sc *serverfs.ScanCtx) {
	var batch []htDir
	var found [][]string
	for {
		var ok bool
		if batch, ok = w.take(batch); !ok {
			return
		}
		found = found[:0]
		for _, d := range batch {
			found = append(found, w.visit(d, sc))
		}
		w.put(batch, found)
	}
}

// countRead tells onRead the size of the access file a scan read; when
// onRead refuses it (the run's memory budget is spent), the file counts as
// not read, with that error, and is not parsed.
func countRead(onRead func(int) error, scan *serverfs.DirScan) {
	if onRead == nil || scan.Access == "" || !scan.Read || scan.ReadErr != nil {
		return
	}
	if err := onRead(len(scan.Data)); err != nil {
		scan.Data, scan.ReadErr = nil, err
	}
}

// accessFile reads and parses the access file a scan found in dir.
func accessFile(fsys serverfs.FS, m *Model, dir string, scan serverfs.DirScan, parsed *htaccess.File, acc serverfs.Account, haveAcc bool) *Htaccess {
	if scan.Access == "" {
		return nil
	}
	p := path.Join(dir, scan.Access)
	data, err := scan.Data, scan.ReadErr
	if !scan.Read {
		data, err = fsys.ReadFile(p)
		if err == nil && m.onRead != nil {
			if e := m.onRead(len(data)); e != nil {
				data, err = nil, e
			}
		}
	}
	if serverfs.IsDirError(err) { // a symlink to a directory: refused like one
		err = &fs.PathError{Op: "open", Path: p, Err: serverfs.ErrNotRegular}
	}
	ht := &Htaccess{Path: p, Dir: dir}
	if err != nil {
		ht.ReadErr = err
		m.buildHtaccess(ht)
		return ht
	}
	if haveAcc {
		if prob := serverfs.CheckReadable(fsys, p, acc); prob != nil {
			ht.ReadErr = prob
			m.buildHtaccess(ht)
			return ht
		}
	}
	if scan.Read {
		ht.ID = scan.ID
	}
	ht.File = parsed
	if ht.File == nil { // not parsed ahead by the prefetch
		ht.File = htaccess.Parse(p, data)
	}
	ht.Data = data
	if m.Conf != nil {
		m.Conf.ExpandFile(ht.File)
	}
	m.buildHtaccess(ht)
	return ht
}

// Worker returns the account Apache's workers run as (User/Group),
// when the run is as root (so the server would switch to it) and the
// account exists here.
func Worker(m *Model) (serverfs.Account, bool) {
	if m.User == "" || strings.HasPrefix(m.User, "#") || strings.Contains(m.User, "${") || !serverfs.RunningAsRoot() {
		return serverfs.Account{}, false
	}
	return serverfs.LookupAccount(m.User, m.Group)
}

// SpanStart is the file's first position, for findings about the file.
func (ht *Htaccess) SpanStart() htaccess.Span {
	return htaccess.Span{Start: htaccess.Pos{Line: 1, Col: 1}}
}
