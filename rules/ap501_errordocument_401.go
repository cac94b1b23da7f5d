package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheErrorDocument401 reports an `ErrorDocument 401` that cannot do what
// it says: a full URL is dropped at start-up (AH00113; a redirect would lose
// the challenge), and a page inside another protected area is answered with
// that area's realm and the built-in text (`set_error_document` in
// server/core.c; scenario `apache-errordocument-401`).
var ApacheErrorDocument401 = &Rule{
	ID: "AP501", Name: "errordocument-401", Severity: Warning,
	Summary: "ErrorDocument 401 to a full URL (ignored) or into another protected area (changes the realm)",
	Apache: func(p *ApachePass) {
		for _, srv := range p.Model.ServingServers() {
			for _, n := range srv.ErrorDocs {
				target, ok := localErrorDocument401(p, n)
				if !ok {
					continue
				}
				if te := p.Model.Effect(apachemodel.Request{Server: srv, URI: target, Method: "GET"}); te.Decide() == apachemodel.NeedUser {
					p.At(n, "ErrorDocument 401 %s is itself protected (%s): a 401 from any other area is answered with the built-in page and the realm %s; move the page to a public path", target, p.WhereSec(te.Authz.Own()), quote(te.AuthName.Value()))
				}
			}
		}
		for _, s := range p.Model.AllSections() {
			for _, n := range s.Conf.ErrorDocs {
				target, ok := localErrorDocument401(p, n)
				if !ok {
					continue
				}
				for _, e := range p.Model.Effects(s, "GET") {
					te := p.Model.Effect(apachemodel.Request{Server: e.Req.Server, URI: target, Method: "GET"})
					if te.Decide() != apachemodel.NeedUser || te.Authz.Own() == e.Authz.Own() {
						continue
					}
					if te.AuthName.Value() == e.AuthName.Value() && te.AuthType.Value() == e.AuthType.Value() {
						continue
					}
					p.At(n, "ErrorDocument 401 %s lies in another protected area (%s): clients get the built-in page instead, and the challenge's realm becomes %s; move the page to a public path", target, p.WhereSec(te.Authz.Own()), quote(te.AuthName.Value()))
					break
				}
			}
		}
	},
}

// localErrorDocument401 returns the local URL of an `ErrorDocument 401`,
// reporting one that is a full URL; ok is false for other codes, full URLs
// and message texts.
func localErrorDocument401(p *ApachePass, n *htaccess.Node) (target string, ok bool) {
	if len(n.Args) < 2 || n.Args[0].Expanded != "401" {
		return "", false
	}
	target = n.Args[1].Expanded
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		p.At(n, "ErrorDocument 401 cannot be a full URL: httpd drops it at start-up (AH00113) and sends its built-in 401 page; use a local path such as /errors/401.html")
		return "", false
	}
	return target, strings.HasPrefix(target, "/")
}
