package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/authlint/authlint/internal/servertest"
)

// TestScenarios walks testdata/scenarios: for each, the real CLI lints the
// rendered tree and its findings must match the expect lines, then the real
// server must answer every request with the expected status.
func TestScenarios(t *testing.T) {
	servertest.RunScenarios(t, "../../testdata/scenarios", lintScenario(t))
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
