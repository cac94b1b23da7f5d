package rules

import "github.com/authlint/authlint/htpasswd"

// NginxOnlyScheme reports {SSHA} and {PLAIN} hashes where Apache reads the
// file: only nginx implements them.
var NginxOnlyScheme = &Rule{
	ID: "PW203", Name: "nginx-only-scheme", Severity: Error,
	Summary: "{SSHA} or {PLAIN} hash: nginx verifies it, Apache never does",
	UserFile: func(p *UserFilePass) LineVisitor {
		if !p.Servers.Has(Apache) {
			return LineVisitor{}
		}
		return LineVisitor{Line: func(l *UserLine) {
			if !passwordEntry(p, l) || (l.Hash.Scheme != htpasswd.SchemeSSHA && l.Hash.Scheme != htpasswd.SchemePlain) {
				return
			}
			extra := ""
			if p.Servers.Has(Nginx) {
				extra = " (nginx accepts it; lint with --server nginx if only nginx reads this file)"
			}
			p.Reportf(l, l.Fields[1].Span,
				"user %q has a %s hash, which Apache cannot verify: every login gets 401 on Apache%s; use htpasswd -B",
				l.Fields[0].Text, l.Hash.Params, extra)
		}}
	},
}
