package nginxconf

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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

// countingSource counts the reads of a Source.
type countingSource struct {
	Source
	reads map[string]int
}

func (c countingSource) ReadFile(p string) ([]byte, error) {
	c.reads[p]++
	return c.Source.ReadFile(p)
}

// expansions counts the directives Walk visits, giving up past limit.
func expansions(c *Config, limit int) int {
	n := 0
	Walk(c.Main, func(*Directive, []*Directive) bool {
		n++
		return n <= limit
	})
	return n
}

// chain makes files f0.conf … f<n>.conf in dir, each including the next
// one fan times; the last holds one directive.
func chain(dir string, n, fan int) mapSource {
	src := mapSource{}
	for i := range n {
		src[fmt.Sprintf("%s/f%d.conf", dir, i)] = strings.Repeat(fmt.Sprintf("include f%d.conf;\n", i+1), fan)
	}
	src[fmt.Sprintf("%s/f%d.conf", dir, n)] = "auth_basic off;\n"
	return src
}

// TestLoadReadsOnce: a file included many times is read and parsed once,
// and every place that includes it still sees it expanded. Nine files each
// including the next one twice were read 1,023 times.
func TestLoadReadsOnce(t *testing.T) {
	src := countingSource{chain("/n", 9, 2), map[string]int{}}
	c := Load(src, "/n/f0.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %v", c.Errors)
	}
	for p, n := range src.reads {
		if n != 1 {
			t.Errorf("%s read %d times", p, n)
		}
	}
	if len(src.reads) != 10 || len(c.Files) != 10 {
		t.Errorf("%d files read, %d in Config.Files; want 10", len(src.reads), len(c.Files))
	}
	leaves := 0
	Walk(c.Main, func(d *Directive, _ []*Directive) bool {
		if d.Name == "auth_basic" {
			leaves++
		}
		return true
	})
	if leaves != 512 {
		t.Errorf("walk sees the last file %d times, want 2^9", leaves)
	}
}

// TestLoadSharedInclude: a snippet included in two servers is one *File,
// seen in each server with that server as its parent.
func TestLoadSharedInclude(t *testing.T) {
	src := mapSource{
		"/n/nginx.conf":   "http { server { include auth.conf; } server { include auth.conf; } }",
		"/n/auth.conf":    "auth_basic x; include users.conf;",
		"/n/users.conf":   "auth_basic_user_file u;",
		"/n/unused.types": "never;",
	}
	c := Load(src, "/n/nginx.conf", LoadOptions{})
	want := "http:nginx.conf >server:nginx.conf >>include:nginx.conf >>auth_basic:auth.conf >>include:auth.conf >>auth_basic_user_file:users.conf " +
		">server:nginx.conf >>include:nginx.conf >>auth_basic:auth.conf >>include:auth.conf >>auth_basic_user_file:users.conf"
	if got := names(c); got != want || len(c.Errors) != 0 {
		t.Errorf("walk:\n got %s\nwant %s\nerrors %v", got, want, c.Errors)
	}
	srv := c.Main.Directives[0].Block
	if a, b := srv[0].Block[0].Includes, srv[1].Block[0].Includes; len(a) != 1 || len(b) != 1 || a[0] != b[0] {
		t.Errorf("includes %v and %v: want one shared file", a, b)
	}
}

// TestLoadExpansionBounded: includes that multiply (nine files each
// including the next ten times: 10^9 directives) stop at the expansion
// cap with one error.
func TestLoadExpansionBounded(t *testing.T) {
	tests := []struct {
		name      string
		max       int
		wantError string
	}{
		{"default cap", 0, fmt.Sprintf("would add more than %d directives", MaxIncludeExpansion)},
		{"small cap", 1000, "would add more than 1000 directives"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			limit := tc.max
			if limit == 0 {
				limit = MaxIncludeExpansion
			}
			src := countingSource{chain("/n", 9, 10), map[string]int{}}
			c := Load(src, "/n/f0.conf", LoadOptions{maxExpansion: tc.max})
			if len(c.Errors) != 1 || !strings.Contains(c.Errors[0].Msg, tc.wantError) {
				t.Fatalf("errors %v; want one with %q", c.Errors, tc.wantError)
			}
			own := 10 // f0's include directives
			if n := expansions(c, limit+own+1); n > limit+own || n < limit/2 {
				t.Errorf("walk visits %d directives; want at most %d and not much less", n, limit+own)
			}
			if len(src.reads) != 10 {
				t.Errorf("%d files read", len(src.reads))
			}
		})
	}
}

