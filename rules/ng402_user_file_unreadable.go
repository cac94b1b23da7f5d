package rules

import (
	"io/fs"
	"strings"
	"syscall"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/internal/serverfs"
)

// NginxUserFileUnreadable reports a user file that is a directory, sits
// behind a file in its path, or cannot be read by the worker user: every
// login gets 500 (`ngx_http_auth_basic_handler`: any error but ENOENT;
// scenario `nginx-user-file-unreadable`; ENOTDIR observed by hand). A
// device, FIFO or socket gets what nginx does with it: /dev/null is an
// empty file (401), a FIFO or an endless device blocks the worker.
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
			if prob.Type != 0 {
				p.Reportf(d.File, d.Args[0].Span, "user file %s %s", uf.Path, nginxSpecialUserFile(p.FS, prob))
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

// nginxSpecialUserFile says what nginx does with a user file that is a
// device, FIFO or socket (`ngx_http_auth_basic_handler` opens it with
// ngx_open_file and reads it with ngx_read_file until a read returns 0).
func nginxSpecialUserFile(fsys serverfs.FS, prob *serverfs.AccessProblem) string {
	switch {
	case prob.Type&fs.ModeNamedPipe != 0:
		return "is a FIFO (named pipe): nginx's open() blocks until something writes to it, so the first login blocks its worker and every request that worker holds hangs"
	case prob.Type&fs.ModeSocket != 0:
		return "is a socket: nginx's open() fails (6: No such device or address); anonymous requests still get 401, but every login gets 500"
	}
	if st, err := fsys.Stat(prob.Path); err == nil && serverfs.IsDevNull(st) {
		return "reads as an empty file (it is /dev/null): every login gets 401 (user not found)"
	}
	return prob.Reason + ": nginx reads it on every login until a read returns nothing, which a device such as /dev/zero never does, so the first login blocks its worker and every request that worker holds hangs"
}
