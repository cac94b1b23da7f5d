package servertest

import (
	"bufio"
	"errors"
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
	// ConfigFails, set by `configtest fails "TEXT"`, says the server's
	// own config test (nginx -t, apache2 -t) must fail with TEXT in its
	// output; the server is then not started.
	ConfigFails string
	// FastCGI lists the UNIX sockets (relative to the tree) where
	// `backend fastcgi PATH` starts a FastCGI stand-in for the server half.
	FastCGI []string
	// HTTP lists the UNIX sockets (relative to the tree) where `backend
	// http PATH` starts an HTTP stand-in for the server half.
	HTTP []string
}

// Expect is a request with the status the real server must return, and
// optional checks of the answer.
type Expect struct {
	Request
	Status int
	Line   int // line of scenario.txt
	Checks []Check
}

// Check is one condition on a response, written after the status:
// B"text" (the body contains text), !B"text" (it does not), H"Name: text"
// (a Name header contains text), N"Name"=K (the answer has K Name headers).
type Check struct {
	Kind  string // "B", "!B", "H", "N"
	Name  string
	Text  string
	Count int
}

func (c Check) String() string {
	switch c.Kind {
	case "H":
		return fmt.Sprintf("H%q", c.Name+": "+c.Text)
	case "N":
		return fmt.Sprintf("N%q=%d", c.Name, c.Count)
	}
	return fmt.Sprintf("%s%q", c.Kind, c.Text)
}

// holds reports whether r satisfies the check.
func (c Check) holds(r *Response) bool {
	switch c.Kind {
	case "B":
		return strings.Contains(r.Body, c.Text)
	case "!B":
		return !strings.Contains(r.Body, c.Text)
	case "H":
		for _, v := range r.Header.Values(c.Name) {
			if strings.Contains(v, c.Text) {
				return true
			}
		}
		return false
	case "N":
		return len(r.Header.Values(c.Name)) == c.Count
	}
	return false
}

// parseChecks parses the text after the status code.
func parseChecks(s string) ([]Check, error) {
	var out []Check
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		kind := ""
		for _, k := range []string{"!B", "B", "H", "N"} {
			if strings.HasPrefix(s, k+`"`) {
				kind = k
				break
			}
		}
		if kind == "" {
			return nil, fmt.Errorf("bad check %q: want B\"text\", !B\"text\", H\"Name: text\" or N\"Name\"=K", s)
		}
		s = s[len(kind)+1:]
		end := strings.Index(s, `"`)
		if end < 0 {
			return nil, fmt.Errorf("unterminated check %q", s)
		}
		c := Check{Kind: kind, Text: s[:end]}
		s = s[end+1:]
		switch kind {
		case "H":
			name, text, ok := strings.Cut(c.Text, ":")
			if !ok {
				return nil, fmt.Errorf("header check %q: want Name: text", c.Text)
			}
			c.Name, c.Text = strings.TrimSpace(name), strings.TrimSpace(text)
		case "N":
			c.Name, c.Text = c.Text, ""
			num, rest, _ := strings.Cut(strings.TrimPrefix(s, "="), " ")
			k, err := strconv.Atoi(num)
			if !strings.HasPrefix(s, "=") || err != nil {
				return nil, fmt.Errorf("count check N%q: want =K", c.Name)
			}
			c.Count, s = k, rest
		}
		out = append(out, c)
	}
	return out, nil
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

// PredictFunc predicts the status the server answers to one request of a
// scenario (`authlint why`) on its rendered tree, without a server. explain
// is the prediction's steps, shown when the status differs. It returns
// ErrNotPredicted for a server whose predictions are not checked (yet).
type PredictFunc func(tr *Tree, sc *Scenario, r Request) (status int, explain string, err error)

// ErrNotPredicted is returned by a PredictFunc for a server it does not
// predict.
var ErrNotPredicted = errors.New("predictions are not checked for this server")

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
	case "configtest":
		text, ok := strings.CutPrefix(rest, "fails ")
		text = strings.TrimSpace(text)
		if !ok || len(text) < 2 || text[0] != '"' || text[len(text)-1] != '"' {
			return fmt.Errorf("want `configtest fails \"TEXT\"`")
		}
		sc.ConfigFails = text[1 : len(text)-1]
	case "backend":
		kind, path, _ := strings.Cut(rest, " ")
		path = strings.TrimSpace(path)
		switch {
		case path == "":
			return fmt.Errorf("want \"backend fastcgi PATH\" or \"backend http PATH\"")
		case kind == "fastcgi":
			sc.FastCGI = append(sc.FastCGI, path)
		case kind == "http":
			sc.HTTP = append(sc.HTTP, path)
		default:
			return fmt.Errorf("unknown backend %q: want fastcgi or http", kind)
		}
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

