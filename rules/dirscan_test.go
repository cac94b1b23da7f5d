package rules

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

	"github.com/authlint/authlint/htaccess"
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
	WriteTree(t, dir, map[string]string{
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
		{dir: "fifo", names: []string{".htaccess"}}, // must not block either
	}
	for _, fsys := range []FS{OSFS{}, plainFS{OSFS{}}, listFS{OSFS{}}} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%T/%s/%s", fsys, tt.dir, strings.Join(tt.names, ",")), func(t *testing.T) {
				got, err := scanDirVia(fsys, filepath.Join(dir, tt.dir), tt.names, newScanCtx())
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(got.Subdirs)
				if !slices.Equal(got.Subdirs, tt.subdirs) || got.Access != tt.access {
					t.Errorf("subdirs %q access %q, want %q %q", got.Subdirs, got.Access, tt.subdirs, tt.access)
				}
				if tt.notRegular {
					if !got.Read || !errors.Is(got.ReadErr, errNotRegular) {
						t.Errorf("read %v, error %v, want errNotRegular", got.Read, got.ReadErr)
					}
				} else if got.Read && (got.ReadErr != nil || string(got.Data) != tt.data) {
					t.Errorf("read %q (%v), want %q", got.Data, got.ReadErr, tt.data)
				}
			})
		}
		for _, bad := range []string{"notadir", "missing"} {
			if _, err := scanDirVia(fsys, filepath.Join(dir, bad), []string{".htaccess"}, newScanCtx()); err == nil {
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
	WriteTree(t, dir, map[string]string{"leaf/.htaccess": "Require all denied\n"})
	got, err := OSFS{}.scanDir(filepath.Join(dir, "leaf"), []string{".htaccess"}, newScanCtx())
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
}

func TestScanDirUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := t.TempDir()
	WriteTree(t, dir, map[string]string{"leaf/.htaccess": "Require all denied\n"})
	if err := os.Chmod(filepath.Join(dir, "leaf/.htaccess"), 0); err != nil {
		t.Fatal(err)
	}
	got, err := scanDirVia(OSFS{}, filepath.Join(dir, "leaf"), []string{".htaccess"}, newScanCtx())
	if err != nil {
		t.Fatal(err)
	}
	if got.Access != ".htaccess" || got.Read && got.ReadErr == nil {
		t.Errorf("unreadable access file: %+v", got)
	}
}

// TestDiscoverHtaccessAgrees walks a tree of many document roots with the
// concurrent scanner and with the generic path, and checks both find
// exactly the access files below the roots, in path order.
func TestDiscoverHtaccessAgrees(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	var conf strings.Builder
	fmt.Fprintf(&conf, "ServerRoot %q\nDocumentRoot %q\n", dir, filepath.Join(dir, "main"))
	var want []string
	for i := range 40 {
		root := filepath.Join(dir, "www", fmt.Sprintf("s%02d", i))
		fmt.Fprintf(&conf, "<VirtualHost *:80>\nDocumentRoot %q\n<Directory %q>\nAllowOverride AuthConfig\n</Directory>\n</VirtualHost>\n", root, root)
		files[fmt.Sprintf("www/s%02d/index.html", i)] = "x"
		switch i % 4 {
		case 0:
			files[fmt.Sprintf("www/s%02d/.htaccess", i)] = "Require valid-user\n"
			want = append(want, filepath.Join(root, ".htaccess"))
		case 1:
			files[fmt.Sprintf("www/s%02d/a/b/.htaccess", i)] = "Require valid-user\n"
			files[fmt.Sprintf("www/s%02d/a/.keep", i)] = ""
			want = append(want, filepath.Join(root, "a/b/.htaccess"))
		case 2:
			files[fmt.Sprintf("www/s%02d/a/index.html", i)] = "x"
		}
	}
	files["main/.htaccess"] = "Require all denied\n"
	want = append(want, filepath.Join(dir, "main/.htaccess"))
	files["outside/.htaccess"] = "Require all denied\n" // under no root
	WriteTree(t, dir, files)
	slices.Sort(want)
	confPath := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	data := []byte(conf.String())
	for _, fsys := range []FS{OSFS{}, plainFS{OSFS{}}, listFS{OSFS{}}, newCachedFS(OSFS{})} {
		for _, prefetch := range []bool{false, true} {
			// With the prefetch, the loader hands it the roots while it
			// loads; the search then takes its scans (the outside tree
			// and the www parent are not roots: nothing there counts).
			var pf *htPrefetch
			opts := htaccess.LoadOptions{}
			if prefetch {
				pf = newHTPrefetch(fsys)
				opts.Visit = pf.visit
				pf.w.add(filepath.Join(dir, "outside"))
			}
			m := BuildApacheModel(htaccess.Load(newRecordingSource(confPath, data, OSFS{}), confPath, opts), false)
			var got []string
			for _, ht := range discoverHtaccess(fsys, m, pf) {
				if ht.File == nil || len(ht.File.Nodes) != 1 || ht.File.Nodes[0].Args[0].Expanded == "" {
					t.Errorf("%T: %s not parsed and expanded: %+v", fsys, ht.Path, ht)
				}
				got = append(got, ht.Path)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%T, prefetch %v: found\n%s\nwant\n%s", fsys, prefetch, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if prefetch && len(pf.scans) < 40 {
				t.Errorf("%T: the prefetch scanned %d directories, want every root", fsys, len(pf.scans))
			}
		}
	}
}

