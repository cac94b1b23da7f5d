package rules_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/rules"
)

// corpusDir finds ../shared/corpus next to the repository (or $AUTHLINT_CORPUS).
func corpusDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("AUTHLINT_CORPUS"); d != "" {
		return d
	}
	d, err := filepath.Abs("../../shared/corpus")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("corpus not found at %s (set AUTHLINT_CORPUS): %v", d, err)
	}
	return d
}

// verdict is one real-server observation: a user's right password sent to a
// server, and the status it answered.
type verdict struct {
	file, user string
	line       string // the exact entry line, when the source names it
	lineNum    int    // the line meant for the user, when given explicitly
	server     rules.ServerSet
	status     string
	shouldWork bool // the file's author meant the password to be accepted
	rules      []string
}

// readTSV returns the non-comment rows of a TSV file.
func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

// lintAs lints one corpus file for one server and returns its findings by line.
func lintAs(t *testing.T, path string, server rules.ServerSet) map[int][]rules.Finding {
	t.Helper()
	kind := filekind.Htpasswd
	if strings.HasSuffix(path, ".htdigest") {
		kind = filekind.Htdigest
	}
	res, err := rules.Lint(rules.Config{Paths: []string{path}, Type: kind, Servers: server,
		Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All(), FindingCap: -1})
	if err != nil {
		t.Fatalf("lint %s: %v", path, err)
	}
	byLine := map[int][]rules.Finding{}
	for _, f := range res.Findings {
		byLine[int(f.Span.Start.Line)] = append(byLine[int(f.Span.Start.Line)], f)
	}
	return byLine
}

// findLine returns the 1-based line of the first entry for user (as Apache
// trims it), or of the exact line text.
func findLine(t *testing.T, path, user, exact string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(strings.TrimPrefix(sc.Text(), "\ufeff"), "\r")
		if exact != "" {
			if line == exact {
				return n
			}
			continue
		}
		if u, _, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && u == user && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			return n
		}
	}
	return 0
}

func (v verdict) String() string {
	return fmt.Sprintf("%s user %q on %s (real status %s)", v.file, v.user, v.server, v.status)
}

