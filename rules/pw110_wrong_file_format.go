package rules

import (
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// WrongFormat reports an htdigest line in a password file and an htpasswd
// line in a digest file.
var WrongFormat = &Rule{
	ID: "PW110", Name: "wrong-file-format", Severity: Error,
	Summary: "htdigest line in a password file, or htpasswd line in a digest file: the user can never log in",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if l.Kind != htpasswd.KindEntry {
				return
			}
			switch p.Kind {
			case filekind.Htpasswd:
				if len(l.Fields) == 3 && htpasswd.ClassifyDigest(l.Fields[2].Text) == "" &&
					l.Hash.Scheme == htpasswd.SchemeUnknown {
					p.Reportf(l, l.Fields[1].Span,
						"user %q has an htdigest entry (user:realm:md5) in a password file: Basic auth reads the realm %q as the hash, so the user can never log in; create the entry with htpasswd, or use AuthType Digest with this file",
						l.Fields[0].Text, l.Fields[1].Text)
				}
			case filekind.Htdigest:
				if len(l.Fields) == 2 {
					p.Reportf(l, l.Fields[1].Span,
						"user %q has an htpasswd entry (user:hash) in a digest file: Digest auth looks up user:realm and never finds it; create the entry with htdigest",
						l.Fields[0].Text)
				}
			}
		}}
	},
}
