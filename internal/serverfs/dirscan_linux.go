//go:build linux

package serverfs

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Magic numbers (statfs f_type) of the file systems whose directory link
// count is 2 plus the number of subdirectories. GNU find trusts the count
// everywhere except AFS, CIFS, NFS and /proc (gnulib fts.c,
// leaf_optimization); this list is stricter: local file systems only.
// btrfs reports 1 for every directory, overlayfs 1 for merged ones: both
// then get a full listing.
var leafSafeFS = map[int64]bool{
	0xEF53:     true, // ext2, ext3, ext4
	0x58465342: true, // xfs
	0x01021994: true, // tmpfs
	0x794C7630: true, // overlayfs
	0xF2F52010: true, // f2fs
}

// leafSafe reports whether dir's file system (device dev) keeps the
// directory link count, asking the kernel once per device.
func (sc *ScanCtx) leafSafe(dir string, dev uint64) bool {
	if sc.haveDev && sc.dev == dev {
		return sc.devOK
	}
	sc.mu.Lock()
	ok, known := sc.leafOK[dev]
	sc.mu.Unlock()
	if !known {
		var st unix.Statfs_t
		ok = unix.Statfs(dir, &st) == nil && leafSafeFS[int64(st.Type)]
		sc.mu.Lock()
		sc.leafOK[dev] = ok
		sc.mu.Unlock()
	}
	sc.dev, sc.devOK, sc.haveDev = dev, ok, true
	return ok
}

