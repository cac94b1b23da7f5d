package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheUserFileUnset reports Basic or Digest auth through the file
// provider with no AuthUserFile in effect: anonymous requests get 401, every
// login gets 500 (AH01619 from mod_authn_file's `check_password`; scenario
// `apache-user-file-unset`).
var ApacheUserFileUnset = &Rule{
	ID: "AP403", Name: "authuserfile-unset", Severity: Error,
	Summary: "auth with the file provider but no AuthUserFile in effect: every login gets 500",
	Apache: func(p *ApachePass) {
		p.challenged(func(s *apachemodel.Section, _ *apachemodel.Req, e *apachemodel.Effect, byClient bool) bool {
			t := apachemodel.AuthScheme(e.AuthType.Value())
			if (t != "basic" && t != "digest") || e.AuthUserFile.Node != nil {
				return false
			}
			prov := e.AuthBasicProvider.Node
			if t == "digest" {
				prov = e.AuthDigestProvider.Node
			}
			if prov != nil && !usesFileProvider(prov) {
				return false // another provider, or an AuthnProviderAlias with its own AuthUserFile
			}
			where := ""
			if byClient {
				where = " where " + otherRequirements + " do not let a request through"
			}
			p.At(e.AuthType.Node, "AuthType %s with no AuthUserFile in effect for %s: anonymous requests get 401, but every login gets 500%s (AH01619 AuthUserFile not specified); add AuthUserFile with an absolute path",
				e.AuthType.Value(), e.Req.URI, where)
			return true
		})
	},
}

// usesFileProvider reports whether an AuthBasicProvider/AuthDigestProvider
// line names the plain file provider (provider names are case-insensitive).
func usesFileProvider(n *htaccess.Node) bool {
	for _, a := range n.Args {
		if strings.EqualFold(a.Expanded, "file") {
			return true
		}
	}
	return false
}
