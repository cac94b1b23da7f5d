package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheRequireUserUnknown reports `Require user` names that the user file in
// effect does not hold: nobody by that name can log in, and when none of
// them exists everyone gets 401, the right password too (AH01618, and AH01631
// from `authorize_user_core` in mod_authz_core.c; scenario
// `apache-require-user-unknown`).
var ApacheRequireUserUnknown = &Rule{
	ID: "AP406", Name: "require-user-unknown", Severity: Error,
	Summary: "Require user names a user the AuthUserFile does not hold",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			var users []*apachemodel.Req
			for _, r := range s.Conf.Requires {
				if r.Container == "" && r.Provider == "user" && !r.Negated {
					users = append(users, r)
				}
			}
			if len(users) == 0 {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				if e.Authz.Own() != s || e.AuthUserFile.Node == nil {
					continue
				}
				path := p.Model.ResolveFile(e.AuthUserFile.Node)
				d := p.Model.UserData(p.FS, path)
				if path == "" || d == nil {
					break
				}
				for _, r := range users {
					var missing []string
					for _, u := range r.Args {
						if len(u) > 0 && u[0] == '#' {
							break // AP106 reports the comment
						}
						if !d.Users[u] {
							missing = append(missing, u)
						}
					}
					switch {
					case len(missing) == 0:
					case len(missing) == len(r.Args):
						p.At(r.Node, "none of %s is in %s: everyone gets 401, the right password too (AH01618 user not found)", quoteList(missing), path)
					default:
						p.ReportSeverityf(Warning, r.Node.File, nodeSpan(r.Node), "%s not in %s: that name cannot log in", quoteList(missing), path)
					}
				}
				break
			}
		}
	},
}
