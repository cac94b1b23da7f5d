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
