package nginxconf

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// mapSource serves files from a map.
type mapSource map[string]string

func (m mapSource) ReadFile(p string) ([]byte, error) {
	s, ok := m[p]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return []byte(s), nil
}

func (m mapSource) Glob(pattern string) ([]string, error) {
	var out []string
	for p := range m {
		if ok, _ := filepath.Match(pattern, p); ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

func names(c *Config) string {
	var out []string
	Walk(c.Main, func(d *Directive, parents []*Directive) bool {
		out = append(out, strings.Repeat(">", len(parents))+d.Name+":"+filepath.Base(d.File))
		return true
	})
	return strings.Join(out, " ")
}

func TestLoadIncludes(t *testing.T) {
	src := mapSource{
		"/etc/nginx/nginx.conf":                "http { include sites/*.conf; include mime.types; }",
		"/etc/nginx/mime.types":                "types { text/html html; }",
		"/etc/nginx/sites/b.conf":              "server { include snippets/auth.conf; }",
		"/etc/nginx/sites/a.conf":              "server { listen 1; }",
		"/etc/nginx/snippets/auth.conf":        "auth_basic x;",
		"/etc/nginx/sites/snippets/auth.conf":  "wrong;", // relative to the prefix, not the including file
		"/etc/nginx/sites/not-a-match.confx":   "never;",
		"/etc/nginx/other/missing-include.txt": "",
	}
	c := Load(src, "/etc/nginx/nginx.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %v", c.Errors)
	}
	want := "http:nginx.conf >include:nginx.conf >server:a.conf >>listen:a.conf >server:b.conf >>include:b.conf >>auth_basic:auth.conf >include:nginx.conf >types:mime.types >>text/html:mime.types"
	if got := names(c); got != want {
		t.Errorf("walk:\n got %s\nwant %s", got, want)
	}
	if len(c.Files) != 5 {
		t.Errorf("%d files loaded", len(c.Files))
	}
}

func TestLoadErrors(t *testing.T) {
	src := mapSource{
		"/n/nginx.conf": "include missing.conf;\ninclude none/*.conf;\ninclude loop.conf;",
		"/n/loop.conf":  "include loop.conf;",
	}
	c := Load(src, "/n/nginx.conf", LoadOptions{})
	var msgs []string
	for _, e := range c.Errors {
		msgs = append(msgs, e.Error())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{`/n/nginx.conf:1:1: open() "/n/missing.conf" failed (2: No such file or directory)`, `/n/loop.conf:1:1: include cycle`} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "none") {
		t.Errorf("a glob matching nothing is not an error:\n%s", got)
	}
}

func TestDump(t *testing.T) {
	out := "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n" +
		"# configuration file /etc/nginx/nginx.conf:\nhttp {\n    include conf.d/*.conf;\n}\n\n" +
		"# configuration file /etc/nginx/conf.d/a.conf:\nserver {\n    auth_basic x;\n}\n\n"
	if !IsDump([]byte(out)) {
		t.Fatal("IsDump false")
	}
	d, err := ParseDump([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	c := Load(d, d.Main(), LoadOptions{})
	if len(c.Errors) != 0 || len(c.Files) != 2 {
		t.Fatalf("errors %v, %d files", c.Errors, len(c.Files))
	}
	ab := c.Files[1].Directives[0].Block[0]
	if ab.Name != "auth_basic" || ab.File != "/etc/nginx/conf.d/a.conf" || ab.Span.Start.Line != 2 {
		t.Errorf("auth_basic at %s:%d", ab.File, ab.Span.Start.Line)
	}
	if d.Starts["/etc/nginx/conf.d/a.conf"] != 8 {
		t.Errorf("a.conf starts at dump line %d", d.Starts["/etc/nginx/conf.d/a.conf"])
	}
}

// debianSource maps /etc/nginx to the corpus copy of Debian's tree.
type debianSource struct{ dir string }

func (s debianSource) local(p string) string {
	if rest, ok := strings.CutPrefix(p, "/etc/nginx"); ok {
		return s.dir + rest
	}
	return p
}
func (s debianSource) ReadFile(p string) ([]byte, error) { return os.ReadFile(s.local(p)) }
func (s debianSource) Glob(pattern string) ([]string, error) {
	m, err := filepath.Glob(s.local(pattern))
	for i := range m {
		m[i] = "/etc/nginx" + strings.TrimPrefix(m[i], s.dir)
	}
	sort.Strings(m)
	return m, err
}

func TestLoadDebianTree(t *testing.T) {
	dir := filepath.Join(corpus(t), "debian-etc-nginx", "etc-nginx")
	c := Load(debianSource{dir}, "/etc/nginx/nginx.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %v", c.Errors)
	}
	var paths []string
	for _, f := range c.Files {
		paths = append(paths, f.Path)
	}
	all := strings.Join(paths, " ")
	for _, want := range []string{"/etc/nginx/mime.types", "/etc/nginx/sites-enabled/default"} {
		if !strings.Contains(all, want) {
			t.Errorf("%s not loaded: %s", want, all)
		}
	}
}