// TestLoadManyFilesOnceUncapped: files each included once add no copies,
// so a configuration larger than the cap (2,000 server files of 200
// directives: 400,000) loads whole, without the expansion error.
func TestLoadManyFilesOnceUncapped(t *testing.T) {
	src := mapSource{"/n/nginx.conf": "http { include sites/*.conf; }\n"}
	for i := range 2000 {
		src[fmt.Sprintf("/n/sites/s%04d.conf", i)] = "server {\n" + strings.Repeat("location / { auth_basic off; }\n", 99) + "}\n"
	}
	c := Load(src, "/n/nginx.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %v", c.Errors)
	}
	if n := expansions(c, 1<<20); n <= MaxIncludeExpansion {
		t.Errorf("walk visits %d directives; want the whole configuration, over %d", n, MaxIncludeExpansion)
	}
}

// TestLoadGlobCycle: a glob that matches the file that holds it is a
// cycle: one error naming that file, and nothing of the include followed.
// (Nine files in one directory each including *.conf made nginx.conf a
// tree of a million files.)
func TestLoadGlobCycle(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		wantFiles int
		wantErrs  []string
	}{
		{
			name: "main file in the glob's directory",
			files: func() map[string]string {
				m := map[string]string{"/n/nginx.conf": "include *.conf;"}
				for i := range 9 {
					m[fmt.Sprintf("/n/f%d.conf", i)] = "include *.conf; include *.conf;"
				}
				return m
			}(),
			wantFiles: 1,
			wantErrs:  []string{`/n/nginx.conf:1:1: include cycle: "/n/*.conf" matches "/n/nginx.conf", the file that includes it`},
		},
		{
			name: "included files in the glob's directory",
			files: map[string]string{
				"/n/nginx.conf":    "http { include conf.d/*.conf; }",
				"/n/conf.d/a.conf": "server { include conf.d/*.conf; }",
				"/n/conf.d/b.conf": "server { listen 80; }",
			},
			wantFiles: 3,
			wantErrs:  []string{`/n/conf.d/a.conf:1:10: include cycle: "/n/conf.d/*.conf" matches "/n/conf.d/a.conf", the file that includes it`},
		},
		{
			name: "longer cycle",
			files: map[string]string{
				"/n/nginx.conf": "include a.conf;",
				"/n/a.conf":     "include b/*.conf;",
				"/n/b/b.conf":   "include a.conf; x;",
			},
			wantFiles: 3,
			wantErrs:  []string{`/n/b/b.conf:1:1: include cycle: /n/a.conf -> /n/b/b.conf -> /n/a.conf`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Load(mapSource(tc.files), "/n/nginx.conf", LoadOptions{})
			var errs []string
			for _, e := range c.Errors {
				errs = append(errs, e.Error())
			}
			if len(c.Files) != tc.wantFiles || !slices.Equal(errs, tc.wantErrs) {
				t.Errorf("%d files, errors %q; want %d, %q", len(c.Files), errs, tc.wantFiles, tc.wantErrs)
			}
		})
	}
}

func TestDumpGlob(t *testing.T) {
	d, err := ParseDump([]byte("# configuration file /e/nginx.conf:\ninclude c/*.conf;\n\n" +
		"# configuration file /e/c/a.conf:\nx;\n\n# configuration file /e/c/d/b.conf:\ny;\n\n# configuration file /e/c/b.conf:\nz;\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ pattern, want string }{
		{"/e/c/*.conf", "/e/c/a.conf /e/c/b.conf"},
		{"/e/*/*.conf", "/e/c/a.conf /e/c/b.conf"},
		{"/e/c/?.conf", "/e/c/a.conf /e/c/b.conf"},
		{"/e/c/[ab].conf", "/e/c/a.conf /e/c/b.conf"},
		{"/e/c/d/*", "/e/c/d/b.conf"},
		{"/e/x/*", ""},
	} {
		got, err := d.Glob(tc.pattern)
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("Glob(%q) = %q, %v; want %q", tc.pattern, got, err, tc.want)
		}
	}
}
