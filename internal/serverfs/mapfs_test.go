package serverfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/authlint/authlint/internal/testtree"
)

// mapTree lays out a filesystem image, a deploy directory and a directory
// outside both, with symlinks that stay inside and symlinks that leave:
//
//	image/etc/nginx/{htpasswd,conf.d/a.conf,conf.d/b.conf}
//	image/etc/nginx/link-in -> htpasswd, abs-in -> <abs>/image/etc/nginx/htpasswd
//	image/etc/nginx/link-out -> <abs>/outside/secret, rel-out -> ../../../outside/secret
//	image/etc/nginx/dir-out -> <abs>/outside
//	deploy/nginx/{nginx.conf,htpasswd}
//	outside/secret
func mapTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"image/etc/nginx/htpasswd":      "image htpasswd",
		"image/etc/nginx/conf.d/a.conf": "a",
		"image/etc/nginx/conf.d/b.conf": "b",
		"image/etc/other":               "image other",
		"deploy/nginx/nginx.conf":       "deploy nginx.conf",
		"deploy/nginx/htpasswd":         "deploy htpasswd",
		"outside/secret":                "secret",
	}
	testtree.Write(t, dir, files)
	links := map[string]string{
		"image/etc/nginx/link-in":  "htpasswd",
		"image/etc/nginx/abs-in":   filepath.Join(dir, "image/etc/nginx/htpasswd"),
		"image/etc/nginx/link-out": filepath.Join(dir, "outside/secret"),
		"image/etc/nginx/rel-out":  "../../../outside/secret",
		"image/etc/nginx/dir-out":  filepath.Join(dir, "outside"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	return dir
}

func TestMapFSReadFile(t *testing.T) {
	dir := mapTree(t)
	image := filepath.Join(dir, "image")
	deploy := filepath.Join(dir, "deploy/nginx")
	root := Mapping{Server: "/", Local: image}
	etc := Mapping{Server: "/etc/nginx", Local: deploy}
	secret := filepath.Join(dir, "outside/secret")
	cases := []struct {
		name         string
		maps         []Mapping
		live         bool
		path         string
		want         string // content; "" when an error is wanted
		wantErr      error
		unverifiable bool
	}{
		{"root maps absolute paths", []Mapping{root}, false, "/etc/nginx/htpasswd", "image htpasswd", nil, false},
		{"dot-dot inside the mapping is cleaned", []Mapping{root}, false, "/etc/nginx/conf.d/../htpasswd", "image htpasswd", nil, false},
		{"dot-dot cannot climb above the root", []Mapping{root}, false, "/etc/nginx/../../../../outside/secret", "", fs.ErrNotExist, false},
		{"relative symlink inside", []Mapping{root}, false, "/etc/nginx/link-in", "image htpasswd", nil, false},
		{"absolute symlink inside", []Mapping{root}, false, "/etc/nginx/abs-in", "image htpasswd", nil, false},
		{"absolute symlink out", []Mapping{root}, false, "/etc/nginx/link-out", "", fs.ErrPermission, false},
		{"relative symlink out", []Mapping{root}, false, "/etc/nginx/rel-out", "", fs.ErrPermission, false},
		{"file below a directory symlink out", []Mapping{root}, false, "/etc/nginx/dir-out/secret", "", fs.ErrPermission, false},
		{"missing file below a directory symlink out", []Mapping{root}, false, "/etc/nginx/dir-out/nope", "", fs.ErrPermission, false},
		{"missing mapped file", []Mapping{root}, false, "/etc/nginx/nope", "", fs.ErrNotExist, false},
		{"longest prefix wins", []Mapping{root, etc}, false, "/etc/nginx/htpasswd", "deploy htpasswd", nil, false},
		{"shorter prefix for the rest", []Mapping{etc, root}, false, "/etc/other", "image other", nil, false},
		{"prefix matches whole components only", []Mapping{etc}, false, "/etc/nginx2/htpasswd", "", fs.ErrNotExist, true},
		{"dot-dot leaves a mapping: unmapped", []Mapping{etc}, false, "/etc/nginx/../passwd", "", fs.ErrNotExist, true},
		{"unmapped offline", []Mapping{etc}, false, secret, "", fs.ErrNotExist, true},
		{"unmapped live", []Mapping{etc}, true, secret, "secret", nil, false},
		{"no mappings offline", nil, false, secret, "", fs.ErrNotExist, true},
		{"relative paths are local", []Mapping{etc}, false, mustRel(t, secret), "secret", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMapFS(tc.maps, tc.live)
			got, err := m.ReadFile(tc.path)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("ReadFile(%s) = %q, %v; want error %v", tc.path, got, err, tc.wantErr)
				}
			} else if err != nil || string(got) != tc.want {
				t.Errorf("ReadFile(%s) = %q, %v; want %q", tc.path, got, err, tc.want)
			}
			// Open and Stat agree with ReadFile.
			if f, err := m.Open(tc.path); (err == nil) != (tc.wantErr == nil) {
				t.Errorf("Open(%s) error %v", tc.path, err)
			} else if err == nil {
				f.Close()
			}
			if _, err := m.Stat(tc.path); (err == nil) != (tc.wantErr == nil) {
				t.Errorf("Stat(%s) error %v", tc.path, err)
			}
			if u := m.Unchecked(tc.path) != ""; u != tc.unverifiable {
				t.Errorf("Unchecked(%s) != \"\" is %v, want %v", tc.path, u, tc.unverifiable)
			}
		})
	}
}

