package rules_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"
)

// TestMemoryBudget checks that a configuration whose text needs more memory
// than the run may use is refused with ErrMemory (exit 3 in the CLI)
// before it is parsed, and that one within the budget is linted.
func TestMemoryBudget(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	text := "events {}\nhttp {\n" + strings.Repeat("    server { listen 80; server_name a.example; }\n", 2000) + "}\n"
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	need := int64(len(text)) * rules.HeapPerConfigByte
	for _, tc := range []struct {
		name    string
		budget  int64
		wantErr bool
	}{
		{"unknown budget", 0, false},
		{"enough", need * 2, false},
		{"too little", need / 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Lint(rules.Config{Paths: []string{conf}, Rules: rules.All(), MemoryBudget: tc.budget, MemoryLimitFrom: "the limit in /sys/fs/cgroup/memory.max"})
			if got := errors.Is(err, rules.ErrMemory); got != tc.wantErr {
				t.Fatalf("Lint error %v, want ErrMemory %v", err, tc.wantErr)
			}
			if tc.wantErr && !strings.Contains(err.Error(), "more than the") || tc.wantErr && !strings.Contains(err.Error(), "/sys/fs/cgroup/memory.max") {
				t.Errorf("message %q lacks the budget and its source", err)
			}
		})
	}
}

// TestMemoryBudgetIncludes: a small entry point whose includes need more
// memory than the run may use is refused with ErrMemory as well, and the
// load stops reading at the include that goes past the budget instead of
// reading and parsing them all first (ten 60 MB includes would exhaust
// the memory before a check after the load).
func TestMemoryBudgetIncludes(t *testing.T) {
	const files = 10
	for _, tc := range []struct {
		server, main, include, block string
	}{
		{"nginx", "nginx.conf", "include %s;\n", "server { listen 80; server_name a.example; location / { auth_basic \"r\"; } }\n"},
		{"apache", "httpd.conf", "Include %s\n", "<Location /a>\nRequire all denied\n</Location>\n"},
	} {
		t.Run(tc.server, func(t *testing.T) {
			dir := t.TempDir()
			inc := strings.Repeat(tc.block, 400)
			var includes strings.Builder
			for i := range files {
				p := filepath.Join(dir, fmt.Sprintf("inc%d.conf", i))
				if err := os.WriteFile(p, []byte(inc), 0o644); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&includes, tc.include, p)
			}
			main := includes.String()
			if tc.server == "nginx" {
				main = "events {}\nhttp {\n" + main + "}\n"
			}
			conf := filepath.Join(dir, tc.main)
			if err := os.WriteFile(conf, []byte(main), 0o644); err != nil {
				t.Fatal(err)
			}
			// Room for the entry point and two and a half includes.
			budget := (int64(len(main)) + int64(len(inc))*5/2) * rules.HeapPerConfigByte
			_, err := rules.Lint(rules.Config{Paths: []string{conf}, Rules: rules.All(), MemoryBudget: budget})
			var me *rules.MemoryError
			if !errors.As(err, &me) || !errors.Is(err, rules.ErrMemory) {
				t.Fatalf("Lint error %v, want a *MemoryError", err)
			}
			if want := int64(len(main) + 3*len(inc)); me.Text != want {
				t.Errorf("the load read %d bytes of text, want %d: it goes on past the include that spent the budget", me.Text, want)
			}
			if _, err := rules.Lint(rules.Config{Paths: []string{conf}, Rules: rules.All(), MemoryBudget: budget * 5}); err != nil {
				t.Errorf("with room for every include: %v", err)
			}
		})
	}
}

// TestMemoryBudgetHtaccess: the .htaccess files the search reads count
// against the budget as includes do: too many of them end the run with
// ErrMemory rather than being read and parsed past the memory.
func TestMemoryBudgetHtaccess(t *testing.T) {
	dir := t.TempDir()
	ht := strings.Repeat("AuthType Basic\nAuthName \"r\"\nRequire valid-user\n", 400)
	const files = 10
	for i := range files {
		sub := filepath.Join(dir, "www", fmt.Sprintf("d%d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, ".htaccess"), []byte(ht), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main := fmt.Sprintf("ServerRoot %s\nDocumentRoot %s/www\n<Directory %s/www>\nAllowOverride All\n</Directory>\n", dir, dir, dir)
	conf := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(conf, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	budget := (int64(len(main)) + int64(len(ht))*5/2) * rules.HeapPerConfigByte
	_, err := rules.Lint(rules.Config{Paths: []string{conf}, Rules: rules.All(), MemoryBudget: budget})
	if !errors.Is(err, rules.ErrMemory) {
		t.Fatalf("Lint error %v, want ErrMemory", err)
	}
	res, err := rules.Lint(rules.Config{Paths: []string{conf}, Rules: rules.All(), MemoryBudget: budget * files})
	if err != nil {
		t.Fatalf("with room for every .htaccess: %v", err)
	}
	n := 0
	for _, r := range res.Read {
		if strings.HasSuffix(r.File, ".htaccess") {
			n++
		}
	}
	if n != files {
		t.Errorf("%d .htaccess files read, want %d", n, files)
	}
}
