package rules

import (
	"strconv"

	"github.com/authlint/authlint/htpasswd"
)

// BcryptCostHigh reports hashes so expensive that every request stalls.
var BcryptCostHigh = &Rule{
	ID: "PW207", Name: "slow-hash", Severity: Warning,
	Summary: "bcrypt cost of 13 or more (or SHA-crypt rounds in the millions): seconds of CPU on every request",
	UserFile: func(p *UserFilePass) LineVisitor {
		agg := newAggregate()
		return LineVisitor{
			Line: func(l *UserLine) {
				if !passwordEntry(p, l) || l.Hash.Problem != "" {
					return
				}
				switch l.Hash.Scheme {
				case htpasswd.SchemeBcrypt:
					if l.Hash.Cost >= bcryptSlowCost {
						agg.add("bcrypt cost "+strconv.Itoa(l.Hash.Cost), l)
					}
				case htpasswd.SchemeSHA256Crypt, htpasswd.SchemeSHA512Crypt:
					if l.Hash.Cost >= shaCryptSlowRounds {
						agg.add(l.Hash.Scheme.String()+" rounds="+strconv.Itoa(l.Hash.Cost), l)
					}
				}
			},
			End: func(*FileEnd) {
				agg.each(func(what string, sf *schemeFinding) {
					h := htpasswd.Classify(hashOf(sf.first))
					sev, effect := Warning, "about 1.5–3 s of CPU"
					if h.Scheme == htpasswd.SchemeBcrypt && h.Cost >= bcryptTimeoutCost {
						sev, effect = Error, "several seconds of CPU (cost 15 sits at a 5 s client timeout, 17 takes over 10 s)"
					}
					p.reportAt(sev, sf,
						"%s for %s: neither server caches a verified password, so every request with credentials costs %s, and a busy nginx worker stalls every other client meanwhile; use cost %d–12",
						what, sf.usersPhrase(), effect, bcryptMinCost)
				})
			},
		}
	},
}
