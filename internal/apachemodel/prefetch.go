package apachemodel

import (
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// Prefetch scans directories for the .htaccess search while the
// configuration is still loading: the loader hands it every DocumentRoot,
// Alias and <Directory> with an AllowOverride line as it reads them, and its
// workers scan those trees (and parse the access files they find) on cores
// that loading and model building leave idle. It is only a cache: the
// search itself decides which trees count, scans what the prefetch did not
// reach, and ignores it all when the configuration sets an AccessFileName
// other than the default it assumes.
type Prefetch struct {
	fsys serverfs.FS
	w    *htWalker
	// onRead is told the size of each access file read (countRead).
	onRead func(n int) error

	mu    sync.Mutex
	scans map[string]*prefetched
}

// prefetched is one directory the prefetch scanned, with its access file
// parsed when the scan could read it.
type prefetched struct {
	scan   serverfs.DirScan
	parsed *htaccess.File
}

// noScan stands for every scanned directory with neither a subdirectory nor
// an access file.
var noScan = &prefetched{}

// prefetchNames are the access file names the prefetch looks for.
var prefetchNames = []string{".htaccess"}

func NewPrefetch(fsys serverfs.FS) *Prefetch {
	p := &Prefetch{fsys: serverfs.Unwrap(fsys), scans: map[string]*prefetched{}}
	p.w = newHTWalker(serverfs.NewScanCtx(), p.scan)
	return p
}

// visit is the loader's Visit hook.
func (p *Prefetch) Visit(n *htaccess.Node, serverRoot string) {
	var dir string
	switch {
	case n.Lower == "documentroot" && len(n.Args) == 1:
		dir = n.Args[0].Expanded
	case n.Lower == "alias" && len(n.Args) == 2:
		dir = n.Args[1].Expanded
	case n.Section && n.Lower == htaccess.SecDirectory && len(n.Args) == 1 && sectionLetsRead(n):
		dir = n.Args[0].Expanded
	default:
		return
	}
	if strings.Contains(dir, "${") || strings.ContainsAny(dir, "*?[") {
		return
	}
	if !path.IsAbs(dir) {
		dir = path.Join(serverRoot, dir)
	}
	if dir = path.Clean(dir); dir != "/" { // the whole file system is left to the search
		p.w.add(dir)
	}
}

// sectionLetsRead reports whether a <Directory> section says AllowOverride with a
// value other than None, or AllowOverrideList with one (the search's roots
// among the <Directory> sections, see discoverHtaccess; the prefetch only
// caches, so a None after a value still counts).
func sectionLetsRead(sec *htaccess.Node) bool {
	for _, c := range sec.Children {
		if c.Lower == "allowoverride" || c.Lower == "allowoverridelist" {
			for _, a := range c.Args {
				if !strings.EqualFold(a.Value, "none") { // children are expanded after their section is visited
					return true
				}
			}
		}
	}
	return false
}

func (p *Prefetch) scan(d htDir, sc *serverfs.ScanCtx) []string {
	p.mu.Lock()
	_, done := p.scans[d.path]
	p.mu.Unlock()
	if done {
		return nil // a root reached before as another root's subdirectory
	}
	scan, err := serverfs.ScanDir(p.fsys, d.path, prefetchNames, sc)
	if err != nil {
		return nil
	}
	kept := noScan
	if scan.Access != "" || len(scan.Subdirs) > 0 {
		countRead(p.onRead, &scan)
		kept = &prefetched{scan: scan}
		if scan.Access != "" && scan.Read && scan.ReadErr == nil {
			kept.parsed = htaccess.Parse(path.Join(d.path, scan.Access), scan.Data)
		}
	}
	p.mu.Lock()
	p.scans[d.path] = kept
	p.mu.Unlock()
	return scan.Subdirs
}

// finish waits for the prefetch and returns its scans by directory; nil
// when p is nil or names is not what it looked for.
func (p *Prefetch) finish(names []string) map[string]*prefetched {
	if p == nil {
		return nil
	}
	p.w.close()
	p.w.wait()
	if !slices.Equal(names, prefetchNames) {
		return nil
	}
	return p.scans
}

// Stop waits for the prefetch's workers; the search may still use what
// they scanned. It is safe to call more than once, and on nil.
func (p *Prefetch) Stop() { p.finish(nil) }
