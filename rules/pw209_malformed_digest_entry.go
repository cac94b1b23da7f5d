package rules

import (
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// DigestHash reports an htdigest entry whose hash is not 32 hex digits, or
// whose realm contains ':'.
var DigestHash = &Rule{
	ID: "PW209", Name: "malformed-digest-entry", Severity: Error,
	Summary: "htdigest entry whose hash is not 32 lower-case hex digits, or whose realm contains ':'",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != filekind.Htdigest || l.Kind != htpasswd.KindEntry || len(l.Fields) < 3 {
				return
			}
			user := l.Fields[0].Text
			if len(l.Fields) > 3 {
				p.Reportf(l, l.Fields[1].Span,
					"entry of user %q has %d ':'-separated fields: the realm cannot contain ':' (Apache takes the third field as the hash), so the user can never log in",
					user, len(l.Fields))
				return
			}
			if problem := htpasswd.ClassifyDigest(l.Fields[2].Text); problem != "" {
				p.Reportf(l, l.Fields[2].Span,
					"digest hash of user %q in realm %q is malformed: %s; no password can match it; recreate it with htdigest",
					user, shownRealm(l.Fields[1].Text), problem)
			}
		}}
	},
}
