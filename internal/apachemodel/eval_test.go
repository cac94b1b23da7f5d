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

// TestIfHolds checks the <If> expressions the model evaluates: the method,
// and REQUEST_URI against a string or an ap_expr regex (/re/, m#re#, the i
// flag); anything else is unknown.
func TestIfHolds(t *testing.T) {
	tests := []struct {
		expr, method, uri string
		holds, known      bool
	}{
		{`%{REQUEST_METHOD} == 'OPTIONS'`, "OPTIONS", "/", true, true},
		{`%{REQUEST_METHOD} != 'OPTIONS'`, "OPTIONS", "/", false, true},
		{`%{REQUEST_URI} =~ m#^/admin#`, "GET", "/admin/pay.txt", true, true},
		{`%{REQUEST_URI} =~ m#^/admin#`, "GET", "/backstage/pay.txt", false, true},
		{`%{REQUEST_URI} =~ /^\/admin\//`, "GET", "/admin/x", true, true},
		{`%{REQUEST_URI} =~ /^\/admin\//`, "GET", "/adminx", false, true},
		{`%{REQUEST_URI} !~ m#^/public/#`, "GET", "/secret", true, true},
		{`%{REQUEST_URI} =~ m#^/ADMIN#i`, "GET", "/admin/", true, true},
		{`%{REQUEST_URI} == '/login'`, "GET", "/login", true, true},
		{`%{REQUEST_URI} != "/login"`, "GET", "/login", false, true},
		{`%{REQUEST_URI} =~ m#^/admin#`, "GET", "", false, false},
		{`%{REQUEST_URI} =~ m#^/admin#x`, "GET", "/admin", false, false},
		{`%{REQUEST_URI} == '/%{HTTP_HOST}'`, "GET", "/a", false, false},
		{`%{HTTP_HOST} == 'a.test'`, "GET", "/", false, false},
		{`-R '10.0.0.0/8'`, "GET", "/", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			holds, known := ifHolds(tt.expr, tt.method, tt.uri)
			if holds != tt.holds || known != tt.known {
				t.Errorf("ifHolds(%q, %s, %q) = %v, %v; want %v, %v", tt.expr, tt.method, tt.uri, holds, known, tt.holds, tt.known)
			}
		})
	}
}

// TestIfChain checks the if walk on <If>/<ElseIf>/<Else> chains: the
// first member that holds applies and the rest are skipped, <Else> applies
// when none did, an expression the model cannot evaluate makes the effect
// uncertain and applies nothing after it in its chain, and a nested chain
// counts only where its parent section applied.
func TestIfChain(t *testing.T) {
	m := buildConf(t, `<If "%{REQUEST_URI} =~ m#^/a/#">
Require all denied
</If>
<ElseIf "%{REQUEST_URI} =~ m#^/b/#">
Require ip 10.0.0.0/8
</ElseIf>
<Else>
Require valid-user
</Else>
<If "%{HTTP_HOST} == 'x.test'">
Require all denied
</If>
<Else>
Require all granted
</Else>
<Location /n/>
<If "%{REQUEST_METHOD} == 'POST'">
Require all denied
</If>
<Else>
Require all granted
</Else>
</Location>
`)
	tests := []struct {
		uri, method string
		want        []string // the <If>/<ElseIf>/<Else> sections applied
		uncertain   bool
	}{
		{"/a/x", "GET", []string{`if %{REQUEST_URI} =~ m#^/a/#`}, true},
		{"/b/x", "GET", []string{`elseif %{REQUEST_URI} =~ m#^/b/#`}, true},
		{"/c/x", "GET", []string{`else `}, true},
		{"/n/x", "POST", []string{`else `, `if %{REQUEST_METHOD} == 'POST'`}, true},
		{"/n/x", "GET", []string{`else `, `else `}, true},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.uri, func(t *testing.T) {
			e := m.Effect(Request{Server: m.Main, URI: tt.uri, Method: tt.method})
			var got []string
			for _, s := range e.Applied {
				if isIfChain(s.Kind) {
					got = append(got, s.Kind+" "+s.Pattern)
				}
			}
			if !slices.Equal(got, tt.want) || e.Uncertain != tt.uncertain {
				t.Errorf("applied %q (uncertain %v), want %q (uncertain %v)", got, e.Uncertain, tt.want, tt.uncertain)
			}
		})
	}
}

// TestIfChainKnown checks that a chain the model evaluates whole leaves
// the effect certain, and that <Else> applies after an <If> that fails.
func TestIfChainKnown(t *testing.T) {
	m := buildConf(t, `<If "%{REQUEST_URI} =~ m#^/admin/#">
Require all granted
</If>
<Else>
Require valid-user
</Else>
`)
	for _, tt := range []struct{ uri, want string }{{"/admin/x", "if"}, {"/other/x", "else"}} {
		e := m.Effect(Request{Server: m.Main, URI: tt.uri, Method: "GET"})
		if e.Uncertain || len(e.Applied) != 1 || e.Applied[0].Kind != tt.want {
			var got []string
			for _, s := range e.Applied {
				got = append(got, s.Kind)
			}
			t.Errorf("%s: applied %q (uncertain %v), want [%s]", tt.uri, got, e.Uncertain, tt.want)
		}
	}
}

// TestRegexPrefixes checks the literal prefixes read off a regex section's
// pattern.
func TestRegexPrefixes(t *testing.T) {
	tests := []struct {
		re   string
		want []string
	}{
		{`^/admin/`, []string{"/admin/"}},
		{`^/admin`, []string{"/admin"}},
		{`^/(admin|private)/`, []string{"/admin/", "/private/"}},
		{`^/(wp-admin|wp-login\.php)`, []string{"/wp-admin", "/wp-login.php"}},
		{`^/admin/.*\.php$`, []string{"/admin/"}},
		{`^/(?i:admin)`, []string{"/"}},
		{`/admin`, nil},
		{`^/(aa|bb)(cc|dd)(ee|ff)(gg|hh)`, []string{"/aaccee", "/bbccee", "/aaddee", "/bbddee", "/aaccff", "/bbccff", "/aaddff", "/bbddff"}}, // at most 8
		{`^/(a|b)/`, []string{"/"}}, // a character class
		{`^/(`, nil},
	}
	for _, tt := range tests {
		got := regexPrefixes(tt.re)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("regexPrefixes(%q) = %q, want %q", tt.re, got, tt.want)
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
