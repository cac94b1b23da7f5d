//go:build unix

package rules_test

import (
	"os"
	"syscall"
	"testing"
)

// chownRoot gives file to root:root until the test ends.
func chownRoot(t *testing.T, file string) error {
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skipf("%s: no file owner on this system", file)
	}
	if err := os.Chown(file, 0, 0); err != nil {
		return err
	}
	t.Cleanup(func() { os.Chown(file, int(sys.Uid), int(sys.Gid)) })
	return nil
}
