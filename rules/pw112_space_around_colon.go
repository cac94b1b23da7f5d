package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// SpaceAroundColon reports blanks between the user and ':' or between ':'
// and the hash; both servers keep them.
var SpaceAroundColon = &Rule{
	ID: "PW112", Name: "space-around-colon", Severity: Error,
	Summary: "a blank before or after the ':' becomes part of the user or the hash on both servers",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 || p.Kind == filekind.Htgroup {
				return
			}
			user, hash := l.Fields[0], l.Fields[1]
			switch {
			case strings.TrimRight(user.Text, " \t") != user.Text:
				p.Reportf(l, user.Span,
					"blank between user %q and ':': on %s it is part of the name, so the user is never found",
					strings.TrimSpace(user.Text), p.Servers)
			case hash.Text != "" && (hash.Text[0] == ' ' || hash.Text[0] == '\t'):
				p.Reportf(l, hash.Span,
					"blank between ':' and the hash of user %q: on %s it is part of the hash, so the password never matches",
					strings.TrimSpace(user.Text), p.Servers)
			}
		}}
	},
}
