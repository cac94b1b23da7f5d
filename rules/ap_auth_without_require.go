package rules

// ApacheAuthWithoutRequire reports authentication set up in a section that
// requires nobody: the section inherits `Require all granted` and is open,
// with no prompt and nothing logged (facts §4, S6).
var ApacheAuthWithoutRequire = &Rule{
	ID: "AP104", Name: "auth-without-require", Severity: Error,
	Summary: "AuthType/AuthUserFile without a Require in effect: the area is served without a password",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			c := &s.Conf
			at := c.AuthType
			if at == nil {
				at = c.AuthUserFile
			}
			if at == nil || len(c.Requires) > 0 || strAuthNone(c) {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				if e.Decide() != ApGranted || e.Authz.NeedsUser() {
					continue
				}
				from := "httpd's default"
				if own := e.Authz.Own(); own != nil {
					from = p.WhereSec(own)
				}
				p.At(at, "%s sets up a password but no Require in effect asks for one: %s is served to anyone (the access rule comes from %s); add `Require valid-user`", s.Describe(), e.Req.URI, from)
				break
			}
		}
	},
}

func strAuthNone(c *ApDirConf) bool {
	return c.AuthType != nil && authScheme(argExpanded(c.AuthType, 0)) == "none"
}
