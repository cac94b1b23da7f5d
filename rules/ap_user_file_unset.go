package rules

import "strings"

// ApacheUserFileUnset reports Basic or Digest auth through the file
// provider with no AuthUserFile in effect: anonymous requests get 401, every
// login gets 500 (facts §4, AH01619).
var ApacheUserFileUnset = &Rule{
	ID: "AP403", Name: "authuserfile-unset", Severity: Error,
	Summary: "auth with the file provider but no AuthUserFile in effect: every login gets 500",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			if s.FirstUserRequire() == nil {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				t := authScheme(e.AuthType.Value())
				if e.Authz.Own() != s || e.Decide() != ApNeedUser || (t != "basic" && t != "digest") || e.AuthUserFile.Node != nil {
					continue
				}
				if prov := e.AuthBasicProvider.Node; t == "basic" && prov != nil && !strings.Contains(strings.ToLower(prov.RawArgs), "file") {
					continue
				}
				p.At(e.AuthType.Node, "AuthType %s with no AuthUserFile in effect for %s: anonymous requests get 401, but every login gets 500 (AH01619 AuthUserFile not specified); add AuthUserFile with an absolute path",
					e.AuthType.Value(), e.Req.URI)
				break
			}
		}
	},
}
