package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheGrantedBesideUser reports `Require all granted` next to a user
// requirement in the same implicit or explicit <RequireAny>: the first one
// wins and the password is never asked (`apply_authz_sections` in
// mod_authz_core.c; scenario `apache-granted-beside-user`).
var ApacheGrantedBesideUser = &Rule{
	ID: "AP105", Name: "require-granted-beside-user", Severity: Error,
	Summary: "Require all granted beside a user requirement (an implicit RequireAny): open to everyone",
	Apache: func(p *ApachePass) {
		var check func(reqs []*apachemodel.Req, what string)
		check = func(reqs []*apachemodel.Req, what string) {
			var granted, user *apachemodel.Req
			for _, r := range reqs {
				if r.Container == htaccess.SecRequireAny {
					check(r.Children, "<RequireAny>")
				}
				if r.Container == htaccess.SecRequireAll || r.Container == htaccess.SecRequireNone {
					check(r.Children, "")
				}
				if r.Container == "" && !r.Negated && r.Provider == "all" && len(r.Args) > 0 && strings.EqualFold(r.Args[0], "granted") && r.Limit == nil && granted == nil {
					granted = r
				}
				if r.NeedsUser() && user == nil {
					user = r
				}
			}
			if granted == nil || user == nil || what == "" {
				return
			}
			p.At(granted.Node, "`Require all granted` beside `Require %s` (%s) in one %s: any one of them is enough, so everyone gets in without a password; remove `Require all granted`", user.Provider, p.LineRef(granted.Node, user.Node), what)
		}
		for _, s := range p.Model.AllSections() {
			check(s.Conf.Requires, "section (several Require lines are an implicit <RequireAny>)")
		}
	},
}
