package htaccess

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// mapSource serves files given as absolute path -> content.
func mapSource(files map[string]string) FSSource {
	m := fstest.MapFS{}
	for p, c := range files {
		m[strings.TrimPrefix(p, "/")] = &fstest.MapFile{Data: []byte(c)}
	}
	return FSSource{FS: m, Root: "/"}
}

// errStrings renders errors as "severity kind file:line:col: msg".
func errStrings(errs []*Error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = fmt.Sprintf("%s %s %v", e.Severity, e.Kind, e)
	}
	return out
}

func filePaths(c *Config) []string {
	out := make([]string, len(c.Files))
	for i, f := range c.Files {
		out[i] = f.Path
	}
	return out
}

func TestLoadIncludes(t *testing.T) {
	tests := []struct {
		name      string
		main      string
		files     map[string]string
		opts      LoadOptions
		wantFiles []string
		wantErrs  []string
	}{
		{
			name: "relative include against ServerRoot, wildcard sorted bytewise",
			files: map[string]string{
				"/srv/main.conf":       "Include conf.d/*.conf\n",
				"/srv/conf.d/b.conf":   "User b\n",
				"/srv/conf.d/a.conf":   "User a\n",
				"/srv/conf.d/A.conf":   "User A\n",
				"/srv/conf.d/10.conf":  "User 10\n",
				"/srv/conf.d/9.conf":   "User 9\n",
				"/srv/conf.d/.h.conf":  "User hidden\n",
				"/srv/conf.d/x.conf~":  "User backup\n",
				"/srv/conf.d/sub/c.cf": "User sub\n",
			},
			wantFiles: []string{"/srv/main.conf", "/srv/conf.d/10.conf", "/srv/conf.d/9.conf", "/srv/conf.d/A.conf", "/srv/conf.d/a.conf", "/srv/conf.d/b.conf"},
		},
		{
			name: "directory include is recursive and takes every entry",
			files: map[string]string{
				"/srv/main.conf":       "Include /srv/conf.d\n",
				"/srv/conf.d/b.conf":   "User b\n",
				"/srv/conf.d/.h.conf":  "User hidden\n",
				"/srv/conf.d/sub/c.cf": "User sub\n",
			},
			wantFiles: []string{"/srv/main.conf", "/srv/conf.d/.h.conf", "/srv/conf.d/b.conf", "/srv/conf.d/sub/c.cf"},
		},
		{
			name: "wildcards in directory components",
			files: map[string]string{
				"/srv/main.conf":                 "IncludeOptional sites/*/conf/*.conf\nInclude sites/*/conf/x.conf\n",
				"/srv/sites/one/conf/x.conf":     "User 1\n",
				"/srv/sites/two/conf/x.conf":     "User 2\n",
				"/srv/sites/file.conf":           "User no\n",
				"/srv/sites/three/other/x.conf":  "User no\n",
				"/srv/sites/two/conf/README.txt": "not config\n",
			},
			// httpd gives up on an Include at its first failure, so
			// sites/two is not reached by the second line.
			wantFiles: []string{"/srv/main.conf", "/srv/sites/one/conf/x.conf", "/srv/sites/two/conf/x.conf", "/srv/sites/one/conf/x.conf"},
			wantErrs:  []string{"error include /srv/main.conf:2:9: Could not open configuration file /srv/sites/three/conf/x.conf: No such file or directory"},
		},
		{
			name: "missing file, empty wildcard, optional variants",
			files: map[string]string{
				"/srv/main.conf": "Include missing.conf\nIncludeOptional missing.conf\nInclude none/*.conf\nIncludeOptional none/*.conf\nInclude /srv/*.nothing\nIncludeOptional /srv/*.nothing\n",
			},
			wantFiles: []string{"/srv/main.conf"},
			wantErrs: []string{
				"error include /srv/main.conf:1:9: Could not open configuration file /srv/missing.conf: No such file or directory",
				"error include /srv/main.conf:3:9: Could not open directory /srv/none: No such file or directory",
				"error include /srv/main.conf:5:9: No matches for the wildcard '*.nothing' in '/srv', failing",
			},
		},
		{
			name: "cycle is reported at the include that closes it",
			main: "/srv/a.conf",
			files: map[string]string{
				"/srv/a.conf": "Include b.conf\n",
				"/srv/b.conf": "\n\nInclude /srv/./a.conf\n",
			},
			wantFiles: []string{"/srv/a.conf", "/srv/b.conf"},
			wantErrs:  []string{"error include /srv/b.conf:3:9: include cycle: /srv/a.conf -> /srv/b.conf -> /srv/a.conf"},
		},
		{
			name: "ServerRoot directive moves relative includes",
			files: map[string]string{
				"/srv/main.conf":      "ServerRoot /opt/web\nInclude extra.conf\n",
				"/opt/web/extra.conf": "User x\n",
			},
			wantFiles: []string{"/srv/main.conf", "/opt/web/extra.conf"},
		},
		{
			name: "include path from a Define",
			files: map[string]string{
				"/srv/main.conf":   "Define CONF /srv/site\nInclude ${CONF}/*.conf\n",
				"/srv/site/a.conf": "User a\n",
			},
			wantFiles: []string{"/srv/main.conf", "/srv/site/a.conf"},
		},
		{
			name: "IfDefine that does not hold is not followed; IfModule failures are warnings",
			files: map[string]string{
				"/srv/main.conf":  "<IfDefine SSL>\nInclude ssl.conf\n</IfDefine>\n<IfDefine !SSL>\nInclude plain.conf\n</IfDefine>\n<IfModule mod_x.c>\nInclude x.conf\n</IfModule>\n",
				"/srv/plain.conf": "User plain\n",
			},
			wantFiles: []string{"/srv/main.conf", "/srv/plain.conf"},
			wantErrs:  []string{"warning include /srv/main.conf:8:9: Could not open configuration file /srv/x.conf: No such file or directory"},
		},
		{
			name: "-D defines select IfDefine",
			files: map[string]string{
				"/srv/main.conf": "<IfDefine SSL>\nInclude ssl.conf\n</IfDefine>\n",
				"/srv/ssl.conf":  "SSLEngine on\n",
			},
			opts:      LoadOptions{Defines: map[string]string{"SSL": ""}},
			wantFiles: []string{"/srv/main.conf", "/srv/ssl.conf"},
		},
		{
			name:     "main file missing",
			files:    map[string]string{},
			wantErrs: []string{"error include /srv/main.conf: could not open configuration file /srv/main.conf: No such file or directory"},
		},
		{
			name:      "parse errors of included files are collected",
			files:     map[string]string{"/srv/main.conf": "Include a.conf\n", "/srv/a.conf": "<Directory /x>\n"},
			wantFiles: []string{"/srv/main.conf", "/srv/a.conf"},
			wantErrs:  []string{"error syntax /srv/a.conf:1:1: <Directory> was not closed."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			main := tc.main
			if main == "" {
				main = "/srv/main.conf"
			}
			c := Load(mapSource(tc.files), main, tc.opts)
			if got := filePaths(c); !slices.Equal(got, tc.wantFiles) && !(len(got) == 0 && len(tc.wantFiles) == 0) {
				t.Errorf("files:\n got %q\nwant %q", got, tc.wantFiles)
			}
			if got := errStrings(c.Errors); !slices.Equal(got, tc.wantErrs) && !(len(got) == 0 && len(tc.wantErrs) == 0) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.wantErrs)
			}
		})
	}
}

