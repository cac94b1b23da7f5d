package rules

import (
	"path"
	"slices"
	"strings"
)

// ApacheUserFileDownloadable reports a user or group file that a server
// serves: Apache has no built-in .ht* protection; it lives in the stock
// `<Files ".ht*"> Require all denied` (facts §6).
var ApacheUserFileDownloadable = &Rule{
	ID: "AP407", Name: "authuserfile-downloadable", Severity: Error,
	Summary: "the user file lies under a DocumentRoot and Apache serves it: the hashes can be downloaded",
	Apache: func(p *ApachePass) {
		done := map[string]bool{}
		var byRoot map[string][]*ApServer // serving servers by DocumentRoot, built on first use
		for _, ref := range p.Model.UserFiles() {
			if ref.Path == "" || done[ref.Path] || !exists(p.FS, ref.Path) {
				continue
			}
			done[ref.Path] = true
			if byRoot == nil {
				servers := p.Model.ServingServers()
				byRoot = make(map[string][]*ApServer, len(servers))
				for _, srv := range servers {
					root := p.Model.DocRoot(srv)
					switch l := byRoot[root]; {
					case root == "":
					case len(l) == 0 && srv.one != nil:
						byRoot[root] = srv.one // shared, read-only
					default:
						byRoot[root] = append(slices.Clip(l), srv)
					}
				}
			}
			// The servers whose DocumentRoot holds the file, in server order.
			var servers []*ApServer
			for d := pathParent(path.Clean(ref.Path)); ; d = pathParent(d) {
				servers = append(servers, byRoot[d]...)
				if d == "/" || d == "." {
					break
				}
			}
			slices.SortFunc(servers, func(a, b *ApServer) int { return a.idx - b.idx })
			for _, srv := range servers {
				root := p.Model.DocRoot(srv)
				uri := "/" + strings.TrimPrefix(strings.TrimPrefix(ref.Path, root), "/")
				e := p.Model.Effect(ApRequest{Server: srv, URI: uri, Method: "GET"})
				switch {
				case e.Uncertain:
					continue // an <If> the model cannot evaluate might deny it
				case e.Decide() == ApGranted:
					p.At(ref.Node, "%s is inside DocumentRoot %s and nothing denies it: anyone can download the hashes at %s; move it out of the document root, or add `<Files \".ht*\"> Require all denied </Files>`", ref.Path, root, uri)
				case e.Decide() == ApNeedUser:
					p.ReportSeverityf(Warning, ref.Node.File, nodeSpan(ref.Node), "%s is inside DocumentRoot %s: any logged-in user can download the hashes at %s; move it out of the document root, or add `<Files \".ht*\"> Require all denied </Files>`", ref.Path, root, uri)
				default:
					continue
				}
				break
			}
		}
	},
}
