package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
	"github.com/authlint/authlint/rules/format"
)

// writeLines writes n lines made by line(i) to a new file in dir.
func writeLines(t *testing.T, dir, name string, n int, line func(i int) string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := range n {
		w.WriteString(line(i))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHostileOutputBounded lints inputs that make one finding per line or
// per level and checks that the output stays bounded: at most
// DefaultFindingCap findings of a rule per file plus one summary, snippets
// and messages cut.
//
// It runs in a child process of the test binary: the runs build a heap of
// hundreds of megabytes, which would change what later tests of this
// process (TestHugePageHeap) find in the heap.
func TestHostileOutputBounded(t *testing.T) {
	if os.Getenv("AUTHLINT_HOSTILE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHostileOutputBounded$", "-test.count=1", "-test.v")
		if testing.Short() {
			cmd.Args = append(cmd.Args, "-test.short")
		}
		cmd.Env = append(os.Environ(), "AUTHLINT_HOSTILE_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestHostileOutputBounded") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	dir := t.TempDir()
	users := 1_500_000
	if testing.Short() {
		users = 20_000
	}
	const hash = "$apr1$xxxxxxxx$Lw6Vy0JqGF2Z1cLbB8OdA/"
	dups := writeLines(t, dir, "dups.htpasswd", users, func(int) string { return "alice:" + hash })
	nested := filepath.Join(dir, "nested.nginx.conf")
	if err := os.WriteFile(nested, []byte("http { "+strings.Repeat("location / { ", 10000)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	long := writeLines(t, dir, "long.htpasswd", 300, func(i int) string {
		return strings.Repeat("x", 100_000) + " no colon " + strings.Repeat("y", i)
	})
	for _, tc := range []struct {
		name      string
		path      string
		maxLines  int
		summaryOf string // a rule whose summary must appear
		summaryN  string // its count
	}{
		{"1.5M duplicate users", dups, 2*(rules.DefaultFindingCap+1)*3 + 10, "PW108", ""},
		{"10,000 nested blocks on one line", nested, 20, "", ""},
		{"300 lines of 100 KB", long, 2*(rules.DefaultFindingCap+1)*3 + 10, "PW102", "200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, []string{tc.path}, "")
			if code != 1 {
				t.Fatalf("exit %d, want 1: %.500s", code, stderr)
			}
			lines := strings.Count(stdout, "\n")
			if lines > tc.maxLines || len(stdout) > tc.maxLines*1500 {
				t.Fatalf("%d lines, %d bytes of output, want at most %d lines", lines, len(stdout), tc.maxLines)
			}
			for _, l := range strings.Split(stdout, "\n") {
				if len(l) > 2000 {
					t.Fatalf("output line of %d bytes: %.200s…", len(l), l)
				}
			}
			if tc.summaryOf != "" {
				if !strings.Contains(stdout, "more ") || !strings.Contains(stdout, "["+tc.summaryOf+"]") ||
					!strings.Contains(stdout, "only the first 100 of a rule are listed per file") {
					t.Fatalf("no summary finding of %s:\n%.3000s", tc.summaryOf, stdout)
				}
			}
			if tc.summaryN != "" && !strings.Contains(stdout, "and "+tc.summaryN+" more") {
				t.Fatalf("summary does not count %s more:\n%.3000s", tc.summaryN, stdout)
			}
			if strings.Contains(stdout, "Lw6Vy0JqGF2Z1cLbB8OdA") {
				t.Fatal("output holds the hash")
			}
		})
	}
	t.Run("json counts", func(t *testing.T) {
		_, stdout, _ := runCLI(t, []string{"--format", "json", dups}, "")
		var doc struct {
			Findings []struct {
				Rule    string `json:"rule"`
				Message string `json:"message"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("invalid JSON: %v", err)
		}
		n, summary := 0, ""
		for _, f := range doc.Findings {
			if f.Rule == "PW108" {
				n++
				summary = f.Message
			}
		}
		want := "and " + groupThousandsTest(users-1-rules.DefaultFindingCap) + " more duplicate-user findings (PW108)"
		if n != rules.DefaultFindingCap+1 || !strings.HasPrefix(summary, want) {
			t.Fatalf("%d PW108 findings, last %q; want %d, last starting %q", n, summary, rules.DefaultFindingCap+1, want)
		}
	})
}

// groupThousandsTest writes n with thousands separators.
func groupThousandsTest(n int) string {
	s := []byte(strconv.Itoa(n))
	var out []byte
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return string(out)
}

// TestTerminalSafeEndToEnd lints files whose names, user names, config
// values and messages hold ESC, BEL, CR and NUL, in every format: text and
// github output hold no raw control byte, JSON, SARIF and checkstyle stay
// valid, and no hash shows.
func TestTerminalSafeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	evil := "e\x1b]0;pwned\a\x1b[31m\r\x00x"
	name := filepath.Join(dir, "a\x1b[2J\a\rb.htpasswd")
	users := "ok:$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/\n" + strings.ReplaceAll(evil, "\x00", "") + ":$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/\n" +
		"ok:$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/ #\x1b[5m note\n"
	if err := os.WriteFile(name, []byte(users), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte("events {}\nhttp { server { location /\x1b[31m\a { auth_basic \"r\x1b]8;;x\a\"; auth_basic_user_file \""+
		strings.ReplaceAll(dir, `"`, `\"`)+"/miss\x1b[1m\"; } } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, fmtName := range format.Names() {
		t.Run(fmtName, func(t *testing.T) {
			for _, p := range []string{name, conf} {
				code, stdout, stderr := runCLI(t, []string{"--format", fmtName, p}, "")
				if code != 1 {
					t.Fatalf("exit %d, want 1 (findings): %q", code, stderr)
				}
				if p == name && !strings.Contains(stdout, "1b") { // ESC in the name, escaped
					t.Fatalf("the escape sequence is not shown escaped:\n%q", stdout)
				}
				checkOutput(t, filepath.Base(p), fmtName, stdout, []string{"Lw6Vy0Jq", "GF2Z1cLb"})
				checkOutput(t, filepath.Base(p), "stderr", stderr, nil)
				if i := strings.IndexAny(stderr, "\x1b\a\r\x00"); i >= 0 {
					t.Fatalf("raw control byte in stderr: %q", stderr)
				}
			}
		})
	}
}