func mustRel(t *testing.T, p string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func TestMapFSGlob(t *testing.T) {
	dir := mapTree(t)
	m := NewMapFS([]Mapping{{Server: "/", Local: filepath.Join(dir, "image")}}, false)
	got, err := m.Glob("/etc/nginx/conf.d/*.conf")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/etc/nginx/conf.d/a.conf", "/etc/nginx/conf.d/b.conf"}
	if !slices.Equal(got, want) {
		t.Errorf("Glob = %q, want %q", got, want)
	}
	off := NewMapFS([]Mapping{{Server: "/etc/nginx", Local: filepath.Join(dir, "deploy/nginx")}}, false)
	if got, err := off.Glob(filepath.Join(dir, "image/etc/nginx/conf.d/*.conf")); err != nil || len(got) != 0 {
		t.Errorf("unmapped glob offline = %q, %v; want nothing", got, err)
	}
}

func TestMapFSServerPath(t *testing.T) {
	dir := mapTree(t)
	image := filepath.Join(dir, "image")
	deploy := filepath.Join(dir, "deploy/nginx")
	root := Mapping{Server: "/", Local: image}
	etc := Mapping{Server: "/etc/nginx", Local: deploy}
	cases := []struct {
		name  string
		maps  []Mapping
		local string
		want  string // "" for not ok
	}{
		{"below a map", []Mapping{etc}, filepath.Join(deploy, "nginx.conf"), "/etc/nginx/nginx.conf"},
		{"the mapped directory itself", []Mapping{etc}, deploy, "/etc/nginx"},
		{"below the root", []Mapping{root}, filepath.Join(image, "etc/nginx/htpasswd"), "/etc/nginx/htpasswd"},
		{"relative local path", []Mapping{etc}, mustRel(t, filepath.Join(deploy, "nginx.conf")), "/etc/nginx/nginx.conf"},
		{"outside every map", []Mapping{etc}, filepath.Join(dir, "outside/secret"), ""},
		{"shadowed by a longer server prefix", []Mapping{root, etc}, filepath.Join(image, "etc/nginx/htpasswd"), ""},
		{"not shadowed", []Mapping{root, etc}, filepath.Join(image, "etc/other"), "/etc/other"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NewMapFS(tc.maps, false).ServerPath(tc.local)
			if ok != (tc.want != "") || got != tc.want {
				t.Errorf("ServerPath(%s) = %q, %v; want %q", tc.local, got, ok, tc.want)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	cases := []struct {
		in      string
		want    Mapping
		wantErr bool
	}{
		{"/etc/nginx=deploy/nginx", Mapping{Server: "/etc/nginx", Local: "deploy/nginx"}, false},
		{"/etc/nginx/=deploy/nginx/", Mapping{Server: "/etc/nginx", Local: "deploy/nginx"}, false},
		{"/=image", Mapping{Server: "/", Local: "image"}, false},
		{"/etc/a=b=c", Mapping{Server: "/etc/a", Local: "b=c"}, false},
		{"etc/nginx=deploy", Mapping{}, true},
		{"/etc/nginx", Mapping{}, true},
		{"/etc/nginx=", Mapping{}, true},
		{"=deploy", Mapping{}, true},
		{"", Mapping{}, true},
	}
	for _, tc := range cases {
		got, err := ParseMapping(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseMapping(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestMapFSAboveMapping: the directories above a mapped server path exist
// on the server, so a mapped user file is readable through them, offline or
// live, whatever this machine has at those paths.
func TestMapFSAboveMapping(t *testing.T) {
	dir := mapTree(t)
	maps := []Mapping{{Server: "/srv/not-on-this-machine/nginx", Local: filepath.Join(dir, "deploy/nginx")}}
	for _, live := range []bool{false, true} {
		m := NewMapFS(maps, live)
		for _, d := range []string{"/", "/srv", "/srv/not-on-this-machine"} {
			if st, err := m.Stat(d); err != nil || !st.IsDir() {
				t.Errorf("live=%v: Stat(%s) = %v, %v; want a directory", live, d, st, err)
			}
		}
		if p := CheckReadable(m, "/srv/not-on-this-machine/nginx/htpasswd", Account{UID: 65534, GIDs: []int{65534}}); p != nil {
			t.Errorf("live=%v: mapped file: %+v", live, p)
		}
		if p := CheckReadable(m, "/srv/not-on-this-machine/nginx/nope", Account{}); p == nil || p.Path != "/srv/not-on-this-machine/nginx/nope" {
			t.Errorf("live=%v: missing mapped file: %+v", live, p)
		}
	}
	if _, err := NewMapFS(maps, false).Stat("/srv/not-on-this-machine/other"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a sibling of the mapping is not above it: %v", err)
	}
}
