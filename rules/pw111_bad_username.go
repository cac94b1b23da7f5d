package rules

import (
	"unicode/utf8"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// BadUsername reports user names no browser can send: names with control
// characters or bytes that are not UTF-8, and names that seem to contain ':'.
var BadUsername = &Rule{
	ID: "PW111", Name: "bad-username", Severity: Warning,
	Summary: "user name with control characters, invalid UTF-8, or an apparent ':' that splits it",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 || p.Kind == filekind.Htgroup {
				return
			}
			user := l.Fields[0]
			switch {
			case p.Kind == filekind.Htpasswd && len(l.Fields) >= 3 && l.Hash.Scheme == htpasswd.SchemeUnknown &&
				isHashLike(htpasswd.Classify(l.Fields[2].Text)):
				p.ReportSeverityf(Error, l, l.Fields[1].Span,
					"user name %q seems to contain ':' (the hash is in the third field): both servers split at the first ':', so the user is %q with the hash %s, and can never log in; HTTP Basic user names cannot contain ':'",
					user.Text+":"+l.Fields[1].Text, user.Text, quote(l.Fields[1].Text))
			case hasControl(user.Text):
				p.Reportf(l, user.Span, "user name %q contains control characters: no browser can type it", user.Text)
			case !utf8.ValidString(user.Text):
				p.Reportf(l, user.Span,
					"user name %q is not valid UTF-8 (Latin-1?): browsers send user names as UTF-8, so the bytes never match; store the name in UTF-8",
					user.Text)
			}
		}}
	},
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
