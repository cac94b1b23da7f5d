package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/rules"
)

// TestApacheRulesDeterministic lints every Apache fixture tree at once,
// many times: the rules run in parallel on a shared model, and the findings
// must come out the same, in the same order, every time.
func TestApacheRulesDeterministic(t *testing.T) {
	var paths []string
	dirs, _ := filepath.Glob("testdata/AP*/*")
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			paths = append(paths, d)
		}
	}
	if len(paths) < 20 {
		t.Fatalf("found %d Apache fixture trees", len(paths))
	}
	cfg := rules.Config{Paths: paths, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All()}
	var first []string
	for i := range 8 {
		res, _ := rules.Lint(cfg)
		var got []string
		for _, f := range res.Findings {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Span.Start.Line, f.Span.Start.Col, f.RuleID, f.Message))
		}
		if i == 0 {
			if len(got) < 50 {
				t.Fatalf("only %d findings: the fixtures should give many", len(got))
			}
			first = got
			continue
		}
		if !slices.Equal(got, first) {
			t.Fatalf("run %d differs from run 0:\n%d findings vs %d", i, len(got), len(first))
		}
	}
}
