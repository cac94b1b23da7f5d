package nginxmodel

import (
	"path/filepath"

	"github.com/authlint/authlint/internal/serverfs"
)

// FindPrefix looks upward from a server file for the nginx.conf of its
// tree (within a few levels) and returns that directory, the conf prefix.
func FindPrefix(fsys serverfs.FS, p string) (string, bool) {
	dir := filepath.Dir(p)
	for i := 0; i < 4; i++ {
		if st, err := fsys.Stat(filepath.Join(dir, "nginx.conf")); err == nil && st.Mode().IsRegular() {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", false
}
