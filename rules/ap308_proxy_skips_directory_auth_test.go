package rules

import "testing"

// TestRegexLiteralPrefix checks the URL AP308 tries for a regex proxy
// (ProxyPassMatch, RewriteRule [P]): the literal path an anchored regex
// starts with, up to its last '/'.
func TestRegexLiteralPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{`^/app/(.*)$`, "/app/"},
		{`^/api/v1/(.*)`, "/api/v1/"},
		{`^/shop(/.*)?$`, "/"},
		{`^/static/.+\.js$`, "/static/"},
		{`^/a\.b/c`, "/a.b/"},
		{`/app/(.*)`, ""},  // not anchored
		{`^(?i)/app/`, ""}, // case-folded: no literal
		{`^app/`, ""},      // not a path
		{`^/(a|b)/`, "/"},  // alternatives end the literal
		{`^/app/[`, ""},    // not a regex
	}
	for _, tc := range tests {
		if got := regexLiteralPrefix(tc.in); got != tc.want {
			t.Errorf("regexLiteralPrefix(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
