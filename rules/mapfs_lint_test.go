package rules

import (
	"path/filepath"
	"testing"

	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/testtree"
)

// TestLintNamedConfigUnderServerPath: a main config named in a mapped
// directory is loaded under its server path, so its relative include and
// user file resolve in an offline run (and any FS wrapper the engine adds
// must keep ServerPather).
func TestLintNamedConfigUnderServerPath(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"deploy/nginx/nginx.conf":     "events {}\nhttp {\n    include sites/*.conf;\n}\n",
		"deploy/nginx/sites/a.conf":   "server {\n    location / {\n        auth_basic \"a\";\n        auth_basic_user_file users.htpasswd;\n    }\n}\n",
		"deploy/nginx/users.htpasswd": "alice:$2y$10$abcdefghijklmnopqrstuu5Sx0JfQPh5mnkYoLnWbbLz4p7eZu7.2\nalice:x\n",
	}
	testtree.Write(t, dir, files)
	deploy := filepath.Join(dir, "deploy/nginx")
	res, err := Lint(Config{Paths: []string{filepath.Join(deploy, "nginx.conf")}, Type: filekind.Nginx, Servers: AnyServer,
		Rules: All(), FS: serverfs.NewMapFS([]serverfs.Mapping{{Server: "/srv/nginx", Local: deploy}}, false)})
	if err != nil {
		t.Fatal(err)
	}
	dup := false
	for _, f := range res.Findings {
		if f.RuleID == "NG401" || f.RuleID == "NG000" {
			t.Errorf("unexpected %s: %s", f.RuleID, f.Message)
		}
		dup = dup || f.RuleID == "PW108"
	}
	// nginx.conf, sites/a.conf and the user file.
	if !dup || res.Files != 3 {
		t.Errorf("%d files, findings %+v; want 3 and the user file read (PW108)", res.Files, res.Findings)
	}
}
