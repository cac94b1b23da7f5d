package rules

import (
	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// perDirOnly are the auth and access directives (and sections) that httpd
// accepts only in per-directory contexts (OR_AUTHCFG and OR_LIMIT in their
// command tables): <Directory>, <Location>, <Files>, <If>, <Proxy> and
// .htaccess, never at server level or directly in a <VirtualHost>.
var perDirOnly = map[string]bool{
	"authtype": true, "authname": true, "authuserfile": true, "authgroupfile": true, "authbasicprovider": true,
	"authdigestprovider": true, "require": true, "satisfy": true, "authmerging": true,
	"authzsendforbiddenonfailure": true, "authbasicauthoritative": true, "authbasicfake": true,
	"authbasicusedigestalgorithm": true, "authdigestdomain": true, "authdigestalgorithm": true,
	"authdigestqop": true, "authdigestnoncelifetime": true, "authdbmuserfile": true, "authdbmgroupfile": true,
	"authdbmtype": true, "authformprovider": true, "order": true, "allow": true, "deny": true,
	htaccess.SecRequireAll: true, htaccess.SecRequireAny: true, htaccess.SecRequireNone: true,
	htaccess.SecLimit: true, htaccess.SecLimitExcept: true,
}

// notInHtaccess are the sections and directives a .htaccess may not hold
// that people put there for auth.
var notInHtaccess = map[string]string{
	htaccess.SecLocation:      "a .htaccess already applies to its directory: drop the <Location> lines, or use <Files> or <If>",
	htaccess.SecLocationMatch: "a .htaccess already applies to its directory: drop the <LocationMatch> lines, or use <FilesMatch> or <If>",
	htaccess.SecDirectory:     "a .htaccess already applies to its directory: drop the <Directory> lines, or move the section into the main configuration",
	htaccess.SecDirectoryMatch: "a .htaccess already applies to its directory: drop the <DirectoryMatch> lines, or move the section into " +
		"the main configuration",
	htaccess.SecVirtualHost: "virtual hosts belong in the main configuration",
	"authnprovideralias":    "<AuthnProviderAlias> belongs in the main configuration (server level)",
	"allowoverride":         "AllowOverride belongs in the <Directory> section of the main configuration",
	"allowoverridelist":     "AllowOverrideList belongs in the <Directory> section of the main configuration",
}

// ApacheDirectiveContext reports auth directives where httpd refuses them:
// at server level or directly in a <VirtualHost> (apache2 -t fails: `invoke_cmd`
// in server/config.c checks the command's allowed contexts; scenario
// `apache-startup-auth-in-vhost`), and <Location>, <Directory>,
// <VirtualHost>, <AuthnProviderAlias> or AllowOverride in a .htaccess
// (every request to the directory gets 500: `ap_parse_htaccess`; scenario
// `apache-htaccess-location`).
var ApacheDirectiveContext = &Rule{
	ID: "AP113", Name: "auth-directive-context", Severity: Error,
	Summary: "auth directives where httpd refuses them: at server level or directly in <VirtualHost> (no start), <Location>/<Directory> in .htaccess (500)",
	Apache: func(p *ApachePass) {
		alone := len(p.Model.HtAccess) == 1 && p.Conf != nil && p.Model.HtAccess[0].File == p.Conf.Main
		if p.Conf != nil && !alone {
			serverLevelAuth(p)
		}
		for _, ht := range p.Model.HtAccess {
			if ht.File == nil || !alone && !htaccessRead(p.Model, ht) {
				continue
			}
			htaccess.Walk(ht.File, func(n *htaccess.Node, _ []*htaccess.Node) bool {
				if n.Section && htaccess.IsConditional(n.Lower) {
					return conditionHolds(p, n)
				}
				fix, bad := notInHtaccess[n.Lower]
				if !bad || fix == "" {
					return true
				}
				name := n.Name
				if n.Section {
					name = "<" + n.Name
				}
				p.At(n, "%s is not allowed in a .htaccess: every request to %s gets 500 (`%s not allowed here`), anonymous ones too, while apache2 -t passes; %s",
					describeNode(n), ht.Dir, name, fix)
				return false
			})
		}
	},
}

// serverLevelAuth reports the first per-directory auth directive at the
// main server's level and in each <VirtualHost> body.
func serverLevelAuth(p *ApachePass) {
	done := map[*htaccess.Node]bool{} // by enclosing <VirtualHost>; nil for the main server
	htaccess.Walk(p.Conf.Main, func(n *htaccess.Node, parents []*htaccess.Node) bool {
		if n.Section && htaccess.IsConditional(n.Lower) {
			return conditionHolds(p, n)
		}
		var vhost *htaccess.Node
		for i := len(parents) - 1; i >= 0; i-- {
			a := parents[i]
			if !a.Section || htaccess.IsConditional(a.Lower) {
				continue // an Include or <IfModule>: look further out
			}
			if a.Lower != htaccess.SecVirtualHost {
				return false // inside a section that takes its own directives
			}
			vhost = a
			break
		}
		if !perDirOnly[n.Lower] {
			return !n.Section || n.Lower == htaccess.SecVirtualHost
		}
		if done[vhost] {
			return false
		}
		done[vhost] = true
		name := n.Name
		if n.Section {
			name = "<" + n.Name
		}
		if vhost != nil {
			p.At(n, "%s is not allowed directly in <VirtualHost>: apache2 -t fails with `%s not allowed in <VirtualHost> context` and the server does not start; put the auth lines in a <Location \"/\"> section (the whole site) or a <Directory> section",
				describeNode(n), name)
		} else {
			p.At(n, "%s is not allowed at server level: apache2 -t fails with `%s not allowed here` and the server does not start; put the auth lines in a <Directory> or <Location> section",
				describeNode(n), name)
		}
		return false
	})
}

// htaccessRead reports whether some server reads the .htaccess file.
func htaccessRead(m *apachemodel.Model, ht *apachemodel.Htaccess) bool {
	for _, srv := range m.ServersFor(ht.Dir) {
		if m.URIFor(srv, ht.Dir) != "" && m.OverridesAt(srv, ht.Dir).Reads() {
			return true
		}
	}
	return false
}

// describeNode names a directive or section for a message: "AuthType",
// "<Location>".
func describeNode(n *htaccess.Node) string {
	if n.Section {
		return "<" + n.Name + ">"
	}
	return n.Name
}
