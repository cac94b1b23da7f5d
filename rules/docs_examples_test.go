package rules_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/rules"
	"github.com/authlint/authlint/rules/format"
	"github.com/authlint/authlint/rules/ruletest"
)

var update = flag.Bool("update", false, "rewrite the output blocks of the rule docs' examples from their fixtures")

// An example in a rule doc's "## Example" section starts with a marker
// naming a fixture (a file or a tree, from the repository root):
//
//	<!-- example: rules/testdata/NG303/any -->
//
// The fenced code blocks after it, up to the next marker or heading, belong
// to it: the last one is authlint's text output for the fixture, the rule's
// findings only, headline lines without the source snippet, paths relative
// to the fixture's directory (a tree: the tree itself), as `authlint --map
// /etc/nginx=. .` run there prints them (/etc/apache2 for Apache fixtures;
// see lintFixture). The blocks before it are excerpts of the fixture: each
// line must occur in one of its files, in order (lines may be left out).
// An excerpt may drop the indentation its lines share in the fixture. In
// an excerpt, "…" stands for any text (a whole line of it for lines left
// out), and invisible bytes are written <BOM>, <CR>, <0xNN> (other control
// bytes and bytes that are not UTF-8), with a blank at the end of a line as
// ␠ (space) or ⇥ (tab). A fixture line's trailing "# want" marker may be
// left out.
var exampleMarker = regexp.MustCompile(`^<!-- example: (\S+) -->$`)

// docExample is one marker and its code blocks.
type docExample struct {
	fixture string      // path from the rules directory
	line    int         // of the marker, 1-based
	blocks  []codeBlock // excerpts, then the output
}

// codeBlock is a fenced block: the lines between the fences.
type codeBlock struct {
	start, end int // line indexes (0-based) of the opening and closing fence
	lines      []string
}

// parseExamples reads the markers and blocks of a doc's Example section.
func parseExamples(doc string) ([]*docExample, error) {
	lines := strings.Split(doc, "\n")
	var out []*docExample
	inSection := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "## ") {
			inSection = l == "## Example"
			continue
		}
		if !inSection {
			continue
		}
		if m := exampleMarker.FindStringSubmatch(l); m != nil {
			fixture, ok := strings.CutPrefix(m[1], "rules/")
			if !ok {
				return nil, fmt.Errorf("line %d: the fixture %q must be given from the repository root (rules/testdata/…)", i+1, m[1])
			}
			out = append(out, &docExample{fixture: fixture, line: i + 1})
			continue
		}
		if strings.HasPrefix(l, "<!-- example") {
			return nil, fmt.Errorf("line %d: malformed example marker %q", i+1, l)
		}
		if !strings.HasPrefix(l, "```") {
			continue
		}
		b := codeBlock{start: i}
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			b.lines = append(b.lines, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("line %d: unclosed code block", b.start+1)
		}
		b.end = i
		if len(out) == 0 {
			return nil, fmt.Errorf("line %d: code block in ## Example before any example marker", b.start+1)
		}
		ex := out[len(out)-1]
		ex.blocks = append(ex.blocks, b)
	}
	return out, nil
}

// fixtureFiles returns the regular files of a fixture file or tree.
func fixtureFiles(path string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasSuffix(p, ".want") {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// exampleMount is the server directory an example's fixture is linted
// under: /etc/nginx when it holds an nginx.conf (or a NAME.nginx.conf), else
// /etc/apache2.
func exampleMount(files []string) string {
	for _, f := range files {
		if name := filepath.Base(f); name == "nginx.conf" || strings.HasSuffix(name, ".nginx.conf") {
			return "/etc/nginx"
		}
	}
	return "/etc/apache2"
}

// lintFixture lints a fixture with every rule, as `authlint` does by
// default, honouring its "# ruletest:" options like ruletest.Run, and
// returns the text output of the rule's findings. The fixture's directory
// is mapped to its server directory (exampleMount), as `authlint --map
// /etc/nginx=DIR` does, so that messages name server paths instead of the
// checkout's; paths shown are relative to that directory.
func lintFixture(t *testing.T, path, ruleID string) string {
	t.Helper()
	files, err := fixtureFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.Config{Paths: []string{path}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All()}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), "# ruletest:")
			if !ok {
				continue
			}
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				if err := applyRuletestOption(t, &cfg, f, k, v); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
		}
	}
	base := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		base = filepath.Dir(path)
	}
	abs, err := filepath.Abs(base)
	if err != nil {
		t.Fatal(err)
	}
	cfg.FS = serverfs.NewMapFS([]serverfs.Mapping{{Server: exampleMount(files), Local: abs}}, false)
	res, err := rules.Lint(cfg)
	if err != nil {
		t.Fatalf("lint %s: %v", path, err)
	}
	var shown []rules.Finding
	for _, f := range res.Findings {
		if f.RuleID != ruleID || f.Suppressed {
			continue
		}
		if rel, err := filepath.Rel(base, f.File); err == nil && !strings.HasPrefix(rel, "..") {
			f.File = rel
		}
		f.Message = strings.ReplaceAll(f.Message, base+string(filepath.Separator), "")
		f.Source = "" // headline lines only
		shown = append(shown, f)
	}
	var buf bytes.Buffer
	if err := format.Text(&buf, shown, format.Options{}); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// applyRuletestOption applies one "# ruletest:" option of a fixture file.
