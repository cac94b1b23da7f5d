package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheGrantedBesideUser reports `Require all granted` next to a user
// requirement in the same implicit or explicit <RequireAny>: the first one
// wins and the password is never asked (`apply_authz_sections` in
// mod_authz_core.c; scenario `apache-granted-beside-user`). A <RequireAll>
// of `Require all granted` and `Require not ip …` beside the user
// requirement is the same, but for the excluded clients (scenario
// `apache-requireall-not-beside-user`).
var ApacheGrantedBesideUser = &Rule{
	ID: "AP105", Name: "require-granted-beside-user", Severity: Error,
	Summary: "Require all granted (alone, or in a <RequireAll> with only Require not lines) beside a user requirement: open to everyone",
	Apache: func(p *ApachePass) {
		var check func(reqs []*apachemodel.Req, what string)
		check = func(reqs []*apachemodel.Req, what string) {
			var granted, user *apachemodel.Req
			var grant *apachemodel.Req     // the `Require all granted` line of a container
			var excl []*apachemodel.Req    // the lines that exclude clients from it
			var container *apachemodel.Req // the container that grants
			for _, r := range reqs {
				if r.Container == htaccess.SecRequireAny {
					check(r.Children, "<RequireAny>")
				}
				if r.Container == htaccess.SecRequireAll || r.Container == htaccess.SecRequireNone {
					check(r.Children, "")
				}
				if r.Container == "" && isAllGranted(r) && granted == nil {
					granted = r
				}
				if r.Container != "" && container == nil && !r.NeedsUser() && r.Limit == nil {
					if g, x, ok := grantsAllBut(r); ok {
						container, grant, excl = r, g, x
					}
				}
				if r.NeedsUser() && user == nil {
					user = r
				}
			}
			if user == nil || what == "" {
				return
			}
			if granted != nil {
				p.At(granted.Node, "`Require all granted` beside `Require %s` (%s) in one %s: any one of them is enough, so everyone gets in without a password; remove `Require all granted`", user.Provider, p.LineRef(granted.Node, user.Node), what)
			}
			if container == nil {
				return
			}
			who := "everyone"
			if len(excl) > 0 {
				var lines []string
				for _, x := range excl {
					lines = append(lines, "`Require not "+x.Provider+argsSuffix(x.Args)+"`")
				}
				who = "every client that " + strings.Join(lines, " and ") + " does not exclude"
			}
			p.At(grant.Node, "this <%s> (%s) grants %s, and it stands beside `Require %s` (%s) in one %s: any one of them is enough, so those clients get in without a password; replace `Require all granted` here with `Require %s` and drop the separate line",
				container.Node.Name, p.LineRef(grant.Node, container.Node), who, user.Provider, p.LineRef(grant.Node, user.Node), what, user.Provider+argsSuffix(user.Args))
		}
		for _, s := range p.Model.AllSections() {
			check(s.Conf.Requires, "section (several Require lines are an implicit <RequireAny>)")
		}
	},
}

func isAllGranted(r *apachemodel.Req) bool {
	return r.Container == "" && !r.Negated && r.Provider == "all" && len(r.Args) > 0 && strings.EqualFold(r.Args[0], "granted") && r.Limit == nil
}

func argsSuffix(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return " " + strings.Join(args, " ")
}

// grantsAllBut reports whether a Require container admits every anonymous
// client but those its `Require not …` lines exclude: a <RequireAll> whose
// lines are `Require all granted` and negations, or a <RequireAny> holding
// such a requirement. It returns the granting line and the excluding ones.
func grantsAllBut(r *apachemodel.Req) (grant *apachemodel.Req, excl []*apachemodel.Req, ok bool) {
	if r.Limit != nil {
		return nil, nil, false
	}
	switch r.Container {
	case "":
		if isAllGranted(r) {
			return r, nil, true
		}
	case htaccess.SecRequireAny:
		for _, c := range r.Children {
			if g, x, ok := grantsAllBut(c); ok {
				return g, x, true
			}
		}
	case htaccess.SecRequireAll:
		for _, c := range r.Children {
			switch g, x, ok := grantsAllBut(c); {
			case ok:
				if grant == nil {
					grant = g
				}
				excl = append(excl, x...)
			case c.Container == "" && c.Negated && c.Limit == nil:
				excl = append(excl, c)
			default:
				return nil, nil, false
			}
		}
		return grant, excl, grant != nil
	}
	return nil, nil, false
}
