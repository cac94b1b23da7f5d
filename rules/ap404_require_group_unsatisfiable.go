package rules

import (
	"io/fs"
	"strings"
	"syscall"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/serverfs"
)

// ApacheGroupFile reports `Require group` that can never succeed: no
// AuthGroupFile in effect (AH01664), a missing group file (AH01665), or a
// group the file does not define. Unlike a missing AuthUserFile these give
// 401 to everyone, not 500 (`group_check_authorization` in
// mod_authz_groupfile.c denies; scenario `apache-require-group`).
var ApacheGroupFile = &Rule{
	ID: "AP404", Name: "require-group-unsatisfiable", Severity: Error,
	Summary: "Require group with no AuthGroupFile, a missing group file or no defined group: 401 for everyone (an undefined group beside others: a warning)",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			var groups []*apachemodel.Req
			var visit func(rs []*apachemodel.Req)
			visit = func(rs []*apachemodel.Req) {
				for _, r := range rs {
					visit(r.Children)
					if r.Container == "" && r.Provider == "group" && !r.Negated {
						groups = append(groups, r)
					}
				}
			}
			visit(s.Conf.Requires)
			if len(groups) == 0 {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				if e.Authz.Own() != s {
					continue
				}
				r := groups[0]
				gf := e.AuthGroupFile.Node
				if gf == nil {
					p.At(r.Node, "`Require group` but no AuthGroupFile is in effect for %s: group members get 401 (AH01664 No group file was specified), not 500; add AuthGroupFile", e.Req.URI)
					break
				}
				path := p.Model.ResolveFile(gf)
				if path == "" {
					break
				}
				if prob := p.checkReadable(path, serverfs.Account{UID: 0}); prob != nil {
					if prob.Errno == syscall.ENOENT && p.FS.Unchecked(path) != "" {
						break
					}
					if prob.Type&fs.ModeNamedPipe != 0 {
						p.At(gf, "AuthGroupFile %s is a FIFO (named pipe): httpd's open blocks until something writes to it, so every request that needs a group hangs and holds a worker thread", path)
						break
					}
					if path == htaccess.DevNull {
						p.At(gf, "AuthGroupFile /dev/null is read as an empty file: no group has a member, so every user who needs a group gets 401 (AH01666)")
						break
					}
					p.At(gf, "AuthGroupFile %s %s: every user who needs a group gets 401 (AH01665 Could not open group file), anonymous ones too", path, prob.Reason)
					break
				}
				reportUndefinedGroups(p, s, groups, path)
				break
			}
		}
	},
}

// reportUndefinedGroups reports the group names of groups that path does
// not define. When no listed group is defined and the section requires
// nothing else, everyone gets 401 (an error); otherwise the name only lets
// nobody in, and the others still work (a warning). Words from a `#` on
// are AP106's: Apache has no trailing comments, and that rule says so.
func reportUndefinedGroups(p *ApachePass, s *apachemodel.Section, groups []*apachemodel.Req, path string) {
	type undefined struct {
		g    *apachemodel.Req
		name string
	}
	var missing []undefined
	anyDefined := false
	for _, g := range groups {
		for _, name := range g.Args {
			if strings.HasPrefix(name, "#") {
				break
			}
			if _, found := apachemodel.GroupMembers(p.FS, path, name); found {
				anyDefined = true
			} else {
				missing = append(missing, undefined{g, name})
			}
		}
	}
	onlyGroups := requiresOnly(s, "group")
	for _, u := range missing {
		if !anyDefined && onlyGroups {
			p.At(u.g.Node, "group %s is not defined in %s: nobody is a member, so everyone gets 401 (AH01666)", quote(u.name), path)
			continue
		}
		p.ReportSeverityf(Warning, u.g.Node.File, nodeSpan(u.g.Node), "group %s is not defined in %s: it lets nobody in (AH01666), so the users it was meant for get 401; the other requirements still apply", quote(u.name), path)
	}
}
