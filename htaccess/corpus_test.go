package htaccess

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// corpusDir locates the shared test corpus (../../shared/corpus from this
// package, or $AUTHLINT_CORPUS).
func corpusDir(t testing.TB) string {
	t.Helper()
	for _, d := range []string{os.Getenv("AUTHLINT_CORPUS"), filepath.Join("..", "..", "shared", "corpus")} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "apache")); err == nil && st.IsDir() {
			return d
		}
	}
	t.Fatal("shared corpus not found: expected ../../shared/corpus or $AUTHLINT_CORPUS")
	return ""
}

type indexRow struct {
	file, verdict string
}

// readIndex reads an INDEX.tsv: first column file name, last column the
// apache2 -t verdict; '#' lines are comments.
func readIndex(t *testing.T, p string) []indexRow {
	t.Helper()
	fh, err := os.Open(p)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	defer fh.Close()
	var rows []indexRow
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		cols := strings.Split(line, "\t")
		rows = append(rows, indexRow{file: cols[0], verdict: cols[len(cols)-1]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read index: %v", err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no rows", p)
	}
	return rows
}

// syntaxFragments are the httpd messages for problems the parser can see;
// the parser's message must contain the same fragment.
var syntaxFragments = []string{
	"was not closed",
	"without matching",
	"missing closing '>'",
	"requires additional arguments",
	"before end of configuration",
	"but saw",
}

var verdictLine = regexp.MustCompile(`line (\d+) of`)

// TestAugeasVerdicts checks the parser against real apache2 -t verdicts:
// accepted files give no error, and files rejected for a syntax reason give
// the same problem on the same line.
func TestAugeasVerdicts(t *testing.T) {
	base := filepath.Join(corpusDir(t), "apache", "augeas")
	checked := 0
	for _, dir := range []string{base, filepath.Join(base, "derived")} {
		for _, row := range readIndex(t, filepath.Join(dir, "INDEX.tsv")) {
			t.Run(row.file, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join(dir, row.file))
				if err != nil {
					t.Fatal(err)
				}
				f := Parse(row.file, data)
				if strings.Contains(row.verdict, "Syntax OK") {
					checked++
					for _, e := range f.Errors {
						if e.Severity == SeverityError {
							t.Errorf("apache accepts this file, parser reports: %v", e)
						}
					}
					return
				}
				frag := ""
				for _, s := range syntaxFragments {
					if strings.Contains(row.verdict, s) {
						frag = s
					}
				}
				if frag == "" {
					t.Logf("semantic rejection, not checked: %s", row.verdict)
					return
				}
				checked++
				m := verdictLine.FindStringSubmatch(row.verdict)
				if m == nil {
					t.Fatalf("no line in verdict %q", row.verdict)
				}
				line, _ := strconv.Atoi(m[1])
				for _, e := range f.Errors {
					if int(e.Span.Start.Line) == line && strings.Contains(e.Msg, frag) {
						// The parser cannot know whether an <IfModule>
						// holds, so that case is a warning.
						if e.Severity != SeverityError && frag != "before end of configuration" {
							t.Errorf("problem found but only as a warning: %v", e)
						}
						return
					}
				}
				t.Errorf("apache: %s\nwant a problem containing %q on line %d; got %v", row.verdict, frag, line, f.Errors)
			})
		}
	}
	if checked < 40 {
		t.Errorf("only %d corpus cases checked", checked)
	}
}

// goldenCase is one input whose AST dump is kept in testdata/NAME.golden.
type goldenCase struct {
	name, path string
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	base := filepath.Join(corpusDir(t), "apache", "augeas")
	var cases []goldenCase
	add := func(prefix, pattern string) {
		ms, err := filepath.Glob(pattern)
		if err != nil || len(ms) == 0 {
			t.Fatalf("no files for %s", pattern)
		}
		for _, m := range ms {
			name := prefix + strings.TrimSuffix(filepath.Base(m), ".conf")
			cases = append(cases, goldenCase{name: name, path: m})
		}
	}
	add("augeas-", filepath.Join(base, "*.conf"))
	add("augeas-derived-", filepath.Join(base, "derived", "*.conf"))
	add("", filepath.Join("testdata", "*.conf"))
	return cases
}

// TestGolden compares AST dumps with testdata/*.golden; run with -update
// to rewrite them.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases(t) {
		t.Run(gc.name, func(t *testing.T) {
			data, err := os.ReadFile(gc.path)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(Parse(filepath.Base(gc.path), data))
			golden := filepath.Join("testdata", gc.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("AST of %s differs from %s:\ngot:\n%s", gc.path, golden, got)
			}
		})
	}
}

// TestCorpusAccepted parses every config httpd accepts syntactically (the
// httpd templates, h5bp's files and Debian's tree) and wants no error.
func TestCorpusAccepted(t *testing.T) {
	root := filepath.Join(corpusDir(t), "apache")
	var files []string
	for _, sub := range []string{"httpd-defaults", "h5bp-server-configs-apache", "debian-etc-apache2/etc-apache2"} {
		err := filepath.WalkDir(filepath.Join(root, sub), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".txt") || filepath.Base(p) == "magic" || filepath.Base(p) == "envvars" {
				return nil
			}
			files = append(files, p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 100 {
		t.Fatalf("only %d corpus files found", len(files))
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(p, data)
		for _, e := range f.Errors {
			t.Errorf("%v [%s %s]", e, e.Severity, e.Kind)
		}
		if len(f.Nodes) == 0 && len(f.Comments) == 0 {
			t.Errorf("%s: nothing parsed", p)
		}
	}
}
