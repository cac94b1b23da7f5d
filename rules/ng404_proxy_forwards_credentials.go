package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// NginxProxyAuthorization reports proxy_pass behind auth_basic without a
// proxy_set_header Authorization: the client's credentials go to the
// backend, and a backend with its own auth refuses everyone: Authorization is
// not among the headers `ngx_http_proxy_create_request` overrides (scenario
// `nginx-proxy-credentials`, also the proxy_set_header fix).
var NginxProxyAuthorization = &Rule{
	ID: "NG404", Name: "proxy-forwards-credentials", Severity: Error,
	Summary: "proxy_pass behind auth_basic forwards the client's Authorization header to the backend",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			if s.Kind != "location" || !s.Protected() {
				continue
			}
			var pass bool
			for _, d := range s.Own {
				if d.Name == "proxy_pass" {
					pass = true
				}
			}
			if !pass || setsAuthorization(s) {
				continue
			}
			for _, d := range s.Own {
				if d.Name != "proxy_pass" {
					continue
				}
				backend := p.Model.BackendServer(d.Arg(0))
				if backend != nil && !checksBasicAuth(backend) {
					continue // a server of this configuration that asks for no password
				}
				if backend == nil {
					// The backend is outside this configuration: forwarding
					// is harmless unless it checks or logs Basic
					// credentials itself.
					p.ReportSeverityf(Info, d.File, d.Span, "%s asks for a password and proxies to %s, which receives the client's Authorization header (no `proxy_set_header Authorization`): if that backend checks Basic auth with other users, every user gets 401; add `proxy_set_header Authorization \"\";` if it needs none", s.Name(), d.Arg(0))
					continue
				}
				p.At(d, "%s asks for a password and proxies to the server at %s, which asks for its own (auth_basic %s): nginx forwards the client's Authorization header, so the backend answers 401 to every user who logged in here; add `proxy_set_header Authorization \"\";` (or the backend's own credentials)", s.Name(), p.LineRef(d, backend.D), backend.EffRealm.Arg(0))
			}
		}
	},
}

// setsAuthorization reports whether proxy_set_header Authorization is in
// effect (proxy_set_header in a block replaces the inherited ones).
func setsAuthorization(s *nginxmodel.Scope) bool {
	for c := s; c != nil; c = c.Parent {
		found := false
		for _, d := range c.Own {
			if d.Name == "proxy_set_header" {
				found = true
				if strings.EqualFold(d.Arg(0), "Authorization") {
					return true
				}
			}
		}
		if found {
			return false
		}
	}
	return false
}

// checksBasicAuth reports whether a server asks for a password for its
// root or any of its locations.
func checksBasicAuth(srv *nginxmodel.Scope) bool {
	if srv.Protected() {
		return true
	}
	for _, l := range srv.Locations {
		if l.Protected() {
			return true
		}
	}
	return false
}
