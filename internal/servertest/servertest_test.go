package servertest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScenariosOnRealServers runs the server half of every scenario (the
// lint half runs in cmd/authlint, which has the linter).
func TestScenariosOnRealServers(t *testing.T) {
	RunScenarios(t, "../../testdata/scenarios", nil, nil)
}

func TestMissingServer(t *testing.T) {
	empty := t.TempDir()
	if _, err := Lookup("no-such-server-binary", empty); err == nil {
		t.Fatal("Lookup found a binary that does not exist")
	}
	fail, msg := Missing("nginx", "true")
	if !fail || !strings.Contains(msg, "nginx not found") || !strings.Contains(msg, "scripts/test.sh") {
		t.Errorf("with CI set: fail=%v msg=%q", fail, msg)
	}
	if fail, _ := Missing("apache2", ""); fail {
		t.Error("without CI a missing server must skip, not fail")
	}
}

// recorder is a TB that records instead of failing, to test the harness.
type recorder struct {
	dir      string
	errors   []string
	fatal    string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Cleanup(f func())    { r.cleanups = append(r.cleanups, f) }
func (r *recorder) TempDir() string {
	d, err := os.MkdirTemp(r.dir, "rec")
	if err != nil {
		panic(err)
	}
	return d
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	panic(r)
}
func (r *recorder) Skipf(format string, args ...any) { r.Fatalf("skip: "+format, args...) }

// run runs fn and then the cleanups in reverse order, recovering Fatalf.
func (r *recorder) run(fn func()) {
	defer func() {
		for i := len(r.cleanups) - 1; i >= 0; i-- {
			r.cleanups[i]()
		}
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	fn()
}

// TestWrongExpectationFails proves the harness can fail: a scenario whose
// expected status is wrong reports expected vs observed and the error log.
func TestWrongExpectationFails(t *testing.T) {
	Require(t, "nginx")
	sc, err := ParseScenario("../../testdata/scenarios/nginx-pw-bom")
	if err != nil {
		t.Fatal(err)
	}
	// alice is locked out by the BOM: claim she gets in.
	for i := range sc.Requests {
		if sc.Requests[i].User == "alice" {
			sc.Requests[i].Status = 200
		}
	}
	wrongFinding := []Finding{{Rule: "PW999", File: "conf/users.htpasswd", Line: 1}}
	rec := &recorder{dir: t.TempDir()}
	rec.run(func() {
		sc.Run(rec, func(string, string, []string) ([]Finding, error) { return wrongFinding, nil }, nil)
	})
	if rec.fatal != "" {
		t.Fatalf("harness stopped: %s", rec.fatal)
	}
	all := strings.Join(rec.errors, "\n")
	for _, want := range []string{"want status 200", "answered 401", "error log:", "alice", "missing:", "PW101", "unexpected:", "PW999"} {
		if !strings.Contains(all, want) {
			t.Errorf("failure report lacks %q:\n%s", want, all)
		}
	}
}

func TestParseScenarioErrors(t *testing.T) {
	for name, text := range map[string]string{
		"no server":   "lint x\nGET / -> 200\n",
		"bad status":  "server nginx\nlint x\nGET / -> abc\n",
		"bad expect":  "server nginx\nlint x\nexpect PW101\n",
		"bad line":    "server nginx\nlint x\nFROB /\n",
		"no backend":  "server nginx\nlint x\nbackend http\n",
		"bad backend": "server nginx\nlint x\nbackend grpc run/x.sock\n",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "scenario.txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ParseScenario(dir); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestChecks(t *testing.T) {
	resp := &Response{Status: 401, Body: "CUSTOM-401 page", Header: http.Header{
		"Www-Authenticate": {`Basic realm="Staff"`, `Basic realm="Staff"`},
	}}
	tests := []struct {
		in   string
		want []bool // holds, per check
		err  bool
	}{
		{in: `B"CUSTOM-401"`, want: []bool{true}},
		{in: `!B"CUSTOM-401"`, want: []bool{false}},
		{in: `B"nope" !B"nope"`, want: []bool{false, true}},
		{in: `H"WWW-Authenticate: realm=\"Staff"`, err: true}, // a quote ends the check
		{in: `H"WWW-Authenticate: Staff"`, want: []bool{true}},
		{in: `H"WWW-Authenticate: Private"`, want: []bool{false}},
		{in: `N"WWW-Authenticate"=2 N"WWW-Authenticate"=1`, want: []bool{true, false}},
		{in: `N"X"`, err: true},
		{in: `Q"x"`, err: true},
		{in: `B"open`, err: true},
	}
	for _, tc := range tests {
		checks, err := parseChecks(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("parseChecks(%q) error = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if tc.err {
			continue
		}
		if len(checks) != len(tc.want) {
			t.Errorf("parseChecks(%q) = %d checks, want %d", tc.in, len(checks), len(tc.want))
			continue
		}
		for i, c := range checks {
			if got := c.holds(resp); got != tc.want[i] {
				t.Errorf("%q check %d (%s) holds = %v, want %v", tc.in, i, c, got, tc.want[i])
			}
		}
	}
}

// TestPredictions proves the prediction half can fail and can be skipped
// per server: a wrong status is reported with the prediction's steps, and
// ErrNotPredicted counts nothing.
func TestPredictions(t *testing.T) {
	t.Setenv("AUTHLINT_SCENARIO_HALF", "lint")
	sc, err := ParseScenario("../../testdata/scenarios/nginx-pw-bom")
	if err != nil {
		t.Fatal(err)
	}
	noFindings := func(string, string, []string) ([]Finding, error) { return nil, nil }
	tests := []struct {
		name      string
		predict   PredictFunc
		predicted int
		errors    []string
	}{
		{"right", func(_ *Tree, _ *Scenario, r Request) (int, string, error) {
			if r.User == "bob" {
				return 200, "", nil
			}
			return 401, "", nil
		}, 3, nil},
		{"wrong", func(*Tree, *Scenario, Request) (int, string, error) { return 200, "step one\nstep two", nil },
			3, []string{"the real nginx answers 401, authlint why predicts 200", "step one\n  step two"}},
		{"not predicted", func(*Tree, *Scenario, Request) (int, string, error) { return 0, "", ErrNotPredicted }, 0, nil},
	}
	for _, tc := range tests {
		rec := &recorder{dir: t.TempDir()}
		var n int
		rec.run(func() { n = sc.Run(rec, noFindings, tc.predict) })
		var errs []string
		for _, e := range rec.errors {
			if !strings.Contains(e, "findings differ") {
				errs = append(errs, e)
			}
		}
		if n != tc.predicted {
			t.Errorf("%s: %d requests predicted, want %d", tc.name, n, tc.predicted)
		}
		all := strings.Join(errs, "\n")
		if len(tc.errors) == 0 && all != "" {
			t.Errorf("%s: unexpected errors:\n%s", tc.name, all)
		}
		for _, want := range tc.errors {
			if !strings.Contains(all, want) {
				t.Errorf("%s: the report lacks %q:\n%s", tc.name, want, all)
			}
		}
	}
}

// TestSecondPort checks the ":2/path" request syntax, the @PORT2@
// placeholder and the port each request is sent to.
func TestSecondPort(t *testing.T) {
	dir := t.TempDir()
	text := "server nginx\nlint conf/nginx.conf\nGET /a -> 200\nGET :2/b/c alice:pw -> 401\nGET :2 -> 200\n"
	if err := os.WriteFile(filepath.Join(dir, "scenario.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseScenario(dir); err == nil || !strings.Contains(err.Error(), "or :2/ for the second port") {
		t.Errorf("\":2\" without a path: error %v", err)
	}
	text = strings.TrimSuffix(text, "GET :2 -> 200\n")
	if err := os.WriteFile(filepath.Join(dir, "scenario.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := ParseScenario(dir)
	if err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(t.TempDir(), "tree")
	if err := os.MkdirAll(tree, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "ports"), []byte("@PORT@ @PORT2@"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr := Render(t, tree)
	if tr.Port == tr.Port2 || tr.Port == 0 || tr.Port2 == 0 {
		t.Fatalf("ports %d and %d: want two different free ports", tr.Port, tr.Port2)
	}
	got, err := os.ReadFile(filepath.Join(tr.Root, "ports"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d %d", tr.Port, tr.Port2); string(got) != want {
		t.Errorf("rendered %q, want %q", got, want)
	}
	tests := []struct {
		path, str string
		port      int
	}{
		{"/a", "GET /a anonymous", tr.Port},
		{"/b/c", "GET :2/b/c as alice", tr.Port2},
	}
	for i, tc := range tests {
		r := sc.Requests[i].Request
		if r.Path != tc.path || r.String() != tc.str || tr.PortOf(r) != tc.port {
			t.Errorf("request %d: path %q, %q, port %d; want %q, %q, %d", i, r.Path, r, tr.PortOf(r), tc.path, tc.str, tc.port)
		}
	}
}
