package rules

import "github.com/authlint/authlint/internal/filekind"

// NoUsers reports a password or digest file without a single entry.
var NoUsers = &Rule{
	ID: "PW109", Name: "no-users", Severity: Error,
	Summary: "the file defines no user (empty, or only comments): every login gets 401",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{End: func(end *FileEnd) {
			what, effect := "user", "every login gets 401"
			if p.Kind == filekind.Htgroup {
				what, effect = "group", "every `Require group` fails with 401"
			}
			switch {
			case end.Bytes == 0:
				p.ReportFilef("file is empty: it defines no %s, so %s", what, effect)
			case end.Entries == 0:
				p.ReportFilef("file has only comments and blank lines: it defines no %s, so %s", what, effect)
			}
		}}
	},
}