// checkVerdicts asserts: a 200 line draws no error; a line the server
// refuses although its author meant it to work draws at least one finding of
// severity warning or more (of one of v.rules when given).
func checkVerdicts(t *testing.T, base string, vs []verdict) {
	t.Helper()
	cache := map[string]map[int][]rules.Finding{}
	for _, v := range vs {
		path := filepath.Join(base, v.file)
		key := fmt.Sprint(path, v.server)
		if cache[key] == nil {
			cache[key] = lintAs(t, path, v.server)
		}
		n := v.lineNum
		if n == 0 {
			n = findLine(t, path, v.user, v.line)
		}
		if n == 0 {
			if v.shouldWork {
				t.Errorf("%v: entry not found in the file", v)
			}
			continue // a user the fixture's author meant to be absent
		}
		fs := cache[key][n]
		switch {
		case v.status == "200":
			for _, f := range fs {
				if f.Severity == rules.Error {
					t.Errorf("%v: line %d is accepted by the real server but drew an error: [%s] %s", v, n, f.RuleID, f.Message)
				}
			}
		case v.status == "401" && v.shouldWork:
			found := false
			for _, f := range fs {
				if f.Severity >= rules.Warning && (len(v.rules) == 0 || contains(v.rules, f.RuleID)) {
					found = true
				}
			}
			if !found {
				t.Errorf("%v: line %d is refused by the real server but authlint reports no %v finding there (got %v)", v, n, v.rules, ids(fs))
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func ids(fs []rules.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+":"+f.Severity.String())
	}
	return out
}

func serverOf(col int) rules.ServerSet {
	if col == 0 {
		return rules.Apache
	}
	return rules.Nginx
}

// TestServerCompatFixtures checks SERVER_COMPAT_fixtures.tsv: library
// fixtures sent to real Apache 2.4.71 and nginx 1.22.1.
func TestServerCompatFixtures(t *testing.T) {
	base := filepath.Join(corpusDir(t), "htpasswd")
	var vs []verdict
	for _, r := range readTSV(t, filepath.Join(base, "SERVER_COMPAT_fixtures.tsv")) {
		if len(r) < 6 || strings.Contains(r[len(r)-1], "password unknown") {
			continue
		}
		for i, status := range []string{r[4], r[5]} {
			vs = append(vs, verdict{file: r[0], user: r[1], server: serverOf(i), status: status, shouldWork: r[3] == "accept"})
		}
	}
	if len(vs) < 600 {
		t.Fatalf("only %d verdicts read", len(vs))
	}
	checkVerdicts(t, base, vs)
}

// TestGeneratedFiles checks generated/INDEX.tsv: hashes made with the real
// tools, every one meant to work, sent to the real servers.
func TestGeneratedFiles(t *testing.T) {
	base := filepath.Join(corpusDir(t), "htpasswd", "generated")
	var vs []verdict
	for _, r := range readTSV(t, filepath.Join(base, "INDEX.tsv")) {
		if len(r) < 7 {
			continue
		}
		for i, status := range []string{r[5], r[6]} {
			if status == "n/a" {
				continue
			}
			vs = append(vs, verdict{file: r[0], user: r[1], line: r[3], server: serverOf(i), status: status, shouldWork: true})
		}
	}
	if len(vs) < 250 {
		t.Fatalf("only %d verdicts read", len(vs))
	}
	checkVerdicts(t, base, vs)
}

// TestQuirks checks quirks/EXPECTED.tsv: constructed file-format edge cases.
// The table names, per file, the line meant for the user and the rule that
// must explain a refusal.
func TestQuirks(t *testing.T) {
	base := filepath.Join(corpusDir(t), "htpasswd", "quirks")
	meant := map[string]struct {
		line  int
		rules []string
	}{
		"02-utf8-bom.htpasswd":                   {1, []string{"PW101"}},
		"04-leading-space-before-user.htpasswd":  {1, []string{"PW103"}},
		"05-trailing-space-after-hash.htpasswd":  {1, []string{"PW103"}},
		"06-trailing-tab-after-hash.htpasswd":    {1, []string{"PW103"}},
		"07-space-before-colon.htpasswd":         {1, []string{"PW112"}},
		"08-space-after-colon.htpasswd":          {1, []string{"PW112"}},
		"10-duplicate-user-wrong-first.htpasswd": {2, []string{"PW108"}},
		"16-empty-hash.htpasswd":                 {1, []string{"PW204"}},
		"18-cr-only-line-endings.htpasswd":       {1, []string{"PW106"}},
		"19-lowercase-sha-prefix.htpasswd":       {1, []string{"PW202"}},
		"20-uppercase-apr1-prefix.htpasswd":      {1, []string{"PW202"}},
		"21-inline-comment-after-hash.htpasswd":  {1, []string{"PW104"}},
		"22-no-colon-tab-separator.htpasswd":     {1, []string{"PW102"}},
		"24-windows-1252-username.htpasswd":      {1, []string{"PW111"}},
	}
	// Refusals that are right and need no finding: the user is commented
	// out on purpose (12), or the client sent another name (15).
	intended := map[string]bool{"12-commented-user.htpasswd": true, "15-username-case.htpasswd": true}
	var vs []verdict
	rows := readTSV(t, filepath.Join(base, "EXPECTED.tsv"))
	if len(rows) != 25 {
		t.Fatalf("read %d quirk rows, want 25", len(rows))
	}
	for _, r := range rows {
		if intended[r[0]] {
			continue
		}
		for i, status := range []string{r[3], r[4]} {
			m := meant[r[0]]
			if status == "401" && m.line == 0 {
				t.Errorf("%s: refused by %s but no expectation in the test table", r[0], serverOf(i))
			}
			user := r[1]
			if m.line != 0 {
				user = ""
			}
			vs = append(vs, verdict{file: r[0], user: user, lineNum: m.line, server: serverOf(i), status: status, shouldWork: true, rules: m.rules})
		}
	}
	checkVerdicts(t, base, vs)
}
