package rules

import "github.com/authlint/authlint/htpasswd"

// UTF8BOM reports a byte-order mark at the start of a user file.
var UTF8BOM = &Rule{
	ID: "PW101", Name: "utf8-bom", Severity: Error,
	Summary: "UTF-8 byte-order mark before the first entry locks that user out",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if !l.BOM {
				return
			}
			what := "the first line"
			if l.Kind == htpasswd.KindEntry && len(l.Fields) > 0 {
				what = "user " + quote(l.Fields[0].Text)
			}
			p.Reportf(l, htpasswd.Span{Start: htpasswd.Pos{Line: int32(l.Num), Col: 1}, End: htpasswd.Pos{Line: int32(l.Num), Col: 4}},
				"file starts with a UTF-8 byte-order mark: on %s it becomes part of %s, who can never log in; save the file without the BOM",
				p.Servers, what)
		}}
	},
}
