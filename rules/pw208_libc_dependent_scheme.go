package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
)

// nativeTo returns the servers that verify h without the C library's crypt(3).
func nativeTo(h htpasswd.Hash) ServerSet {
	var s ServerSet
	switch h.Scheme {
	case htpasswd.SchemeAPR1, htpasswd.SchemeSHA:
		s = Apache | Nginx
	case htpasswd.SchemeSSHA, htpasswd.SchemePlain:
		s = Nginx
	case htpasswd.SchemeBcrypt:
		if strings.HasPrefix(h.Params, "$2y$") || strings.HasPrefix(h.Params, "$2a$") {
			s = Apache
		}
	}
	return s
}

// LibcScheme reports schemes the servers hand to crypt(3) where the chosen
// --platform's crypt(3) lacks them.
var LibcScheme = &Rule{
	ID: "PW208", Name: "libc-dependent-scheme", Severity: Warning,
	Summary: "scheme verified by the C library's crypt(3), which the chosen --platform lacks (silent on current Linux)",
	UserFile: func(p *UserFilePass) LineVisitor {
		agg := newAggregate()
		return LineVisitor{
			Line: func(l *UserLine) {
				if !passwordEntry(p, l) || l.Hash.Problem != "" {
					return
				}
				if !l.Hash.Scheme.Crypt() {
					return // server-native, unknown or empty: other rules speak for those
				}
				libc := p.Servers &^ nativeTo(l.Hash)
				if libc == 0 || p.Platform.Supports(l.Hash.Scheme) {
					return
				}
				agg.add(l.Hash.Params, l)
			},
			End: func(*FileEnd) {
				agg.each(func(_ string, sf *schemeFinding) {
					h := htpasswd.Classify(hashOf(sf.first))
					libc := p.Servers &^ nativeTo(h)
					if p.Platform == htpasswd.PlatformPortable {
						p.reportAt(Warning, sf,
							"%s for %s is verified by the C library's crypt(3) on %s, not by the server: it works on current Linux (libxcrypt) but not on every system; %s",
							schemeLabel(h, "hash"), sf.usersPhrase(), libc, portableAdvice(p.Servers))
						return
					}
					var effects []string
					if libc.Has(Nginx) {
						effects = append(effects, "nginx answers 500 (crypt_r() failed)")
					}
					if libc.Has(Apache) {
						effects = append(effects, "Apache answers 401")
					}
					p.reportAt(Error, sf,
						"%s for %s needs crypt(3) support that %s lacks: %s for these users; %s",
						schemeLabel(h, "hash"), sf.usersPhrase(), p.Platform, strings.Join(effects, " and "), portableAdvice(p.Servers))
				})
			},
		}
	},
}

// portableAdvice names the schemes that work everywhere for the servers.
func portableAdvice(s ServerSet) string {
	switch s {
	case Apache:
		return "portable on Apache: $2y$ (htpasswd -B), $apr1$, {SHA}"
	case Nginx:
		return "portable on nginx: $apr1$ (htpasswd -m), {SSHA}, {SHA}"
	}
	return "portable on both servers: $apr1$ (htpasswd -m) or {SHA}, both weak; prefer bcrypt where the platform has it"
}
