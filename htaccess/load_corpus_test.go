package htaccess

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadDebian loads Debian 12's stock /etc/apache2 tree, which
// apache2ctl -t accepts.
func TestLoadDebian(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "apache", "debian-etc-apache2", "etc-apache2")
	c := LoadDebian(FSSource{FS: os.DirFS(dir), Root: "/etc/apache2"}, "/etc/apache2", LoadOptions{})
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