func TestLoadIncludeDepth(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < MaxIncludeDepth+5; i++ {
		files[fmt.Sprintf("/srv/f%d.conf", i)] = fmt.Sprintf("Include f%d.conf\n", i+1)
	}
	c := Load(mapSource(files), "/srv/f0.conf", LoadOptions{})
	if len(c.Files) != MaxIncludeDepth {
		t.Errorf("read %d files, want %d", len(c.Files), MaxIncludeDepth)
	}
	if len(c.Errors) != 1 || !strings.Contains(c.Errors[0].Msg, "maximum include") {
		t.Errorf("errors = %q", errStrings(c.Errors))
	}
}

func TestLoadDefinesAndExpansion(t *testing.T) {
	src := mapSource(map[string]string{"/srv/main.conf": `Define ROOT /var/www
Define FLAG
DocumentRoot ${ROOT}/html
ErrorLog "${LOGS}/error.log"
CustomLog ${NOPE}/x ${FLAG}
RewriteRule ^(.*) ${map:$1}
UnDefine ROOT
Alias /a ${ROOT}
Define bad:name x
<IfDefine FLAG>
Define INNER yes
</IfDefine>
<IfDefine !FLAG>
Define NEVER yes
</IfDefine>
`})
	c := Load(src, "/srv/main.conf", LoadOptions{EnvVars: map[string]string{"LOGS": "/var/log/web", "FLAG": "env"}})
	var got []string
	Walk(c.Main, func(n *Node, _ []*Node) bool {
		var parts []string
		for _, a := range n.Args {
			parts = append(parts, a.Expanded)
		}
		got = append(got, n.Name+" "+strings.Join(parts, " "))
		return true
	})
	want := []string{
		"Define ROOT /var/www",
		"Define FLAG",
		"DocumentRoot /var/www/html",
		"ErrorLog /var/log/web/error.log",
		"CustomLog ${NOPE}/x env", // FLAG has no value: the environment wins
		"RewriteRule ^(.*) ${map:$1}",
		"UnDefine ROOT",
		"Alias /a ${ROOT}",
		"Define bad:name x",
		"IfDefine FLAG",
		"Define INNER yes",
		"IfDefine !FLAG",
		"Define NEVER yes",
	}
	if !slices.Equal(got, want) {
		t.Errorf("expanded:\n got %q\nwant %q", got, want)
	}
	wantErrs := []string{
		"warning undefined-variable /srv/main.conf:5:11: Config variable ${NOPE} is not defined",
		"warning undefined-variable /srv/main.conf:8:10: Config variable ${ROOT} is not defined",
		"error define /srv/main.conf:9:8: Variable name must not contain ':'",
	}
	if got := errStrings(c.Errors); !slices.Equal(got, wantErrs) {
		t.Errorf("errors:\n got %q\nwant %q", got, wantErrs)
	}
	for name, want := range map[string]bool{"FLAG": true, "INNER": true, "NEVER": false, "ROOT": false, "bad:name": false} {
		if c.Defined(name) != want {
			t.Errorf("Defined(%q) = %v, want %v", name, !want, want)
		}
	}
	var sections []*Node
	Walk(c.Main, func(n *Node, _ []*Node) bool {
		if n.Lower == SecIfDefine {
			sections = append(sections, n)
		}
		return true
	})
	for i, want := range []bool{true, false} {
		holds, ok := c.IfDefineHolds(sections[i])
		if !ok || holds != want {
			t.Errorf("IfDefineHolds(section %d) = %v, %v; want %v, true", i, holds, ok, want)
		}
	}
}

