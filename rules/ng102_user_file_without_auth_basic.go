package rules

import "github.com/authlint/authlint/internal/nginxmodel"

// NginxFileWithoutRealm reports auth_basic_user_file in effect with no
// auth_basic: the file is never used, `ngx_http_auth_basic_handler` declines
// (scenario `nginx-file-without-realm`).
var NginxFileWithoutRealm = &Rule{
	ID: "NG102", Name: "user-file-without-auth-basic", Severity: Error,
	Summary: "auth_basic_user_file with no auth_basic in scope: nginx silently serves the location without a password",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			if s.UserFile == nil || s.EffRealm != nil || s.Kind == "if" {
				continue
			}
			if childEnablesRealm(p.Model, s) {
				continue // the file is inherited by blocks that set auth_basic
			}
			p.At(s.UserFile, "auth_basic_user_file is set but no auth_basic is in effect here or above: nginx never asks for a password in %s; add auth_basic \"realm\"", s.Name())
		}
	},
}

// childEnablesRealm reports whether a block below s sets auth_basic (then a
// user file in s is the shared default: `ngx_http_auth_basic_merge_loc_conf`
// merges the two directives independently, as the limit_except of
// `nginx-public-paths` shows).
func childEnablesRealm(m *nginxmodel.Model, s *nginxmodel.Scope) bool {
	for _, c := range m.All {
		if c.Realm != nil && c.Realm.Arg(0) != "off" && c.IsBelow(s) {
			return true
		}
	}
	return false
}
