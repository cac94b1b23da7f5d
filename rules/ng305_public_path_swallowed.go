package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/nginxconf"
)

// NginxPublicPathSwallowed reports public paths that auth swallows: the ACME
// challenge when the configuration plans an exception for it or uses ACME
// certificates, CORS preflights in locations that send CORS headers, and the
// `limit_except OPTIONS` "fix" that frees nothing: `ngx_http_core_limit_except`
// only configures the other methods (scenario `nginx-public-paths`; the
// working fixes were observed by hand).
var NginxPublicPathSwallowed = &Rule{
	ID: "NG305", Name: "public-path-swallowed", Severity: Error,
	Summary: "auth swallows a path that must stay public: ACME challenge, CORS preflight (OPTIONS), stub_status",
	Nginx: func(p *NginxPass) {
		memo := map[*nginxmodel.Scope]corsOwn{}
		corsAt := map[*nginxconf.Directive][]string{}
		var corsOrder []*nginxconf.Directive
		for _, srv := range p.Model.Servers {
			eff := srv.Effective(acmeProbe)
			if off, known := p.Model.RealmOff(srv, eff, "GET", acmeProbe, serverHost(srv)); known && off {
				continue // auth_basic $var, and the map turns it off for the challenge
			}
			if eff.Protected() {
				if ex := acmeException(p.Model, srv); ex != nil {
					p.At(ex.D, "this exception for the ACME challenge does not apply: %s answers %s, and it requires a password, so certificate renewal (HTTP-01) gets 401; use `location ^~ /.well-known/acme-challenge/ { auth_basic off; }`", eff.Name(), acmeProbe)
				} else if usesACME(srv) {
					p.ReportSeverityf(Warning, eff.EffRealm.File, eff.EffRealm.Span, "the ACME challenge %s is under this auth in a server with ACME certificates: HTTP-01 renewal gets 401; add `location ^~ /.well-known/acme-challenge/ { auth_basic off; }`", acmeProbe)
				}
			}
		}
		for _, s := range p.Model.All {
			if s.Kind != "location" || !s.Protected() {
				continue
			}
			for _, le := range s.LimitExcept {
				if hasArg(le.D, "OPTIONS") && le.Realm != nil && s.Realm == nil {
					p.At(le.D, "`limit_except OPTIONS` does not free OPTIONS here: the location already inherits auth_basic, and limit_except only adds a config for the other methods, so the CORS preflight still gets 401; set `auth_basic off;` in the location and keep auth_basic inside limit_except")
				}
			}
			if s.Realm == nil && hasOwn(s, "stub_status") {
				p.ReportSeverityf(Warning, s.D.File, s.D.Span, "%s serves stub_status but inherits auth_basic from an enclosing block: a monitoring agent that polls it without credentials gets 401; add `auth_basic off;` here and restrict it with allow/deny", s.Name())
			}
			if cors := corsHeader(s, memo); cors != nil && !freesOptions(s) {
				if corsAt[cors] == nil {
					corsOrder = append(corsOrder, cors)
				}
				corsAt[cors] = append(corsAt[cors], s.Name())
			}
		}
		// One finding per add_header, however many blocks inherit it.
		for _, cors := range corsOrder {
			names := corsAt[cors]
			where := names[0]
			if len(names) > 1 {
				where = sprintf("%s and %s", names[0], plural(len(names)-1, "other block", "other blocks"))
			}
			p.ReportSeverityf(Warning, cors.File, cors.Span, "%s sends CORS headers but requires a password: browsers send the CORS preflight (OPTIONS) without credentials, so it gets 401 and the cross-origin request fails; answer OPTIONS before auth (`if ($request_method = OPTIONS) { return 204; }`) or use `auth_basic off;` with `limit_except OPTIONS { auth_basic \"…\"; }`", where)
		}
	},
}

// hasOwn reports whether the block itself holds a directive.
func hasOwn(s *nginxmodel.Scope, name string) bool {
	for _, d := range s.Own {
		if d.Name == name {
			return true
		}
	}
	return false
}

// acmeException finds a location of the server meant for the ACME challenge.
func acmeException(m *nginxmodel.Model, srv *nginxmodel.Scope) *nginxmodel.Scope {
	for _, s := range m.All {
		if s.Server == srv && s.Kind == "location" && strings.Contains(s.Pattern, "acme-challenge") {
			return s
		}
	}
	return nil
}

// usesACME reports whether the server's certificates come from an ACME CA.
func usesACME(srv *nginxmodel.Scope) bool {
	for c := srv; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "ssl_certificate" && (strings.Contains(d.Arg(0), "letsencrypt") || strings.Contains(d.Arg(0), "acme")) {
				return true
			}
		}
	}
	return false
}

// corsHeader returns the add_header Access-Control-Allow-Origin in effect.
// memo caches each scope's own answer (found, directive): the http block of a
// large tree holds thousands of directives and every location asks.
func corsHeader(s *nginxmodel.Scope, memo map[*nginxmodel.Scope]corsOwn) *nginxconf.Directive {
	for c := s; c != nil; c = c.Parent {
		own, ok := memo[c]
		if !ok {
			for _, d := range c.Own {
				if d.Name == "add_header" {
					own.found = true
					if strings.EqualFold(d.Arg(0), "Access-Control-Allow-Origin") {
						own.d = d
						break
					}
				}
			}
			memo[c] = own
		}
		if own.found {
			return own.d // add_header in a block replaces the inherited ones
		}
	}
	return nil
}

// corsOwn is what one block's own add_header directives say.
type corsOwn struct {
	found bool
	d     *nginxconf.Directive
}

// freesOptions reports whether the location answers OPTIONS before auth.
func freesOptions(s *nginxmodel.Scope) bool {
	for _, d := range s.Own {
		if d.Name == "if" && strings.Contains(strings.Join(argValues(d.Args), " "), "OPTIONS") {
			return true
		}
	}
	return false
}

func hasArg(d *nginxconf.Directive, v string) bool {
	for _, a := range d.Args {
		if strings.EqualFold(a.Value, v) {
			return true
		}
	}
	return false
}

// serverHost is a Host a request to srv would carry: its first plain
// server_name, else "localhost".
func serverHost(srv *nginxmodel.Scope) string {
	for _, d := range srv.Own {
		if d.Name == "server_name" {
			for _, a := range d.Args {
				if v := a.Value; v != "" && v != "_" && !strings.ContainsAny(v, "*~") {
					return v
				}
			}
		}
	}
	return "localhost"
}
