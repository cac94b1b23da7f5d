package rules

// NginxRealmWithoutFile reports auth_basic in effect without any
// auth_basic_user_file: `ngx_http_auth_basic_handler` then declines to
// authenticate and the location is open (scenario `nginx-realm-without-file`).
var NginxRealmWithoutFile = &Rule{
	ID: "NG101", Name: "auth-basic-without-user-file", Severity: Error,
	Summary: "auth_basic with no auth_basic_user_file in scope: nginx silently serves the location without a password",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			if s.Realm == nil || s.Realm.Arg(0) == "off" || s.EffUserFile != nil || s.Kind == "if" || len(s.Realm.Args) != 1 {
				continue
			}
			p.At(s.Realm, "auth_basic %q has no auth_basic_user_file in this block or any enclosing one: nginx skips authentication and serves %s to anyone; add auth_basic_user_file",
				s.Realm.Arg(0), s.Name())
		}
	},
}
