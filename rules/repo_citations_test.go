package rules_test

import (
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

// outsideCitation matches a pointer into notes that live outside the
// repository: the facts files (by name, path, numbered fact or section) and
// the corpus's quirk numbers. Code and scenario comments cite a scenario
// directory under testdata/scenarios and the server's source function
// instead.
var outsideCitation = regexp.MustCompile(`(?i:\bfacts\s+(?:nginx|apache)\b|\.\./shared|shared/facts|\bcorpus quirks?\b)|\bfacts\s+(?:S\d|§|#)`)

// corpusPath is the location of the optional external test corpus, which
// the corpus tests read (or $AUTHLINT_CORPUS): a data location, not a
// citation, so it is allowed in _test.go files.
var corpusPath = regexp.MustCompile(`(?:\.\./)+shared/corpus`)

// patternFiles define the patterns of outsideCitation and unopenable in
// string literals; only their comments are checked.
var patternFiles = map[string]bool{"rules/repo_citations_test.go": true, "rules/docs_scenarios_test.go": true}

// outsideCitations returns "line: match" for each pointer outside the
// repository in a file of the repository (name relative to its root).
func outsideCitations(name string, src []byte) []string {
	text := string(src)
	if patternFiles[name] {
		text = commentsOnly(src)
	}
	if strings.HasSuffix(name, "_test.go") {
		text = corpusPath.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	}
	var out []string
	for _, loc := range outsideCitation.FindAllStringIndex(text, -1) {
		out = append(out, fmt.Sprintf("%d: %q", strings.Count(text[:loc[0]], "\n")+1, text[loc[0]:loc[1]]))
	}
	return out
}

// commentsOnly blanks everything of a Go source but its comments, keeping
// line numbers.
func commentsOnly(src []byte) string {
	b := []byte(strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		return ' '
	}, string(src)))
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", fset.Base(), len(src)), src, nil, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.COMMENT {
			off := fset.Position(pos).Offset
			copy(b[off:], src[off:off+len(lit)])
		}
	}
	return string(b)
}

// TestOutsideCitationPatterns checks that the repository test below can
// fail: each form of pointer is found, and the allowed corpus path is not.
func TestOutsideCitationPatterns(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      int
	}{
		{"rules/x.go", "// declines (facts " + "S1, #40).\n", 1},
		{"rules/x.go", "// open (facts " + "§6).\n", 1},
		{"rules/x.go", "// see facts " + "#42.\n", 1},
		{"rules/x.go", "// (facts " + "nginx S7, #60) (facts " + "Apache §4)\n", 2},
		{"rules/x.go", "// in /work/shared" + "/facts/nginx.md\n", 1},
		{"rules/x.go", `var p = "../shared` + `/corpus"` + "\n", 1},
		{"rules/x_test.go", `var p = "../../shared` + `/corpus"` + "\n", 0},
		{"rules/x_test.go", `var p = "../../shared` + `/facts"` + "\n", 1},
		{"htpasswd/x_test.go", "// corpus " + "quirks: $apr1$…\n", 1},
		{"rules/docs_scenarios_test.go", `var u = []string{"facts ` + `nginx"}` + "\n", 0},
		{"rules/docs_scenarios_test.go", "// cites (facts " + "§6)\n" + `var u = "x"` + "\n", 1},
		{"testdata/scenarios/x/scenario.txt", "# open (facts " + "#62).\n", 1},
		{"rules/x.go", "// bytes and file facts, never parsed trees; the facts of S1.\n", 0},
	} {
		if got := outsideCitations(tc.name, []byte(tc.src)); len(got) != tc.want {
			t.Errorf("%s %q: found %q, want %d", tc.name, tc.src, got, tc.want)
		}
	}
}

// TestRepoCitesWhatReadersCanOpen checks that no Go file and no scenario
// description points into notes outside the repository, which a reader of
// the repository cannot open, and that every scenario they name in
// backquotes has its directory.
func TestRepoCitesWhatReadersCanOpen(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scenarios, err := filepath.Glob(filepath.Join(root, "testdata", "scenarios", "*", "scenario.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ruleNames := map[string]bool{}
	for _, r := range rules.All() {
		ruleNames[r.Name] = true
	}
	if len(files) < 100 || len(scenarios) < 50 {
		t.Fatalf("only %d Go files and %d scenarios under %s", len(files), len(scenarios), root)
	}
	for _, path := range append(files, scenarios...) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(root, path)
		name = filepath.ToSlash(name)
		for _, m := range outsideCitations(name, src) {
			t.Errorf("%s:%s points outside the repository: cite the scenario under testdata/scenarios and the server's source function", name, m)
		}
		for _, m := range scenarioRef.FindAllStringSubmatch(string(src), -1) {
			if _, err := os.Stat(filepath.Join(root, "testdata", "scenarios", m[1])); err != nil && !ruleNames[m[1]] {
				t.Errorf("%s names the scenario `%s`, which has no directory in testdata/scenarios", name, m[1])
			}
		}
	}
}
