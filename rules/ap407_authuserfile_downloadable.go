package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheUserFileDownloadable reports a user or group file that a server
// serves: Apache has no built-in .ht* protection; it lives in the stock
// `<Files ".ht*"> Require all denied`; without it `default_handler` in
// server/core.c serves the file (scenario `apache-user-file-served`).
var ApacheUserFileDownloadable = &Rule{
	ID: "AP407", Name: "authuserfile-downloadable", Severity: Error,
	Summary: "the user file lies under a DocumentRoot and Apache serves it: the hashes can be downloaded",
	Apache: func(p *ApachePass) {
		done := map[string]bool{}
		for _, ref := range p.Model.UserFiles() {
			if ref.Path == "" || done[ref.Path] || !exists(p.FS, ref.Path) {
				continue
			}
			done[ref.Path] = true
			for _, srv := range p.Model.ServersWithDocRootAbove(ref.Path) {
				root := p.Model.DocRoot(srv)
				uri := "/" + strings.TrimPrefix(strings.TrimPrefix(ref.Path, root), "/")
				e := p.Model.Effect(apachemodel.Request{Server: srv, URI: uri, Method: "GET"})
				switch {
				case e.Uncertain:
					continue // an <If> the model cannot evaluate might deny it
				case e.Decide() == apachemodel.Granted:
					p.At(ref.Node, "%s is inside DocumentRoot %s and nothing denies it: anyone can download the hashes at %s; %s", ref.Path, root, uri, denyFileFix(ref.Path))
				case e.Decide() == apachemodel.NeedUser:
					p.ReportSeverityf(Warning, ref.Node.File, nodeSpan(ref.Node), "%s is inside DocumentRoot %s: any logged-in user can download the hashes at %s; %s", ref.Path, root, uri, denyFileFix(ref.Path))
				default:
					continue
				}
				break
			}
		}
	},
}

// denyFileFix suggests what fixes a served user file. The stock `<Files
// ".ht*">` guard only covers names that start with .ht: for another name
// it would not help (and where the file is served, the configuration
// either lacks that guard or the name escapes it), so the suggestion
// names the file itself.
func denyFileFix(p string) string {
	base := path.Base(p)
	if strings.HasPrefix(base, ".ht") {
		return "move it out of the document root, or add `<Files \".ht*\"> Require all denied </Files>`"
	}
	return fmt.Sprintf("move it out of the document root (the stock `<Files \".ht*\">` guard does not cover the name %q), or add `<Files %q> Require all denied </Files>`", base, base)
}
