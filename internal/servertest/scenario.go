package servertest

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Scenario is one parsed scenario.txt.
type Scenario struct {
	Name     string
	Dir      string
	Server   string   // "nginx" or "apache"
	Lint     string   // entry point, relative to the tree
	LintArgs []string // extra authlint flags, e.g. --server nginx
	Setup    []string
	Requests []Expect
	Findings []Finding
	NeedRoot bool // "requires root": skipped (or failed in CI) when not root
}

// Expect is a request with the status the real server must return.
type Expect struct {
	Request
	Status int
	Line   int // line of scenario.txt
}

// Finding is a finding authlint must report (or reported).
type Finding struct {
	Rule string
	File string // relative to the rendered root, slash-separated
	Line int
}

func (f Finding) String() string { return fmt.Sprintf("%s %s:%d", f.Rule, f.File, f.Line) }

// LintFunc lints a rendered tree's entry point (absolute path) with extra
// authlint flags and returns the error and warning findings, with paths
// relative to root.
type LintFunc func(root, entry string, flags []string) ([]Finding, error)

// ParseScenario reads dir/scenario.txt.
func ParseScenario(dir string) (*Scenario, error) {
	f, err := os.Open(filepath.Join(dir, "scenario.txt"))
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	defer f.Close()
	sc := &Scenario{Name: filepath.Base(dir), Dir: dir}
	in := bufio.NewScanner(f)
	for n := 1; in.Scan(); n++ {
		line := strings.TrimSpace(in.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := sc.parseLine(line, n); err != nil {
			return nil, fmt.Errorf("%s/scenario.txt:%d: %w", dir, n, err)
		}
	}
	if err := in.Err(); err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	if sc.Server != "nginx" && sc.Server != "apache" {
		return nil, fmt.Errorf("%s/scenario.txt: want a line \"server nginx\" or \"server apache\"", dir)
	}
	if sc.Lint == "" {
		return nil, fmt.Errorf("%s/scenario.txt: want a line \"lint PATH\"", dir)
	}
	return sc, nil
}

func (sc *Scenario) parseLine(line string, n int) error {
	word, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	switch word {
	case "server":
		sc.Server = rest
	case "lint":
		f := strings.Fields(rest)
		if len(f) == 0 {
			return fmt.Errorf("want \"lint PATH [FLAGS...]\"")
		}
		sc.Lint, sc.LintArgs = f[0], f[1:]
	case "setup":
		sc.Setup = append(sc.Setup, rest)
	case "requires":
		if rest != "root" {
			return fmt.Errorf("unknown requirement %q", rest)
		}
		sc.NeedRoot = true
	case "expect":
		rule, loc, ok := strings.Cut(rest, " ")
		file, num, ok2 := strings.Cut(strings.TrimSpace(loc), ":")
		ln, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil {
			return fmt.Errorf("want \"expect RULE FILE:LINE\", got %q", line)
		}
		sc.Findings = append(sc.Findings, Finding{Rule: rule, File: file, Line: ln})
	case "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PROPFIND", "MKCOL", "PATCH":
		return sc.parseRequest(word, rest, n)
	default:
		return fmt.Errorf("unknown line %q", line)
	}
	return nil
}

// parseRequest parses `PATH [user:password] [H"Name: value"]... -> STATUS`.
func (sc *Scenario) parseRequest(method, rest string, n int) error {
	lhs, status, ok := strings.Cut(rest, "->")
	code, err := strconv.Atoi(strings.TrimSpace(status))
	if !ok || err != nil {
		return fmt.Errorf("want \"METHOD PATH [user:password] [H\\\"Name: value\\\"] -> STATUS\"")
	}
	e := Expect{Request: Request{Method: method, Header: http.Header{}}, Status: code, Line: n}
	lhs = strings.TrimSpace(lhs)
	for lhs != "" {
		if strings.HasPrefix(lhs, `H"`) {
			end := strings.Index(lhs[2:], `"`)
			if end < 0 {
				return fmt.Errorf("unterminated header in %q", lhs)
			}
			k, v, _ := strings.Cut(lhs[2:2+end], ":")
			e.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			lhs = strings.TrimSpace(lhs[2+end+1:])
			continue
		}
		word, tail, _ := strings.Cut(lhs, " ")
		lhs = strings.TrimSpace(tail)
		switch {
		case e.Path == "":
			e.Path = word
		default:
			e.User, e.Password, _ = strings.Cut(word, ":")
		}
	}
	if !strings.HasPrefix(e.Path, "/") {
		return fmt.Errorf("path %q must start with /", e.Path)
	}
	sc.Requests = append(sc.Requests, e)
	return nil
}

// RunScenarios runs every scenario under dir as a subtest. lint may be nil:
// then only the server half runs.
func RunScenarios(t *testing.T, dir string, lint LintFunc) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("scenarios: %v", err)
	}
	ran := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sc, err := ParseScenario(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		ran++
		t.Run(sc.Name, func(t *testing.T) { sc.Run(t, lint) })
	}
	if ran == 0 {
		t.Fatalf("no scenario in %s", dir)
	}
}

