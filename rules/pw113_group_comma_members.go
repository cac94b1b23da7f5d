package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// GroupCommaMembers reports "admins: alice,bob": Apache splits members at
// blanks only, so this is one member named "alice,bob".
var GroupCommaMembers = &Rule{
	ID: "PW113", Name: "group-comma-members", Severity: Error,
	Summary: "comma-separated group members: Apache reads one member named \"alice,bob\"",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != filekind.Htgroup || l.Kind != htpasswd.KindEntry {
				return
			}
			for _, m := range l.Group.Members {
				if !strings.Contains(m.Text, ",") {
					continue
				}
				names := strings.FieldsFunc(m.Text, func(r rune) bool { return r == ',' })
				p.Reportf(l, m.Span,
					"group %q has the member %q: Apache separates members with blanks only, so none of %s is in the group (401); write %q",
					l.Group.Group.Text, m.Text, quoteList(names), strings.Join(names, " "))
			}
		}}
	},
}
