package rules

import (
	"hash/maphash"

	"github.com/authlint/authlint/htpasswd"
)

// DuplicateUser reports a user defined on more than one line: both servers
// use the first line, so every later line is dead.
var DuplicateUser = &Rule{
	ID: "PW108", Name: "duplicate-user", Severity: Error,
	Summary: "user defined twice: the first line wins on both servers, later lines are dead",
	UserFile: func(p *UserFilePass) LineVisitor {
		// Keys are 64-bit hashes of the user (and realm, for digest files), so
		// memory stays small on million-line files; a collision would need
		// about 2^32 users.
		seed := maphash.MakeSeed()
		first := map[uint64]int{}
		return LineVisitor{Line: func(l *UserLine) {
			if l.Kind != htpasswd.KindEntry || len(l.Fields) < 2 || p.Kind == KindHtgroup {
				return
			}
			key := l.Fields[0].Text
			what := "user " + quote(key)
			if p.Kind == KindHtdigest && len(l.Fields) >= 3 {
				key += "\x00" + l.Fields[1].Text
				what += " in realm " + quote(l.Fields[1].Text)
			}
			h := maphash.String(seed, key)
			if prev, ok := first[h]; ok {
				p.Reportf(l, l.Fields[0].Span,
					"%s is already defined on line %d; on %s the first line wins, so this line is never read (its password does not work)",
					what, prev, p.Servers)
				return
			}
			first[h] = l.Num
		}}
	},
}
