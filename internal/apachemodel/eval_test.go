package apachemodel

import (
	"slices"
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