// parseRequest parses `PATH [user:password] [H"Name: value"]... -> STATUS`;
// a PATH written ":2/path" goes to the second port (@PORT2@).
func (sc *Scenario) parseRequest(method, rest string, n int) error {
	lhs, rhs, ok := strings.Cut(rest, "->")
	status, after, _ := strings.Cut(strings.TrimSpace(rhs), " ")
	code, err := strconv.Atoi(status)
	if !ok || err != nil {
		return fmt.Errorf("want \"METHOD PATH [user:password] [H\\\"Name: value\\\"] -> STATUS [CHECKS]\"")
	}
	checks, err := parseChecks(after)
	if err != nil {
		return err
	}
	e := Expect{Request: Request{Method: method, Header: http.Header{}}, Status: code, Line: n, Checks: checks}
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
			e.Path, e.Port2 = word, false
			if p, ok := strings.CutPrefix(word, ":2/"); ok {
				e.Path, e.Port2 = "/"+p, true
			}
		case word == "digest":
			e.Digest = true
		default:
			e.User, e.Password, _ = strings.Cut(word, ":")
		}
	}
	if !strings.HasPrefix(e.Path, "/") {
		return fmt.Errorf("path %q must start with / (or :2/ for the second port)", e.Path)
	}
	sc.Requests = append(sc.Requests, e)
	return nil
}

// RunScenarios runs every scenario under dir as a subtest. lint and predict
// may be nil: then only the server half runs. It logs how many requests
// were predicted.
func RunScenarios(t *testing.T, dir string, lint LintFunc, predict PredictFunc) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("scenarios: %v", err)
	}
	ran, predicted := 0, 0
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
		t.Run(sc.Name, func(t *testing.T) { predicted += sc.Run(t, lint, predict) })
	}
	if ran == 0 {
		t.Fatalf("no scenario in %s", dir)
	}
	if predict != nil {
		t.Logf("authlint why predicted %d scenario requests", predicted)
	}
}

// Run renders the scenario, checks authlint's findings (when lint is set)
// and its predicted statuses (when predict is set), starts the server and
// checks every status. AUTHLINT_SCENARIO_HALF=lint or =server runs one
// half only. It returns the number of requests predicted.
func (sc *Scenario) Run(tb TB, lint LintFunc, predict PredictFunc) (predicted int) {
	tb.Helper()
	if sc.NeedRoot && !isRoot() {
		if os.Getenv("CI") != "" {
			tb.Fatalf("scenario %s needs root (file permissions for the www-data workers)", sc.Name)
		}
		tb.Skipf("scenario %s needs root (file permissions for the www-data workers)", sc.Name)
		return 0
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
	if predict != nil && half != "server" {
		predicted = sc.checkPredictions(tb, tr, predict)
	}
	if half == "lint" {
		return predicted
	}
	for _, p := range sc.FastCGI {
		StartFastCGI(tb, filepath.Join(tr.Root, p))
	}
	for _, p := range sc.HTTP {
		StartHTTPBackend(tb, filepath.Join(tr.Root, p))
	}
	if sc.ConfigFails != "" {
		ok, out := ConfigTest(tb, sc.Server, tr)
		if ok || !strings.Contains(out, sc.ConfigFails) {
			tb.Errorf("%s: want the real %s's config test to fail with %q; it passed=%v with:\n%s", sc.Name, sc.Server, sc.ConfigFails, ok, out)
		}
		return predicted
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
		for _, c := range e.Checks {
			if !c.holds(resp) {
				tb.Errorf("%s (scenario.txt:%d): %s: check %s fails on the real %s's answer\nheaders: %v\nbody: %q",
					sc.Name, e.Line, e.Request, c, sc.Server, resp.Header, resp.Body)
			}
		}
	}
	return predicted
}

// checkPredictions compares the status `authlint why` predicts for every
// request with the one the scenario says the real server answers: a
// difference fails. It returns the number of requests predicted.
func (sc *Scenario) checkPredictions(tb TB, tr *Tree, predict PredictFunc) int {
	tb.Helper()
	n := 0
	for _, e := range sc.Requests {
		got, explain, err := predict(tr, sc, e.Request)
		if errors.Is(err, ErrNotPredicted) {
			return n
		}
		if err != nil {
			tb.Errorf("%s (scenario.txt:%d): %s: authlint why: %v", sc.Name, e.Line, e.Request, err)
			continue
		}
		n++
		if got != e.Status {
			tb.Errorf("%s (scenario.txt:%d): %s: the real %s answers %d, authlint why predicts %d:\n  %s",
				sc.Name, e.Line, e.Request, sc.Server, e.Status, got, strings.ReplaceAll(explain, "\n", "\n  "))
		}
	}
	return n
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
