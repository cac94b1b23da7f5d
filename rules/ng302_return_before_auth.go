package rules

import (
	"strconv"
	"strings"
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
			for _, d := range s.Own {
				switch d.Name {
				case "return":
					code, err := strconv.Atoi(d.Arg(0))
					if err == nil && code >= 400 {
						continue // an error status leaks nothing
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
