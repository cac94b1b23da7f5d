package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheUnknownAuthType reports an AuthType that no loaded module handles:
// apache2 -t passes and every request that needs a user gets 500 (AH01796
// from `authenticate_no_user` in mod_authn_core.c; scenario
// `apache-unknown-authtype`).
var ApacheUnknownAuthType = &Rule{
	ID: "AP102", Name: "unknown-authtype", Severity: Error,
	Summary: "AuthType names no scheme a loaded module handles: every request that needs a user gets 500",
	Apache: func(p *ApachePass) {
		basic, digest := p.Model.ModuleLoaded("auth_basic_module"), p.Model.ModuleLoaded("auth_digest_module")
		for _, s := range p.Model.AllSections() {
			n := s.Conf.AuthType
			if n == nil || len(n.Args) != 1 {
				continue
			}
			v := n.Args[0].Expanded
			switch apachemodel.AuthScheme(v) {
			case "":
				p.At(n, "AuthType %s is not a scheme httpd knows (Basic, Digest, Form or None); apache2 -t accepts it, then every request that needs a user gets 500 (AH01796)", v)
			case "basic":
				if !basic {
					p.At(n, "AuthType Basic but mod_auth_basic is not loaded: every request that needs a user gets 500 (AH01796); a2enmod auth_basic")
				}
			case "digest":
				if !digest {
					p.At(n, "AuthType Digest but mod_auth_digest is not loaded: every request that needs a user gets 500 (AH01796); a2enmod auth_digest")
				}
			}
		}
	},
}
