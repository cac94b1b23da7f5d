package rules

import (
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/nginxconf"
)

// NginxSatisfyAny reports `satisfy any` next to allow rules: a client the
// access rules admit skips the password: `ngx_http_core_access_phase` runs
// the access module before auth_basic (scenario `nginx-satisfy-any`).
var NginxSatisfyAny = &Rule{
	ID: "NG303", Name: "satisfy-any-open", Severity: Error,
	Summary: "`satisfy any` with an `allow` rule: matching clients (all, or everything behind a local proxy) skip the password",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			if len(s.Access) > 0 && s.Protected() && (s.EffSatisfy == nil || s.EffSatisfy.Arg(0) == "all") {
				allowListInfo(p, s)
			}
			if s.Satisfy == nil || s.Satisfy.Arg(0) != "any" || !s.Protected() {
				continue
			}
			for _, a := range s.EffAccess {
				if a.Name != "allow" {
					continue
				}
				if a.Arg(0) == "all" {
					p.At(s.Satisfy, "`satisfy any` with `allow all` (line %d): every client passes the access check, so %s is open without a password", a.Span.Start.Line, s.Name())
				} else {
					p.ReportSeverityf(Warning, s.Satisfy.File, s.Satisfy.Span,
						"`satisfy any` with `allow %s` (line %d): clients from %s get in without a password — behind a reverse proxy or TLS terminator on this host, that is every client", a.Arg(0), a.Span.Start.Line, a.Arg(0))
				}
				break
			}
		}
	},
}

// allowListInfo notes `satisfy all` (the default) with an IP allow-list in a
// protected block: both are required, so the right password from any other
// address gets 403 (scenario `nginx-satisfy-any`, /c/). Usually meant, hence info.
func allowListInfo(p *NginxPass, s *nginxmodel.Scope) {
	var allow *nginxconf.Directive
	denyAll := false
	for _, a := range s.EffAccess {
		switch {
		case a.Name == "allow" && a.Arg(0) == "all":
			return
		case a.Name == "allow" && allow == nil:
			allow = a
		case a.Name == "deny" && a.Arg(0) == "all":
			denyAll = true
		}
	}
	if allow == nil || !denyAll {
		return
	}
	p.ReportSeverityf(Info, allow.File, allow.Span, "`satisfy all` (the default) with an allow-list: %s needs both the address and the password, so the right password from any other address gets 403; write `satisfy any;` if either should be enough", s.Name())
}
