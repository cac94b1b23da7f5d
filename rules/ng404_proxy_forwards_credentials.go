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
	ID: "NG404", Name: "proxy-forwards-credentials", Severity: Warning,
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
				if d.Name == "proxy_pass" {
					p.At(d, "%s asks for a password and proxies to %s without `proxy_set_header Authorization`: nginx forwards the client's credentials, so a backend with its own auth answers 401 to every user (and a backend that logs headers sees the passwords); add `proxy_set_header Authorization \"\";` or the backend's own credentials", s.Name(), d.Arg(0))
				}
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
