package rules

import (
	"io/fs"
	"path"
	"syscall"

	"github.com/authlint/authlint/htaccess"
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
			if prob.Type != 0 {
				if msg := apacheSpecialUserFile(ref.Path, prob); msg != "" {
					p.Reportf(ref.Node.File, arg.Span, "AuthUserFile %s %s", ref.Path, msg)
					continue
				}
			}
			what := "does not exist"
			if prob.Type != 0 {
				what = prob.Reason + " (AH00554)"
			}
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

// apacheSpecialUserFile says what httpd does with an AuthUserFile that is
// a device or FIFO, when it differs from the 500 of every other file it
// cannot open: ap_pcfg_openfile reads the one name "/dev/null" as an empty
// file (a symlink to it is refused, AH00554), and its open of a FIFO
// blocks. "" for the rest.
func apacheSpecialUserFile(path string, prob *serverfs.AccessProblem) string {
	switch {
	case prob.Type&fs.ModeNamedPipe != 0:
		return "is a FIFO (named pipe): httpd's open blocks until something writes to it, so every login hangs and holds a worker thread"
	case path == htaccess.DevNull:
		return "is /dev/null, which httpd reads as an empty file: every login gets 401 (AH01618 user not found)"
	}
	return ""
}
