package apachemodel

import (
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/serverfs"
)

// TestDecideCombine checks decideAny and decideAll against mod_authz_core's
// rules as priority lists, for every pair and every triple of decisions:
// <RequireAny> is granted if any child grants, else depends if any
// depends, else needs a user, else denied; <RequireAll> is denied if any
// child denies, else needs a user, else depends, else granted. A neutral
// child (limited to other methods) counts for nothing.
func TestDecideCombine(t *testing.T) {
	all := []Decision{Neutral, Granted, Denied, NeedUser, Depends}
	first := func(order []Decision, ds []Decision) Decision {
		for _, d := range order {
			if slices.Contains(ds, d) {
				return d
			}
		}
		return Neutral
	}
	anyOrder := []Decision{Granted, Depends, NeedUser, Denied}
	allOrder := []Decision{Denied, NeedUser, Depends, Granted}
	for _, x := range all {
		for _, y := range all {
			for _, z := range all {
				ds := []Decision{x, y, z}
				if got, want := decideAny(decideAny(x, y), z), first(anyOrder, ds); got != want {
					t.Errorf("any%v = %v, want %v", ds, got, want)
				}
				if got, want := decideAll(decideAll(x, y), z), first(allOrder, ds); got != want {
					t.Errorf("all%v = %v, want %v", ds, got, want)
				}
			}
		}
	}
}

// TestRegexDirectoryWalk checks that <DirectoryMatch> and <Directory ~>
// match the whole path a request maps to, as ap_directory_walk's regex pass
// does on r->filename (scenarios `apache-directorymatch-anchor-open` and
// `apache-directorymatch-anchor-closed`), and that a proxied request walks
// no directory at all (`apache-proxy-directory-auth-open`).
func TestRegexDirectoryWalk(t *testing.T) {
	const head = "DocumentRoot /srv/www\nLoadModule proxy_module mod_proxy.so\nProxyPass /app/ http://127.0.0.1:8080/\n"
	tests := []struct {
		name, conf, uri string
		want            Decision
	}{
		{"anchor: the bare directory", `<DirectoryMatch "^/srv/www/private$">`, "/private", NeedUser},
		{"anchor: a file in it", `<DirectoryMatch "^/srv/www/private$">`, "/private/x.txt", Granted},
		{"anchor: the directory URL", `<DirectoryMatch "^/srv/www/private$">`, "/private/", Granted},
		{"anchor: a subdirectory's file", `<DirectoryMatch "^/srv/www/private$">`, "/private/sub/x.txt", Granted},
		{"slash or end: a file", `<DirectoryMatch "^/srv/www/private(/|$)">`, "/private/x.txt", NeedUser},
		{"slash or end: deeper", `<DirectoryMatch "^/srv/www/private(/|$)">`, "/private/sub/x.txt", NeedUser},
		{"slash or end: a sibling", `<DirectoryMatch "^/srv/www/private(/|$)">`, "/privateer/x.txt", Granted},
		{"no anchor: deeper", `<DirectoryMatch "^/srv/www/private">`, "/private/sub/x.txt", NeedUser},
		{"Directory ~ anchor", `<Directory ~ "^/srv/www/private$">`, "/private/x.txt", Granted},
		{"a regex on the file", `<DirectoryMatch "\.txt$">`, "/private/x.txt", NeedUser},
		{"proxied: no directory", `<DirectoryMatch "^/srv/www/app">`, "/app/x", Granted},
		{"proxied: literal directory", `<Directory "/srv/www/app">`, "/app/x", Granted},
		{"not proxied: literal directory", `<Directory "/srv/www/app">`, "/app", NeedUser},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			closing := "</DirectoryMatch>"
			if strings.HasPrefix(tc.conf, "<Directory ") {
				closing = "</Directory>"
			}
			m := buildConf(t, head+tc.conf+"\nRequire valid-user\n"+closing+"\n")
			tr := m.Translate(serverfs.OSFS{}, TranslateInput{Server: m.Main, URI: tc.uri, Method: "GET"})
			e := m.Effect(Request{Server: m.Main, URI: tr.URI, Method: "GET", File: tr.File, NoFile: tr.NoFile})
			if got := e.Decide(); got != tc.want {
				t.Errorf("GET %s under %s: %v, want %v (merged %d sections, path %q)", tc.uri, tc.conf, got, tc.want, len(e.Applied), e.FSPath)
			}
		})
	}
}

