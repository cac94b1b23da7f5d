package rules

import (
	"hash/maphash"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
)

// DuplicateUser reports a user defined on more than one line: both servers
// use the first line, so every later line is dead.
var DuplicateUser = &Rule{
	ID: "PW108", Name: "duplicate-user", Severity: Error,
	Summary: "user defined twice: the first line wins on both servers, later lines are dead",
	UserFile: func(p *UserFilePass) LineVisitor {
		// Keys are 64-bit hashes of the user (and realm, for digest files); a
		// collision would need about 2^32 users.
		seed := maphash.MakeSeed()
		type dup struct {
			what   string
			source string
			span   htpasswd.Span
		}
		dups := newDupDetector[dup](p.SizeHint / 80)
		return LineVisitor{
			Line: func(l *UserLine) {
				if l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 || p.Kind == filekind.Htgroup {
					return
				}
				user := l.Fields[0].Text
				if p.Kind == filekind.Htpasswd {
					user = l.User.User.Text // Apache trims leading blanks
				}
				key := user
				digest := p.Kind == filekind.Htdigest && len(l.Fields) >= 3
				if digest {
					key = user + "\x00" + l.Fields[1].Text
				}
				if d := dups.add(maphash.String(seed, key), l.Num); d != nil {
					what := "user " + quote(user)
					if digest {
						what += " in realm " + quote(shownRealm(l.Fields[1].Text))
					}
					*d = dup{what: what, source: l.Redacted(), span: l.Fields[0].Span}
				}
			},
			End: func(*FileEnd) {
				dups.each(func(first, line int, d dup, ok bool) {
					if !ok { // past the candidates that keep their text
						d = dup{what: "the user", span: htpasswd.Span{Start: htpasswd.Pos{Line: int32(line), Col: 1}}}
					}
					p.reportSource(p.Rule.Severity, d.span, d.source,
						"%s is already defined on %s; on %s the first line wins, so this line is never read (its password does not work)",
						d.what, p.LineRef(first, "first definition"), p.Servers)
				})
			},
		}
	},
}
