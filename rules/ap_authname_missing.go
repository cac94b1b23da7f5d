package rules

// ApacheAuthNameMissing reports Basic or Digest auth with no AuthName in
// effect: mod_auth_basic checks the realm first and answers 500 to everyone
// (facts §4, AH01615).
var ApacheAuthNameMissing = &Rule{
	ID: "AP103", Name: "authname-missing", Severity: Error,
	Summary: "AuthType Basic/Digest with no AuthName in effect: every request gets 500",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			req := s.FirstUserRequire()
			if req == nil {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				t := authScheme(e.AuthType.Value())
				if e.Authz.Own() != s || e.Decide() != ApNeedUser || (t != "basic" && t != "digest") || e.AuthName.Node != nil {
					continue
				}
				p.At(e.AuthType.Node, "AuthType %s without an AuthName in effect for %s: every request there gets 500 (AH01615 need AuthName), anonymous ones too; add `AuthName \"Restricted\"`", e.AuthType.Value(), e.Req.URI)
				break
			}
		}
	},
}
