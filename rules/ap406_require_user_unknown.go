package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheRequireUserUnknown reports `Require user` names that the user file in
// effect does not hold: nobody by that name can log in, and when none of
// them exists and the section requires nothing else, everyone gets 401, the
// right password too (AH01618, and AH01631 from `authorize_user_core` in
// mod_authz_core.c; scenarios `apache-require-user-unknown` and
// `apache-require-group-partly-undefined`).
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
				// The Require lines of a section are alternatives: everyone
				// gets 401 only when no named user exists and nothing else
				// (valid-user, a group, an address) can grant.
				missing := make([][]string, len(users))
				anyPresent := false
				for i, r := range users {
					for _, u := range r.Args {
						if len(u) > 0 && u[0] == '#' {
							break // AP106 reports the comment
						}
						if d.Users[u] {
							anyPresent = true
						} else {
							missing[i] = append(missing[i], u)
						}
					}
				}
				onlyUsers := requiresOnly(s, "user")
				for i, r := range users {
					switch {
					case len(missing[i]) == 0:
					case !anyPresent && onlyUsers:
						p.At(r.Node, "none of %s is in %s: everyone gets 401, the right password too (AH01618 user not found)", quoteList(missing[i]), path)
					default:
						p.ReportSeverityf(Warning, r.Node.File, nodeSpan(r.Node), "%s not in %s: that name cannot log in", quoteList(missing[i]), path)
					}
				}
				break
			}
		}
	},
}