// TestProxyWalk checks the <Proxy> sections a proxied request merges: the
// backend URL translate_name makes (a UNIX-socket prefix taken off), matched
// as a prefix, a wildcard pattern whose '*' also matches '/', or a regex;
// the main server's sections apply in a virtual host (scenario
// `apache-proxy-directory-auth-closed`).
func TestProxyWalk(t *testing.T) {
	m := buildConf(t, `DocumentRoot /srv/www
LoadModule proxy_module mod_proxy.so
LoadModule rewrite_module mod_rewrite.so
ProxyPass /wiki/ "unix:/run/wiki.sock|http://localhost/wiki/"
ProxyPass /app http://127.0.0.1:8080/
ProxyPassMatch "^/api/(v[0-9])/(.*)$" http://127.0.0.1:9090/$2?version=$1
ProxyPass /shop/ http://shop.internal/
RewriteEngine On
RewriteRule "^/blog/(.*)$" "http://127.0.0.1:7070/posts/$1" [P]
<Location /docs/>
    ProxyPass http://127.0.0.1:6060/manual/
</Location>
<Proxy "http://localhost/wiki/*">
    Require valid-user
</Proxy>
<Proxy "http://127.0.0.1:8080/admin">
    Require valid-user
</Proxy>
<ProxyMatch "^http://127\.0\.0\.1:9090/private">
    Require all denied
</ProxyMatch>
<Proxy "http://127.0.0.1:7070/posts/draft-?">
    Require valid-user
</Proxy>
<Proxy "http://127.0.0.1:6060/manual/internal/">
    Require valid-user
</Proxy>
<VirtualHost *:80>
    ServerName v.test
    ProxyPass /shop/ http://shop.internal/
    <Proxy "http://shop.internal/cart/[a-z]*">
        Require valid-user
    </Proxy>
</VirtualHost>
`)
	tests := []struct {
		uri, proxyURL string
		vhost         bool
		want          Decision
	}{
		{"/wiki/Main", "http://localhost/wiki/Main", false, NeedUser},
		{"/app/admin/x", "http://127.0.0.1:8080//admin/x", false, Granted}, // "/app" keeps the slash: //admin is no prefix match
		{"/app/status", "http://127.0.0.1:8080//status", false, Granted},
		{"/api/v1/private/x", "http://127.0.0.1:9090/private/x?version=v1", false, Denied},
		{"/api/v1/public", "http://127.0.0.1:9090/public?version=v1", false, Granted},
		{"/blog/draft-1", "http://127.0.0.1:7070/posts/draft-1", false, NeedUser},
		{"/blog/draft-12", "http://127.0.0.1:7070/posts/draft-12", false, Granted},
		{"/docs/internal/a", "http://127.0.0.1:6060/manual/internal/a", false, NeedUser},
		{"/shop/cart/a/b", "http://shop.internal/cart/a/b", true, NeedUser}, // '*' crosses '/'
		{"/shop/cart/a/b", "http://shop.internal/cart/a/b", false, Granted},
		{"/shop/Cart/a", "http://shop.internal/Cart/a", true, Granted},
	}
	for _, tc := range tests {
		srv := m.Main
		if tc.vhost {
			srv = m.VHosts[0]
		}
		tr := m.Translate(serverfs.OSFS{}, TranslateInput{Server: srv, URI: tc.uri, Method: "GET"})
		if !tr.NoFile || tr.ProxyURL != tc.proxyURL {
			t.Errorf("%s: proxied %v to %q, want %q", tc.uri, tr.NoFile, tr.ProxyURL, tc.proxyURL)
			continue
		}
		e := m.Effect(Request{Server: srv, URI: tr.URI, Method: "GET", NoFile: true, ProxyURL: tr.ProxyURL})
		if got := e.Decide(); got != tc.want {
			t.Errorf("GET %s (%s, vhost %v): %v, want %v", tc.uri, tr.ProxyURL, tc.vhost, got, tc.want)
		}
	}
}
