//go:build unix

package rules

import (
	"io/fs"
	"strconv"
	"syscall"
)

// fileID returns a file's device and inode, which a symlink shares with
// its target.
func fileID(fi fs.FileInfo) (string, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", false
	}
	return strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(st.Ino, 10), true
}
