package rules

// MalformedHash reports a hash whose scheme is recognised but whose
// structure is wrong for it: truncated, bad salt, bad cost.
var MalformedHash = &Rule{
	ID: "PW201", Name: "malformed-hash", Severity: Error,
	Summary: "hash with a known scheme prefix but a broken structure (truncated, bad salt or cost): the user can never log in",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if !passwordEntry(p, l) || l.Hash.Problem == "" || hashExplained(l) {
				return
			}
			effect := "every login as this user gets 401"
			if p.Servers.Has(Nginx) && l.Hash.Scheme.Crypt() {
				effect += " (500 on nginx where the C library's crypt_r() returns NULL instead of a failure token)"
			}
			p.Reportf(l, l.Fields[1].Span, "%s hash of user %q is malformed: %s; no password can match it: %s",
				l.Hash.Scheme, l.User.User.Text, l.Hash.Problem, effect)
		}}
	},
}
