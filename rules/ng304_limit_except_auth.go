package rules

import "strings"

// NginxLimitExceptOpen reports auth only inside limit_except: the listed
// methods (GET also means HEAD) are served without a password
// (`ngx_http_core_limit_except`; scenario `nginx-limit-except-get`).
var NginxLimitExceptOpen = &Rule{
	ID: "NG304", Name: "limit-except-auth", Severity: Warning,
	Summary: "auth_basic only inside limit_except: the listed methods (GET implies HEAD) need no password",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			if s.Kind != "limit_except" || s.Realm == nil || s.Realm.Arg(0) == "off" || s.Parent.Protected() {
				continue
			}
			var methods []string
			for _, a := range s.D.Args {
				methods = append(methods, strings.ToUpper(a.Value))
				if strings.EqualFold(a.Value, "GET") {
					methods = append(methods, "HEAD")
				}
			}
			p.At(s.D, "auth_basic is only inside `limit_except %s`: %s requests to %s are served without a password (limit_except applies its block to the OTHER methods); if that is meant, say so with an ignore comment, else move auth_basic to the location",
				strings.Join(argValues(s.D.Args), " "), strings.Join(methods, ", "), s.Parent.Name())
		}
	},
}
