package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/golden"
)

type cliCase struct {
	name     string
	args     []string
	stdin    string
	wantCode int
}

func runCLI(t *testing.T, args []string, stdin string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := runEnv(args, e)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	dup, _ := os.ReadFile("testdata/in/dup.htpasswd")
	cases := []cliCase{
		{"clean", []string{"testdata/in/clean.htpasswd"}, "", 0},
		{"duplicate-text", []string{"testdata/in/dup.htpasswd"}, "", 1},
		{"duplicate-json", []string{"--format", "json", "testdata/in/dup.htpasswd"}, "", 1},
		{"duplicate-github", []string{"--format", "github", "testdata/in/dup.htpasswd"}, "", 1},
		{"duplicate-checkstyle", []string{"--format", "checkstyle", "testdata/in/dup.htpasswd"}, "", 1},
		{"explicit-check", []string{"check", "testdata/in/dup.htpasswd"}, "", 1},
		{"fail-on-never", []string{"--fail-on", "never", "testdata/in/dup.htpasswd"}, "", 0},
		{"disable", []string{"--disable", "PW108", "testdata/in/dup.htpasswd"}, "", 0},
		{"disable-by-name", []string{"--disable", "duplicate-user", "testdata/in/dup.htpasswd"}, "", 0},
		{"stdin", []string{"--type", "htpasswd", "-"}, string(dup), 1},
		{"stdin-needs-type", []string{"-"}, string(dup), 2},
		{"bad-flag", []string{"--nope", "x"}, "", 2},
		{"bad-format", []string{"--format", "yaml", "x"}, "", 2},
		{"unknown-rule", []string{"--disable", "XX999", "testdata/in/dup.htpasswd"}, "", 2},
		{"missing-input", []string{"testdata/in/does-not-exist.htpasswd"}, "", 3},
		{"directory", []string{"testdata/in"}, "", 1},
		{"explain", []string{"explain", "PW108"}, "", 0},
		{"explain-unknown", []string{"explain", "nope"}, "", 2},
		{"help", []string{"--help"}, "", 0},
		{"help-check", []string{"check", "--help"}, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args, tc.stdin)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout, stderr)
			}
			golden.Check(t, filepath.Join("testdata", "cli", tc.name+".golden"),
				"$ authlint "+strings.Join(tc.args, " ")+"\n--- stdout\n"+stdout+"--- stderr\n"+stderr)
		})
	}
}

func TestJSONShape(t *testing.T) {
	_, stdout, _ := runCLI(t, []string{"--format", "json", "testdata/in/dup.htpasswd", "testdata/in/bom.htpasswd"}, "")
	var rep struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule, Name, Severity, File, Message string
			Line, Column, EndLine, EndColumn    int
		} `json:"findings"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if rep.Version != 1 || len(rep.Findings) < 2 || rep.Summary["errors"] < 2 || rep.Summary["files"] != 2 {
		t.Fatalf("unexpected report: %+v", rep)
	}
	for i := 1; i < len(rep.Findings); i++ {
		a, b := rep.Findings[i-1], rep.Findings[i]
		if a.File > b.File || a.File == b.File && a.Line > b.Line {
			t.Errorf("findings not sorted: %+v before %+v", a, b)
		}
	}
}

// TestVersion: `authlint version` and `authlint --version` print the same
// build info, the version alone on the first line.
func TestVersion(t *testing.T) {
	want := currentBuild().String() + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}, {"--version", "check"}} {
		code, stdout, stderr := runCLI(t, args, "")
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want %q", args, code, stdout, stderr, want)
		}
		if first, _, _ := strings.Cut(stdout, "\n"); first != "authlint "+version() {
			t.Errorf("%v: first line %q", args, first)
		}
	}
}

// TestHelpShowsCheckFlags: the top-level help lists every flag and the
// argument of check, the default command, and every command.
func TestHelpShowsCheckFlags(t *testing.T) {
	_, top, _ := runCLI(t, []string{"--help"}, "")
	for _, want := range []string{"--format", "--fail-on", "--enable", "--disable", "--type", "--server", "--platform",
		"--color", "--verbose", "--changed", "--config", "--root", "--map", "--live", "--offline", "--version", "[<path> ...]",
		"\n  check ", "\n  rules ", "\n  explain ", "\n  version "} {
		if !strings.Contains(top, want) {
			t.Errorf("authlint --help lacks %q:\n%s", want, top)
		}
	}
}

func TestRulesList(t *testing.T) {
	code, stdout, _ := runCLI(t, []string{"rules"}, "")
	if code != 0 || !strings.Contains(stdout, "PW108") || !strings.Contains(stdout, "duplicate-user") {
		t.Fatalf("rules: code %d\n%s", code, stdout)
	}
}