func TestWalkParentsThroughIncludes(t *testing.T) {
	src := mapSource(map[string]string{
		"/srv/main.conf": "<VirtualHost *:80>\n<IfModule mod_auth_basic.c>\nInclude auth.conf\n</IfModule>\n</VirtualHost>\nUser x\n",
		"/srv/auth.conf": "<Directory /srv/p>\nAuthType Basic\n</Directory>\n",
	})
	c := Load(src, "/srv/main.conf", LoadOptions{})
	var got []string
	Walk(c.Main, func(n *Node, parents []*Node) bool {
		var ps []string
		for _, p := range parents {
			ps = append(ps, p.Name)
		}
		got = append(got, fmt.Sprintf("%s@%s:%d <- %s", n.Name, filepath.Base(n.File), n.Span.Start.Line, strings.Join(ps, "/")))
		return n.Lower != SecDirectory // prune below Directory
	})
	want := []string{
		"VirtualHost@main.conf:1 <- ",
		"IfModule@main.conf:2 <- VirtualHost",
		"Include@main.conf:3 <- VirtualHost/IfModule",
		"Directory@auth.conf:1 <- VirtualHost/IfModule/Include",
		"User@main.conf:6 <- ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("walk:\n got %q\nwant %q", got, want)
	}
}

func TestExpandFile(t *testing.T) {
	m := fstest.MapFS{"httpd.conf": {Data: []byte("Define USERS /srv/users\n")}}
	cfg := Load(FSSource{FS: m, Root: "/etc"}, "/etc/httpd.conf", LoadOptions{})
	f := Parse("/srv/www/.htaccess", []byte("AuthUserFile ${USERS}/htpasswd\n<IfModule x>\nAuthName ${NOPE}\n</IfModule>\n"))
	cfg.ExpandFile(f)
	if got := f.Nodes[0].Args[0].Expanded; got != "/srv/users/htpasswd" {
		t.Errorf("Expanded = %q, want /srv/users/htpasswd", got)
	}
	if got := f.Nodes[1].Children[0].Args[0].Expanded; got != "${NOPE}" {
		t.Errorf("nested Expanded = %q, want ${NOPE} kept", got)
	}
	if len(f.Errors) != 1 || f.Errors[0].Severity != SeverityWarning {
		t.Errorf("errors = %v, want one warning for ${NOPE}", f.Errors)
	}
}

