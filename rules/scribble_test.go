package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScribbleLinesCatchesKeptMemory checks that Config.ScribbleLines (on
// in every ruletest fixture run) makes a rule that keeps a user name
// without cloning it report garbage, while a rule that clones it is not
// affected.
func TestScribbleLinesCatchesKeptMemory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.htpasswd")
	if err := os.WriteFile(path, []byte("alice:{SHA}x\nbob:{SHA}y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	keeper := func(clone bool) *Rule {
		r := &Rule{ID: "PW999", Name: "keeps-first-user", Severity: Info}
		r.UserFile = func(p *UserFilePass) LineVisitor {
			var first string
			return LineVisitor{
				Line: func(l *UserLine) {
					if first == "" && l.User.User.Text != "" {
						first = l.User.User.Text
						if clone {
							first = strings.Clone(first)
						}
					}
				},
				End: func(*FileEnd) { p.ReportFilef("first user %s ", first) },
			}
		}
		return r
	}
	for _, tc := range []struct {
		clone, scribble bool
		want            bool // the finding names alice
	}{
		{clone: true, scribble: true, want: true},
		{clone: true, scribble: false, want: true},
		{clone: false, scribble: true, want: false},
	} {
		res, err := Lint(Config{Paths: []string{path}, Servers: AnyServer, Rules: []*Rule{keeper(tc.clone)}, ScribbleLines: tc.scribble})
		if err != nil || len(res.Findings) != 1 {
			t.Fatalf("clone=%v scribble=%v: %v %+v", tc.clone, tc.scribble, err, res)
		}
		if got := strings.Contains(res.Findings[0].Message, "first user alice "); got != tc.want {
			t.Errorf("clone=%v scribble=%v: %q, want alice named: %v", tc.clone, tc.scribble, res.Findings[0].Message, tc.want)
		}
	}
}
