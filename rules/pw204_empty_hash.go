package rules

import "github.com/authlint/authlint/htpasswd"

// EmptyHash reports "alice:" — a user whose hash is empty.
var EmptyHash = &Rule{
	ID: "PW204", Name: "empty-hash", Severity: Error,
	Summary: "empty hash: the account is dead, even with an empty password",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if !passwordEntry(p, l) || l.Hash.Scheme != htpasswd.SchemeEmpty || hashExplained(l) {
				return
			}
			p.Reportf(l, htpasswd.Span{Start: l.Fields[1].Span.Start, End: l.Fields[1].Span.Start},
				"user %q has an empty hash: no password matches, not even an empty one, so the account is dead; set a password with htpasswd or delete the line",
				l.Fields[0].Text)
		}}
	},
}