// TestPrefetchOtherAccessFileName checks that a configuration naming
// another AccessFileName gets a search for that name, whatever the
// prefetch (which looks for .htaccess) found.
func TestPrefetchOtherAccessFileName(t *testing.T) {
	dir := t.TempDir()
	WriteTree(t, dir, map[string]string{
		"www/.htaccess":    "Require all denied\n",
		"www/a/.acl":       "Require valid-user\n",
		"www/a/index.html": "x",
	})
	conf := fmt.Sprintf("DocumentRoot %q\nAccessFileName .acl\n", filepath.Join(dir, "www"))
	confPath := filepath.Join(dir, "httpd.conf")
	pf := newHTPrefetch(OSFS{})
	m := BuildApacheModel(htaccess.Load(newRecordingSource(confPath, []byte(conf), OSFS{}), confPath, htaccess.LoadOptions{Visit: pf.visit}), false)
	var got []string
	for _, ht := range discoverHtaccess(OSFS{}, m, pf) {
		got = append(got, ht.Path)
	}
	if want := []string{filepath.Join(dir, "www/a/.acl")}; !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
}

// TestDiscoverHtaccessRoots checks which trees the search looks into: the
// served ones (DocumentRoot, Alias) whatever their AllowOverride, and a
// <Directory> outside them only when it lets httpd read access files; a
// root inside another is searched once. The prefetch leaves out the same
// trees.
func TestDiscoverHtaccessRoots(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for _, d := range []string{"served", "served/none", "served/sub", "icons", "shared", "shared/x", "app", "listed", "dflt"} {
		files[d+"/.htaccess"] = "Require all denied\n"
	}
	WriteTree(t, dir, files)
	conf := fmt.Sprintf(`DocumentRoot %[1]s/served
Alias /icons/ %[1]s/icons/
<Directory %[1]s/served/none>
    AllowOverride None
</Directory>
<Directory %[1]s/icons>
    AllowOverride None
</Directory>
<Directory %[1]s/shared>
    AllowOverride None
</Directory>
<Directory %[1]s/app>
    AllowOverride AuthConfig
</Directory>
<Directory %[1]s/served/sub>
    AllowOverride AuthConfig
</Directory>
<Directory %[1]s/listed>
    AllowOverride None
    AllowOverrideList Require
</Directory>
<Directory %[1]s/dflt>
    Require all granted
</Directory>
`, dir)
	// served/sub is a root below another: found once.
	want := []string{"app/.htaccess", "icons/.htaccess", "listed/.htaccess", "served/.htaccess", "served/none/.htaccess", "served/sub/.htaccess"}
	confPath := filepath.Join(dir, "httpd.conf")
	for _, prefetch := range []bool{false, true} {
		var pf *htPrefetch
		opts := htaccess.LoadOptions{}
		if prefetch {
			pf = newHTPrefetch(OSFS{})
			opts.Visit = pf.visit
		}
		m := BuildApacheModel(htaccess.Load(newRecordingSource(confPath, []byte(conf), OSFS{}), confPath, opts), false)
		var got []string
		for _, ht := range discoverHtaccess(OSFS{}, m, pf) {
			rel, _ := filepath.Rel(dir, ht.Path)
			got = append(got, rel)
		}
		if !slices.Equal(got, want) {
			t.Errorf("prefetch %v: found %q, want %q", prefetch, got, want)
		}
		if prefetch {
			for _, d := range []string{"shared", "dflt"} {
				if _, ok := pf.scans[filepath.Join(dir, d)]; ok {
					t.Errorf("the prefetch scanned %s", d)
				}
			}
		}
	}
}

// TestDiscoverHtaccessNotRegular checks that a directory named .htaccess,
// or a symlink to one, is found as an access file that cannot be read
// (httpd refuses both: 403 for the directory), under every scanner.
func TestDiscoverHtaccessNotRegular(t *testing.T) {
	dir := t.TempDir()
	WriteTree(t, dir, map[string]string{
		"www/a/.htaccess/x": "x",
		"www/b/index.html":  "x",
		"www/target/x":      "x",
	})
	if err := os.Symlink("../target", filepath.Join(dir, "www/b/.htaccess")); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("DocumentRoot %s/www\n<Directory %s/www>\nAllowOverride AuthConfig\n</Directory>\n", dir, dir)
	confPath := filepath.Join(dir, "httpd.conf")
	for _, fsys := range []FS{OSFS{}, plainFS{OSFS{}}, listFS{OSFS{}}} {
		m := BuildApacheModel(htaccess.Load(newRecordingSource(confPath, []byte(conf), OSFS{}), confPath, htaccess.LoadOptions{}), false)
		var got []string
		for _, ht := range discoverHtaccess(fsys, m, nil) {
			rel, _ := filepath.Rel(dir, ht.Path)
			got = append(got, rel)
			if ht.File != nil || !errors.Is(ht.ReadErr, errNotRegular) {
				t.Errorf("%T: %s: file %v, error %v, want errNotRegular", fsys, rel, ht.File != nil, ht.ReadErr)
			}
		}
		if want := []string{"www/a/.htaccess", "www/b/.htaccess"}; !slices.Equal(got, want) {
			t.Errorf("%T: found %q, want %q", fsys, got, want)
		}
	}
}
