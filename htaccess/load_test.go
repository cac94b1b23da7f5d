package htaccess

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestLoadDebian loads Debian 12's stock /etc/apache2 tree, which
// apache2ctl -t accepts.
func TestLoadDebian(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "apache", "debian-etc-apache2", "etc-apache2")
	c := LoadDebian(FSSource{FS: os.DirFS(dir), Root: "/etc/apache2"}, "/etc/apache2")
	for _, e := range c.Errors {
		t.Errorf("unexpected: %s %s %v", e.Severity, e.Kind, e)
	}
	if c.ServerRoot != "/etc/apache2" {
		t.Errorf("ServerRoot = %q", c.ServerRoot)
	}
	// Every LoadModule line of mods-enabled/*.load, in file name order.
	loads, err := filepath.Glob(filepath.Join(dir, "mods-enabled", "*.load"))
	if err != nil || len(loads) < 10 {
		t.Fatalf("mods-enabled: %v %d", err, len(loads))
	}
	var want []string
	for _, p := range loads {
		f := Parse(p, mustRead(t, p))
		Walk(f, func(n *Node, _ []*Node) bool {
			if n.Lower == "loadmodule" {
				want = append(want, n.Args[0].Value)
			}
			return true
		})
	}
	var got []string
	for _, m := range c.Modules {
		got = append(got, m.Name)
		if !strings.HasPrefix(m.Path, "/usr/lib/apache2/modules/mod_") || m.Node == nil {
			t.Errorf("module %s: path %q", m.Name, m.Path)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("modules:\n got %q\nwant %q", got, want)
	}
	site := false
	for _, f := range c.Files {
		if f.Path == "/etc/apache2/sites-enabled/000-default.conf" {
			site = true
		}
	}
	if !site {
		t.Errorf("000-default.conf not loaded; files: %q", filePaths(c))
	}
	// ${APACHE_*} from envvars resolve, including inside the vhost.
	seen := map[string]string{}
	Walk(c.Main, func(n *Node, parents []*Node) bool {
		switch n.Lower {
		case "user", "pidfile", "errorlog":
			seen[n.Lower+"@"+filepath.Base(n.File)] = n.Args[0].Expanded
		}
		return true
	})
	for k, v := range map[string]string{
		"user@apache2.conf":         "www-data",
		"pidfile@apache2.conf":      "/var/run/apache2/apache2.pid",
		"errorlog@apache2.conf":     "/var/log/apache2/error.log",
		"errorlog@000-default.conf": "/var/log/apache2/error.log",
	} {
		if seen[k] != v {
			t.Errorf("%s expanded to %q, want %q", k, seen[k], v)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// h5bpSource serves the h5bp corpus files (named path__with__underscores)
// at their repository paths under root.
func h5bpSource(t *testing.T, root string) FSSource {
	t.Helper()
	dir := filepath.Join(corpusDir(t), "apache", "h5bp-server-configs-apache")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, e := range ents {
		rel, ok := strings.CutPrefix(e.Name(), "h5bp__server-configs-apache__")
		if !ok {
			continue
		}
		m[strings.ReplaceAll(rel, "__", "/")] = &fstest.MapFile{Data: mustRead(t, filepath.Join(dir, e.Name()))}
	}
	return FSSource{FS: m, Root: root}
}

// TestLoadH5BP loads h5bp's httpd.conf and vhosts with their includes in
// place; the tree is complete, so nothing may fail.
func TestLoadH5BP(t *testing.T) {
	const root = "/usr/local/apache2"
	src := h5bpSource(t, root)
	mains := []string{
		"httpd.conf",
		"vhosts/000-no-ssl-default.conf",
		"vhosts/.000-default.conf",
		"vhosts/templates/example.com.conf",
		"vhosts/templates/no-ssl.example.com.conf",
		"test/vhosts/000-default.conf",
		"test/vhosts/server.localhost.conf",
		"test/vhosts/secure.server.localhost.conf",
		"test/vhosts/www-server.localhost.conf",
		"test/vhosts/.htaccess.server.localhost.conf",
		"dist/.htaccess",
	}
	for _, m := range mains {
		t.Run(m, func(t *testing.T) {
			c := Load(src, root+"/"+m, LoadOptions{ServerRoot: root})
			if c.Main == nil {
				t.Fatalf("not loaded: %q", errStrings(c.Errors))
			}
			for _, e := range c.Errors {
				t.Errorf("unexpected: %s %s %v", e.Severity, e.Kind, e)
			}
		})
	}
	c := Load(src, root+"/vhosts/templates/example.com.conf", LoadOptions{ServerRoot: root})
	if len(c.Files) < 10 {
		t.Errorf("example.com.conf pulled in only %d files", len(c.Files))
	}
}

// TestLoadHTTPDDefaults renders httpd's 2.4.x templates (placeholders
// replaced, the extra/ includes enabled) and loads them.
func TestLoadHTTPDDefaults(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "apache", "httpd-defaults", "2.4.x")
	r := strings.NewReplacer(
		"@@ServerRoot@@", "/usr/local/apache2", "@@Port@@", "80", "@@SSLPort@@", "443",
		"@@LoadModule@@", "LoadModule authz_core_module modules/mod_authz_core.so",
		"@rel_sysconfdir@", "conf", "@rel_logfiledir@", "logs", "@rel_runtimedir@", "logs",
		"@exp_cgidir@", "/usr/local/apache2/cgi-bin", "@exp_errordir@", "/usr/local/apache2/error",
		"@exp_htdocsdir@", "/usr/local/apache2/htdocs", "@exp_iconsdir@", "/usr/local/apache2/icons",
		"@exp_logfiledir@", "/usr/local/apache2/logs", "@exp_manualdir@", "/usr/local/apache2/manual",
		"@exp_runtimedir@", "/usr/local/apache2/logs", "@exp_sysconfdir@", "/usr/local/apache2/conf",
	)
	enable := strings.NewReplacer("#Include conf/extra/", "Include conf/extra/")
	m := fstest.MapFS{}
	render := func(from, to string) {
		m[to] = &fstest.MapFile{Data: []byte(enable.Replace(r.Replace(string(mustRead(t, from)))))}
	}
	render(filepath.Join(dir, "httpd.conf.in"), "conf/httpd.conf")
	extras, _ := filepath.Glob(filepath.Join(dir, "extra", "*.conf.in"))
	for _, p := range extras {
		render(p, "conf/extra/"+strings.TrimSuffix(filepath.Base(p), ".in"))
	}
	c := Load(FSSource{FS: m, Root: "/usr/local/apache2"}, "/usr/local/apache2/conf/httpd.conf", LoadOptions{})
	for _, e := range c.Errors {
		t.Errorf("unexpected: %s %s %v", e.Severity, e.Kind, e)
	}
	if len(c.Files) < 8 {
		t.Errorf("only %d files loaded: %q", len(c.Files), filePaths(c))
	}
	if c.ServerRoot != "/usr/local/apache2" {
		t.Errorf("ServerRoot = %q", c.ServerRoot)
	}
}