// scanLocalDir scans a directory of this machine. A directory whose link
// count says it has no subdirectory (the common leaf of a document root) is
// not listed: each access file name is looked up directly, so a leaf costs
// a stat and a lookup. Other directories are listed with getdents, whose
// entries carry their type (no stat per entry). Paths are resolved relative
// to the parent directory the worker keeps open (sc.at).
func scanLocalDir(dir string, names []string, sc *ScanCtx) (DirScan, error) {
	var out DirScan
	var st unix.Stat_t
	at, rel := sc.at(dir)
	if err := fstatatRetry(at, rel, &st, 0); err != nil {
		return out, &fs.PathError{Op: "stat", Path: dir, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return out, &fs.PathError{Op: "scan", Path: dir, Err: syscall.ENOTDIR}
	}
	if st.Nlink == 2 && sc.leafSafe(dir, st.Dev) {
		for _, name := range names {
			data, id, present, err := readLocalNoFollow(at, rel+"/"+name, dir, name)
			if !present {
				continue
			}
			out.Access = name
			if err == syscall.ELOOP {
				return out, nil // a symlink: the caller reads it through the FS
			}
			out.Data, out.ReadErr, out.Read, out.ID = data, err, true, id
			return out, nil
		}
		return out, nil
	}
	present, err := listLocalDir(at, rel, dir, &out, sc)
	if err != nil {
		return out, err
	}
	out.setAccess(dir, names, present)
	return out, nil
}

// at returns a directory descriptor and a path relative to it for p: p's
// parent, which the worker keeps open while it looks into its entries (the
// siblings of a document root come one after the other), or the working
// directory and p itself when p has no parent or it cannot be opened.
func (sc *ScanCtx) at(p string) (int, string) {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 || i == len(p)-1 {
		return unix.AT_FDCWD, p
	}
	parent, base := p[:i], p[i+1:]
	if parent != sc.parent {
		sc.Close()
		fd, err := openatRetry(unix.AT_FDCWD, parent, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC)
		if err != nil {
			return unix.AT_FDCWD, p
		}
		sc.pfd, sc.parent = fd, parent
	}
	return sc.pfd, base
}

// listLocalDir reads the entries of dir (rel from at): subdirectories into
// out.Subdirs, the names of files and symlinks into the returned set.
func listLocalDir(at int, rel, dir string, out *DirScan, sc *ScanCtx) (map[string]bool, error) {
	fd, err := openatRetry(at, rel, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	bp := sc.bufs.Get().(*[]byte)
	defer sc.bufs.Put(bp)
	buf := *bp
	present := map[string]bool{}
	// Each call returns at least one entry until the end; the bound only
	// guards against a file system that never ends its listing.
	for range maxDirReads {
		n, err := unix.Getdents(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "getdents", Path: dir, Err: err}
		}
		if n <= 0 {
			return present, nil
		}
		for rec := buf[:n]; len(rec) >= 19; {
			// struct linux_dirent64: ino u64, off s64, reclen u16,
			// type u8, name NUL-terminated.
			reclen := int(binary.NativeEndian.Uint16(rec[16:18]))
			if reclen < 19 || reclen > len(rec) {
				break
			}
			typ := rec[18]
			name := rec[19:reclen]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			rec = rec[reclen:]
			if string(name) == "." || string(name) == ".." {
				continue
			}
			if typ == unix.DT_UNKNOWN {
				typ = lstatType(fd, string(name))
			}
			switch typ {
			case unix.DT_DIR:
				out.Subdirs = append(out.Subdirs, string(name))
			case unix.DT_REG, unix.DT_LNK, unix.DT_FIFO, unix.DT_CHR, unix.DT_BLK, unix.DT_SOCK:
				present[string(name)] = true
			}
		}
	}
	return present, nil
}

// maxDirReads bounds the getdents and read loops (and EINTR retries).
const maxDirReads = 1 << 20

// lstatType returns the dirent type of an entry of the directory dirfd,
// from an lstat, for file systems whose listings do not carry it.
func lstatType(dirfd int, name string) uint8 {
	var st unix.Stat_t
	if fstatatRetry(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW) != nil {
		return unix.DT_UNKNOWN
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return unix.DT_DIR
	case unix.S_IFREG:
		return unix.DT_REG
	case unix.S_IFLNK:
		return unix.DT_LNK
	case unix.S_IFIFO:
		return unix.DT_FIFO
	case unix.S_IFCHR:
		return unix.DT_CHR
	case unix.S_IFBLK:
		return unix.DT_BLK
	case unix.S_IFSOCK:
		return unix.DT_SOCK
	}
	return unix.DT_UNKNOWN
}

// unixType converts the type bits of a stat mode to an fs.FileMode.
func unixType(mode uint32) fs.FileMode {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}

// readLocalNoFollow reads a regular file (rel from at; dir/name names it
// in errors, joined only there) without following a final symlink (the
// error is then ELOOP), and gives its FileID.
// present is false when there is no such file, or it is neither a regular
// file nor a symlink. It looks first with lstat: most leaf directories have
// no access file, and a failed lstat costs less than a failed open (which
// sets up a file first).
func readLocalNoFollow(at int, rel, dir, name string) (data []byte, id string, present bool, err error) {
	var st unix.Stat_t
	err = fstatatRetry(at, rel, &st, unix.AT_SYMLINK_NOFOLLOW)
	switch {
	case err == syscall.ENOENT || err == syscall.ENOTDIR:
		return nil, "", false, nil
	case err != nil:
		// EACCES and the like: it may be there, unreadable.
		return nil, "", true, &fs.PathError{Op: "lstat", Path: dir + "/" + name, Err: err}
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		return nil, "", true, syscall.ELOOP
	case st.Mode&unix.S_IFMT == unix.S_IFDIR:
		return nil, "", false, nil // a directory: the listing reports it (setAccess)
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		// A device, FIFO or socket: httpd opens it (and blocks on a FIFO)
		// or refuses it; never read here.
		return nil, "", true, &fs.PathError{Op: "open", Path: dir + "/" + name, Err: &NotRegularError{Mode: unixType(st.Mode)}}
	case st.Size > MaxConfigSize:
		return nil, "", true, &fs.PathError{Op: "read", Path: dir + "/" + name, Err: &TooLargeError{Size: st.Size, Limit: MaxConfigSize}}
	}
	fd, err := openatRetry(at, rel, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY)
	switch err {
	case nil:
	case syscall.ENOENT, syscall.ENOTDIR:
		return nil, "", false, nil // gone since the lstat
	case syscall.ELOOP:
		return nil, "", true, err
	default:
		return nil, "", true, &fs.PathError{Op: "open", Path: dir + "/" + name, Err: err}
	}
	defer unix.Close(fd)
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		// Swapped for something else since the lstat.
		return nil, "", true, &fs.PathError{Op: "open", Path: dir + "/" + name, Err: &NotRegularError{Mode: unixType(st.Mode)}}
	}
	data = make([]byte, 0, min(st.Size, MaxConfigSize)+512)
	for range maxDirReads {
		if len(data) > MaxConfigSize {
			return nil, "", true, &fs.PathError{Op: "read", Path: dir + "/" + name, Err: &TooLargeError{Size: int64(len(data)), Limit: MaxConfigSize}}
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew: make room
		}
		n, err := unix.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, "", true, &fs.PathError{Op: "read", Path: dir + "/" + name, Err: err}
		}
		if n <= 0 {
			break
		}
		data = data[:len(data)+n]
		if int64(len(data)) == st.Size {
			break // all of it, as lstat said: no read for the end
		}
	}
	return data, idOf(uint64(st.Dev), uint64(st.Ino)), true, nil
}

func fstatatRetry(at int, p string, st *unix.Stat_t, flags int) (err error) {
	for range maxDirReads {
		if err = unix.Fstatat(at, p, st, flags); err != syscall.EINTR {
			break
		}
	}
	return err
}

func openatRetry(at int, p string, mode int) (fd int, err error) {
	for range maxDirReads {
		if fd, err = unix.Openat(at, p, mode, 0); err != syscall.EINTR {
			break
		}
	}
	return fd, err
}

// scanDir implements Scanner for the live file system.
func (OSFS) ScanDir(dir string, names []string, sc *ScanCtx) (DirScan, error) {
	return scanLocalDir(dir, names, sc)
}

// scanDir implements Scanner on the local directory a server path maps
// to (subdirectories found by listing are real directories, and a symlinked
// access file is left to ReadFile, which keeps it inside the mapping).
func (m *MapFS) ScanDir(dir string, names []string, sc *ScanCtx) (DirScan, error) {
	local, _, err := m.resolve(dir)
	if err != nil {
		return DirScan{}, &fs.PathError{Op: "open", Path: dir, Err: unwrapPath(err)}
	}
	return scanLocalDir(local, names, sc)
}

// closeFD closes a directory descriptor the worker kept open.
func closeFD(fd int) { _ = unix.Close(fd) }