// TestLoadVisit: the Visit hook sees every processed node in load order,
// included files in their place, arguments expanded, with the ServerRoot in
// force there, and nothing inside an <IfDefine> that does not hold.
func TestLoadVisit(t *testing.T) {
	src := mapSource(map[string]string{
		"/etc/httpd/httpd.conf": `Define SITES sites
DocumentRoot /srv/main
Include ${SITES}/*.conf
ServerRoot /opt
<IfDefine NOPE>
DocumentRoot /never
</IfDefine>
<IfDefine SITES>
DocumentRoot relative
</IfDefine>
`,
		"/etc/httpd/sites/a.conf": "<VirtualHost *:80>\nDocumentRoot /srv/a\n</VirtualHost>\n",
		"/etc/httpd/sites/b.conf": "DocumentRoot /srv/b\n",
	})
	var got []string
	visit := func(n *Node, root string) {
		if n.Lower == "documentroot" {
			got = append(got, fmt.Sprintf("%s@%s:%s", n.Args[0].Expanded, root, filepath.Base(n.File)))
		}
	}
	c := Load(src, "/etc/httpd/httpd.conf", LoadOptions{ServerRoot: "/etc/httpd", Visit: visit})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %q", errStrings(c.Errors))
	}
	want := []string{"/srv/main@/etc/httpd:httpd.conf", "/srv/a@/etc/httpd:a.conf", "/srv/b@/etc/httpd:b.conf", "relative@/opt:httpd.conf"}
	if !slices.Equal(got, want) {
		t.Errorf("visited %q, want %q", got, want)
	}
}

// countingSource counts the reads of an FSSource; the loader reads in
// parallel.
type countingSource struct {
	FSSource
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingSource) ReadFile(p string) ([]byte, error) {
	c.mu.Lock()
	c.reads[p]++
	c.mu.Unlock()
	return c.FSSource.ReadFile(p)
}

// chain makes files f0.conf … f<n>.conf in /srv, each including the next
// one fan times; the last holds one directive.
func chain(n, fan int) *countingSource {
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("/srv/f%d.conf", i)] = strings.Repeat(fmt.Sprintf("Include f%d.conf\n", i+1), fan)
	}
	files[fmt.Sprintf("/srv/f%d.conf", n)] = "AuthType Basic\n"
	return &countingSource{FSSource: mapSource(files), reads: map[string]int{}}
}

// TestLoadReadsOnce: a file included many times is read and parsed once,
// and every place that includes it still has it expanded, as httpd reads
// it. Nine files each including the next one twice were read 1,023 times.
func TestLoadReadsOnce(t *testing.T) {
	src := chain(9, 2)
	c := Load(src, "/srv/f0.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %q", errStrings(c.Errors))
	}
	for p, n := range src.reads {
		if n != 1 {
			t.Errorf("%s read %d times", p, n)
		}
	}
	leaves := 0
	Walk(c.Main, func(n *Node, _ []*Node) bool {
		if n.Lower == "authtype" {
			leaves++
		}
		return true
	})
	if len(src.reads) != 10 || leaves != 512 || len(c.Files) != 1023 {
		t.Errorf("%d files read, the last seen %d times, %d in Config.Files; want 10, 512, 1023", len(src.reads), leaves, len(c.Files))
	}
}

// TestLoadIncludedTwice: each place a file is included gets its own copy:
// arguments expand and includes resolve with the defines in force there,
// and the file's parse errors are reported once.
func TestLoadIncludedTwice(t *testing.T) {
	src := mapSource(map[string]string{
		"/srv/main.conf": "Define SITE a\nInclude site.conf\nDefine SITE b\nInclude site.conf\n",
		"/srv/site.conf": "DocumentRoot /srv/${SITE}\nInclude ${SITE}.conf\n</Files>\n",
		"/srv/a.conf":    "ServerName a\n",
		"/srv/b.conf":    "ServerName b\n",
	})
	c := Load(src, "/srv/main.conf", LoadOptions{})
	var got []string
	Walk(c.Main, func(n *Node, _ []*Node) bool {
		if n.Lower == "documentroot" || n.Lower == "servername" {
			got = append(got, n.Name+" "+n.Args[0].Expanded)
		}
		return true
	})
	want := []string{"DocumentRoot /srv/a", "ServerName a", "DocumentRoot /srv/b", "ServerName b"}
	if !slices.Equal(got, want) {
		t.Errorf("walk %q, want %q", got, want)
	}
	wantErrs := []string{"error syntax /srv/site.conf:3:1: </Files> without matching <Files> section"}
	if got := errStrings(c.Errors); !slices.Equal(got, wantErrs) {
		t.Errorf("errors %q, want %q", got, wantErrs)
	}
	wantFiles := []string{"/srv/main.conf", "/srv/site.conf", "/srv/a.conf", "/srv/site.conf", "/srv/b.conf"}
	if got := filePaths(c); !slices.Equal(got, wantFiles) {
		t.Errorf("files %q, want %q", got, wantFiles)
	}
}

