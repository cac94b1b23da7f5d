package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// IndentedComment reports a '#' comment after leading blanks: Apache skips
// it, nginx reads it as an entry.
var IndentedComment = &Rule{
	ID: "PW105", Name: "indented-comment", Severity: Info,
	Summary: "a '#' after leading blanks is a comment on Apache but an entry on nginx",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if l.Kind != htpasswd.KindIndentedComment || p.Kind != filekind.Htpasswd || !p.Servers.Has(Nginx) {
				return
			}
			text := strings.TrimLeft(string(l.Raw), " \t")
			what := "an entry for a user named by the blanks and the comment text"
			if user, _, ok := strings.Cut(text, ":"); ok {
				what = "an entry for user " + quote(string(l.Raw[:l.Leading])+user) + " (a commented-out user stays defined, under a name nobody types)"
			}
			p.Reportf(l, htpasswd.Span{Start: htpasswd.Pos{Line: int32(l.Num), Col: 1}, End: htpasswd.Pos{Line: int32(l.Num), Col: int32(l.Leading + 2)}},
				"indented comment: nginx only skips lines whose first byte is '#', so it reads this line as %s; start the line with '#'", what)
		}}
	},
}
