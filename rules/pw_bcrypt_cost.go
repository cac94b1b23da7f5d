package rules

import (
	"strconv"

	"github.com/authlint/authlint/htpasswd"
)

// Cost limits for bcrypt, from measurements on Apache 2.4.71 and nginx 1.22.1
// (facts nginx #7-#9, apache §1): cost 12 takes 0.6-0.8 s per request, 15
// takes 2-5 s, 17 over 10 s.
const (
	bcryptMinCost     = 10
	bcryptSlowCost    = 13
	bcryptTimeoutCost = 15
	// shaCryptSlowRounds is where SHA-crypt costs about a second per request.
	shaCryptSlowRounds = 1_000_000
)

// BcryptCostLow reports bcrypt hashes with a cost below 10.
var BcryptCostLow = &Rule{
	ID: "PW206", Name: "bcrypt-cost-low", Severity: Warning,
	Summary: "bcrypt cost below 10 (htpasswd -B defaults to 5): cheap to brute-force",
	UserFile: func(p *UserFilePass) LineVisitor {
		agg := newAggregate()
		return LineVisitor{
			Line: func(l *UserLine) {
				if passwordEntry(p, l) && l.Hash.Scheme == htpasswd.SchemeBcrypt && l.Hash.Problem == "" && l.Hash.Cost < bcryptMinCost {
					agg.add(strconv.Itoa(l.Hash.Cost), l)
				}
			},
			End: func(*FileEnd) {
				agg.each(func(cost string, sf *schemeFinding) {
					p.reportAt(p.Rule.Severity, sf,
						"bcrypt cost %s for %s is below %d (htpasswd -B defaults to 5): each guess is cheap; rehash with htpasswd -B -C %d",
						cost, sf.usersPhrase(), bcryptMinCost, bcryptMinCost)
				})
			},
		}
	},
}

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
