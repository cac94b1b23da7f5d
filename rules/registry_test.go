package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

func TestRegistry(t *testing.T) {
	idRe := regexp.MustCompile(`^(PW|AP|NG|AU)\d{3}$`)
	nameRe := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	all := rules.All()
	if len(all) == 0 {
		t.Fatal("no rules registered")
	}
	ids, names := map[string]bool{}, map[string]bool{}
	prev := ""
	for _, r := range all {
		t.Run(r.ID, func(t *testing.T) {
			if !idRe.MatchString(r.ID) {
				t.Errorf("bad ID %q", r.ID)
			}
			if !nameRe.MatchString(r.Name) {
				t.Errorf("name %q is not kebab-case", r.Name)
			}
			if ids[r.ID] || names[r.Name] {
				t.Errorf("duplicate ID or name %s %s", r.ID, r.Name)
			}
			ids[r.ID], names[r.Name] = true, true
			if r.ID <= prev {
				t.Errorf("%s is out of ID order (after %s)", r.ID, prev)
			}
			prev = r.ID
			if r.Severity < rules.Info || r.Severity > rules.Error {
				t.Errorf("no severity")
			}
			if r.Summary == "" || strings.HasSuffix(r.Summary, ".") {
				t.Errorf("summary must be set and have no final period: %q", r.Summary)
			}
			if r.UserFile == nil && r.Nginx == nil && r.Apache == nil && !r.Engine {
				t.Errorf("rule inspects nothing")
			}
			// A rule lives in rules/<id>_<name>.go (the name in snake case),
			// alone: a reader goes from the ID to the code by name.
			file := strings.ToLower(r.ID) + "_" + strings.ReplaceAll(r.Name, "-", "_") + ".go"
			src, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("rule %s must be defined in rules/%s: %v", r.ID, file, err)
			} else if !strings.Contains(string(src), `ID: "`+r.ID+`"`) {
				t.Errorf("rules/%s does not define %s", file, r.ID)
			}
			doc := r.Doc()
			if !strings.HasPrefix(doc, "# "+r.ID+" "+r.Name+": ") {
				t.Errorf("docs/%s.md must start with %q", r.ID, "# "+r.ID+" "+r.Name+": ")
			}
			for _, h := range []string{"## Example", "## Why", "## How to fix"} {
				if !strings.Contains(doc, "\n"+h+"\n") {
					t.Errorf("docs/%s.md lacks section %q", r.ID, h)
				}
			}
			fixtures, err := os.ReadDir(filepath.Join("testdata", r.ID))
			if err != nil {
				t.Fatalf("fixtures: %v", err)
			}
			firing, clean := false, false
			for _, f := range fixtures {
				found := false
				_ = filepath.WalkDir(filepath.Join("testdata", r.ID, f.Name()), func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						b, _ := os.ReadFile(p)
						found = found || strings.Contains(string(b), "# want ")
					}
					return nil
				})
				firing, clean = firing || found, clean || !found
			}
			if !firing || !clean {
				t.Errorf("testdata/%s needs a fixture that fires (firing=%v) and a clean one (clean=%v)", r.ID, firing, clean)
			}
		})
	}
}

func TestReadmeTableIsCurrent(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, ok := rules.ReplaceTable(string(data), rules.All())
	if !ok {
		t.Fatal("README.md lacks the rule table markers")
	}
	if want != string(data) {
		t.Error("README.md rule table is stale: run go generate ./rules")
	}
}

func TestEveryDocHasARule(t *testing.T) {
	entries, err := os.ReadDir("docs")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		id := strings.TrimSuffix(e.Name(), ".md")
		if _, ok := rules.Lookup(rules.All(), id); !ok {
			t.Errorf("docs/%s has no rule in All()", e.Name())
		}
	}
}

// TestRuleFilesHoldOneRule checks the other direction of the file naming:
// every file named like a rule defines exactly the rule it is named after.
func TestRuleFilesHoldOneRule(t *testing.T) {
	files, err := filepath.Glob("[a-z][a-z][0-9][0-9][0-9]_*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files: %v", err)
	}
	idRe := regexp.MustCompile(`ID:\s*"(\w+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ids := idRe.FindAllStringSubmatch(string(src), -1)
		want := strings.ToUpper(f[:5])
		if len(ids) != 1 || ids[0][1] != want {
			t.Errorf("%s must define exactly rule %s, defines %v", f, want, ids)
		}
	}
}
