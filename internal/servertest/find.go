package servertest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// TB is the part of testing.TB the harness uses; a recorder can stand in for
// it in the harness's own tests.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Skipf(format string, args ...any)
	Cleanup(func())
	TempDir() string
}

// Lookup finds a server binary on PATH or in the sbin directories, where
// Debian installs nginx and apache2.
func Lookup(name string, path string) (string, error) {
	for _, dir := range append(filepath.SplitList(path), "/usr/sbin", "/usr/local/sbin", "/sbin") {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, exec.ErrNotFound)
}

// Missing says what to do when a server binary is missing: in CI (env CI
// set) the test must fail, elsewhere it may skip. It returns the message.
func Missing(name, ci string) (fail bool, msg string) {
	pkg := map[string]string{"nginx": "nginx", "apache2": "apache2", "htpasswd": "apache2-utils"}[name]
	msg = fmt.Sprintf("%s not found: install the Debian package %s (scripts/test.sh does this when run as root)", name, pkg)
	return ci != "", msg
}

// Require returns the path of a server binary, or ends the test: Fatalf
// when CI is set, Skipf otherwise.
func Require(tb TB, name string) string {
	tb.Helper()
	p, err := Lookup(name, os.Getenv("PATH"))
	if err == nil {
		return p
	}
	if !errors.Is(err, exec.ErrNotFound) {
		tb.Fatalf("look up %s: %v", name, err)
	}
	if fail, msg := Missing(name, os.Getenv("CI")); fail {
		tb.Fatalf("%s", msg)
	} else {
		tb.Skipf("%s", msg)
	}
	return ""
}
