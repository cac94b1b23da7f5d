package serverfs

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"sync"
	"syscall"
)

// DirScan is what the .htaccess search learns from one directory.
type DirScan struct {
	// Subdirs are the names of its subdirectories (symlinks not followed).
	Subdirs []string
	// Access is the first of the access file names present as a file, a
	// symlink, a directory or another kind of file (a device, a FIFO: httpd
	// opens those too); "" when there is none.
	Access string
	// Data is the access file's content when the scan could read it
	// (Read); otherwise the caller reads it through the FS.
	Data []byte
	Read bool
	// ReadErr is why a present access file could not be read
	// (ErrNotRegular for a directory: Read is then set).
	ReadErr error
	// ID is the access file's identity (FileID's device:inode) when the
	// scan read it itself, which it does only for a regular file reached
	// without a symlink; "" otherwise.
	ID string
}

// Scanner is implemented by the file systems that can scan a directory
// with few system calls (the local one, and mappings onto it).
type Scanner interface {
	ScanDir(dir string, names []string, sc *ScanCtx) (DirScan, error)
}

// ScanCtx is one worker's view of a .htaccess search: what the workers
// share, and the directory it keeps open to look into the entries of by
// short relative paths (the kernel then walks one name, not the whole path).
type ScanCtx struct {
	*scanShared
	parent string // the directory pfd is open on; "" when none
	pfd    int
	// dev and devOK repeat the last leafOK answer (a search seldom
	// leaves one file system), read without the shared lock.
	dev     uint64
	devOK   bool
	haveDev bool
}

// scanShared is what the workers of one search share.
type scanShared struct {
	mu sync.Mutex
	// leafOK records, by device, whether the file system counts
	// subdirectories in a directory's link count.
	leafOK map[uint64]bool
	bufs   sync.Pool
}

func NewScanCtx() *ScanCtx {
	return &ScanCtx{pfd: -1, scanShared: &scanShared{leafOK: map[uint64]bool{},
		bufs: sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}}}
}

// Worker returns a context for another worker of the same search.
func (sc *ScanCtx) Worker() *ScanCtx { return &ScanCtx{scanShared: sc.scanShared, pfd: -1} }

// Close releases the directory the worker kept open.
func (sc *ScanCtx) Close() {
	if sc.pfd >= 0 {
		closeFD(sc.pfd)
		sc.pfd, sc.parent = -1, ""
	}
}

// ScanDir scans dir through fsys: its scanner when it has one, else a
// listing (DirReader) or a Glob with a stat per entry.
func ScanDir(fsys FS, dir string, names []string, sc *ScanCtx) (DirScan, error) {
	if s, ok := fsys.(Scanner); ok {
		return s.ScanDir(dir, names, sc)
	}
	var out DirScan
	present := map[string]bool{}
	if dr, ok := fsys.(DirReader); ok {
		entries, err := dr.ReadDir(dir)
		if err != nil {
			return out, err
		}
		for _, e := range entries {
			switch {
			case e.Type().IsDir():
				out.Subdirs = append(out.Subdirs, e.Name())
			default: // a file, a symlink, or a device, FIFO or socket (refused when read)
				present[e.Name()] = true
			}
		}
	} else {
		if !fsys.IsDir(dir) {
			return out, &fs.PathError{Op: "scan", Path: dir, Err: syscall.ENOTDIR}
		}
		matches, _ := fsys.Glob(GlobEscape(dir) + "/*")
		slices.Sort(matches)
		for _, e := range matches {
			st, err := fsys.Lstat(e)
			switch {
			case err != nil:
			case st.IsDir():
				out.Subdirs = append(out.Subdirs, path.Base(e))
			default:
				present[path.Base(e)] = true
			}
		}
	}
	out.setAccess(dir, names, present)
	return out, nil
}

// setAccess records the first of names present in dir: a file or symlink
// (in present), or a subdirectory. httpd opens the AccessFileNames in turn
// and stops at the first one that exists; a directory is refused
// (ErrNotRegular).
func (out *DirScan) setAccess(dir string, names []string, present map[string]bool) {
	for _, name := range names {
		switch {
		case present[name]:
			out.Access = name
			return
		case slices.Contains(out.Subdirs, name):
			out.Access, out.Read = name, true
			out.ReadErr = &fs.PathError{Op: "open", Path: path.Join(dir, name), Err: ErrNotRegular}
			return
		}
	}
}

// ErrNotRegular is the read error of an access file name that is not a
// regular file (a directory): httpd's ap_pcfg_openfile refuses it (AH00554,
// EBADF), and every request to the directory gets 403 (AH00529; scenario
// apache-htaccess-directory).
var ErrNotRegular = errors.New("not a regular file")

// IsDirError reports whether reading failed because the path is a
// directory (a symlink to one, say).
func IsDirError(err error) bool { return errors.Is(err, syscall.EISDIR) }
