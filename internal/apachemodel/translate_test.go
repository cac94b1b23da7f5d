package apachemodel

import (
	"net/http"
	"testing"

	"github.com/authlint/authlint/internal/serverfs"
)

func TestTranslate(t *testing.T) {
	m := buildConf(t, `DocumentRoot /nonexistent-authlint/www
Alias /static/ /nonexistent-authlint/static/
Redirect permanent /old /new
RedirectMatch 410 ^/gone/
RewriteEngine On
RewriteRule ^/blocked/ - [F]
RewriteRule ^/removed - [G,L]
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteRule ^/api/ - [R=204,L]
RewriteCond %{HTTP_HOST} !^www\. [NC]
RewriteRule ^/moved/(.*) http://www.example.com/$1 [R=301,L]
RewriteRule ^/app/(.*)$ /static/app/$1 [PT]
RewriteRule ^/file/(.*)$ /data/$1 [L]
<VirtualHost *:80>
ServerName v.test
RewriteRule ^/blocked/ - [F]
</VirtualHost>
`)
	fsys := serverfs.OSFS{}
	tests := []struct {
		method, uri, host string
		status            int
		file              string
	}{
		{"GET", "/blocked/x", "a", 403, ""},
		{"GET", "/removed/x", "a", 410, ""},
		{"OPTIONS", "/api/x", "a", 204, ""},
		{"GET", "/api/x", "a", 0, "/nonexistent-authlint/www/api/x"},
		{"GET", "/moved/p", "a.test", 301, ""},
		{"GET", "/moved/p", "www.a.test", 0, "/nonexistent-authlint/www/moved/p"},
		{"GET", "/app/main.js", "a", 0, "/nonexistent-authlint/static/app/main.js"},
		{"GET", "/file/x", "a", 0, "/nonexistent-authlint/www/data/x"},
		{"GET", "/old/page", "a", 301, ""},
		{"GET", "/gone/page", "a", 410, ""},
		{"GET", "/static/a.css", "a", 0, "/nonexistent-authlint/static/a.css"},
	}
	for _, tt := range tests {
		tr := m.Translate(fsys, TranslateInput{Server: m.Main, URI: tt.uri, Method: tt.method, Host: tt.host, Scheme: "http", Port: 80, Header: http.Header{}})
		if tr.Status != tt.status || tr.File != tt.file || tr.Uncertain {
			t.Errorf("%s %s (Host %s): status %d file %q uncertain %v, want %d %q", tt.method, tt.uri, tt.host, tr.Status, tr.File, tr.Uncertain, tt.status, tt.file)
		}
	}
	// A virtual host inherits RewriteEngine On but not the main server's
	// rules (no RewriteOptions Inherit).
	vh := m.VHosts[0]
	if tr := m.Translate(fsys, TranslateInput{Server: vh, URI: "/removed/x", Method: "GET", Header: http.Header{}}); tr.Status != 0 {
		t.Errorf("virtual host ran the main server's rule: %d", tr.Status)
	}
	if tr := m.Translate(fsys, TranslateInput{Server: vh, URI: "/blocked/x", Method: "GET", Header: http.Header{}}); tr.Status != 403 {
		t.Errorf("virtual host's own rule: %d, want 403", tr.Status)
	}
}

func TestCleanURLPath(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"/a/b/", "/a/b/", true},
		{"//a///b", "/a/b", true},
		{"/a/./b/../c", "/a/c", true},
		{"/a/..", "/", true},
		{"/../a", "", false},
		{"/", "/", true},
	}
	for _, tt := range tests {
		got, ok := cleanURLPath(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("cleanURLPath(%q) = %q, %v", tt.in, got, ok)
		}
	}
}

// TestTranslateProxy checks mod_proxy's part of translate_name: ProxyPass
// matches its prefix at a path-segment boundary, ProxyPassMatch its regex,
// "!" keeps a path local, a one-argument ProxyPass in <Location> proxies
// that location, and a proxied request maps to no file.
func TestTranslateProxy(t *testing.T) {
	m := buildConf(t, `DocumentRoot /nonexistent-authlint/www
LoadModule proxy_module mod_proxy.so
ProxyPass /app/static/ !
ProxyPass /app http://127.0.0.1:8080/
ProxyPassMatch "^/api/(v[0-9]+)/" http://127.0.0.1:9090/$1
<Location "/wiki">
    ProxyPass http://127.0.0.1:7070/
</Location>
<Location "/wiki/files">
    ProxyPass !
</Location>
<Location "/app/local">
    ProxyPass !
</Location>
LoadModule alias_module mod_alias.so
Redirect /app/static/old /app/static/new
`)
	tests := []struct {
		uri     string
		proxied bool
		file    string
	}{
		{"/app", true, ""},
		{"/app/x", true, ""},
		{"/apple", false, "/nonexistent-authlint/www/apple"},
		{"/app/static/a.css", false, "/nonexistent-authlint/www/app/static/a.css"},
		{"/api/v2/users", true, ""},
		{"/api/docs", false, "/nonexistent-authlint/www/api/docs"},
		{"/wiki/Main", true, ""},
		{"/wikipedia", false, "/nonexistent-authlint/www/wikipedia"},
		{"/wiki/files/a.png", false, "/nonexistent-authlint/www/wiki/files/a.png"},
		{"/app/local/x", false, "/nonexistent-authlint/www/app/local/x"}, // "!" in <Location>: not the server's /app either
	}
	for _, tt := range tests {
		tr := m.Translate(serverfs.OSFS{}, TranslateInput{Server: m.Main, URI: tt.uri, Method: "GET", Header: http.Header{}})
		if tr.NoFile != tt.proxied || tr.File != tt.file || tr.Status != 0 {
			t.Errorf("%s: proxied %v file %q status %d, want %v %q", tt.uri, tr.NoFile, tr.File, tr.Status, tt.proxied, tt.file)
		}
	}
	// A path ProxyPass keeps local ("!") still goes through mod_alias's
	// Redirect: proxy_trans declines it.
	if tr := m.Translate(serverfs.OSFS{}, TranslateInput{Server: m.Main, URI: "/app/static/old", Method: "GET", Header: http.Header{}}); tr.Status != 302 {
		t.Errorf("/app/static/old: status %d, want the Redirect's 302", tr.Status)
	}
}

// TestTranslateProxyMainFirst checks that a virtual host tries the main
// server's ProxyPass lines before its own (scenario
// `apache-proxypass-main-first`).
func TestTranslateProxyMainFirst(t *testing.T) {
	m := buildConf(t, `DocumentRoot /nonexistent-authlint/www
LoadModule proxy_module mod_proxy.so
ProxyPass /app/ http://main.internal/
<VirtualHost *:80>
    ServerName v.test
    ProxyPass /app/ http://vhost.internal/
    ProxyPass /own/ http://vhost.internal/own/
</VirtualHost>
`)
	for _, tc := range []struct{ uri, want string }{
		{"/app/x", "http://main.internal/x"},
		{"/own/y", "http://vhost.internal/own/y"},
	} {
		tr := m.Translate(serverfs.OSFS{}, TranslateInput{Server: m.VHosts[0], URI: tc.uri, Method: "GET", Header: http.Header{}})
		if tr.ProxyURL != tc.want {
			t.Errorf("%s: proxied to %q, want %q", tc.uri, tr.ProxyURL, tc.want)
		}
	}
}
