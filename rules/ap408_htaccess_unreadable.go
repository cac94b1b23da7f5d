package rules

import (
	"errors"
	"io/fs"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/serverfs"
)

// ApacheHtaccessUnreadable reports a .htaccess file the worker account cannot
// read, or a directory by that name: httpd fails closed, so everyone gets
// 403, valid users too (AH00529 from `ap_parse_htaccess`; scenarios
// `apache-htaccess-unreadable` and `apache-htaccess-directory`).
var ApacheHtaccessUnreadable = &Rule{
	ID: "AP408", Name: "htaccess-unreadable", Severity: Error,
	Summary: "the worker account cannot read a .htaccess, or it is a directory: every request to the directory gets 403",
	Apache: func(p *ApachePass) {
		for _, ht := range p.Model.HtAccess {
			if ht.ReadErr == nil {
				continue
			}
			read := false
			for _, srv := range p.Model.ServersFor(ht.Dir) {
				if p.Model.OverridesAt(srv, ht.Dir).Reads() {
					read = true
				}
			}
			if !read {
				continue // never opened
			}
			if errors.Is(ht.ReadErr, serverfs.ErrTooLarge) {
				continue // not read: AU903 says so
			}
			var nr *serverfs.NotRegularError
			if errors.As(ht.ReadErr, &nr) && nr.Mode&fs.ModeNamedPipe != 0 {
				p.ReportSeverityf(Error, ht.Path, ht.SpanStart(), "%s is a FIFO (named pipe), not a file: httpd's open blocks until something writes to it, so every request to %s hangs and holds a worker thread; remove it", p.display(ht.Path), p.display(ht.Dir))
				continue
			}
			if errors.Is(ht.ReadErr, serverfs.ErrNotRegular) {
				what := "a directory"
				if nr != nil {
					what = serverfs.DescribeType(nr.Mode)
				}
				p.ReportSeverityf(Error, ht.Path, ht.SpanStart(), "%s is %s, not a file: httpd refuses it (AH00554 not a regular file), so every request to %s gets 403 (AH00529), valid users too; rename it", p.display(ht.Path), what, p.display(ht.Dir))
				continue
			}
			who := "the worker account"
			var prob *serverfs.AccessProblem
			if !errors.As(ht.ReadErr, &prob) {
				who = "authlint (run it as root to check as the worker account)"
			}
			p.ReportSeverityf(Error, ht.Path, ht.SpanStart(), "%s cannot be read by %s: %s; every request to %s gets 403 (AH00529), valid users too", p.display(ht.Path), who, htaccessReadReason(ht), p.display(ht.Dir))
		}
	},
}

// htaccessReadReason is the read error without the path the message already
// names.
func htaccessReadReason(ht *apachemodel.Htaccess) string {
	var prob *serverfs.AccessProblem
	if errors.As(ht.ReadErr, &prob) && prob.Path == ht.Path {
		return prob.Reason
	}
	var pe *fs.PathError
	if errors.As(ht.ReadErr, &pe) && pe.Path == ht.Path {
		return pe.Err.Error()
	}
	return ht.ReadErr.Error()
}
