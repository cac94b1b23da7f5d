package rules

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheRequireWords reports Require lines whose words do not mean what they
// look like: a trailing "# comment" on `Require user` or `Require group`
// (Apache has no trailing comments: every word is a name, so a user named in
// the comment is admitted: `user_check_authorization` in mod_authz_user.c;
// scenario `apache-require-user-comment`), words after `Require valid-user`
// (it has no arguments: they are ignored and every user gets in; scenario
// `apache-require-valid-user-comment`), and `Require valid user` (scenarios
// `apache-require-valid-user-typo`, `apache-startup-require-valid-user`).
var ApacheRequireWords = &Rule{
	ID: "AP106", Name: "require-words", Severity: Error,
	Summary: "a Require line's words are not what they look like: a trailing # comment adds users, words after valid-user restrict nothing, `valid user` is no provider",
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
					case "valid-user":
						if len(r.Args) > 0 {
							validUserWords(p, s, r)
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

// validUserWords reports the words after `Require valid-user`, which httpd
// ignores (the valid-user provider reads no arguments): an error when they
// look like a restriction (bare names; a comment naming a user or group of
// the files in effect, or saying "only", "except", "not" or "no"), a
// warning for a plain comment.
func validUserWords(p *ApachePass, s *apachemodel.Section, r *apachemodel.Req) {
	comment := strings.HasPrefix(r.Args[0], "#")
	file := "the user file"
	var users, groups map[string]bool
	for _, e := range p.Model.Effects(s, "GET") {
		if e.Authz.Own() != s {
			continue
		}
		if n := e.AuthUserFile.Node; n != nil {
			if path := p.Model.ResolveFile(n); path != "" {
				if d := p.Model.UserData(p.FS, path); d != nil {
					file, users = path, d.Users
				}
			}
		}
		if n := e.AuthGroupFile.Node; n != nil {
			if path := p.Model.ResolveFile(n); path != "" {
				if d := p.Model.UserData(p.FS, path); d != nil {
					groups = d.Groups
				}
			}
		}
		break
	}
	var names, groupNames []string
	restricts := !comment
	for _, w := range r.Args {
		w = strings.Trim(w, "#,.;:()'\"")
		switch {
		case w == "":
		case !comment || users[w]:
			names = append(names, w)
		case groups[w]:
			groupNames = append(groupNames, w)
		case slices.Contains([]string{"only", "except", "not", "no"}, strings.ToLower(w)):
			restricts = true
		}
	}
	words := strings.Join(r.Args, " ")
	fix := "put the comment on its own line (or write `Require user …` or `Require group …` if it meant a restriction)"
	switch {
	case len(names) > 0:
		fix = "write `Require user " + strings.Join(names, " ") + "`"
	case len(groupNames) > 0:
		fix = "write `Require group " + strings.Join(groupNames, " ") + "`"
	}
	if comment && (len(names) > 0 || len(groupNames) > 0) {
		fix += " and put the comment on its own line"
	}
	switch {
	case !comment:
		verb := "restrict"
		if len(names) == 1 {
			verb = "restricts"
		}
		p.At(r.Node, "httpd ignores every word after `Require valid-user`, so %s %s nothing: every user in %s gets in; %s",
			quoteList(names), verb, file, fix)
	case restricts || len(names) > 0 || len(groupNames) > 0:
		p.At(r.Node, "Apache has no trailing comments and `Require valid-user` ignores its words: the restriction %s is not applied, every user in %s gets in; %s",
			quote(words), file, fix)
	default:
		p.ReportSeverityf(Warning, r.Node.File, nodeSpan(r.Node), "Apache has no trailing comments and `Require valid-user` ignores its words: %s restricts nothing, every user in %s gets in; %s",
			quote(words), file, fix)
	}
}
