package rules

import (
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// EmptyGroup reports a group line without members.
var EmptyGroup = &Rule{
	ID: "PW114", Name: "empty-group", Severity: Warning,
	Summary: "group without members: `Require group` for it admits nobody",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != filekind.Htgroup || l.Kind != htpasswd.KindEntry {
				return
			}
			if len(l.Fields) < 2 {
				p.ReportSeverityf(Error, l, l.Fields[0].Span,
					"line has no ':' so it defines no group (group files are \"group: user user ...\")")
				return
			}
			if len(l.Group.Members) == 0 {
				p.Reportf(l, l.Group.Group.Span,
					"group %q has no members: `Require group %s` admits nobody (401 for every user)",
					l.Group.Group.Text, l.Group.Group.Text)
			}
		}}
	},
}
