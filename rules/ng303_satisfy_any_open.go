package rules

import (
	"strings"

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
				switch {
				case a.Arg(0) == "all" && s.Realm == nil && s.Kind == "location":
					// Written in words in a block that only inherits auth:
					// this location is opened on purpose.
					p.ReportSeverityf(Info, s.Satisfy.File, s.Satisfy.Span, "public by design: `satisfy any` with `allow all` (%s) opens %s to every client without the password it inherits (%s)", p.LineRef(s.Satisfy, a), s.Name(), p.LineRef(s.Satisfy, s.EffRealm))
				case a.Arg(0) == "all":
					p.At(s.Satisfy, "`satisfy any` with `allow all` (%s): every client passes the access check, so %s is open without a password", p.LineRef(s.Satisfy, a), s.Name())
				case spoofable(s) != nil:
					from := spoofable(s)
					header := s.Server.RealIP().Header
					p.At(s.Satisfy, "`satisfy any` with `allow %s` (%s), and `set_real_ip_from %s` (%s) trusts every client's %s header: any client that sends `%s: %s` passes the access check and gets in without a password; trust only your proxies' addresses in set_real_ip_from", a.Arg(0), p.LineRef(s.Satisfy, a), from.Arg(0), p.LineRef(s.Satisfy, from), header, header, firstAddr(a.Arg(0)))
				default:
					p.ReportSeverityf(Warning, s.Satisfy.File, s.Satisfy.Span,
						"`satisfy any` with `allow %s` (%s): clients from %s get in without a password — behind a reverse proxy or TLS terminator on this host, that is every client", a.Arg(0), p.LineRef(s.Satisfy, a), a.Arg(0))
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

// spoofable returns the set_real_ip_from that trusts every address for a
// request to s: the server block's (the post-read run, before a location
// is chosen) or the location's (RealIP's doc; scenario
// nginx-satisfy-any-realip).
func spoofable(s *nginxmodel.Scope) *nginxconf.Directive {
	for _, sc := range []*nginxmodel.Scope{s.Server, s} {
		if sc != nil {
			if d := sc.RealIP().TrustsEveryone(); d != nil {
				return d
			}
		}
	}
	return nil
}

// firstAddr is an address inside an allow argument (a CIDR's base).
func firstAddr(allow string) string {
	a, _, _ := strings.Cut(allow, "/")
	return a
}
