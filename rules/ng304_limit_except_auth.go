package rules

import "strings"

// NginxLimitExceptOpen reports auth only inside limit_except: the listed
// methods (GET also means HEAD) are served without a password
// (`ngx_http_core_limit_except`; scenario `nginx-limit-except-get`). Under
// an `auth_basic off` the location writes, that is public by design (info).
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
			if off := s.Parent.EffRealm; off != nil && off.Arg(0) == "off" {
				// The location says in words that it is open: the methods
				// limit_except names are its public ones.
				p.ReportSeverityf(Info, s.D.File, s.D.Span, "public by design: %s turns auth off (%s) and `limit_except %s` asks for a password for every other method: %s requests are served without one",
					s.Parent.Name(), p.LineRef(s.D, off), strings.Join(argValues(s.D.Args), " "), strings.Join(methods, ", "))
				continue
			}
			p.At(s.D, "auth_basic is only inside `limit_except %s`: %s requests to %s are served without a password (limit_except applies its block to the OTHER methods); if that is meant, say so with an ignore comment, else move auth_basic to the location",
				strings.Join(argValues(s.D.Args), " "), strings.Join(methods, ", "), s.Parent.Name())
		}
	},
}
