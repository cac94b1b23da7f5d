package rules

// NginxRealmWithoutFile reports auth_basic in effect without any
// auth_basic_user_file: nginx then declines to authenticate (facts S1, #40).
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
