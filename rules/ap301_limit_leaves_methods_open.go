package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// probeMethods are the methods AP301 tries: the usual ones and WebDAV's.
var probeMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK"}

// ApacheLimitMethodsOpen reports a user requirement inside <Limit>: every
// other method is granted without a password (`apply_authz_sections` in
// mod_authz_core.c, AH01625; scenario `apache-limit-get-post`; on WebDAV,
// observed by hand: PUT 201, DELETE 204, PROPFIND 207), even when the parent
// denies everything.
var ApacheLimitMethodsOpen = &Rule{
	ID: "AP301", Name: "limit-leaves-methods-open", Severity: Error,
	Summary: "Require inside <Limit GET POST>: every other method (PUT, DELETE, PROPFIND...) is served without a password",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			var limit *htaccess.Node
			for _, r := range s.Conf.Requires {
				if r.Limit != nil && r.Limit.Lower == htaccess.SecLimit && r.NeedsUser() {
					limit = r.Limit
					break
				}
			}
			if limit == nil {
				continue
			}
			own := &apachemodel.Authz{Sec: s, Reqs: s.Conf.Requires}
			var open []string
			for _, m := range probeMethods {
				if own.Decide(m) == apachemodel.Granted {
					open = append(open, m)
				}
			}
			if len(open) == 0 {
				continue
			}
			p.At(limit, "<Limit %s> limits the password to those methods: %s are granted to anyone (with a WebDAV or script handler they write, delete and list); use <LimitExcept> for the methods that may stay public, or drop the <Limit>",
				strings.Join(limit.ArgValues(), " "), strings.Join(open, ", "))
		}
	},
}
