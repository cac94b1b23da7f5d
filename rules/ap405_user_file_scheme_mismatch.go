package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheDigestRealm reports a user file that cannot match the auth scheme:
// Digest needs user:realm:hash lines whose realm is the AuthName; Basic
// reads an htdigest file's realm as the hash unless AuthBasicUseDigest
// Algorithm MD5. Either way everyone gets 401 (AH01790/AH01617 from
// `get_realm_hash`/`check_password` in mod_authn_file.c; scenarios
// `apache-digest`, `apache-basic-on-htdigest`).
var ApacheDigestRealm = &Rule{
	ID: "AP405", Name: "user-file-scheme-mismatch", Severity: Error,
	Summary: "the user file does not fit the auth scheme (Digest realm ≠ AuthName, htpasswd for Digest, htdigest for Basic): 401 for everyone it asks to log in",
	Apache: func(p *ApachePass) {
		p.challenged(func(s *apachemodel.Section, _ *apachemodel.Req, e *apachemodel.Effect, byClient bool) bool {
			who := "everyone"
			if byClient {
				who = "every client " + otherRequirements + " do not let through"
			}
			if e.AuthUserFile.Node == nil {
				return false
			}
			path := p.Model.ResolveFile(e.AuthUserFile.Node)
			d := p.Model.UserData(p.FS, path)
			if path == "" || d == nil || d.Digest+d.Basic == 0 {
				return true
			}
			uf := e.AuthUserFile.Node
			realm := e.AuthName.Value()
			switch apachemodel.AuthScheme(e.AuthType.Value()) {
			case "digest":
				switch {
				case d.Digest == 0:
					p.At(uf, "AuthType Digest reads user:realm:hash lines, but %s is an htpasswd file: %s gets 401 (AH01790 user not found); create it with htdigest", path, who)
				case realm != "" && !d.Realms[realm]:
					p.At(uf, "AuthName %s is not a realm in %s (it has %s): the realm is part of each Digest hash, so %s gets 401 (AH01790); make AuthName match the htdigest realm", quote(realm), path, quoteList(shownRealms(sortedKeys(d.Realms))), who)
				}
			case "basic":
				use := e.UseDigestAlgorithm.Value()
				if d.Basic == 0 && !strings.EqualFold(use, "md5") {
					p.At(uf, "AuthType Basic reads %s, an htdigest file, with the realm as the hash: %s gets 401 (AH01617); add `AuthBasicUseDigestAlgorithm MD5` or use an htpasswd file", path, who)
				}
			}
			return true
		})
	},
}

// shownRealms maps shownRealm over realms.
func shownRealms(realms []string) []string {
	for i, r := range realms {
		realms[i] = shownRealm(r)
	}
	return realms
}
