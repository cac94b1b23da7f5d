package format

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/golden"
	"github.com/authlint/authlint/rules"
)

func TestSecuritySeverity(t *testing.T) {
	for _, tc := range []struct {
		id   string
		sev  rules.Severity
		want string
	}{
		{"AP302", rules.Error, "9.1"},   // 3xx: open access
		{"NG301", rules.Error, "9.1"},   // 3xx: open access
		{"NG303", rules.Warning, "6.5"}, // NG303's per-finding warning
		{"NG303", rules.Info, "3.1"},    // and its info
		{"AP104", rules.Error, "9.1"},   // 1xx that opens the area
		{"NG101", rules.Error, "9.1"},
		{"AP305", rules.Error, "5.3"}, // 3xx that fails closed
		{"NG305", rules.Warning, "4.3"},
		{"AP407", rules.Error, "7.5"}, // hashes served
		{"AP407", rules.Warning, "5.3"},
		{"NG404", rules.Warning, "5.3"},
		{"AP401", rules.Error, "5.3"}, // 4xx lockout
		{"NG401", rules.Info, "2.0"},  // "cannot check"
		{"PW205", rules.Warning, "4.3"},
		{"PW105", rules.Info, "2.0"},
		{"AP000", rules.Error, "5.3"},
		{"AU902", rules.Warning, "2.0"},
		{"XX301", rules.Error, "5.3"}, // an unknown family is "other"
	} {
		if got := securitySeverity(tc.id, tc.sev); got != tc.want {
			t.Errorf("securitySeverity(%s, %s) = %s, want %s", tc.id, tc.sev, got, tc.want)
		}
	}
}

func TestSecurityTags(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"AP302", []string{"security", "apache"}},
		{"NG101", []string{"security", "nginx"}},
		{"PW108", []string{"security", "htpasswd"}},
		{"AU901", []string{"security", "apache", "nginx"}},
	} {
		if got := securityTags(tc.id); !slices.Equal(got, tc.want) {
			t.Errorf("securityTags(%s) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

// TestSecuritySeverityTable pins the class and scores of every rule in
// testdata/security-severity.txt: a new rule, or a rule whose class or
// default severity changes, shows in the golden diff for review.
func TestSecuritySeverityTable(t *testing.T) {
	names := map[securityClass]string{classOpen: "open", classExposure: "exposure", classOther: "other", classTooling: "tooling"}
	var b strings.Builder
	fmt.Fprintf(&b, "# rule severity class security-severity tags (go test ./rules/format -run SecuritySeverityTable -update)\n")
	for _, r := range rules.All() {
		score := securitySeverity(r.ID, r.Severity)
		f, err := strconv.ParseFloat(score, 64)
		if err != nil || f < 0.1 || f > 10 {
			t.Errorf("%s: security-severity %q is not a score in 0.1-10", r.ID, score)
		}
		fmt.Fprintf(&b, "%s %s %s %s %s\n", r.ID, r.Severity, names[securityClassOf(r.ID)], score, strings.Join(securityTags(r.ID), ","))
	}
	golden.Check(t, filepath.Join("testdata", "security-severity.txt"), b.String())
}

func TestDocRef(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"v0.2.0", "v0.2.0"},
		{"v1.10.3", "v1.10.3"},
		{"v0.3.0-rc.1", "v0.3.0-rc.1"},
		{"", "main"},
		{"(devel)", "main"},
		{"1.2.3", "main"},
		{"v0.2.0+dirty", "main"},
		{"v0.0.0-20260102150405-abcdef012345", "main"},
		{"v0.2.1-0.20260102150405-abcdef012345", "main"},
		{"v0.3.0-rc.1.0.20260102150405-abcdef012345", "main"},
		{"v0.2.1-0.20260102150405-abcdef012345+dirty", "main"},
		{"v0.2.0 ", "main"},
		{"v1.2", "main"},
		{"v1.2.3-", "main"},
		{"v1.2.3-rc_1", "main"},
		{"v1..3", "main"},
		{"v0.1.0-3-gabc1234", "main"}, // git describe after the tag
		{"v0.1.0-rc.1-12-g0123456789ab", "main"},
		{"v0.1.0-dirty", "main"},
		{"v0.1.0-3-gabc1234-dirty", "main"},
		{"abc1234", "main"}, // git describe --always without a tag
		{"v0.1.0-beta-gamma", "v0.1.0-beta-gamma"},
	} {
		if got := docRef(tc.version); got != tc.want {
			t.Errorf("docRef(%q) = %q, want %q", tc.version, got, tc.want)
		}
	}
	out := render(t, "sarif", nil, Options{ToolVersion: "v0.2.0", Rules: rules.All()[:1]})
	if want := `"helpUri": "https://github.com/authlint/authlint/blob/v0.2.0/rules/docs/` + rules.All()[0].ID + `.md"`; !strings.Contains(out, want) {
		t.Errorf("no %s in\n%s", want, out)
	}
}
