package rules

import (
	"strings"
	"syscall"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/internal/serverfs"
)

// NginxUserFileUnreadable reports a user file that is a directory, sits
// behind a file in its path, or cannot be read by the worker user: every
// login gets 500 (`ngx_http_auth_basic_handler`: any error but ENOENT;
// scenario `nginx-user-file-unreadable`; ENOTDIR observed by hand).
var NginxUserFileUnreadable = &Rule{
	ID: "NG402", Name: "user-file-unreadable", Severity: Error,
	Summary: "auth_basic_user_file is a directory, behind a file, or unreadable by the worker user: every login gets 500",
	Nginx: func(p *NginxPass) {
		acc, haveAcc := nginxmodel.Worker(p.Conf)
		for _, uf := range p.Model.UserFiles() {
			d := uf.Directive
			if uf.Path == "" || strings.Contains(uf.Path, "$") {
				continue
			}
			check := acc
			if !haveAcc {
				check = serverfs.Account{UID: 0} // structure only: directory, ENOTDIR
			}
			prob := serverfs.CheckReadable(p.FS, uf.Path, check)
			if prob == nil || prob.Errno == syscall.ENOENT {
				continue
			}
			who := ""
			if prob.Errno == syscall.EACCES {
				who = " (workers run as " + acc.Name + ")"
			}
			p.Reportf(d.File, d.Args[0].Span, "user file %s cannot be read: %s %s%s; anonymous requests still get 401, but every login gets 500",
				uf.Path, prob.Path, prob.Reason, who)
		}
	},
}
