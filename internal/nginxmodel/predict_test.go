package nginxmodel

import (
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
)

// predictTree writes conf/nginx.conf (with ROOT replaced by the tree's
// directory) and the other files, and builds the model.
func predictTree(t *testing.T, conf string, files map[string]string) (*Model, string) {
	t.Helper()
	dir := t.TempDir()
	// The workers (nobody) must reach the files, as on a real server.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files["conf/nginx.conf"] = "events {}\nhttp {\n" + conf + "\n}\n"
	// alice/alice-pw (htpasswd -nbB -C 10), bob/bob-pw ({PLAIN}).
	files["conf/users.htpasswd"] = "alice:$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm\nbob:{PLAIN}bob-pw\n"
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "ROOT", dir)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main := filepath.Join(dir, "conf", "nginx.conf")
	cfg := nginxconf.Load(nginxconf.OSSource{}, main, nginxconf.LoadOptions{})
	if len(cfg.Errors) > 0 {
		t.Fatalf("load: %v", cfg.Errors[0])
	}
	return Build(cfg), dir
}

func TestPredict(t *testing.T) {
	const auth = `auth_basic "Private"; auth_basic_user_file users.htpasswd;`
	pw := func(s string) *string { return &s }
	tests := []struct {
		name   string
		conf   string
		files  map[string]string
		req    why.Request // defaults: GET, port 8080, 127.0.0.1
		status int
		unsure bool
		text   string // a step contains it
	}{
		{"static file", `server { listen 8080; root ROOT/htdocs; }`, map[string]string{"htdocs/a.txt": "a"},
			why.Request{Path: "/a.txt"}, 200, false, "serves"},
		{"missing file", `server { listen 8080; root ROOT/htdocs; }`, nil, why.Request{Path: "/a.txt"}, 404, false, "does not exist"},
		{"directory without slash", `server { listen 8080; root ROOT/htdocs; }`, map[string]string{"htdocs/d/x": ""},
			why.Request{Path: "/d"}, 301, false, "is a directory"},
		{"directory without index", `server { listen 8080; root ROOT/htdocs; }`, map[string]string{"htdocs/d/x": ""},
			why.Request{Path: "/d/"}, 403, false, "no index file"},
		{"autoindex", `server { listen 8080; root ROOT/htdocs; autoindex on; }`, map[string]string{"htdocs/d/x": ""},
			why.Request{Path: "/d/"}, 200, false, "autoindex on"},
		{"PUT to a file", `server { listen 8080; root ROOT/htdocs; }`, nil, why.Request{Method: "PUT", Path: "/a"}, 405, false, "405"},
		{"relative root", `server { listen 8080; root html; }`, nil, why.Request{Path: "/a"}, 200, true, "install prefix"},
		{"if on the method", `server { listen 8080; ` + auth + ` location /api/ { if ($request_method = OPTIONS) { return 204; } } }`, nil,
			why.Request{Method: "OPTIONS", Path: "/api/"}, 204, false, "is true"},
		{"if on the method, other method", `server { listen 8080; ` + auth + ` location /api/ { if ($request_method = OPTIONS) { return 204; } } }`, nil,
			why.Request{Path: "/api/"}, 401, false, "is false"},
		{"if on a header regex", `server { listen 8080; location / { if ($http_x_debug ~* ^y) { return 418; } return 200; } }`, nil,
			why.Request{Path: "/", Header: http.Header{"X-Debug": {"Yes"}}}, 418, false, "is true"},
		{"if on an unknown variable", `server { listen 8080; location / { if ($geoip_country_code = FR) { return 403; } return 200; } }`, nil,
			why.Request{Path: "/"}, 200, true, "cannot be evaluated"},
		{"realm off by map", `map $remote_addr $realm { 127.0.0.1 off; default "Private"; }
			server { listen 8081; root ROOT/htdocs; auth_basic $realm; auth_basic_user_file users.htpasswd; }`, map[string]string{"htdocs/x": ""},
			why.Request{Port: 8081, Path: "/x", Client: netip.MustParseAddr("10.0.0.9")}, 401, false, "asks for a password"},
		{"realm off by map, from loopback", `map $remote_addr $realm { 127.0.0.1 off; default "Private"; }
			server { listen 8081; root ROOT/htdocs; auth_basic $realm; auth_basic_user_file users.htpasswd; }`, map[string]string{"htdocs/x": ""},
			why.Request{Port: 8081, Path: "/x"}, 200, false, "auth_basic off"},
		{"satisfy any prefers 401", `server { listen 8080; ` + auth + ` satisfy any; allow 127.0.0.1; deny all; }`, nil,
			why.Request{Path: "/", Client: netip.MustParseAddr("10.0.0.5")}, 401, false, "no handler granted"},
		{"satisfy all: deny first", `server { listen 8080; ` + auth + ` deny all; }`, nil,
			why.Request{Path: "/", User: "alice"}, 403, false, "deny all"},
		{"limit_except", `server { listen 8080; root ROOT/htdocs; location / { limit_except GET { deny all; } } }`, map[string]string{"htdocs/x": ""},
			why.Request{Method: "POST", Path: "/x"}, 403, false, "not among the methods"},
		{"limit_except GET allows HEAD", `server { listen 8080; root ROOT/htdocs; location / { limit_except GET { deny all; } } }`, map[string]string{"htdocs/x": ""},
			why.Request{Method: "HEAD", Path: "/x"}, 200, false, "among the methods"},
		{"auth_request", `server { listen 8080; location / { auth_request /auth; return 200; } }`, nil,
			why.Request{Path: "/"}, 200, false, "return 200"},
		{"auth_request decides", `server { listen 8080; root ROOT/htdocs; location / { auth_request /auth; } }`, map[string]string{"htdocs/x": ""},
			why.Request{Path: "/x"}, 401, true, "a subrequest decides"},
		{"proxy elsewhere", `server { listen 8080; location / { proxy_pass http://backend.example; } }`, nil,
			why.Request{Path: "/"}, 200, true, "not a server of this configuration"},
		{"proxied prefix without its slash", `server { listen 8080; location /app/ { proxy_pass http://127.0.0.1:9000/; } }`, nil,
			why.Request{Path: "/app"}, 301, false, "without its slash"},
		{"proxy to a server here", `server { listen 8080; location /app/ { proxy_pass http://127.0.0.1:9000/; } }
			server { listen 127.0.0.1:9000; location = / { return 200 "root"; } location / { return 404; } }`, nil,
			why.Request{Path: "/app/"}, 200, false, "return 200"},
		{"proxied prefix without its slash, beside location /", `server { listen 8080; location / { return 200; } location ~ app { return 403; }
			location /app/ { proxy_pass http://127.0.0.1:9000/; } }`, nil, why.Request{Path: "/app"}, 301, false, "without its slash"},
		{"an exact location stops the redirect", `server { listen 8080; location = /app { return 204; } location /app/ { proxy_pass http://127.0.0.1:9000/; } }`, nil,
			why.Request{Path: "/app"}, 204, false, "exactly"},
		{"internal is inherited", `server { listen 8080; location /x/ { internal; location /x/y/ { return 200; } } }`, nil,
			why.Request{Path: "/x/y/"}, 404, false, "internal"},
		{"limit_except is not inherited", `server { listen 8080; location /x/ { limit_except GET { deny all; } location /x/y/ { return 200; } } }`, nil,
			why.Request{Method: "POST", Path: "/x/y/"}, 200, false, "return 200"},
		{"plain HTTP to a TLS socket", `server { listen 8080 ssl; return 200; }`, nil, why.Request{Path: "/"}, 400, false, "plain HTTP"},
		{"credentials in a condition are not shown", `server { listen 8080; location / { if ($http_x_auth = "Basic YWxpY2U6cHc=") { return 204; } return 200; } }`, nil,
			why.Request{Path: "/"}, 200, false, "Basic …"},
		{"internal location", `server { listen 8080; location /x/ { internal; return 200; } }`, nil,
			why.Request{Path: "/x/"}, 404, false, "internal"},
		{"return 444", `server { listen 8080; return 444; }`, nil, why.Request{Path: "/"}, 444, false, "closes the connection"},
		{"rewrite cycle", `server { listen 8080; location / { rewrite ^(.*)$ $1 last; } }`, nil,
			why.Request{Path: "/a"}, 500, false, "cycle"},
		{"$host user file", `server { listen 8080; ` + `auth_basic "P"; auth_basic_user_file $host.htpasswd; location / { } }`, nil,
			why.Request{Path: "/", Host: "b.test", User: "alice"}, 403, false, "does not exist"},
		{"bcrypt on glibc", `server { listen 8080; ` + auth + ` }`, nil, why.Request{Path: "/", User: "alice"}, 500, false, "NULL"},
		{"plain right", `server { listen 8080; root ROOT/htdocs; ` + auth + ` }`, map[string]string{"htdocs/x": ""},
			why.Request{Path: "/x", User: "bob", Password: pw("bob-pw")}, 200, false, "the password matches"},
		{"plain wrong", `server { listen 8080; ` + auth + ` }`, nil, why.Request{Path: "/", User: "bob", Password: pw("x")}, 401, false, "does not match"},
		{"user not found", `server { listen 8080; ` + auth + ` }`, nil, why.Request{Path: "/", User: "carol"}, 401, false, "not found"},
		{"user file is a directory", `server { listen 8080; auth_basic "P"; auth_basic_user_file ROOT/conf; }`, nil,
			why.Request{Path: "/", User: "alice"}, 500, false, "is a directory"},
		{"digest on nginx", `server { listen 8080; ` + auth + ` }`, nil, why.Request{Path: "/", User: "alice", Digest: true}, 401, false, "no Digest"},
		{"bad Host", `server { listen 8080; }`, nil, why.Request{Path: "/", Host: "../x"}, 400, false, "invalid"},
		{"path above the root", `server { listen 8080; }`, nil, why.Request{Path: "/../etc/passwd"}, 400, false, "normalised"},
		{"alias with a capture", `server { listen 8080; location ~ ^/files/(.+)$ { alias ROOT/data/$1; } }`, map[string]string{"data/a.txt": "a"},
			why.Request{Path: "/files/a.txt"}, 200, false, "serves"},
		{"try_files =404", `server { listen 8080; root ROOT/htdocs; location / { try_files $uri =404; } }`, nil,
			why.Request{Path: "/nothing"}, 404, false, "=404"},
		{"error_page to a URL", `server { listen 8080; error_page 404 https://example.test/; location / { return 404; } }`, nil,
			why.Request{Path: "/"}, 302, false, "redirects the client"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range tc.files {
				files[k] = v
			}
			m, _ := predictTree(t, tc.conf, files)
			req := tc.req
			if req.Method == "" {
				req.Method = "GET"
			}
			if req.Port == 0 {
				req.Port = 8080
			}
			req.Scheme, req.Addr = "http", "127.0.0.1"
			if req.Host == "" {
				req.Host = "127.0.0.1"
			}
			if !req.Client.IsValid() {
				req.Client = netip.MustParseAddr("127.0.0.1")
			}
			if req.Header == nil {
				req.Header = http.Header{}
			}
			opts := why.Options{Platform: htpasswd.PlatformLibxcrypt}
			if strings.Contains(tc.name, "glibc") {
				opts.Platform = htpasswd.PlatformGlibc
			}
			p := Predict(m, serverfs.OSFS{}, req, opts)
			var all strings.Builder
			for _, s := range p.Steps {
				all.WriteString(s.Phase + ": " + s.Text + "\n")
			}
			if strings.Contains(all.String(), "YWxpY2U6cHc") {
				t.Errorf("a step shows credentials:\n%s", all.String())
			}
			if p.Status != tc.status || p.Certain == tc.unsure || !strings.Contains(all.String(), tc.text) {
				t.Errorf("status %d certain %v, want %d certain %v and a step with %q; steps:\n%s", p.Status, p.Certain, tc.status, !tc.unsure, tc.text, all.String())
			}
		})
	}
}
