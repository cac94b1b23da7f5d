//go:build unix

package serverfs

import (
	"io/fs"
	"strconv"
	"syscall"
)

// owner returns the owning user and group of a file.
func owner(st fs.FileInfo) (uid, gid uint32, ok bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return sys.Uid, sys.Gid, true
}

// FileID returns a file's device and inode, which a symlink shares with
// its target.
func FileID(fi fs.FileInfo) (string, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", false
	}
	return idOf(uint64(st.Dev), uint64(st.Ino)), true
}

// idOf is FileID's form of a device and inode number.
func idOf(dev, ino uint64) string {
	return strconv.FormatUint(dev, 10) + ":" + strconv.FormatUint(ino, 10)
}
