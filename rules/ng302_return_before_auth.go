package rules

import (
	"strconv"
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// NginxReturnBeforeAuth reports `return` (2xx/3xx or a URL) and
// `rewrite … last` in a protected location: the rewrite phase runs before the
// access phase, so the answer goes out without a password
// (`ngx_http_init_phase_handlers`; scenario `nginx-return-before-auth`;
// `rewrite … last` observed by hand).
var NginxReturnBeforeAuth = &Rule{
	ID: "NG302", Name: "return-before-auth", Severity: Error,
	Summary: "`return` or `rewrite … last` in a protected location answers before auth_basic runs",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			if (s.Kind != "location" && s.Kind != "server") || !s.Protected() {
				continue
			}
			if s.Modifier == "@" && !reachedAnonymously(p, s) {
				continue // only internal redirects from protected blocks (or none) reach it, after their auth
			}
			for _, d := range s.Own {
				switch d.Name {
				case "return":
					code, err := strconv.Atoi(d.Arg(0))
					if err == nil && code >= 400 {
						continue // an error status leaks nothing
					}
					redirect := err != nil || code >= 300 && code < 400
					if redirect || s.Realm == nil {
						// Written in words: a redirect (http → https, an
						// old URL) sends a Location only, and a fixed
						// answer in a block that merely inherits auth is a
						// health check or a status page meant to be open.
						what := "this fixed answer"
						if redirect {
							what = "this redirect"
						}
						auth := "the auth_basic it inherits"
						if s.Realm != nil {
							auth = "auth_basic"
						}
						p.ReportSeverityf(Info, d.File, d.Span, "public by design: `return` in %s runs in the rewrite phase, before %s (%s), so every client gets %s without a password", s.Name(), auth, p.LineRef(d, s.EffRealm), what)
						continue
					}
					p.At(d, "`return` in the protected %s runs in the rewrite phase, before auth_basic: every client gets this answer without a password; move it into a location with its own purpose or check credentials first (auth_request)", s.Name())
				case "rewrite":
					flag := d.Arg(2)
					if flag != "last" && (flag != "" || !strings.Contains(d.Arg(1), "://")) {
						continue // break keeps the location's auth; redirect/permanent send a Location header only
					}
					if flag == "last" {
						target := d.Arg(1)
						if strings.Contains(target, "$") {
							continue // cannot tell where it goes
						}
						if t := s.Server.Effective(target); t != nil && t.Protected() {
							continue
						}
						p.At(d, "`rewrite … last` in the protected %s sends the request to %s, which has no auth: the rewrite phase runs before auth_basic, so it is served without a password; use `break`, or protect the target", s.Name(), target)
					}
				}
			}
		}
	},
}

// reachedAnonymously reports whether a named location is the target of an
// internal redirect from a block that does not ask for a password (the
// redirect happens after that block's access phase, so a protected
// referrer has checked the password already).
func reachedAnonymously(p *NginxPass, named *nginxmodel.Scope) bool {
	for _, r := range p.Model.NamedReferrers(named.Pattern) {
		if !r.Protected() {
			return true
		}
	}
	return false
}
