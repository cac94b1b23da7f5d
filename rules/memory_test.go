package rules_test

import (
	"errors"
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
