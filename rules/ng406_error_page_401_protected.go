package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// NginxErrorPage401 reports `error_page 401` pointing at a URI that is
// itself behind auth_basic: the internal redirect runs the access phase
// again, fails, and with recursive_error_pages off nginx answers with its
// built-in 401 page and sends WWW-Authenticate twice (`ngx_http_send_error_page`;
// scenario `nginx-error-page-401`).
var NginxErrorPage401 = &Rule{
	ID: "NG406", Name: "error-page-401-protected", Severity: Warning,
	Summary: "error_page 401 points at a page behind auth_basic: the built-in page is sent instead, with WWW-Authenticate twice",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			for _, d := range s.Own {
				if d.Name != "error_page" || len(d.Args) < 2 {
					continue
				}
				codes := argValues(d.Args[:len(d.Args)-1])
				target := d.Args[len(d.Args)-1].Value
				if !containsString(codes, "401") || !strings.HasPrefix(target, "/") || strings.Contains(target, "$") {
					continue
				}
				if i := strings.IndexAny(target, "?#"); i >= 0 {
					target = target[:i]
				}
				servers := []*nginxmodel.Scope{s.Server}
				if s.Kind == "server" {
					servers = []*nginxmodel.Scope{s}
				} else if s.Server == nil {
					servers = p.Model.Servers
				}
				for _, srv := range servers {
					if srv == nil {
						continue
					}
					eff := srv.Effective(target)
					if !eff.Protected() {
						continue
					}
					p.At(d, "error_page 401 %s is itself behind auth_basic (%s): the redirect runs auth again and fails, so clients get nginx's built-in 401 page and WWW-Authenticate twice; serve the page from `location = %s { auth_basic off; internal; }`", target, eff.Name(), target)
					break
				}
			}
		}
	},
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
