package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
)

// GroupCommaMembers reports "admins: alice,bob": Apache splits members at
// blanks only, so this is one member named "alice,bob".
var GroupCommaMembers = &Rule{
	ID: "PW113", Name: "group-comma-members", Severity: Error,
	Summary: "comma-separated group members: Apache reads one member named \"alice,bob\"",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != KindHtgroup || l.Kind != htpasswd.KindEntry {
				return
			}
			for _, m := range l.Group.Members {
				if !strings.Contains(m.Text, ",") {
					continue
				}
				names := strings.FieldsFunc(m.Text, func(r rune) bool { return r == ',' })
				p.Reportf(l, m.Span,
					"group %q has the member %q: Apache separates members with blanks only, so none of %s is in the group (401); write %q",
					l.Group.Group.Text, m.Text, quote(strings.Join(names, `", "`)), strings.Join(names, " "))
			}
		}}
	},
}

// EmptyGroup reports a group line without members.
var EmptyGroup = &Rule{
	ID: "PW114", Name: "empty-group", Severity: Warning,
	Summary: "group without members: `Require group` for it admits nobody",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != KindHtgroup || l.Kind != htpasswd.KindEntry {
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

// DuplicateGroup reports a group defined on several lines: Apache merges
// them, so removing a member from one line does not remove it.
var DuplicateGroup = &Rule{
	ID: "PW115", Name: "duplicate-group", Severity: Warning,
	Summary: "group defined on several lines: Apache merges them, so a member removed from one line stays in",
	UserFile: func(p *UserFilePass) LineVisitor {
		first := map[string]int{}
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != KindHtgroup || l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 {
				return
			}
			name := l.Group.Group.Text
			if prev, ok := first[name]; ok {
				p.Reportf(l, l.Group.Group.Span,
					"group %q is already defined on line %d: Apache reads every line and merges the members, so a user removed here but listed there is still in the group; keep one line per group",
					name, prev)
				return
			}
			first[name] = l.Num
		}}
	},
}
