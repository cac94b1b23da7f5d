package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheRequireWithoutAuthType reports a user requirement with no AuthType
// in effect: httpd answers 500 to everyone, anonymous requests too (AH00027
// from `ap_process_request_internal`; scenario `apache-no-authtype`).
var ApacheRequireWithoutAuthType = &Rule{
	ID: "AP101", Name: "require-without-authtype", Severity: Error,
	Summary: "Require names users but no AuthType is in effect: every request gets 500",
	Apache: func(p *ApachePass) {
		p.challenged(func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect, byClient bool) bool {
			if t := apachemodel.AuthScheme(e.AuthType.Value()); t == "" && e.AuthType.Node == nil || t == "none" {
				p.At(req.Node, "%s requires a user but no AuthType is in effect for %s: %s gets 500 (AH00027), anonymous ones too; add `AuthType Basic` with AuthName and AuthUserFile", s.Describe(), e.Req.URI, challengeWho(byClient))
				return true
			}
			return false
		})
	},
}
