package apachemodel

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/testtree"
)

// plainFS hides OSFS's scanner and listings: the .htaccess search then
// takes its generic path (Glob and Lstat), the reference the fast scanner
// must agree with.
type plainFS struct{ serverfs.FS }

// listFS offers listings (DirReader) but no scanner.
type listFS struct{ serverfs.FS }

func (listFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

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
	testtree.Write(t, dir, files)
	slices.Sort(want)
	confPath := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	data := []byte(conf.String())
	for _, fsys := range []serverfs.FS{serverfs.OSFS{}, plainFS{serverfs.OSFS{}}, listFS{serverfs.OSFS{}}, serverfs.NewCached(serverfs.OSFS{})} {
		for _, prefetch := range []bool{false, true} {
			// With the prefetch, the loader hands it the roots while it
			// loads; the search then takes its scans (the outside tree
			// and the www parent are not roots: nothing there counts).
			var pf *Prefetch
			opts := htaccess.LoadOptions{}
			if prefetch {
				pf = NewPrefetch(fsys)
				opts.Visit = pf.Visit
				pf.w.add(filepath.Join(dir, "outside"))
			}
			m := build(htaccess.Load(serverfs.NewRecordingSource(confPath, data, serverfs.OSFS{}), confPath, opts), false)
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
	testtree.Write(t, dir, map[string]string{
		"www/.htaccess":    "Require all denied\n",
		"www/a/.acl":       "Require valid-user\n",
		"www/a/index.html": "x",
	})
	conf := fmt.Sprintf("DocumentRoot %q\nAccessFileName .acl\n", filepath.Join(dir, "www"))
	confPath := filepath.Join(dir, "httpd.conf")
	pf := NewPrefetch(serverfs.OSFS{})
	m := build(htaccess.Load(serverfs.NewRecordingSource(confPath, []byte(conf), serverfs.OSFS{}), confPath, htaccess.LoadOptions{Visit: pf.Visit}), false)
	var got []string
	for _, ht := range discoverHtaccess(serverfs.OSFS{}, m, pf) {
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
	testtree.Write(t, dir, files)
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
		var pf *Prefetch
		opts := htaccess.LoadOptions{}
		if prefetch {
			pf = NewPrefetch(serverfs.OSFS{})
			opts.Visit = pf.Visit
		}
		m := build(htaccess.Load(serverfs.NewRecordingSource(confPath, []byte(conf), serverfs.OSFS{}), confPath, opts), false)
		var got []string
		for _, ht := range discoverHtaccess(serverfs.OSFS{}, m, pf) {
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
	testtree.Write(t, dir, map[string]string{
		"www/a/.htaccess/x": "x",
		"www/b/index.html":  "x",
		"www/target/x":      "x",
	})
	if err := os.Symlink("../target", filepath.Join(dir, "www/b/.htaccess")); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("DocumentRoot %s/www\n<Directory %s/www>\nAllowOverride AuthConfig\n</Directory>\n", dir, dir)
	confPath := filepath.Join(dir, "httpd.conf")
	for _, fsys := range []serverfs.FS{serverfs.OSFS{}, plainFS{serverfs.OSFS{}}, listFS{serverfs.OSFS{}}} {
		m := build(htaccess.Load(serverfs.NewRecordingSource(confPath, []byte(conf), serverfs.OSFS{}), confPath, htaccess.LoadOptions{}), false)
		var got []string
		for _, ht := range discoverHtaccess(fsys, m, nil) {
			rel, _ := filepath.Rel(dir, ht.Path)
			got = append(got, rel)
			if ht.File != nil || !errors.Is(ht.ReadErr, serverfs.ErrNotRegular) {
				t.Errorf("%T: %s: file %v, error %v, want serverfs.ErrNotRegular", fsys, rel, ht.File != nil, ht.ReadErr)
			}
		}
		if want := []string{"www/a/.htaccess", "www/b/.htaccess"}; !slices.Equal(got, want) {
			t.Errorf("%T: found %q, want %q", fsys, got, want)
		}
	}
}
