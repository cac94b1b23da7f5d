package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/testtree"
	"github.com/authlint/authlint/rules"
)

// TestRelatedLocations: a finding whose message sends the reader to another
// line ("already defined on line 1", "(line 3)") carries that line as a
// related location, and a file reached through a symlink (sites-enabled)
// is reported at the real file with the symlink related.
func TestRelatedLocations(t *testing.T) {
	const hash = "$2y$10$abcdefghijklmnopqrstuu5Sx0JfQPh5mnkYoLnWbbLz4p7eZu7.2"
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"users.htpasswd": "alice:" + hash + "\nbob:" + hash + "\nalice:" + hash + "\n",
		"groups.htgroup": "staff: alice\nadmins: bob\nstaff: bob\n",
		"site.nginx.conf": "server {\n    listen 80;\n    location /admin/ {\n        auth_basic \"a\";\n        auth_basic_user_file /nonexistent;\n" +
			"    }\n    location ~ \\.php$ {\n        return 200;\n    }\n}\n",
		"nginx/nginx.conf":                "events {}\nhttp {\n    include sites-enabled/*;\n}\n",
		"nginx/sites-available/admin":     "server {\n    listen 80;\n    location /a/ {\n        auth_basic \"a\";\n        auth_basic_user_file /nonexistent;\n        auth_basic \"b\";\n    }\n}\n",
		"apache/sites/x.apache.conf":      "<Location /x>\n    AuthType Basic\n    AuthName x\n    AuthUserFile /nonexistent\n    AuthName y\n    Require valid-user\n</Location>\n",
		"nginx/sites-enabled/placeholder": "",
	})
	if err := os.Remove(filepath.Join(dir, "nginx/sites-enabled/placeholder")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../sites-available/admin", filepath.Join(dir, "nginx/sites-enabled/admin")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	res, err := rules.Lint(rules.Config{Paths: []string{"."}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	type rel struct {
		file string
		line int32
	}
	for _, tc := range []struct {
		rule, file string
		line       int32
		want       []rel
	}{
		{"PW108", "users.htpasswd", 3, []rel{{"users.htpasswd", 1}}},
		{"PW115", "groups.htgroup", 3, []rel{{"groups.htgroup", 1}}},
		{"NG301", "site.nginx.conf", 7, []rel{{"site.nginx.conf", 3}}},
		// The real file, with the symlink it is enabled through.
		{"NG103", "nginx/sites-available/admin", 6, []rel{{"nginx/sites-available/admin", 4}, {"nginx/sites-enabled/admin", 0}}},
		{"AP112", "apache/sites/x.apache.conf", 3, []rel{{"apache/sites/x.apache.conf", 5}}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			for _, f := range res.Findings {
				if f.RuleID != tc.rule || f.File != tc.file || f.Span.Start.Line != tc.line {
					continue
				}
				var got []rel
				for _, r := range f.Related {
					if r.Message != "referenced here" {
						got = append(got, rel{r.File, r.Span.Start.Line})
					}
				}
				if len(got) != len(tc.want) {
					t.Fatalf("%s related %+v, want %+v (%s)", tc.rule, got, tc.want, f.Message)
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Errorf("%s related %+v, want %+v", tc.rule, got, tc.want)
					}
				}
				return
			}
			t.Fatalf("no %s at %s:%d in %+v", tc.rule, tc.file, tc.line, res.Findings)
		})
	}
}
