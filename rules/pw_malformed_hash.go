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
			p.Reportf(l, l.Fields[1].Span,
				"%s hash of user %q is malformed: %s; no password can match it (401 for every login, or 500 on nginx where crypt(3) returns NULL)",
				l.Hash.Scheme, l.Fields[0].Text, l.Hash.Problem)
		}}
	},
}
