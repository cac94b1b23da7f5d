package format

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"

	"github.com/authlint/authlint/internal/golden"
	"github.com/authlint/authlint/internal/position"

	"github.com/authlint/authlint/rules"
)

// sampleFindings is a small fixed set covering what the formats must handle:
// an absolute path, a path with a comma and a colon, an info finding with a
// multi-line message holding '%', a suppressed finding, a finding with a
// related location, a multi-line span and an empty span. Sorted as the
// engine sorts.
func sampleFindings() []rules.Finding {
	fs := []rules.Finding{
		{
			RuleID: "NG101", RuleName: "auth-basic-without-user-file", Severity: rules.Error,
			File: "/srv/www/nginx.conf", Span: position.Span{Start: position.Pos{Line: 3, Col: 5}, End: position.Pos{Line: 5, Col: 2}},
			Message: "auth_basic with no auth_basic_user_file in scope: nginx serves the location without a password",
		},
		{
			RuleID: "PW105", RuleName: "indented-comment", Severity: rules.Info,
			File: "dir/a,b:c.htpasswd", Span: position.Span{Start: position.Pos{Line: 2, Col: 3}},
			Message: "a '#' after leading blanks is a comment on Apache\nbut an entry on nginx: 100% sure,\r\nsee the docs",
		},
		{
			RuleID: "PW205", RuleName: "weak-hash", Severity: rules.Warning,
			File: "dir/a,b:c.htpasswd", Span: position.Span{Start: position.Pos{Line: 4, Col: 7}, End: position.Pos{Line: 4, Col: 12}},
			Message: "user \"bob\" has a weak MD5-crypt (apr1) hash", Suppressed: true, SuppressReason: "legacy client, replaced in 2027",
		},
		{
			RuleID: "PW108", RuleName: "duplicate-user", Severity: rules.Error,
			File: "users.htpasswd", Span: position.Span{Start: position.Pos{Line: 4, Col: 1}, End: position.Pos{Line: 4, Col: 6}},
			Message: "user \"alice\" is already defined on line 2; the first line wins <&>",
			Related: []rules.Related{{File: "users.htpasswd", Span: position.Span{Start: position.Pos{Line: 2, Col: 1}, End: position.Pos{Line: 2, Col: 6}}, Message: "first definition"}},
		},
		{
			RuleID: "PW206", RuleName: "bcrypt-cost-low", Severity: rules.Warning,
			File: "users.htpasswd", Span: position.Span{Start: position.Pos{Line: 5, Col: 1}, End: position.Pos{Line: 5, Col: 1}},
			Message: "bcrypt cost 5 is below 10",
		},
	}
	return rules.SortFindings(fs)
}

// sampleOptions describes the rules the sample findings use, from the real
// registry, so that SARIF carries their real documentation.
func sampleOptions(t *testing.T) Options {
	t.Helper()
	ids := []string{"NG101", "PW105", "PW108", "PW205", "PW206"}
	var rs []*rules.Rule
	for _, r := range rules.All() {
		if slices.Contains(ids, r.ID) {
			rs = append(rs, r)
		}
	}
	if len(rs) != len(ids) {
		t.Fatalf("found %d of the rules %v in the registry", len(rs), ids)
	}
	return Options{ToolVersion: "1.2.3", Rules: rs, Files: 3}
}

func render(t *testing.T, name string, findings []rules.Finding, opts Options) string {
	t.Helper()
	p, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p(&b, findings, opts); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct{ format, file string }{
		{"text", "sample.txt"},
		{"json", "sample.json"},
		{"sarif", "sample.sarif"},
		{"github", "sample.github.txt"},
		{"checkstyle", "sample.checkstyle.xml"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			got := render(t, tc.format, sampleFindings(), sampleOptions(t))
			if again := render(t, tc.format, sampleFindings(), sampleOptions(t)); again != got {
				t.Fatalf("output is not deterministic")
			}
			golden.Check(t, filepath.Join("testdata", tc.file), got)
		})
	}
}

func TestNamesAndLookup(t *testing.T) {
	names := Names()
	want := []string{"checkstyle", "github", "json", "sarif", "text"}
	if !slices.Equal(names, want) {
		t.Fatalf("Names() = %v, want %v", names, want)
	}
	for _, n := range names {
		if _, err := Lookup(n); err != nil {
			t.Errorf("Lookup(%q): %v", n, err)
		}
	}
	if _, err := Lookup("yaml"); err == nil {
		t.Error("Lookup(yaml) succeeded")
	}
}

// TestNoFindings checks every format on an empty run.
func TestNoFindings(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{"github", ""},
		{"checkstyle", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\"></checkstyle>\n"},
	} {
		if got := render(t, tc.format, nil, Options{}); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.format, got, tc.want)
		}
	}
	got := render(t, "sarif", nil, Options{})
	for _, s := range []string{`"results": []`, `"rules": []`} {
		if !bytes.Contains([]byte(got), []byte(s)) {
			t.Errorf("sarif without findings lacks %s:\n%s", s, got)
		}
	}
}
