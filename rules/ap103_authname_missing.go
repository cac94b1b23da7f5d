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
		done := map[*apachemodel.Section]bool{}
		check := func(byClient bool) func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect) bool {
			return func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect) bool {
				t := apachemodel.AuthScheme(e.AuthType.Value())
				if done[s] || (t != "basic" && t != "digest") || e.AuthName.Node != nil {
					return done[s]
				}
				p.At(e.AuthType.Node, "AuthType %s without an AuthName in effect for %s: %s gets 500 (AH01615 need AuthName), anonymous ones too; add `AuthName \"Restricted\"`", e.AuthType.Value(), e.Req.URI, challengeWho(byClient))
				done[s] = true
				return true
			}
		}
		p.challenged(check(false))
		p.challengedByClient(check(true))
	},
}
