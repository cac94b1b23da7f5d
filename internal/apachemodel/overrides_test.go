package apachemodel

import (
	"fmt"
	"path"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/authlint/authlint/htaccess"
)

// TestOverridesAt: AllowOverride and AllowOverrideList fold by directory
// depth; the file is read when either lets anything in.
func TestOverridesAt(t *testing.T) {
	tests := []struct {
		name, conf       string
		reads            bool
		classes          string
		allowAuthType    bool // AuthType (AuthConfig)
		allowOrderByName bool // Order (Limit), by name
	}{
		{"default none", "", false, "none", false, false},
		{"authconfig", "<Directory /srv/www>\nAllowOverride AuthConfig\n</Directory>\n", true, "authconfig", true, false},
		{"deeper wins", "<Directory /srv/www>\nAllowOverride All\n</Directory>\n<Directory /srv/www/a>\nAllowOverride None\n</Directory>\n", false, "none", false, false},
		{"list only", "<Directory /srv/www>\nAllowOverride None\nAllowOverrideList Order AuthType\n</Directory>\n", true, "none", true, true},
		{"list reset", "<Directory /srv>\nAllowOverrideList AuthType\n</Directory>\n<Directory /srv/www>\nAllowOverrideList None\n</Directory>\n", false, "none", false, false},
		{"regex sections do not count", "<DirectoryMatch \"^/srv\">\nAllowOverride All\n</DirectoryMatch>\n", false, "none", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := htaccess.FSSource{FS: fstest.MapFS{"httpd.conf": {Data: []byte(tc.conf)}}, Root: "/etc"}
			m := build(htaccess.Load(src, "/etc/httpd.conf", htaccess.LoadOptions{}), false)
			o := m.OverridesAt(m.Main, "/srv/www/a")
			if o.Reads() != tc.reads || o.Classes != tc.classes {
				t.Errorf("Reads=%v Classes=%q, want %v %q", o.Reads(), o.Classes, tc.reads, tc.classes)
			}
			if got := o.Allows("authconfig", "authtype"); got != tc.allowAuthType {
				t.Errorf("Allows(AuthType) = %v, want %v", got, tc.allowAuthType)
			}
			if got := o.Allows("limit", "order"); got != tc.allowOrderByName {
				t.Errorf("Allows(Order) = %v, want %v", got, tc.allowOrderByName)
			}
		})
	}
}

func TestCleanPath(t *testing.T) {
	for _, p := range []string{"/", "/a", "/a/", "/a//b", "/a/./b", "/a/../b", "/a/.hidden/", "a/b", "", "/a/b/..", "//"} {
		if got, want := cleanPath(p), path.Clean(p); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestPathParent(t *testing.T) {
	for _, p := range []string{"/", "/a", "/a/b", "a", "a/b", "."} {
		if got, want := PathParent(p), path.Dir(p); got != want {
			t.Errorf("PathParent(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestHtaccessOnPath: the .htaccess files on the way to a path, root first,
// each once, with their depths; only the depths that hold one are looked up.
func TestHtaccessOnPath(t *testing.T) {
	m := &Model{Main: &Server{}}
	for _, dir := range []string{"/", "/a", "/a/b/c", "/x"} {
		m.addHtaccess(&Htaccess{Path: path.Join(dir, ".htaccess"), Dir: dir})
	}
	tests := []struct {
		p    string
		want []string
	}{
		{"/a/b/c/", []string{"/:0", "/a:1", "/a/b/c:3"}},
		{"/a/b/c/d.php", []string{"/:0", "/a:1", "/a/b/c:3"}},
		{"/a/b", []string{"/:0", "/a:1"}},
		{"/", []string{"/:0"}},
		{"/ab", []string{"/:0"}},
		{"/x//y/../", []string{"/:0", "/x:1"}},
		{"rel/a", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, h := range m.htaccessOnPath(tt.p) {
			got = append(got, fmt.Sprintf("%s:%d", h.ht.Dir, h.depth))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("htaccessOnPath(%q) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
