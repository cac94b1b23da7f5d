//go:build !unix

package serverfs

import "io/fs"

// owner is not known here: the permission check falls back to the "other"
// bits (Windows has no Unix owner; the servers authlint models run on Unix).
func owner(fs.FileInfo) (uid, gid uint32, ok bool) { return 0, 0, false }

// FileID is not available here: files are told apart by path.
func FileID(fs.FileInfo) (string, bool) { return "", false }
