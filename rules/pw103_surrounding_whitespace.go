package rules

import (
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// SurroundingWhitespace reports blanks before the user or after the hash,
// which nginx keeps as part of the name or hash (Apache trims them).
var SurroundingWhitespace = &Rule{
	ID: "PW103", Name: "surrounding-whitespace", Severity: Error,
	Summary: "spaces or tabs before the user or after the hash break the user on nginx (Apache trims them)",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != filekind.Htpasswd || !p.Servers.Has(Nginx) || l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 {
				return
			}
			user := l.User.User.Text
			if l.Leading > 0 {
				p.Reportf(l, htpasswd.Span{Start: htpasswd.Pos{Line: int32(l.Num), Col: 1}, End: htpasswd.Pos{Line: int32(l.Num), Col: int32(1 + l.Leading)}},
					"blank before user %q: nginx keeps it as part of the name, so the user is never found (Apache trims it)", user)
			}
			if l.Trailing > 0 && len(l.Fields) == 2 {
				end := l.Fields[1].Span.End
				start := end
				start.Col -= int32(l.Trailing)
				start.Offset -= int32(l.Trailing)
				p.Reportf(l, htpasswd.Span{Start: start, End: end},
					"blank after the hash of user %q: nginx keeps it as part of the hash, so every login gets 401 (Apache trims it)", user)
			}
		}}
	},
}
