package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
)

// UnknownHash reports a hash with no scheme either server knows: plaintext,
// a wrongly cased prefix, a quoted hash.
var UnknownHash = &Rule{
	ID: "PW202", Name: "plaintext-or-unknown-hash", Severity: Error,
	Summary: "plaintext password or unrecognised hash scheme: never matches on Linux",
	UserFile: func(p *UserFilePass) LineVisitor {
		return LineVisitor{Line: func(l *UserLine) {
			if !passwordEntry(p, l) || l.Hash.Scheme != htpasswd.SchemeUnknown || hashExplained(l) {
				return
			}
			p.Reportf(l, l.Fields[1].Span, "user %q: %s; %s it to crypt(3), which cannot use it, so no password matches (401)",
				l.User.User.Text, unknownWhat(l.User.Hash.Text), verb(p.Servers, "hands", "hand"))
		}}
	},
}

// unknownWhat describes an unrecognised hash without quoting it.
func unknownWhat(h string) string {
	lower := strings.ToLower(h)
	for _, prefix := range []string{"{sha}", "{ssha}", "{plain}", "$apr1$", "$2y$", "$2a$", "$2b$"} {
		if strings.HasPrefix(lower, prefix) {
			return "hash prefix " + quote(h[:len(prefix)]) + " has the wrong case (scheme prefixes are case-sensitive)"
		}
	}
	switch {
	case len(h) >= 2 && (h[0] == '"' || h[0] == '\'') && h[len(h)-1] == h[0]:
		return "hash is wrapped in quotes, which both servers keep as part of it"
	case h == "<NULL>":
		return "hash is the text \"<NULL>\" (openssl passwd printed it for an empty password)"
	case strings.Contains(h, "$") && !strings.HasPrefix(h, "$"):
		return "hash has no scheme prefix (AIX-style salt$hash?)"
	}
	return "hash has no known scheme: it looks like a plaintext password"
}
