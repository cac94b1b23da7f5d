package rules_test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/rules"
)

// TestNginxCorpusQuiet lints the nginx configs of the corpus that real
// nginx accepts (Debian's tree with /etc/nginx mapped to it, crossplane's
// syntax cases, h5bp's configs): no syntax finding and no error.
func TestNginxCorpusQuiet(t *testing.T) {
	base := filepath.Join(corpusDir(t), "nginx")
	debian := filepath.Join(base, "debian-etc-nginx", "etc-nginx")
	entries := []string{filepath.Join(debian, "nginx.conf")}
	cross, _ := filepath.Glob(filepath.Join(base, "crossplane", "tests", "configs", "*", "nginx.conf"))
	for _, p := range cross {
		switch filepath.Base(filepath.Dir(p)) {
		case "quote-behavior", "includes-regular", "missing-semicolon", "bad-args", "spelling-mistake":
			continue // real nginx rejects these (corpus crossplane/README.md)
		}
		entries = append(entries, p)
	}
	entries = append(entries, rebuildH5bp(t, filepath.Join(base, "h5bp-server-configs-nginx")))
	if len(entries) < 15 {
		t.Fatalf("only %d corpus configs", len(entries))
	}
	fsys := serverfs.NewMapFS([]serverfs.Mapping{{Server: "/etc/nginx", Local: debian}}, true)
	counts := map[string]int{}
	defer logCounts(t, counts)
	for _, e := range entries {
		res, err := rules.Lint(rules.Config{Paths: []string{e}, Type: filekind.Nginx, Servers: rules.AnyServer,
			Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All(), FS: fsys})
		if err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		for _, f := range res.Findings {
			counts[f.Severity.String()+" "+f.RuleID]++
			if f.Severity == rules.Error || f.RuleID == "NG000" {
				t.Errorf("%s: [%s] %s:%d %s", e, f.RuleID, f.File, f.Span.Start.Line, f.Message)
			}
		}
	}
	if _, err := os.Stat(debian); err != nil {
		t.Fatal(err)
	}
}

// rebuildH5bp lays the corpus's flattened h5bp files ("a__b__c.conf") out as
// the repository tree they come from, so includes resolve, and returns the
// path of its nginx.conf.
func rebuildH5bp(t *testing.T, dir string) string {
	t.Helper()
	return filepath.Join(rebuildFlat(t, dir, "h5bp__server-configs-nginx__"), "nginx.conf")
}

// logCounts logs the corpus findings per severity and rule (with -v), so
// that a change in the number of warnings shows.
func logCounts(t *testing.T, counts map[string]int) {
	t.Helper()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%s: %d", k, counts[k])
	}
}
