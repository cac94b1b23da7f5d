package rules

import (
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// TrailingComment reports "user:hash # note": neither server has trailing
// comments, so the note becomes part of the hash.
var TrailingComment = &Rule{
	ID: "PW104", Name: "trailing-comment", Severity: Error,
	Summary: "a '# comment' after the hash becomes part of it: the user can never log in",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 || p.Kind == filekind.Htgroup {
				return
			}
			i := trailingCommentAt(l)
			if i < 0 || (p.Kind == filekind.Htpasswd && len(l.Fields) != 2) || (p.Kind == filekind.Htdigest && len(l.Fields) != 3) {
				return // a comment in a field after the hash is harmless
			}
			f := l.Fields[len(l.Fields)-1]
			start := f.Span.Start
			start.Col += int32(i)
			start.Offset += int32(i)
			who := "this entry"
			if len(l.Fields) > 0 {
				who = "user " + quote(l.Fields[0].Text)
			}
			p.Reportf(l, htpasswd.Span{Start: start, End: f.Span.End},
				"%s has a trailing comment: on %s there are no trailing comments, the text becomes part of the hash and the user can never log in; move the comment to its own line starting with '#'",
				who, p.Servers)
		}}
	},
}
