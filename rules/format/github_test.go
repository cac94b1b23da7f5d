package format

import (
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

func TestGitHubEscape(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A", "%250A", "%250A"},
		{"a\nb", "a%0Ab", "a%0Ab"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"a,b:c", "a,b:c", "a%2Cb%3Ac"},
		{"::error x=y::z", "::error x=y::z", "%3A%3Aerror x=y%3A%3Az"},
		// Terminal safety: other controls become visible escapes first.
		{"a\x1b[2Jb", `a\x1b[2Jb`, `a\x1b[2Jb`},
		{"nul\x00 bel\a del\x7f tab\t", `nul\x00 bel\a del\x7f tab\t`, `nul\x00 bel\a del\x7f tab\t`},
		{"c1\u009b bidi\u202e bad\xff", `c1\u009b bidi\u202e bad\xff`, `c1\u009b bidi\u202e bad\xff`},
		{"%\x1b,", `%25\x1b,`, `%25\x1b%2C`},
	} {
		if got := githubEscapeData(tc.in); got != tc.data {
			t.Errorf("githubEscapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := githubEscapeProperty(tc.in); got != tc.prop {
			t.Errorf("githubEscapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestGitHubLines(t *testing.T) {
	out := render(t, "github", sampleFindings(), sampleOptions(t))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		"::error file=/srv/www/nginx.conf,line=3,col=5,endLine=5,endColumn=2,title=NG101 auth-basic-without-user-file::auth_basic with no auth_basic_user_file in scope: nginx serves the location without a password",
		"::notice file=dir/a%2Cb%3Ac.htpasswd,line=2,col=3,title=PW105 indented-comment::a '#' after leading blanks is a comment on Apache%0Abut an entry on nginx: 100%25 sure,%0D%0Asee the docs",
		"::error file=users.htpasswd,line=4,col=1,endLine=4,endColumn=6,title=PW108 duplicate-user::user \"alice\" is already defined on line 2; the first line wins <&>",
		"::warning file=users.htpasswd,line=5,col=1,title=PW206 bcrypt-cost-low::bcrypt cost 5 is below 10",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d (the suppressed finding is left out):\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
	// Each command is exactly one line and its property list splits cleanly.
	for _, l := range lines {
		cmd, msg, ok := strings.Cut(strings.TrimPrefix(l, "::"), "::")
		if !ok || strings.ContainsAny(msg, "\r\n") {
			t.Errorf("malformed command %q", l)
		}
		_, props, _ := strings.Cut(cmd, " ")
		for _, p := range strings.Split(props, ",") {
			if k, v, ok := strings.Cut(p, "="); !ok || k == "" || strings.Contains(v, ":") {
				t.Errorf("property %q of %q does not parse", p, l)
			}
		}
	}
}

func TestGitHubNoPosition(t *testing.T) {
	f := rules.Finding{RuleID: "PW109", RuleName: "no-users", Severity: rules.Error, File: "empty.htpasswd", Message: "no user"}
	got := render(t, "github", []rules.Finding{f}, Options{})
	want := "::error file=empty.htpasswd,title=PW109 no-users::no user\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
