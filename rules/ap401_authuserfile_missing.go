package rules

import (
	"path"
	"syscall"

	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/serverfs"
)

// ApacheUserFileMissing reports an AuthUserFile that does not exist, is a
// directory or sits under a file: anonymous requests still get 401, so a
// probe looks healthy, but every login gets 500 (`authenticate_basic_user` in
// mod_auth_basic.c; scenario `apache-user-file-missing`). Relative paths
// resolve against ServerRoot (`ap_server_root_relative`), also in .htaccess
// (scenario `apache-htaccess-relative`); for a .htaccess linted alone, against
// httpd's default ServerRoot /etc/apache2, said in the finding (an info
// finding when the file is there; scenario `apache-htaccess-alone-relative`).
var ApacheUserFileMissing = &Rule{
	ID: "AP401", Name: "authuserfile-missing", Severity: Error,
	Summary: "AuthUserFile does not exist or is not a file: anonymous requests get 401, every login gets 500",
	Apache: func(p *ApachePass) {
		for _, ref := range p.Model.UserFiles() {
			if ref.Path == "" || ref.Kind == filekind.Htgroup {
				continue
			}
			arg := ref.Node.Args[0]
			if isWindowsPath(arg.Expanded) {
				continue // AP114 names the file httpd opens instead
			}
			// A .htaccess linted alone: ServerRoot is httpd's default.
			assumed := p.Model.ServerRootDefault && !path.IsAbs(arg.Expanded)
			resolved := ""
			if assumed {
				resolved = " (resolved against the default ServerRoot " + p.Model.ServerRoot + ", as httpd does)"
			}
			prob := p.checkReadable(ref.Path, serverfs.Account{UID: 0})
			if prob == nil || prob.Errno == syscall.EACCES {
				if assumed {
					p.ReportSeverityf(Info, ref.Node.File, arg.Span, "AuthUserFile %s is %s%s; lint the server's main configuration if it sets another ServerRoot",
						arg.Expanded, ref.Path, resolved)
				}
				continue
			}
			if why := p.FS.Unchecked(ref.Path); prob.Errno == syscall.ENOENT && why != "" {
				p.ReportSeverityf(Info, ref.Node.File, arg.Span, "cannot check %s%s: %s", ref.Path, resolved, why)
				continue
			}
			what := "does not exist"
			switch prob.Errno {
			case syscall.EISDIR:
				what = "is a directory (AH00554 not a regular file)"
			case syscall.ENOTDIR:
				what = "cannot exist: " + prob.Path + " is not a directory"
			}
			hint := ""
			if v := arg.Expanded; !path.IsAbs(v) {
				hint = " (a relative AuthUserFile resolves against ServerRoot " + p.Model.ServerRoot
				if assumed {
					hint = " (resolved against the default ServerRoot " + p.Model.ServerRoot + ", as httpd does: a relative AuthUserFile is ServerRoot-relative"
				}
				if ref.Sec.Htaccess != nil {
					hint += ", also in .htaccess"
					if near := path.Join(ref.Sec.Htaccess.Dir, v); exists(p.FS, near) {
						hint += "; the file next to this .htaccess is " + near + ": give its absolute path"
					}
				}
				hint += ")"
			}
			p.Reportf(ref.Node.File, arg.Span, "AuthUserFile %s %s%s: anonymous requests still get 401, so probes look healthy, but every login gets 500 (AH01620)",
				ref.Path, what, hint)
		}
	},
}
