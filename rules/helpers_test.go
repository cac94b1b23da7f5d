package rules

import (
	"strings"
	"testing"
)

func TestSprintfShortensLongArguments(t *testing.T) {
	long := strings.Repeat("é", 5000) // 10,000 bytes
	got := sprintf("user %q on line %d, file %s", long, 3, "users.htpasswd")
	if len(got) > 160 || !strings.Contains(got, "(10000 bytes)") || !strings.Contains(got, "line 3, file users.htpasswd") {
		t.Errorf("got %d bytes: %q", len(got), got)
	}
	if got := sprintf("user %q", "alice"); got != `user "alice"` {
		t.Errorf("short argument changed: %q", got)
	}
}