// TestLoadSelfInclude: an Include that would read the file it is in (a
// wildcard or a directory that holds it) is a cycle: one error naming the
// file, and nothing of the Include is followed.
func TestLoadSelfInclude(t *testing.T) {
	nine := func(main string) map[string]string {
		m := map[string]string{"/srv/conf/httpd.conf": main}
		for i := range 9 {
			m[fmt.Sprintf("/srv/conf/f%d.conf", i)] = "Include conf/*.conf\nInclude conf/*.conf\n"
		}
		return m
	}
	tests := []struct {
		name      string
		files     map[string]string
		wantFiles int
		wantErrs  []string
	}{
		{
			name:      "main file matched by its own wildcard",
			files:     nine("Include conf/*.conf\n"),
			wantFiles: 1,
			wantErrs:  []string{"error include /srv/conf/httpd.conf:1:9: include cycle: /srv/conf/*.conf matches /srv/conf/httpd.conf, the file that includes it"},
		},
		{
			name:      "included files matched by their own wildcard",
			files:     nine("Include conf/f[0-2].conf\n"),
			wantFiles: 4,
			wantErrs: []string{
				"error include /srv/conf/f0.conf:1:9: include cycle: /srv/conf/*.conf matches /srv/conf/f0.conf, the file that includes it",
				"error include /srv/conf/f0.conf:2:9: include cycle: /srv/conf/*.conf matches /srv/conf/f0.conf, the file that includes it",
				"error include /srv/conf/f1.conf:1:9: include cycle: /srv/conf/*.conf matches /srv/conf/f1.conf, the file that includes it",
				"error include /srv/conf/f1.conf:2:9: include cycle: /srv/conf/*.conf matches /srv/conf/f1.conf, the file that includes it",
				"error include /srv/conf/f2.conf:1:9: include cycle: /srv/conf/*.conf matches /srv/conf/f2.conf, the file that includes it",
				"error include /srv/conf/f2.conf:2:9: include cycle: /srv/conf/*.conf matches /srv/conf/f2.conf, the file that includes it",
			},
		},
		{
			name:      "directory that holds the file",
			files:     map[string]string{"/srv/conf/httpd.conf": "IncludeOptional /srv\n", "/srv/other.conf": "User x\n"},
			wantFiles: 1,
			wantErrs:  []string{"error include /srv/conf/httpd.conf:1:17: include cycle: /srv matches /srv/conf/httpd.conf, the file that includes it"},
		},
		{
			name:      "wildcard directory",
			files:     map[string]string{"/srv/conf/httpd.conf": "Include /srv/*/\n", "/srv/other/x.conf": "User x\n"},
			wantFiles: 1,
			wantErrs:  []string{"error include /srv/conf/httpd.conf:1:9: include cycle: /srv/* matches /srv/conf/httpd.conf, the file that includes it"},
		},
		{
			name:      "plain self include",
			files:     map[string]string{"/srv/conf/httpd.conf": "Include conf/httpd.conf\n"},
			wantFiles: 1,
			wantErrs:  []string{"error include /srv/conf/httpd.conf:1:9: include cycle: /srv/conf/httpd.conf includes itself"},
		},
		{
			name:      "dot file not matched by a wildcard",
			files:     map[string]string{"/srv/conf/.main.conf": "Include conf/*.conf\n", "/srv/conf/a.conf": "User a\n"},
			wantFiles: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			main := "/srv/conf/httpd.conf"
			if _, ok := tc.files[main]; !ok {
				main = "/srv/conf/.main.conf"
			}
			c := Load(mapSource(tc.files), main, LoadOptions{ServerRoot: "/srv"})
			if got := errStrings(c.Errors); len(c.Files) != tc.wantFiles || !slices.Equal(got, tc.wantErrs) {
				t.Errorf("%d files, errors %q; want %d, %q", len(c.Files), got, tc.wantFiles, tc.wantErrs)
			}
		})
	}
}

