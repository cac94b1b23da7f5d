package rules

import (
	"syscall"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/serverfs"
)

// ApacheUserFileUnreadable reports an AuthUserFile or AuthGroupFile the
// worker account (User/Group) cannot read: apache2 -t passes, anonymous
// requests get 401, every login gets 500 for a user file and 401 for a group
// file (`authenticate_basic_user` turns the failed open into 500, scenario
// `apache-user-file-unreadable`; `group_check_authorization` denies, as for
// the missing group file of `apache-require-group`).
var ApacheUserFileUnreadable = &Rule{
	ID: "AP402", Name: "authuserfile-unreadable", Severity: Error,
	Summary: "the worker account cannot read AuthUserFile/AuthGroupFile: every login gets 500 (401 for a group file)",
	Apache: func(p *ApachePass) {
		acc, ok := apachemodel.Worker(p.Model)
		if !ok {
			return
		}
		for _, ref := range p.Model.UserFiles() {
			if ref.Path == "" {
				continue
			}
			if root := p.checkReadable(ref.Path, serverfs.Account{UID: 0}); root != nil {
				continue // AP401/AP404 report missing files
			}
			prob := p.checkReadable(ref.Path, acc)
			if prob == nil || prob.Errno != syscall.EACCES {
				continue
			}
			effect := "every login gets 500 (AH01620 Permission denied)"
			if ref.Kind == filekind.Htgroup {
				effect = "every user who needs a group gets 401 (AH01665)"
			}
			p.Reportf(ref.Node.File, ref.Node.Args[0].Span, "%s %s cannot be read by the worker account %s: %s; anonymous requests still get 401, so probes look healthy, but %s",
				ref.Node.Name, ref.Path, acc.Name, prob.Reason, effect)
		}
	},
}