func applyRuletestOption(t *testing.T, cfg *rules.Config, file, k, v string) error {
	switch k {
	case "requires":
		if v != "root" {
			return fmt.Errorf("unknown requirement %q", v)
		}
		if os.Geteuid() != 0 {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s needs root; CI runs as root", file)
			}
			t.Skipf("%s needs root (file modes as the worker account sees them): skipped", file)
		}
	case "chmod":
		// What authlint says about the file depends on who runs it: the
		// example shows a root run (as in CI) on a file owned by root.
		if os.Geteuid() != 0 {
			t.Skipf("%s sets a file mode: its example output is that of a run as root", file)
		}
		mode, err := strconv.ParseUint(v, 8, 32)
		if err != nil {
			return fmt.Errorf("bad chmod %q", v)
		}
		st, err := os.Stat(file)
		if err != nil {
			return err
		}
		if err := chownRoot(t, file); err != nil {
			return err
		}
		if err := os.Chmod(file, os.FileMode(mode)); err != nil {
			return err
		}
		t.Cleanup(func() { os.Chmod(file, st.Mode().Perm()) })
	default:
		return ruletest.ApplyOption(cfg, k, v)
	}
	return nil
}

// visible writes a fixture line the way excerpts show it.
func visible(line string) string {
	trimmed := strings.TrimRight(line, " \t")
	var b strings.Builder
	for i := 0; i < len(trimmed); {
		r, size := utf8.DecodeRuneInString(trimmed[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "<0x%02X>", trimmed[i])
		case r == '\uFEFF':
			b.WriteString("<BOM>")
		case r == '\r':
			b.WriteString("<CR>")
		case r < 0x20 && r != '\t' || r == 0x7f:
			fmt.Fprintf(&b, "<0x%02X>", r)
		default:
			b.WriteString(trimmed[i : i+size])
		}
		i += size
	}
	for _, c := range line[len(trimmed):] {
		if c == ' ' {
			b.WriteString("␠")
		} else {
			b.WriteString("⇥")
		}
	}
	return b.String()
}

// excerptPattern turns an excerpt line into a regexp over a visible line.
func excerptPattern(line string) *regexp.Regexp {
	parts := strings.Split(line, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// trailingWant is a ruletest marker after the text of a line.
var trailingWant = regexp.MustCompile(`\s+# want\s.*$`)

// excerptIn reports whether the excerpt's lines occur in order among the
// file's lines, the excerpt indented by the same number of spaces as in the
// file (a block cut out of a nested one may lose its common indentation); a
// fixture line matches with or without its trailing "# want" marker.
func excerptIn(excerpt []string, data string) bool {
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	for indent := 0; indent <= 32; indent++ {
		shifted := make([]string, len(excerpt))
		for i, e := range excerpt {
			shifted[i] = strings.Repeat(" ", indent) + e
		}
		if linesIn(shifted, lines) {
			return true
		}
	}
	return false
}

// linesIn reports whether the excerpt's lines occur in order among lines.
func linesIn(excerpt, lines []string) bool {
	j := 0
	for _, e := range excerpt {
		if t := strings.TrimSpace(e); t == "" || t == "…" {
			continue
		}
		re := excerptPattern(e)
		matches := func(l string) bool {
			return re.MatchString(visible(l)) || re.MatchString(visible(trailingWant.ReplaceAllString(l, "")))
		}
		for j < len(lines) && !matches(lines[j]) {
			j++
		}
		if j == len(lines) {
			return false
		}
		j++
	}
	return true
}

// TestDocExamples checks every rule doc's Example section against its
// fixtures: the output blocks are what authlint prints for them (rewritten
// by `go test ./rules -run TestDocExamples -update`), and the excerpts are
// lines of them.
func TestDocExamples(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			path := filepath.Join("docs", r.ID+".md")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc := string(data)
			examples, err := parseExamples(doc)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if len(examples) == 0 {
				t.Fatalf("%s: ## Example has no <!-- example: rules/testdata/%s/… --> marker", path, r.ID)
			}
			lines := strings.Split(doc, "\n")
			changed := false
			// Rewrite from the last example up, so earlier line indexes hold.
			for k := len(examples) - 1; k >= 0; k-- {
				ex := examples[k]
				where := fmt.Sprintf("%s:%d", path, ex.line)
				if !strings.HasPrefix(ex.fixture, filepath.Join("testdata", r.ID)+"/") {
					t.Errorf("%s: the fixture %s is not under rules/testdata/%s/", where, ex.fixture, r.ID)
					continue
				}
				if _, err := os.Stat(ex.fixture); err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if len(ex.blocks) == 0 {
					t.Errorf("%s: the example has no output block", where)
					continue
				}
				files, err := fixtureFiles(ex.fixture)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range ex.blocks[:len(ex.blocks)-1] {
					found := false
					for _, f := range files {
						content, err := os.ReadFile(f)
						if err != nil {
							t.Fatal(err)
						}
						found = found || excerptIn(b.lines, string(content))
					}
					if !found {
						t.Errorf("%s:%d: the excerpt is not lines of %s, in order", path, b.start+1, ex.fixture)
					}
				}
				got := lintFixture(t, ex.fixture, r.ID)
				if got == "" {
					t.Errorf("%s: %s gives no %s finding", where, ex.fixture, r.ID)
					continue
				}
				out := ex.blocks[len(ex.blocks)-1]
				if strings.Join(out.lines, "\n") == got {
					continue
				}
				if !*update {
					t.Errorf("%s:%d: the output differs from what authlint prints for %s (go test ./rules -run TestDocExamples -update rewrites it):\n--- doc\n%s\n--- authlint\n%s",
						path, out.start+1, ex.fixture, strings.Join(out.lines, "\n"), got)
					continue
				}
				lines = slices.Concat(lines[:out.start+1], strings.Split(got, "\n"), lines[out.end:])
				changed = true
			}
			if changed {
				if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: output rewritten", path)
			}
		})
	}
}
