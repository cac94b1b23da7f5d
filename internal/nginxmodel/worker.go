package nginxmodel

import (
	"os"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/nginxconf"
)

// Worker returns the nginx worker account from the `user` directive
// (nginx's default is nobody), when it exists on this machine.
func Worker(conf *nginxconf.Config) (serverfs.Account, bool) {
	name, group := "nobody", ""
	for _, d := range conf.Main.Directives {
		if d.Name == "user" {
			name, group = d.Arg(0), d.Arg(1)
		}
	}
	if os.Geteuid() != 0 {
		// A master not started as root keeps its own identity.
		return serverfs.Account{}, false
	}
	return serverfs.LookupAccount(name, group)
}
