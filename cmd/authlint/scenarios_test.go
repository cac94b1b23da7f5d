package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/servertest"
)

// TestScenarios walks testdata/scenarios: for each, the real CLI lints the
// rendered tree and its findings must match the expect lines, `authlint
// why` must predict every request's status (for the predicted servers),
// then the real server must answer every request with the expected status.
func TestScenarios(t *testing.T) {
	// The servers whose scenario requests `authlint why` must predict
	// exactly: every request of every scenario for such a server is also
	// sent to `authlint why`, and its status must be the one the real
	// server answers.
	predicted := map[string]bool{"nginx": true, "apache": true}
	servertest.RunScenarios(t, "../../testdata/scenarios", lintScenario(t), predictScenario(t, predicted))
}

// predictScenario runs `authlint why` in-process for one scenario request:
// the request's method, headers and credentials become the CLI's flags
// (the password on standard input), the URL's port is the rendered tree's
// (its second port for a request written ":2/path").
func predictScenario(t *testing.T, servers map[string]bool) servertest.PredictFunc {
	return func(tr *servertest.Tree, sc *servertest.Scenario, r servertest.Request) (int, string, error) {
		if !servers[sc.Server] {
			return 0, "", servertest.ErrNotPredicted
		}
		args := []string{"why", "--format", "json", "--method", r.Method}
		for k, vs := range r.Header {
			for _, v := range vs {
				args = append(args, "--header", k+": "+v)
			}
		}
		stdin := ""
		if r.User != "" || r.Password != "" {
			args = append(args, "--user", r.User, "--password-stdin")
			stdin = r.Password + "\n"
		}
		if r.Digest {
			args = append(args, "--digest")
		}
		args = append(args, sc.LintArgs...)
		// The configuration the real server runs, whatever the scenario lints
		// (a .htaccess alone, say).
		config := map[string]string{"nginx": "conf/nginx.conf", "apache": "conf/httpd.conf"}[sc.Server]
		args = append(args, filepath.Join(tr.Root, config), fmt.Sprintf("http://127.0.0.1:%d%s", tr.PortOf(r), r.Path))
		code, stdout, stderr := runCLI(t, args, stdin)
		if code != 0 {
			return 0, "", fmt.Errorf("exited %d: %s", code, stderr)
		}
		var pred struct {
			Status int `json:"status"`
			Steps  []struct {
				Phase, File, Text string
				Line              int
			} `json:"steps"`
		}
		if err := json.Unmarshal([]byte(stdout), &pred); err != nil {
			return 0, "", fmt.Errorf("json: %w", err)
		}
		var explain strings.Builder
		for _, s := range pred.Steps {
			fmt.Fprintf(&explain, "%s:%d: %s: %s\n", s.File, s.Line, s.Phase, s.Text)
		}
		return pred.Status, strings.TrimSpace(explain.String()), nil
	}
}

// lintScenario runs authlint in-process with --format json and returns its
// error and warning findings relative to the tree.
func lintScenario(t *testing.T) servertest.LintFunc {
	return func(root, entry string, flags []string) ([]servertest.Finding, error) {
		args := append([]string{"--format", "json", "--fail-on", "never"}, flags...)
		code, stdout, stderr := runCLI(t, append(args, entry), "")
		if code != 0 {
			return nil, fmt.Errorf("authlint exited %d: %s", code, stderr)
		}
		var rep struct {
			Findings []struct {
				Rule, File, Severity string
				Line                 int
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			return nil, fmt.Errorf("json: %w", err)
		}
		var out []servertest.Finding
		for _, f := range rep.Findings {
			if f.Severity == "info" {
				continue
			}
			rel, err := filepath.Rel(root, f.File)
			if err != nil {
				return nil, err
			}
			out = append(out, servertest.Finding{Rule: f.Rule, File: filepath.ToSlash(rel), Line: f.Line})
		}
		return out, nil
	}
}
