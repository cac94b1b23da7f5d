package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// DuplicateGroup reports a group defined on several lines: Apache merges
// them, so removing a member from one line does not remove it.
var DuplicateGroup = &Rule{
	ID: "PW115", Name: "duplicate-group", Severity: Warning,
	Summary: "group defined on several lines: Apache merges them, so a member removed from one line stays in",
	UserFile: func(p *UserFilePass) LineVisitor {
		first := map[string]int{}
		return LineVisitor{Line: func(l *UserLine) {
			if p.Kind != filekind.Htgroup || l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 {
				return
			}
			name := l.Group.Group.Text
			if prev, ok := first[name]; ok {
				p.Reportf(l, l.Group.Group.Span,
					"group %q is already defined on %s: Apache reads every line and merges the members, so a user removed here but listed there is still in the group; keep one line per group",
					name, p.LineRef(prev, "first definition"))
				return
			}
			first[strings.Clone(name)] = l.Num
		}}
	},
}
