package main

import (
	"os"
	"strings"
	"testing"
)

// TestStockDebianTrees lints the server trees Debian's nginx and apache2
// packages install (scripts/test.sh installs them in CI, untouched): both
// must pass with exit 0 and no finding at all, the vhosts that are not
// enabled included (a sites-available file is linted alone, with the
// tree's envvars).
func TestStockDebianTrees(t *testing.T) {
	for _, tree := range []struct{ dir, marker string }{
		{"/etc/nginx", "/etc/nginx/nginx.conf"},
		{"/etc/apache2", "/etc/apache2/apache2.conf"},
	} {
		t.Run(tree.dir, func(t *testing.T) {
			if _, err := os.Stat(tree.marker); err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("%s is missing: scripts/test.sh installs the Debian package in CI", tree.marker)
				}
				t.Skipf("%s is not installed here", tree.marker)
			}
			code, stdout, stderr := runCLI(t, []string{tree.dir}, "")
			if code != 0 {
				t.Errorf("authlint %s: exit %d\n%s%s", tree.dir, code, stdout, stderr)
			}
			// Not even an info: every file the tree includes is there.
			if stdout != "" || !strings.HasSuffix(stderr, ": no findings\n") {
				t.Errorf("authlint %s: findings on a stock tree:\n%s%s", tree.dir, stdout, stderr)
			}
		})
	}
}
