package apachemodel

import (
	"path/filepath"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// FindServerRoot looks upward from a snippet (a vhost or conf file) for the
// tree's main configuration: the directory holding apache2.conf or
// httpd.conf, or the parent of a conf/httpd.conf. It returns def and false
// when there is none within a few levels.
func FindServerRoot(fsys serverfs.FS, p, def string) (string, bool) {
	dir := filepath.Dir(p)
	for i := 0; i < 6; i++ {
		for _, main := range []string{"apache2.conf", "httpd.conf", "conf/httpd.conf"} {
			if st, err := fsys.Stat(filepath.Join(dir, main)); err == nil && st.Mode().IsRegular() {
				return dir, true
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return def, false
}

// SetsServerRoot reports whether the configuration has a ServerRoot directive.
func SetsServerRoot(conf *htaccess.Config) bool {
	found := false
	htaccess.Walk(conf.Main, func(n *htaccess.Node, _ []*htaccess.Node) bool {
		if n.Lower == "serverroot" {
			found = true
		}
		return !found
	})
	return found
}
