//go:build linux

package serverfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/authlint/authlint/internal/testtree"
)

// plainFS hides OSFS's scanner and listings: the .htaccess search then
// takes its generic path (Glob and Lstat), the reference the fast scanner
// must agree with.
type plainFS struct{ FS }

// listFS offers listings (DirReader) but no scanner.
type listFS struct{ FS }

func (listFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

func TestScanDir(t *testing.T) {
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"leaf/.htaccess":          "Require all denied\n",
		"leaf-other/index.html":   "x",
		"tree/.htaccess":          "AuthType Basic\n",
		"tree/sub/index.html":     "x",
		"names/b.access":          "second\n",
		"names/a.access":          "first\n",
		"dirnamed/.htaccess/x":    "not an access file",
		"both/.htaccess/x":        "the first name, a directory",
		"both/b.access":           "second\n",
		"linked/target/.htaccess": "Require all granted\n",
		"notadir":                 "plain file",
	})
	if err := os.Symlink("target/.htaccess", filepath.Join(dir, "linked/.htaccess")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "fifo"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo/.htaccess"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir     string
		names   []string
		subdirs []string
		access  string
		data    string // checked when the scan read the file itself
		// notRegular: the access name is a directory, which httpd refuses
		notRegular bool
		// special: the access name is a device or FIFO, refused unread by
		// the scan or by the FS's ReadFile
		special bool
	}{
		{dir: "leaf", names: []string{".htaccess"}, access: ".htaccess", data: "Require all denied\n"},
		{dir: "leaf-other", names: []string{".htaccess"}},
		{dir: "tree", names: []string{".htaccess"}, subdirs: []string{"sub"}, access: ".htaccess"},
		{dir: "names", names: []string{"a.access", "b.access"}, access: "a.access", data: "first\n"},
		{dir: "names", names: []string{"c.access", "b.access"}, access: "b.access", data: "second\n"},
		{dir: "dirnamed", names: []string{".htaccess"}, subdirs: []string{".htaccess"}, access: ".htaccess", notRegular: true},
		{dir: "dirnamed", names: []string{".acl", ".htaccess"}, subdirs: []string{".htaccess"}, access: ".htaccess", notRegular: true},
		{dir: "both", names: []string{".htaccess", "b.access"}, subdirs: []string{".htaccess"}, access: ".htaccess", notRegular: true},
		{dir: "linked", names: []string{".htaccess"}, subdirs: []string{"target"}, access: ".htaccess"},
		// A FIFO is found (httpd opens it) but never read: it must not block.
		{dir: "fifo", names: []string{".htaccess"}, access: ".htaccess", special: true},
	}
	for _, fsys := range []FS{OSFS{}, plainFS{OSFS{}}, listFS{OSFS{}}} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%T/%s/%s", fsys, tt.dir, strings.Join(tt.names, ",")), func(t *testing.T) {
				got, err := ScanDir(fsys, filepath.Join(dir, tt.dir), tt.names, NewScanCtx())
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(got.Subdirs)
				if !slices.Equal(got.Subdirs, tt.subdirs) || got.Access != tt.access {
					t.Errorf("subdirs %q access %q, want %q %q", got.Subdirs, got.Access, tt.subdirs, tt.access)
				}
				if tt.special {
					err := got.ReadErr
					if !got.Read {
						_, err = fsys.ReadFile(filepath.Join(dir, tt.dir, got.Access))
					}
					if !errors.Is(err, ErrNotRegular) {
						t.Errorf("read %v, error %v, want ErrNotRegular", got.Read, err)
					}
				} else if tt.notRegular {
					if !got.Read || !errors.Is(got.ReadErr, ErrNotRegular) {
						t.Errorf("read %v, error %v, want ErrNotRegular", got.Read, got.ReadErr)
					}
				} else if got.Read && (got.ReadErr != nil || string(got.Data) != tt.data) {
					t.Errorf("read %q (%v), want %q", got.Data, got.ReadErr, tt.data)
				}
			})
		}
		for _, bad := range []string{"notadir", "missing"} {
			if _, err := ScanDir(fsys, filepath.Join(dir, bad), []string{".htaccess"}, NewScanCtx()); err == nil {
				t.Errorf("%T: scanning %s: no error", fsys, bad)
			}
		}
	}
}

// TestScanDirLeafReadsItself checks that a leaf directory on this machine's
// temp file system is not listed: the scan opens the access file itself.
// Where the file system does not keep directory link counts the scan lists
// instead, which the test accepts.
func TestScanDirLeafReadsItself(t *testing.T) {
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{"leaf/.htaccess": "Require all denied\n"})
	got, err := OSFS{}.ScanDir(filepath.Join(dir, "leaf"), []string{".htaccess"}, NewScanCtx())
	if err != nil {
		t.Fatal(err)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	if leafSafeFS[int64(st.Type)] && (!got.Read || string(got.Data) != "Require all denied\n") {
		t.Errorf("leaf scan on fs %#x did not read the file itself: %+v", st.Type, got)
	}
	if got.Read {
		fi, err := os.Stat(filepath.Join(dir, "leaf/.htaccess"))
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := FileID(fi); got.ID != want {
			t.Errorf("ID %q, want the file's %q", got.ID, want)
		}
	}
	// A symlinked access file is not read by the scan, and has no ID.
	if err := os.Mkdir(filepath.Join(dir, "linked"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "leaf/.htaccess"), filepath.Join(dir, "linked/.htaccess")); err != nil {
		t.Fatal(err)
	}
	got, err = OSFS{}.ScanDir(filepath.Join(dir, "linked"), []string{".htaccess"}, NewScanCtx())
	if err != nil {
		t.Fatal(err)
	}
	if got.Access != ".htaccess" || got.Read || got.ID != "" {
		t.Errorf("symlinked access file: %+v, want found, not read, no ID", got)
	}
}

func TestScanDirUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{"leaf/.htaccess": "Require all denied\n"})
	if err := os.Chmod(filepath.Join(dir, "leaf/.htaccess"), 0); err != nil {
		t.Fatal(err)
	}
	got, err := ScanDir(OSFS{}, filepath.Join(dir, "leaf"), []string{".htaccess"}, NewScanCtx())
	if err != nil {
		t.Fatal(err)
	}
	if got.Access != ".htaccess" || got.Read && got.ReadErr == nil {
		t.Errorf("unreadable access file: %+v", got)
	}
}
