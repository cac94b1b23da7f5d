package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheAuthNameMissing reports Basic or Digest auth with no AuthName in
// effect: mod_auth_basic checks the realm first and answers 500 to everyone
// (AH01615 from `authenticate_basic_user` in mod_auth_basic.c; scenario
// `apache-no-authname`).
var ApacheAuthNameMissing = &Rule{
	ID: "AP103", Name: "authname-missing", Severity: Error,
	Summary: "AuthType Basic/Digest with no AuthName in effect: every request gets 500",
	Apache: func(p *ApachePass) {
		p.challenged(func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect, byClient bool) bool {
			t := apachemodel.AuthScheme(e.AuthType.Value())
			if (t != "basic" && t != "digest") || e.AuthName.Node != nil {
				return false
			}
			p.At(e.AuthType.Node, "AuthType %s without an AuthName in effect for %s: %s gets 500 (AH01615 need AuthName), anonymous ones too; add `AuthName \"Restricted\"`", e.AuthType.Value(), e.Req.URI, challengeWho(byClient))
			return true
		})
	},
}
