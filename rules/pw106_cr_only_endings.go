package rules

import (
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// CROnlyEndings reports old-Mac CR-only line endings: the servers see one line.
var CROnlyEndings = &Rule{
	ID: "PW106", Name: "cr-only-endings", Severity: Error,
	Summary: "CR-only line endings: the servers read the whole file as one line",
	UserFile: func(p *UserFilePass) LineVisitor {
		done := false
		return LineVisitor{Line: func(l *UserLine) {
			if done || !l.BareCR {
				return
			}
			done = true
			effect := "every user after the first is lost"
			switch {
			case p.Servers.Only(Apache):
				effect = "no user can log in (Apache reads the rest of the file into the first hash)"
			case p.Servers.Only(Nginx):
				effect = "only the first user can log in (nginx ends the first hash at the CR and ignores the rest)"
			case p.Kind == filekind.Htpasswd:
				effect = "only the first user can log in on nginx, and nobody on Apache"
			}
			p.Reportf(l, htpasswd.Span{Start: htpasswd.Pos{Line: int32(l.Num), Col: 1}},
				"file uses CR-only line endings: both servers split lines at LF only, so %s; convert the file to LF line endings", effect)
		}}
	},
}