// Run renders the scenario, checks authlint's findings (when lint is set),
// starts the server and checks every status. AUTHLINT_SCENARIO_HALF=lint or
// =server runs one half only.
func (sc *Scenario) Run(tb TB, lint LintFunc) {
	tb.Helper()
	if sc.NeedRoot && !isRoot() {
		if os.Getenv("CI") != "" {
			tb.Fatalf("scenario %s needs root (file permissions for the www-data workers)", sc.Name)
		}
		tb.Skipf("scenario %s needs root (file permissions for the www-data workers)", sc.Name)
	}
	tr := Render(tb, filepath.Join(sc.Dir, "tree"))
	if err := writeBase(tr, sc.Server); err != nil {
		tb.Fatalf("%v", err)
	}
	for _, step := range sc.Setup {
		if err := tr.Setup(step); err != nil {
			tb.Fatalf("%s: %v", sc.Name, err)
		}
	}
	half := os.Getenv("AUTHLINT_SCENARIO_HALF")
	if lint != nil && half != "server" {
		sc.checkFindings(tb, tr, lint)
	}
	if half == "lint" {
		return
	}
	srv := Start(tb, sc.Server, tr)
	for _, e := range sc.Requests {
		resp, err := srv.Do(e.Request)
		if err != nil {
			tb.Errorf("%s (scenario.txt:%d): %s: want %d, request failed: %v\nerror log:\n  %s",
				sc.Name, e.Line, e.Request, e.Status, err, strings.Join(resp.ErrorLog, "\n  "))
			continue
		}
		if resp.Status != e.Status {
			tb.Errorf("%s (scenario.txt:%d): %s: want status %d, the real %s answered %d\nerror log:\n  %s",
				sc.Name, e.Line, e.Request, e.Status, sc.Server, resp.Status, strings.Join(resp.ErrorLog, "\n  "))
		}
	}
}

// checkFindings compares authlint's findings with the expected set.
func (sc *Scenario) checkFindings(tb TB, tr *Tree, lint LintFunc) {
	tb.Helper()
	got, err := lint(tr.Root, filepath.Join(tr.Root, sc.Lint), sc.LintArgs)
	if err != nil {
		tb.Errorf("%s: lint %s: %v", sc.Name, sc.Lint, err)
		return
	}
	key := func(f Finding) string { return f.String() }
	want := map[string]bool{}
	for _, f := range sc.Findings {
		want[key(f)] = true
	}
	have := map[string]bool{}
	for _, f := range got {
		have[key(f)] = true
	}
	var missing, unexpected []string
	for k := range want {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	for k := range have {
		if !want[k] {
			unexpected = append(unexpected, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(unexpected)
	if len(missing) > 0 || len(unexpected) > 0 {
		tb.Errorf("%s: authlint's findings differ from the scenario's expect lines\n  missing:    %v\n  unexpected: %v",
			sc.Name, missing, unexpected)
	}
}
