package apachemodel_test

import (
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
)

// predictTree writes files (relative path → content, "@ROOT@" replaced)
// into a temporary directory and loads root/conf/httpd.conf.
func predictTree(t *testing.T, files map[string]string) (*apachemodel.Model, string) {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "@ROOT@", root)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(root, "conf", "httpd.conf")
	data, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	return apachemodel.Load(serverfs.OSFS{}, conf, data, apachemodel.LoadOptions{}).Builder.Freeze(), root
}

func TestPredictDetails(t *testing.T) {
	const conf = `ServerRoot "@ROOT@"
Listen 127.0.0.1:8080
LoadModule authn_core_module m.so
LoadModule authn_file_module m.so
LoadModule authz_core_module m.so
LoadModule authz_user_module m.so
LoadModule auth_basic_module m.so
LoadModule auth_digest_module m.so
LoadModule dir_module m.so
LoadModule dav_module m.so
LoadModule dav_fs_module m.so
DocumentRoot "@ROOT@/htdocs"
<Directory "@ROOT@/htdocs">
    Require all granted
</Directory>
<Directory "@ROOT@/htdocs/dav">
    Dav On
</Directory>
<Directory "@ROOT@/htdocs/dav/off">
    Dav Off
</Directory>
<Directory "@ROOT@/htdocs/private">
    AuthType Basic
    AuthName "Private"
    AuthUserFile conf/users
    Require valid-user
</Directory>
<Directory "@ROOT@/htdocs/digest">
    AuthType Digest
    AuthName "Private"
    AuthUserFile conf/digest
    Require valid-user
</Directory>
`
	m, _ := predictTree(t, map[string]string{
		"conf/httpd.conf": conf,
		// yescrypt of "xyzzy-pw" (mkpasswd -m yescrypt), bcrypt of "secret" (htpasswd -nbB -C 5)
		"conf/users": "yes:$y$j9T$TayY4jmflOdDwehHNKMQo0$ZVdGn7THBdoekqPeZNtXk07aCEkHMtiPPzQHbk/9Nf7\n" +
			"bc:$2y$05$EiltXG.NxvJ1aIeSd5lZruweSV8a0kZkrC16Levrgo60NJru9F2qG\n",
		// htdigest of alice / Private / alice-pw
		"conf/digest":               "alice:Private:796f846e1245664ac72fab555b654ef2\n",
		"htdocs/index.html":         "www",
		"htdocs/private/index.html": "private",
		"htdocs/digest/index.html":  "digest",
		"htdocs/dav/a.txt":          "a",
		"htdocs/dav/off/b.txt":      "b",
	})
	pw := func(s string) *string { return &s }
	tests := []struct {
		name     string
		method   string
		path     string
		port     int
		user     string
		password *string
		digest   bool
		pf       htpasswd.Platform
		status   int
		certain  bool
	}{
		{"public", "GET", "/", 8080, "", nil, false, 0, 200, true},
		{"nothing listens", "GET", "/", 8081, "", nil, false, 0, 0, true},
		{"anonymous", "GET", "/private/", 8080, "", nil, false, 0, 401, true},
		{"right password assumed", "GET", "/private/", 8080, "bc", nil, false, 0, 200, true},
		{"wrong password", "GET", "/private/", 8080, "bc", pw("nope"), false, 0, 401, true},
		{"yescrypt cannot be verified here", "GET", "/private/", 8080, "yes", pw("xyzzy-pw"), false, 0, 200, false},
		{"yescrypt on glibc", "GET", "/private/", 8080, "yes", pw("xyzzy-pw"), false, htpasswd.PlatformGlibc, 401, true},
		{"no slash", "GET", "/private", 8080, "bc", nil, false, 0, 301, true},
		{"missing file", "GET", "/private/nope.html", 8080, "bc", nil, false, 0, 404, true},
		{"PUT on a file", "PUT", "/private/index.html", 8080, "bc", nil, false, 0, 405, true},
		{"digest", "GET", "/digest/", 8080, "alice", pw("alice-pw"), true, 0, 200, true},
		{"digest, right password assumed", "GET", "/digest/", 8080, "alice", nil, true, 0, 200, true},
		{"digest, wrong password", "GET", "/digest/", 8080, "alice", pw("wrong-pw"), true, 0, 401, true},
		{"basic credentials to digest", "GET", "/digest/", 8080, "alice", pw("alice-pw"), false, 0, 401, true},
		{"encoded slash", "GET", "/private%2Findex.html", 8080, "", nil, false, 0, 404, true},
		{"dot segments", "GET", "/x/../private/", 8080, "", nil, false, 0, 401, true},
		{"above the root", "GET", "/../private/", 8080, "", nil, false, 0, 400, true},
		{"dav: PUT creates", "PUT", "/dav/new.txt", 8080, "", nil, false, 0, 201, false},
		{"dav: PUT replaces", "PUT", "/dav/a.txt", 8080, "", nil, false, 0, 204, false},
		{"dav: PUT without a parent", "PUT", "/dav/no/new.txt", 8080, "", nil, false, 0, 409, true},
		{"dav: DELETE", "DELETE", "/dav/a.txt", 8080, "", nil, false, 0, 204, false},
		{"dav: DELETE nothing", "DELETE", "/dav/nope.txt", 8080, "", nil, false, 0, 404, true},
		{"dav: MKCOL", "MKCOL", "/dav/col/", 8080, "", nil, false, 0, 201, false},
		{"dav: MKCOL on a file", "MKCOL", "/dav/a.txt", 8080, "", nil, false, 0, 405, true},
		{"dav: PROPFIND a file", "PROPFIND", "/dav/a.txt", 8080, "", nil, false, 0, 207, true},
		{"dav: PROPFIND nothing", "PROPFIND", "/dav/nope.txt", 8080, "", nil, false, 0, 404, true},
		{"dav: GET is the default handler's", "GET", "/dav/a.txt", 8080, "", nil, false, 0, 200, true},
		{"dav off below", "PUT", "/dav/off/b.txt", 8080, "", nil, false, 0, 405, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := why.Request{Method: tt.method, Scheme: "http", Port: tt.port, Host: "localhost", Path: tt.path,
				Header: http.Header{}, User: tt.user, Password: tt.password, Digest: tt.digest,
				Client: netip.MustParseAddr("127.0.0.1")}
			got := apachemodel.Predict(m, serverfs.OSFS{}, req, why.Options{Platform: tt.pf})
			if got.Status != tt.status || got.Certain != tt.certain {
				var steps []string
				for _, s := range got.Steps {
					steps = append(steps, s.Phase+": "+s.Text)
				}
				t.Errorf("status %d certain %v, want %d %v; steps:\n  %s", got.Status, got.Certain, tt.status, tt.certain, strings.Join(steps, "\n  "))
			}
			for _, s := range got.Steps {
				if tt.password != nil && strings.Contains(s.Text, *tt.password) {
					t.Errorf("a step shows the password: %q", s.Text)
				}
			}
		})
	}
}

