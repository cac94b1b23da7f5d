package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// fake records failures instead of failing.
type fake struct {
	testing.TB
	errors, fatals int
}

func (f *fake) Helper()               {}
func (f *fake) Errorf(string, ...any) { f.errors++ }
func (f *fake) Fatalf(string, ...any) { f.fatals++ }

func TestCheck(t *testing.T) {
	if Updating() {
		t.Skip("-update rewrites files; nothing to compare")
	}
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, got      string
		errors, fatals int
	}{
		{path, "same\n", 0, 0},
		{path, "other\n", 1, 0},
		{path + ".missing", "x", 0, 1},
	} {
		f := &fake{TB: t}
		Check(f, tc.path, tc.got)
		if f.errors != tc.errors || f.fatals != tc.fatals {
			t.Errorf("Check(%s, %q): %d errors, %d fatals; want %d, %d", filepath.Base(tc.path), tc.got, f.errors, f.fatals, tc.errors, tc.fatals)
		}
	}
}
