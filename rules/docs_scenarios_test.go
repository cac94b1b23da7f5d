package rules_test

import (
	"bufio"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

// scenariosDir holds the real-server scenarios, one directory each.
const scenariosDir = "../testdata/scenarios"

// scenarioRef is a scenario name as a doc writes it: a Markdown code span
// whose whole content is "nginx-" or "apache-" followed by lower-case
// kebab-case words (`nginx-satisfy-any`). Spans inside fenced code blocks
// and rule names (`apache-syntax`) are not references. The same definition
// is written down in testdata/scenarios/README.md.
var scenarioRef = regexp.MustCompile("`((?:nginx|apache)-[a-z0-9]+(?:-[a-z0-9]+)*)`")

// unopenable are pointers into material outside the repository that a
// reader of `authlint explain` cannot open.
var unopenable = []string{"facts nginx", "facts apache", "../shared", "shared/facts", "shared/corpus", "corpus quirk",
	"SERVER_COMPAT"}

// factNumber matches, outside fenced code blocks, a numbered fact ("#49",
// "(#55, #56)") or a section of the facts files ("§4", or the word facts
// followed by S and a digit or by #).
var factNumber = regexp.MustCompile(`(?:^|[\s(,;])#\d+\b|§|\bfacts\s+(?:S\d|#)`)

// docScenarios returns the scenario names a doc cites, outside fenced code
// blocks and without rule names.
func docScenarios(doc string, ruleNames map[string]bool) []string {
	var names []string
	for _, m := range scenarioRef.FindAllStringSubmatch(stripFences(doc), -1) {
		if !ruleNames[m[1]] && !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	return names
}

// stripFences blanks the lines of fenced code blocks.
func stripFences(doc string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.SplitAfter(doc, "\n") {
		if strings.HasPrefix(line, "```") {
			in = !in
			b.WriteString("\n")
			continue
		}
		if in {
			b.WriteString("\n")
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// scenarioExpects reads the rule IDs of a scenario's `expect RULE …` lines.
func scenarioExpects(t *testing.T, dir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "scenario.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "expect" && !slices.Contains(ids, fields[1]) {
			ids = append(ids, fields[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestDocsCiteScenarios checks that the rule docs cite what a reader can
// open: no pointer into files outside the repository, every scenario a doc
// names exists under testdata/scenarios, and every scenario that expects a
// rule's finding is named by that rule's doc.
func TestDocsCiteScenarios(t *testing.T) {
	entries, err := os.ReadDir(scenariosDir)
	if err != nil {
		t.Fatal(err)
	}
	scenarios := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			scenarios[e.Name()] = true
		}
	}
	if len(scenarios) < 50 {
		t.Fatalf("only %d scenarios in %s", len(scenarios), scenariosDir)
	}
	all := rules.All()
	ruleNames := map[string]bool{}
	for _, r := range all {
		ruleNames[r.Name] = true
	}
	cited := map[string][]string{} // rule ID -> scenarios its doc names
	for _, r := range all {
		doc := r.Doc()
		for _, s := range unopenable {
			if strings.Contains(strings.ToLower(doc), strings.ToLower(s)) {
				t.Errorf("docs/%s.md cites %q, which is outside the repository: cite a scenario and the server's source function", r.ID, s)
			}
		}
		if m := factNumber.FindString(stripFences(doc)); m != "" {
			t.Errorf("docs/%s.md cites a fact number or section %q: cite a scenario and the server's source function", r.ID, strings.TrimSpace(m))
		}
		cited[r.ID] = docScenarios(doc, ruleNames)
		for _, s := range cited[r.ID] {
			if !scenarios[s] {
				t.Errorf("docs/%s.md names the scenario `%s`, which has no directory in testdata/scenarios", r.ID, s)
			}
		}
	}
	names := slices.Sorted(maps.Keys(scenarios))
	for _, s := range names {
		for _, id := range scenarioExpects(t, filepath.Join(scenariosDir, s)) {
			if _, ok := rules.Lookup(all, id); !ok {
				t.Errorf("scenario %s expects %s, which is no rule", s, id)
				continue
			}
			if !slices.Contains(cited[id], s) {
				t.Errorf("scenario %s expects %s, but docs/%s.md does not name `%s`: say in its Why section what the scenario shows", s, id, id, s)
			}
		}
	}
}
