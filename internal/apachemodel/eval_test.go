package apachemodel

import (
	"slices"
	"strings"
	"testing"
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
