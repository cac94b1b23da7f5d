package rules

import "github.com/authlint/authlint/htpasswd"

// weakAdvice names what is weak about a scheme; schemes not listed are fine.
func weakAdvice(s htpasswd.Scheme) string {
	switch s {
	case htpasswd.SchemeDES:
		return "only the first 8 characters of the password count, and it falls to brute force in hours"
	case htpasswd.SchemeBSDi:
		return "it is DES-based and falls to brute force quickly"
	case htpasswd.SchemeAPR1, htpasswd.SchemeMD5Crypt, htpasswd.SchemeSunMD5:
		return "MD5-based crypt is fast to brute-force on a GPU"
	case htpasswd.SchemeSHA:
		return "it is a single unsalted SHA-1: equal passwords have equal hashes and precomputed tables apply"
	case htpasswd.SchemeSSHA:
		return "it is a single salted SHA-1, fast to brute-force"
	case htpasswd.SchemePlain:
		return "the password is stored in plain text"
	case htpasswd.SchemeNT:
		return "it is an unsalted MD4 hash"
	}
	return ""
}

// WeakHash reports weak schemes, once per scheme per file.
var WeakHash = &Rule{
	ID: "PW205", Name: "weak-hash", Severity: Warning,
	Summary: "weak hash scheme (DES, MD5-crypt/apr1, {SHA}, {SSHA}, {PLAIN}): works, but falls to offline brute force",
	UserFile: func(p *UserFilePass) LineVisitor {
		agg := newAggregate()
		return LineVisitor{
			Line: func(l *UserLine) {
				if passwordEntry(p, l) && l.Hash.Problem == "" && weakAdvice(l.Hash.Scheme) != "" {
					agg.add(l.Hash.Scheme.String(), l)
				}
			},
			End: func(*FileEnd) {
				agg.each(func(_ string, sf *schemeFinding) {
					h := htpasswd.Classify(hashOf(sf.first))
					p.reportAt(p.Rule.Severity, sf,
						"weak hash scheme %s for %s: %s; use bcrypt instead (htpasswd -B -C 10)",
						schemeLabel(h, ""), sf.usersPhrase(), weakAdvice(h.Scheme))
				})
			},
		}
	},
}
