//go:build !unix

package rules

import "io/fs"

// fileID is not available here: files are told apart by path.
func fileID(fs.FileInfo) (string, bool) { return "", false }
