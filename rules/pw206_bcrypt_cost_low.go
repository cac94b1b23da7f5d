package rules

import (
	"strconv"

	"github.com/authlint/authlint/htpasswd"
)

// Cost limits for bcrypt, from measurements on Apache 2.4.71 and nginx 1.22.1
// (observed by hand, no scenario; both servers verify on every request, Apache
// in `apr_password_validate`, nginx in a synchronous `crypt_r()` call from
// `ngx_libc_crypt`): cost 12 takes 0.6-0.8 s per request, 15 takes 2-5 s, 17
// over 10 s.
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
