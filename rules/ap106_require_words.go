package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheRequireWords reports Require lines whose words do not mean what they
// look like: a trailing "# comment" on `Require user` or `Require group`
// (Apache has no trailing comments: every word is a name, so a user named in
// the comment is admitted: `user_check_authorization` in mod_authz_user.c;
// scenario `apache-require-user-comment`), and `Require valid user` (scenarios
// `apache-require-valid-user-typo`, `apache-startup-require-valid-user`).
var ApacheRequireWords = &Rule{
	ID: "AP106", Name: "require-words", Severity: Error,
	Summary: "a Require line's words are not what they look like: a trailing # comment adds users, `valid user` is no provider",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			var visit func(rs []*apachemodel.Req)
			visit = func(rs []*apachemodel.Req) {
				for _, r := range rs {
					visit(r.Children)
					if r.Container != "" {
						continue
					}
					switch r.Provider {
					case "user", "group":
						for i, a := range r.Args {
							if strings.HasPrefix(a, "#") {
								names := r.Args[i:]
								if a == "#" {
									names = r.Args[i+1:]
								}
								p.At(r.Node, "Apache has no trailing comments: every word after `Require %s` is a %s name, so %s count as %ss too; put the comment on its own line",
									r.Provider, r.Provider, quoteList(names), r.Provider)
								break
							}
						}
					case "valid":
						if len(r.Args) > 0 && strings.EqualFold(r.Args[0], "user") {
							where := "apache2 -t fails with `Unknown Authz provider: valid` and the server does not start"
							if s.Htaccess != nil {
								where = "every request to this directory gets 500 (`Unknown Authz provider: valid`)"
							}
							p.At(r.Node, "`Require valid user` names the unknown provider \"valid\": %s; write `Require valid-user`", where)
						}
					}
				}
			}
			visit(s.Conf.Requires)
		}
	},
}
