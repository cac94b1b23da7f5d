package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/testtree"
	"github.com/authlint/authlint/rules"
)

// TestWalkFindsVhostFilesOnce walks a Debian-style tree: apache2.conf pulls
// in sites-enabled/a.conf, a symlink to sites-available/a.conf, which the
// walk must not lint again; sites-available/b.conf (not enabled) is found
// by its content; a .conf that is no server config is skipped.
func TestWalkFindsVhostFilesOnce(t *testing.T) {
	dir := t.TempDir()
	vhost := func(name string) string {
		return "<VirtualHost *:80>\n    DocumentRoot /srv/" + name + "\n    <Location /a/>\n        AuthType Basic\n" +
			"        AuthName \"" + name + "\"\n        AuthUserFile /nonexistent/" + name + ".htpasswd\n        Require all granted\n" +
			"        Require valid-user\n    </Location>\n</VirtualHost>\n"
	}
	files := map[string]string{
		"apache2.conf":                "IncludeOptional sites-enabled/*.conf\n",
		"sites-available/a.conf":      vhost("a"),
		"sites-available/b.conf":      vhost("b"),
		"conf-available/charset.conf": "AddDefaultCharset UTF-8\n",
	}
	testtree.Write(t, dir, files)
	if err := os.MkdirAll(filepath.Join(dir, "sites-enabled"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../sites-available/a.conf", filepath.Join(dir, "sites-enabled", "a.conf")); err != nil {
		t.Fatal(err)
	}
	res, err := rules.Lint(rules.Config{Paths: []string{dir}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt,
		Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, f := range res.Findings {
		if f.RuleID == "AP105" {
			count[filepath.Base(filepath.Dir(f.File))+"/"+filepath.Base(f.File)]++
		}
	}
	// a.conf once (through apache2.conf, shown under its enabled path),
	// b.conf once (found by content).
	if len(count) != 2 || count["sites-available/b.conf"] != 1 || count["sites-enabled/a.conf"]+count["sites-available/a.conf"] != 1 {
		t.Errorf("AP105 findings per file %v, want one for a.conf and one for b.conf", count)
	}
	// Files read: apache2.conf, a.conf included through sites-enabled, and
	// b.conf alone; charset.conf is skipped, the user files do not exist.
	roles := map[rules.Role]int{}
	for _, r := range res.Read {
		roles[r.Role]++
	}
	if res.Files != 3 || len(res.Read) != 3 || roles[rules.RoleConfig] != 2 || roles[rules.RoleIncluded] != 1 {
		t.Errorf("%d files read %+v, want 3: 2 configs, 1 included", res.Files, res.Read)
	}
	// a.conf is read as the file behind the symlink, which it names.
	var links []string
	for _, r := range res.Read {
		if len(r.Links) > 0 {
			links = append(links, strings.Join(r.Links, ",")+" -> "+r.File)
		}
	}
	wantLink := filepath.Join(dir, "sites-enabled", "a.conf") + " -> " + filepath.Join(dir, "sites-available", "a.conf")
	if len(links) != 1 || links[0] != wantLink {
		t.Errorf("files read through a symlink %q, want [%q]", links, wantLink)
	}
}

// TestNginxServerFileAlone: a server file found without its nginx.conf
// cannot resolve relative paths, so it says nothing about them; with an
// nginx.conf above it, they resolve against that directory (the conf
// prefix).
func TestNginxServerFileAlone(t *testing.T) {
	dir := t.TempDir()
	// The workers (nobody, when run as root) must reach the directory, or
	// the finding is NG402's 500 rather than NG401's 403.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	site := filepath.Join(dir, "conf.d", "site.conf")
	if err := os.MkdirAll(filepath.Dir(site), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "server {\n    location / {\n        auth_basic \"x\";\n        auth_basic_user_file htpasswd;\n    }\n}\n"
	if err := os.WriteFile(site, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	lint := func() []rules.Finding {
		res, err := rules.Lint(rules.Config{Paths: []string{dir}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt,
			Rules: rules.All()})
		if err != nil {
			t.Fatal(err)
		}
		return res.Findings
	}
	if fs := lint(); len(fs) != 0 {
		t.Errorf("alone: %d findings (%v), want none", len(fs), fs)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var missing []rules.Finding
	for _, f := range lint() {
		if f.RuleID == "NG401" {
			missing = append(missing, f)
		}
	}
	if len(missing) != 1 || !strings.Contains(missing[0].Message, filepath.Join(dir, "htpasswd")+" does not exist") {
		t.Errorf("with nginx.conf above: %v, want one NG401 for %s", missing, filepath.Join(dir, "htpasswd"))
	}
}

// TestWalkNames: a walk lints the names of filekind.Names, confirmed by
// content where the name needs it: an extensionless vhost in
// sites-available that nothing includes is linted alone, htpasswd-ops with
// entries is a password file, htpasswd-notes with prose is not, and
// htpasswd.py, htpasswd_test.go and *.md are never inputs.
func TestWalkNames(t *testing.T) {
	dir := t.TempDir()
	const entry = "alice:$2y$10$abcdefghijklmnopqrstuu5Sx0JfQPh5mnkYoLnWbbLz4p7eZu7.2\n"
	testtree.Write(t, dir, map[string]string{
		"nginx/sites-available/old":   "server {\n    listen 80;\n    location / {\n        auth_basic \"x\";\n    }\n}\n",
		"nginx/sites-available/notes": "This directory holds the vhosts.\n",
		"nginx/conf.d/upstream.conf":  "upstream app { server 127.0.0.1:8080; }\n",
		"htpasswd-ops":                entry + entry,
		"htpasswd-notes":              "Rotate: run htpasswd -B on the server.\n",
		"tools/htpasswd.py":           "import sys\nuser: str = sys.argv[1]\n",
		"tools/htpasswd_test.go":      "package tools\n",
		"docs/htpasswd-rotation.md":   "alice:x\n",
		"README.md":                   "alice:x\n",
	})
	res, err := rules.Lint(rules.Config{Paths: []string{dir}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt,
		Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, r := range res.Read {
		rel, err := filepath.Rel(dir, r.File)
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, filepath.ToSlash(rel)+" "+string(r.Role))
	}
	want := []string{"htpasswd-ops user file", "nginx/sites-available/old config"}
	if strings.Join(read, "\n") != strings.Join(want, "\n") {
		t.Errorf("read %q, want %q", read, want)
	}
	ids := map[string]bool{}
	for _, f := range res.Findings {
		ids[f.RuleID] = true
	}
	if !ids["PW108"] || !ids["NG101"] {
		t.Errorf("findings %+v: want PW108 in htpasswd-ops and NG101 in the vhost", res.Findings)
	}
}

// TestWalkHtaccessOnce: a .htaccess that the configuration's search reads
// itself (its identity comes from that read, with no second look) is the
// same file when the walk meets it again, under its own name or another
// (a hard link): linted and counted once.
func TestWalkHtaccessOnce(t *testing.T) {
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"conf/httpd.conf": "Listen 80\nDocumentRoot \"" + dir + "/www\"\n<Directory \"" + dir + "/www\">\n" +
			"    AllowOverride AuthConfig\n    Require all granted\n</Directory>\n",
		"www/private/.htaccess": "AuthType Basic\nAuthName \"P\"\nAuthUserFile /nonexistent/users\n" +
			"Require all granted\nRequire valid-user\n",
		"www/private/index.html": "x",
	})
	// The same file under another name, named on the command line after the
	// configuration: only its identity tells it is the same.
	if err := os.Link(filepath.Join(dir, "www/private/.htaccess"), filepath.Join(dir, "copy.htaccess")); err != nil {
		t.Fatal(err)
	}
	res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, "conf"), filepath.Join(dir, "www"), filepath.Join(dir, "copy.htaccess")},
		Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == "AP105" {
			n++
		}
	}
	roles := map[rules.Role]int{}
	for _, r := range res.Read {
		roles[r.Role]++
	}
	if n != 1 || roles[rules.RoleHtaccess] != 1 || res.Files != 2 {
		t.Errorf("AP105 reported %d times, read %+v (%d files), want once, the .htaccess read once of 2 files", n, res.Read, res.Files)
	}
}