// A virtual host file linted alone has no Listen and no modules: the
// prediction goes on, uncertain.
func TestPredictFragment(t *testing.T) {
	m, _ := predictTree(t, map[string]string{
		"sites/site.conf": `<VirtualHost *:80>
    ServerName a.test
    DocumentRoot "@ROOT@/htdocs"
    <Location "/">
        AuthType Basic
        AuthName "Site"
        AuthUserFile "@ROOT@/users"
        Require valid-user
    </Location>
</VirtualHost>
`,
		"conf/httpd.conf": "Include sites/site.conf\n",
	})
	got := apachemodel.Predict(m, serverfs.OSFS{}, why.Request{Method: "GET", Port: 80, Host: "a.test", Path: "/"}, why.Options{})
	if got.Status != 401 || got.Certain {
		t.Errorf("status %d certain %v, want an uncertain 401", got.Status, got.Certain)
	}
}

// TestPredictSectionsThatMiss checks the steps and statuses of requests
// that a section meant to protect does not reach: a $-anchored
// <DirectoryMatch> (a step says it matched a directory on the path, not the
// path), and a proxied URL, which walks no <Directory> but the <Proxy>
// sections for its backend URL (scenarios `apache-directorymatch-anchor-open`,
// `apache-proxy-directory-auth-closed`).
func TestPredictSectionsThatMiss(t *testing.T) {
	const conf = `ServerRoot "@ROOT@"
Listen 127.0.0.1:8080
LoadModule authn_core_module m.so
LoadModule authz_core_module m.so
LoadModule authz_user_module m.so
LoadModule auth_basic_module m.so
LoadModule proxy_module m.so
DocumentRoot "@ROOT@/htdocs"
<DirectoryMatch "^@ROOT@/htdocs/private$">
    AuthType Basic
    AuthName "Private"
    AuthUserFile /dev/null
    Require valid-user
</DirectoryMatch>
ProxyPass /app/ http://127.0.0.1:9000/
ProxyPass /wiki/ http://127.0.0.1:9001/wiki/
<Directory "@ROOT@/htdocs/app">
    AuthType Basic
    AuthName "App"
    AuthUserFile /dev/null
    Require valid-user
</Directory>
<Proxy "http://127.0.0.1:9001/*">
    AuthType Basic
    AuthName "Wiki"
    AuthUserFile /dev/null
    Require valid-user
</Proxy>
`
	m, root := predictTree(t, map[string]string{
		"conf/httpd.conf":          conf,
		"htdocs/private/x.txt":     "x",
		"htdocs/private/sub/y.txt": "y",
		"htdocs/app/index.html":    "old",
	})
	tests := []struct {
		path   string
		status int
		step   string // a step's text contains it; "" for none
	}{
		{"/private/x.txt", 200, "does not merge <DirectoryMatch \"^" + root + "/htdocs/private$\">: it matches the directory " + root + "/htdocs/private, but regex sections are matched once, against the whole path " + root + "/htdocs/private/x.txt"},
		{"/private/sub/y.txt", 200, "it matches the directory " + root + "/htdocs/private,"},
		{"/private", 401, ""},
		{"/app/x", 200, "ProxyPass hands /app/x to http://127.0.0.1:9000/ (backend URL http://127.0.0.1:9000/x): no <Directory> or <Files> section applies"},
		{"/app", 401, ""},
		{"/wiki/Main", 401, "merges <Proxy \"http://127.0.0.1:9001/*\">"},
	}
	for _, tt := range tests {
		got := apachemodel.Predict(m, serverfs.OSFS{}, why.Request{Method: "GET", Scheme: "http", Port: 8080, Host: "localhost", Path: tt.path, Header: http.Header{}}, why.Options{})
		var steps []string
		found := tt.step == ""
		for _, s := range got.Steps {
			steps = append(steps, s.Phase+": "+s.Text)
			found = found || strings.Contains(s.Text, tt.step)
		}
		if got.Status != tt.status || !found {
			t.Errorf("GET %s: status %d, want %d with a step holding %q; steps:\n  %s", tt.path, got.Status, tt.status, tt.step, strings.Join(steps, "\n  "))
		}
	}
}
