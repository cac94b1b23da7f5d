package rules

import (
	"path"
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
			m := BuildApacheModel(htaccess.Load(src, "/etc/httpd.conf", htaccess.LoadOptions{}), false)
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
		if got, want := pathParent(p), path.Dir(p); got != want {
			t.Errorf("pathParent(%q) = %q, want %q", p, got, want)
		}
	}
}
