package htaccess

import (
	"slices"
	"testing"
	"testing/fstest"
)

func TestFnmatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*.conf", "a.conf", true},
		{"*.conf", ".a.conf", false}, // APR_FNM_PERIOD
		{".*.conf", ".a.conf", true},
		{"*", ".htaccess", false},
		{"*.conf", "a.conf~", false},
		{"?.load", "x.load", true},
		{"?.load", "xy.load", false},
		{"[ab]*", "b1", true},
		{"[!ab]*", "b1", false},
		{"[^ab]*", "c1", true},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{`\*x`, "*x", true},
		{`\*x`, "ax", false},
		{"[x", "[x", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"", "", true},
	}
	for _, tc := range tests {
		if got := fnmatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("fnmatch(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestHasWildcard(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"/etc/apache2/ports.conf", false},
		{"/etc/*.conf", true},
		{"/etc/a?.conf", true},
		{"/etc/[ab].conf", true},
		{"/etc/[ab.conf", false},
		{`/etc/\*.conf`, false},
	}
	for _, tc := range tests {
		if got := hasWildcard(tc.s); got != tc.want {
			t.Errorf("hasWildcard(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestFSSource(t *testing.T) {
	src := FSSource{FS: fstest.MapFS{
		"a.conf":      {Data: []byte("x")},
		"d/[x]/b.cf":  {Data: []byte("y")},
		"d/[x]/c.cf":  {Data: []byte("z")},
		"d/.hidden":   {Data: []byte("h")},
		"d/plain.txt": {Data: []byte("p")},
	}, Root: "/etc/web"}
	if b, err := src.ReadFile("/etc/web/a.conf"); err != nil || string(b) != "x" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if _, err := src.ReadFile("/etc/other/a.conf"); err == nil {
		t.Errorf("ReadFile outside Root succeeded")
	}
	got, err := src.Glob(escapeGlob("/etc/web/d/[x]") + "/*")
	if err != nil || !slices.Equal(got, []string{"/etc/web/d/[x]/b.cf", "/etc/web/d/[x]/c.cf"}) {
		t.Errorf("Glob = %q, %v", got, err)
	}
	if !src.IsDir("/etc/web/d") || src.IsDir("/etc/web/a.conf") || src.IsDir("/nope") {
		t.Errorf("IsDir wrong")
	}
	got, _ = src.Glob("/etc/web/d/*")
	if !slices.Equal(got, []string{"/etc/web/d/.hidden", "/etc/web/d/[x]", "/etc/web/d/plain.txt"}) {
		t.Errorf("Glob listing = %q", got)
	}
}

// noDirSource hides IsDir so the loader's fallback is exercised.
type noDirSource struct{ s FSSource }

func (n noDirSource) ReadFile(p string) ([]byte, error)     { return n.s.ReadFile(p) }
func (n noDirSource) Glob(pattern string) ([]string, error) { return n.s.Glob(pattern) }

func TestLoadWithoutIsDir(t *testing.T) {
	src := noDirSource{mapSource(map[string]string{
		"/srv/main.conf":      "Include conf.d\nIncludeOptional sites/*/x.conf\n",
		"/srv/conf.d/a.conf":  "User a\n",
		"/srv/sites/s/x.conf": "User s\n",
	})}
	c := Load(src, "/srv/main.conf", LoadOptions{})
	if got := filePaths(c); !slices.Equal(got, []string{"/srv/main.conf", "/srv/conf.d/a.conf", "/srv/sites/s/x.conf"}) {
		t.Errorf("files = %q; errors %q", got, errStrings(c.Errors))
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{File: "a.conf", Span: Span{Start: Pos{Line: 2, Col: 4}}, Msg: "boom"}
	if got := e.Error(); got != "a.conf:2:4: boom" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&Error{File: "a.conf", Msg: "x"}).Error(); got != "a.conf: x" {
		t.Errorf("Error() = %q", got)
	}
	var nilErr *Error
	if nilErr.Error() != "<nil>" {
		t.Errorf("nil Error()")
	}
	if KindUndefinedVar.String() != "undefined-variable" || Kind(99).String() != "kind(99)" || SeverityWarning.String() != "warning" {
		t.Errorf("String methods wrong")
	}
}