// TestLoadExpansionBounded: includes that multiply (nine files each
// including the next ten times: 10^9 nodes) stop at the expansion cap
// with one warning.
func TestLoadExpansionBounded(t *testing.T) {
	for _, max := range []int{0, 1000} {
		t.Run(fmt.Sprint(max), func(t *testing.T) {
			limit := max
			if limit == 0 {
				limit = MaxIncludeExpansion
			}
			src := chain(9, 10)
			c := Load(src, "/srv/f0.conf", LoadOptions{maxExpansion: max})
			want := fmt.Sprintf("Include of /srv/f9.conf not followed: files included again would add more than %d directives", limit)
			if got := errStrings(c.Errors); len(got) != 1 || !strings.HasPrefix(got[0], "warning include /srv/f8.conf:") || !strings.Contains(got[0], want) {
				t.Fatalf("errors %q; want one warning in f8.conf with %q", got, want)
			}
			const once = 9*10 + 1 // every file included once
			n := 0
			Walk(c.Main, func(*Node, []*Node) bool {
				n++
				return n <= limit+once
			})
			if n > limit+once || n < limit/2 {
				t.Errorf("walk visits %d nodes; want at most %d and not much less", n, limit+once)
			}
			if len(src.reads) != 10 {
				t.Errorf("%d files read", len(src.reads))
			}
		})
	}
}

// TestLoadCopiesShare: a file included again shares with its first tree
// what reads the same in every place (a file with no Include, <IfDefine>
// or ${VAR} is the same tree; in another file, the sections and
// directives free of them), and copies the rest, which the place changes.
func TestLoadCopiesShare(t *testing.T) {
	src := mapSource(map[string]string{
		"/srv/main.conf":    "Define SITE a\nInclude snippet.conf\nInclude site.conf\nDefine SITE b\nDefine B\nInclude snippet.conf\nInclude site.conf\n",
		"/srv/snippet.conf": "AuthType Basic\n<Files x>\nRequire valid-user\n</Files>\n",
		"/srv/site.conf": "<Directory /srv/www>\nRequire all denied\n</Directory>\n" +
			"DocumentRoot /srv/${SITE}\n" +
			"<IfDefine B>\nServerName b\n</IfDefine>\n" +
			"<Location />\nInclude ${SITE}.conf\n</Location>\n",
		"/srv/a.conf": "ServerName a\n",
		"/srv/b.conf": "ServerName b\n",
	})
	c := Load(src, "/srv/main.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %q", errStrings(c.Errors))
	}
	byPath := map[string][]*File{}
	for _, f := range c.Files {
		byPath[f.Path] = append(byPath[f.Path], f)
	}
	if s := byPath["/srv/snippet.conf"]; len(s) != 2 || s[0] != s[1] {
		t.Fatalf("snippet.conf: %d places, same tree %v; want 2, true", len(s), len(s) == 2 && s[0] == s[1])
	}
	sites := byPath["/srv/site.conf"]
	if len(sites) != 2 || sites[0] == sites[1] {
		t.Fatalf("site.conf: %d places; want 2 trees", len(sites))
	}
	first, again := sites[0].Nodes, sites[1].Nodes
	tests := []struct {
		i      int
		shared bool
		want   [2]string // what each place reads there
	}{
		{0, true, [2]string{"/srv/www", "/srv/www"}}, // <Directory>: the same everywhere
		{1, false, [2]string{"/srv/a", "/srv/b"}},    // ${SITE}
		{2, false, [2]string{"B", "B"}},              // <IfDefine>: evaluated per place
		{3, false, [2]string{"/", "/"}},              // holds an Include
	}
	for _, tc := range tests {
		a, b := first[tc.i], again[tc.i]
		if (a == b) != tc.shared {
			t.Errorf("%s: shared %v, want %v", a.Name, a == b, tc.shared)
		}
		if got := [2]string{a.Args[0].Expanded, b.Args[0].Expanded}; got != tc.want {
			t.Errorf("%s: expanded %q, want %q", a.Name, got, tc.want)
		}
	}
	if h1, h2 := c.ifDefine[first[2]], c.ifDefine[again[2]]; h1 || !h2 {
		t.Errorf("<IfDefine B> holds %v then %v; want false, true", h1, h2)
	}
	loc1, loc2 := first[3], again[3]
	if loc1.Children[0] == loc2.Children[0] || len(loc1.Children[0].Includes()) != 1 || len(loc2.Children[0].Includes()) != 1 ||
		loc1.Children[0].Includes()[0].Path != "/srv/a.conf" || loc2.Children[0].Includes()[0].Path != "/srv/b.conf" {
		t.Errorf("the Include in <Location> is not resolved per place")
	}
}

