package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// authnProviders maps the providers httpd ships to their modules.
var authnProviders = map[string]string{
	"file": "authn_file_module", "dbm": "authn_dbm_module", "dbd": "authn_dbd_module",
	"ldap": "authnz_ldap_module", "socache": "authn_socache_module", "anon": "authn_anon_module",
}

// ApacheUnknownProvider reports an AuthBasicProvider/AuthDigestProvider that
// no loaded module registers (`files` for `file`): apache2 -t fails with
// "Unknown Authn provider" (`add_authn_provider` in mod_auth_basic.c; scenario
// `apache-startup-provider`); in a .htaccess, 500 for the directory (scenario
// `apache-unknown-provider`).
var ApacheUnknownProvider = &Rule{
	ID: "AP110", Name: "unknown-authn-provider", Severity: Error,
	Summary: "AuthBasicProvider/AuthDigestProvider names a provider no loaded module registers",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			for _, d := range []*htaccess.Node{s.Conf.AuthBasicProvider, s.Conf.AuthDigestProvider} {
				if d == nil {
					continue
				}
				for _, a := range d.Args {
					v := strings.ToLower(a.Expanded)
					if p.Model.ProviderAliases[v] {
						continue
					}
					mod, known := authnProviders[v]
					why := ""
					switch {
					case !known:
						why = "no module registers it"
						if v == "files" {
							why += " (the provider is `file`)"
						}
					case !p.Model.ModuleLoaded(mod):
						why = mod + " is not loaded"
					default:
						continue
					}
					effect := "apache2 -t fails with `Unknown Authn provider: " + a.Expanded + "` and the server does not start"
					if s.Htaccess != nil {
						effect = "every request to this directory gets 500"
					}
					p.At(d, "%s %s: %s; %s", d.Name, a.Expanded, why, effect)
				}
			}
		}
	},
}
