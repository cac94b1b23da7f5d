package rules

import (
	"bytes"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// LineWithoutColon reports entry lines that have no ':' at all.
var LineWithoutColon = &Rule{
	ID: "PW102", Name: "line-without-colon", Severity: Error,
	Summary: "entry line without a colon: no user is defined, and on nginx it can hide the next line's user",
	UserFile: func(p *UserFilePass) LineVisitor {
		var pending []byte // a colon-less line waiting for the next line (nginx quirk)
		pendingLine := 0
		return LineVisitor{Line: func(l *UserLine) {
			prev, prevLine := pending, pendingLine
			pending = nil
			if l.Kind != htpasswd.KindEntry {
				return
			}
			if prev != nil && p.Servers.Has(Nginx) && len(l.Fields) >= 2 && l.Leading == 0 {
				if user := l.Fields[0].Text; len(prev) <= len(user) && user[:len(prev)] == string(prev) {
					p.Reportf(l, l.Fields[0].Span,
						"on nginx, user %q cannot log in: the colon-less %s (%q) is a prefix of the name, and nginx's scanner then skips this line; remove %s or put a blank line between them",
						user, p.LineRef(prevLine, "the colon-less line"), string(prev), p.LineRef(prevLine, "the colon-less line"))
				}
			}
			if p.Kind == filekind.Htgroup || len(l.Fields) != 1 {
				return
			}
			raw := l.Fields[0].Text
			msg := "line has no ':' so it defines no user"
			if i := bytes.IndexAny([]byte(raw), " \t"); i > 0 {
				msg = "line has no ':' (a space or tab cannot separate user and hash) so " + quote(raw[:i]) + " is not defined"
			} else {
				pending, pendingLine = []byte(raw), l.Num
			}
			p.Reportf(l, l.Fields[0].Span, "%s; Apache reads the whole line as a user name and nginx skips it", msg)
		}}
	},
}