// TestLoadDoublingShares: 16 files each including the next one twice
// expand to 98,302 places; a place that includes a file again gets the
// tree of its first place (nothing in it depends on the place), so the
// loader holds one tree per file, as nginx's does, where it held a copy of
// every node; every place is still walked and in Config.Files.
func TestLoadDoublingShares(t *testing.T) {
	const n = 15
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("/srv/f%d.conf", i)] = strings.Repeat(fmt.Sprintf("Include f%d.conf\n", i+1), 2)
	}
	files[fmt.Sprintf("/srv/f%d.conf", n)] = "<Location />\nAuthType Basic\nRequire valid-user\n</Location>\n"
	c := Load(mapSource(files), "/srv/f0.conf", LoadOptions{})
	if len(c.Errors) != 0 {
		t.Fatalf("errors: %q", errStrings(c.Errors))
	}
	visits, nodes, trees := 0, map[*Node]bool{}, map[*File]bool{}
	Walk(c.Main, func(n *Node, _ []*Node) bool {
		visits++
		nodes[n] = true
		for _, f := range n.Includes() {
			trees[f] = true
		}
		return true
	})
	const includes = 1<<(n+1) - 2 // Include nodes, all places
	const leaves = 1 << n         // places of the last file
	if want := includes + 3*leaves; visits != want {
		t.Fatalf("walk visits %d nodes, want %d", visits, want)
	}
	if want := 2*n + 3; len(nodes) != want || len(trees) != n {
		t.Errorf("%d distinct nodes in %d trees, want %d in %d (one tree per file)", len(nodes), len(trees), want, n)
	}
	if want := 1<<(n+1) - 1; len(c.Files) != want {
		t.Errorf("%d places in Config.Files, want %d", len(c.Files), want)
	}
}

// TestLoadReuseLimits: a place gets the tree of the file's first place
// only when it reads the same there; otherwise it gets its own copy.
func TestLoadReuseLimits(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		reuse bool
	}{
		{"place-free", map[string]string{"/srv/site.conf": "Include snippet.conf\n<Location />\nRequire all denied\n</Location>\n"}, true},
		{"${VAR}", map[string]string{"/srv/site.conf": "Include snippet.conf\nServerName ${X}\n"}, false},
		{"<IfDefine>", map[string]string{"/srv/site.conf": "Include snippet.conf\n<IfDefine X>\nUser x\n</IfDefine>\n"}, false},
		{"Define", map[string]string{"/srv/site.conf": "Include snippet.conf\nDefine X\n"}, false},
		{"ServerRoot", map[string]string{"/srv/site.conf": "Include snippet.conf\nServerRoot /srv\n"}, false},
		{"missing include", map[string]string{"/srv/site.conf": "Include snippet.conf\nInclude missing.conf\n"}, false},
		{"included file with ${VAR}", map[string]string{"/srv/site.conf": "Include snippet.conf\n", "/srv/snippet.conf": "ServerName ${X}\n"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"/srv/main.conf": "Include site.conf\nInclude site.conf\n", "/srv/snippet.conf": "AuthType Basic\n"}
			for p, s := range tc.files {
				files[p] = s
			}
			c := Load(mapSource(files), "/srv/main.conf", LoadOptions{})
			a, b := c.Main.Nodes[0].Includes(), c.Main.Nodes[1].Includes()
			if len(a) != 1 || len(b) != 1 {
				t.Fatalf("includes %d, %d; errors %q", len(a), len(b), errStrings(c.Errors))
			}
			if got := a[0] == b[0]; got != tc.reuse {
				t.Errorf("second place has the first place's tree: %v, want %v", got, tc.reuse)
			}
			if len(c.Files) != 5 {
				t.Errorf("%d places in Config.Files, want 5", len(c.Files))
			}
		})
	}
}
