package rules

import (
	"path/filepath"
	"strings"
	"syscall"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/internal/serverfs"
)

// NginxUserFileMissing reports an auth_basic_user_file that does not exist:
// anonymous requests still get 401 (`ngx_http_auth_basic_user`, before the
// file is opened), every login gets 403 (ENOENT in
// `ngx_http_auth_basic_handler`; scenario `nginx-user-file-missing`).
var NginxUserFileMissing = &Rule{
	ID: "NG401", Name: "user-file-missing", Severity: Error,
	Summary: "auth_basic_user_file does not exist: anonymous requests still get 401, every login gets 403",
	Nginx: func(p *NginxPass) {
		for _, uf := range p.Model.UserFiles() {
			d := uf.Directive
			if uf.Path == "" || strings.Contains(uf.Path, "$") {
				continue
			}
			prob := serverfs.CheckReadable(p.FS, uf.Path, serverfs.Account{UID: 0})
			if prob == nil || prob.Errno != syscall.ENOENT {
				continue
			}
			if acc, ok := nginxmodel.Worker(p.Conf); ok {
				if w := serverfs.CheckReadable(p.FS, uf.Path, acc); w != nil && w.Errno == syscall.EACCES {
					continue // the workers stop at a directory they cannot search: 500, NG402's finding
				}
			}
			if why := p.FS.Unchecked(uf.Path); why != "" {
				p.ReportSeverityf(Info, d.File, d.Args[0].Span, "cannot check %s: %s", uf.Path, why)
				continue
			}
			where := ""
			if arg := d.Arg(0); !filepath.IsAbs(arg) {
				where = " (a relative path resolves against the directory of the main nginx.conf, " + p.Model.Prefix + ", not against the including file"
				if alt := filepath.Join(filepath.Dir(d.File), arg); alt != uf.Path && exists(p.FS, alt) {
					where += "; did you mean " + alt + "?"
				}
				where += ")"
			}
			p.Reportf(d.File, d.Args[0].Span, "user file %s does not exist%s: anonymous requests still get 401, so probes look healthy, but every login gets 403", uf.Path, where)
		}
	},
}
