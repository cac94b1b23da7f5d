package nginxmodel

import (
	"fmt"
	"strings"
	"testing"
)

func TestExposures(t *testing.T) {
	const auth = `auth_basic "Private"; auth_basic_user_file users.htpasswd;`
	files := func() map[string]string {
		return map[string]string{"htdocs/admin/index.html": "admin", "htdocs/admin/reports/q1.txt": "q1", "private/x.txt": "x"}
	}
	tests := []struct {
		name, conf string
		want       []string // kind method uri via
	}{
		{"regex shadows regex", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location ~* \.(png)$ { }
			location ~ ^/admin { ` + auth + ` } }`,
			[]string{`location GET /admin/x.png location ~* \.(png)$`}},
		{"protected regex first", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location ~ ^/admin { ` + auth + ` }
			location ~* \.(png)$ { } }`, nil},
		{"exact location", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location = /admin/ { ` + auth + ` } }`,
			[]string{"location GET /admin/x.html server"}},
		{"sibling prefix", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` }
			location /admin/reports/ { } }`,
			[]string{"location GET /admin/reports/x.html location /admin/reports/"}},
		{"nested prefix inherits", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` location /admin/reports/ { } } }`, nil},
		{"alias traversal", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /private/ { root ROOT; ` + auth + ` }
			location /static { alias ROOT/htdocs/; } }`,
			[]string{"traversal GET /static../private/x.html location /static"}},
		{"other server, same root", `server { listen 127.0.0.1:8080; server_name www.test; root ROOT/htdocs; }
			server { listen 127.0.0.1:8080; server_name admin.test; root ROOT/htdocs/admin; ` + auth + ` }`,
			[]string{"server GET /admin/x.html server"}},
		{"other port, same root", `server { listen 127.0.0.1:8081; server_name www.test; root ROOT/htdocs; }
			server { listen 127.0.0.1:8080; server_name admin.test; root ROOT/htdocs/admin; ` + auth + ` }`,
			[]string{"server GET /admin/x.html server"}},
		{"other server protected too", `server { listen 127.0.0.1:8080; server_name www.test; root ROOT/htdocs; ` + auth + ` }
			server { listen 127.0.0.1:8080; server_name admin.test; root ROOT/htdocs/admin; ` + auth + ` }`, nil},
		{"limit_except inverted", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` limit_except GET { auth_basic off; } } }`,
			[]string{"methods POST /admin/x.html limit_except"}},
		{"rewrite last with a variable", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` rewrite ^/admin/reports/(.*)$ /pub/$1 last; }
			location /pub/ { } }`,
			[]string{"rewrite GET /admin/reports/x.html location /pub/"}},
		{"try_files file argument before the last", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location / { try_files $uri /admin/index.html =404; }
			location /admin/ { ` + auth + ` } }`,
			[]string{"tryfiles GET /x.html location /"}},
		{"try_files file argument that does not exist", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location / { try_files $uri /admin/missing.html =404; }
			location /admin/ { ` + auth + ` } }`, nil},
		{"try_files fallback as the last argument", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location / { try_files $uri /admin/index.html; }
			location /admin/ { ` + auth + ` } }`, nil},
		{"try_files in the server block, protected location", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			try_files $uri /admin/reports/q1.txt =404;
			location /admin/ { ` + auth + ` } }`,
			[]string{"tryfiles GET /x.html server"}},
		{"try_files inside the protected location", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` try_files $uri /admin/index.html =404; } }`, nil},
		{"realm off by a map for the protected location", `map $uri $realm { ~^/pub/ off; default "Private"; }
			server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { alias ROOT/htdocs/admin/; }
			location /pub/ { auth_basic $realm; auth_basic_user_file users.htpasswd; alias ROOT/htdocs/admin/; } }`, nil},
		{"realm on by a map for the protected location", `map $uri $realm { ~^/pub/ off; default "Private"; }
			server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /reports/ { alias ROOT/htdocs/admin/; }
			location /admin/ { auth_basic $realm; auth_basic_user_file users.htpasswd; } }`,
			[]string{"location GET /reports/x.html location /reports/"}},
		{"try_files into a named location with the protected root", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` }
			location / { try_files $uri @app; }
			location @app { root ROOT/htdocs/admin; } }`,
			[]string{"named GET /x.html location @app"}},
		{"error_page into a named location with the protected root", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			error_page 404 = @app;
			location /admin/ { ` + auth + ` }
			location @app { root ROOT/htdocs/admin; } }`,
			[]string{"named GET /x.html location @app"}},
		{"named location protected too", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` }
			location / { try_files $uri @app; }
			location @app { root ROOT/htdocs/admin; ` + auth + ` } }`, nil},
		{"named location reached only from the protected location", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` try_files $uri @app; }
			location @app { root ROOT/htdocs/admin; } }`, nil},
		{"named location with the public root", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /admin/ { ` + auth + ` }
			location / { try_files $uri @app; }
			location @app { } }`, nil},
		{"root that does not exist under an existing one", `server { listen 127.0.0.1:8080; root ROOT/htdocs;
			location /nothing/ { ` + auth + ` } }`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := predictTree(t, tc.conf, files())
			var got []string
			for _, x := range m.Exposures(nil) {
				got = append(got, fmt.Sprintf("%s %s %s %s", x.Kind, x.Method, x.URI, x.Via.Name()))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestExposureTarget checks the request a way on another server block is
// proved by: its URL (port included unless it is the scheme's default) and
// whether it is on another socket than the protected server.
func TestExposureTarget(t *testing.T) {
	const auth = `auth_basic "Private"; auth_basic_user_file users.htpasswd;`
	files := map[string]string{"htdocs/admin/index.html": "admin"}
	tests := []struct {
		name, conf, url string
		other           bool
	}{
		{"other port", `server { listen 127.0.0.1:8080; server_name admin.test; root ROOT/htdocs/admin; ` + auth + ` }
			server { listen 127.0.0.1:8081; server_name admin.test; root ROOT/htdocs/admin; }`,
			"http://admin.test:8081/x.html", true},
		{"other address, default server", `server { listen 127.0.0.1:8080; server_name admin.test; root ROOT/htdocs/admin; ` + auth + ` }
			server { listen [::1]:8080; root ROOT/htdocs; }`,
			"http://[::1]:8080/admin/x.html", true},
		{"same socket, another name", `server { listen 127.0.0.1:80; server_name admin.test; root ROOT/htdocs/admin; ` + auth + ` }
			server { listen 127.0.0.1:80; server_name www.test; root ROOT/htdocs; }`,
			"http://www.test/admin/x.html", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := predictTree(t, tc.conf, files)
			xs := m.Exposures(nil)
			if len(xs) != 1 {
				t.Fatalf("%d exposures, want 1: %+v", len(xs), xs)
			}
			if got := xs[0].URL(); got != tc.url || xs[0].OtherSocket != tc.other {
				t.Errorf("URL %q, other socket %v; want %q, %v", got, xs[0].OtherSocket, tc.url, tc.other)
			}
		})
	}
}
