package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// deployFinding is a JSON finding with its related locations.
type deployFinding struct {
	pipelineFinding
	Related []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"related"`
}

// TestDeployRepo lints testdata/deployrepo, a Debian deployment repository
// (deploy/nginx and deploy/apache2 with sites-available and sites-enabled
// symlinks, configurations naming /etc/... paths, the distributions' files
// absent), from its root with no flags: the mappings are inferred, the
// broken vhost, user file and .htaccess are found at the files a person
// edits, and the files the server provides are "cannot check" infos, never
// errors. tools/htpasswd.py and docs/htpasswd-rotation.md are not inputs.
func TestDeployRepo(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "deployrepo"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, stderr := runIn(t, dir, "--format", "json")
	var rep struct {
		Findings []deployFinding `json:"findings"`
		Summary  struct {
			Files int `json:"files"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("exit %d, bad JSON: %v\n%s\n%s", code, err, stdout, stderr)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var errs []string
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.File, "tools/") || strings.HasPrefix(f.File, "docs/") {
			t.Errorf("%v: not an input (%s)", f, f.Message)
		}
		if strings.Contains(f.Message, "No such file") {
			t.Errorf("%v: %q says a file not read does not exist", f, f.Message)
		}
		if f.Severity != "info" {
			errs = append(errs, f.String())
			continue
		}
		if !strings.Contains(f.Message, "cannot check") && !strings.Contains(f.Message, "lives in a checkout") {
			t.Errorf("unexpected info %v: %s", f, f.Message)
		}
	}
	want := []string{
		"PW202 error deploy/apache2/intranet.htpasswd:2",
		"NG301 error deploy/nginx/sites-available/admin:13",
		"AP102 error site/private/.htaccess:2",
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors and warnings %v, want %v", errs, want)
	}
	// The vhost is reported at sites-available/admin, with the symlink
	// that enables it and the protected location it names.
	i := slices.IndexFunc(rep.Findings, func(f deployFinding) bool { return f.Rule == "NG301" })
	if i >= 0 {
		var rel []string
		for _, r := range rep.Findings[i].Related {
			rel = append(rel, r.File+":"+strconv.Itoa(r.Line))
		}
		wantRel := []string{"deploy/nginx/sites-available/admin:8", "deploy/nginx/sites-enabled/admin:0"}
		if !slices.Equal(rel, wantRel) {
			t.Errorf("NG301 related %v, want %v", rel, wantRel)
		}
	}
	// Server-provided files, each a "cannot check" info at its include.
	for _, w := range []string{
		"NG000 info deploy/nginx/nginx.conf:26",              // mime.types (the nginx package)
		"NG000 info deploy/nginx/sites-available/admin:14",   // snippets/fastcgi-php.conf
		"NG000 info deploy/nginx/sites-available/default:9",  // /etc/letsencrypt (server-files)
		"NG401 info deploy/nginx/sites-available/default:21", // ops.htpasswd, on the server only
		"AP000 info deploy/apache2/apache2.conf:150",         // ports.conf
		"NG000 info deploy/nginx/nginx.conf:1",               // the inferred mapping
		"AP000 info deploy/apache2/apache2.conf:1",
	} {
		if !slices.ContainsFunc(rep.Findings, func(f deployFinding) bool { return f.String() == w }) {
			t.Errorf("no %s", w)
		}
	}
	// apache2.conf, nginx.conf, site/private/.htaccess; four vhosts; two
	// user files.
	if rep.Summary.Files != 9 {
		t.Errorf("summary.files %d, want 9", rep.Summary.Files)
	}

	t.Run("text summary and --verbose", func(t *testing.T) {
		_, out, stderr := runIn(t, dir, "-v")
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if last := lines[len(lines)-1]; last != "authlint: 9 files checked (3 configs, 4 included, 2 user files): 3 errors, 10 infos" {
			t.Errorf("last line of stderr %q", last)
		}
		if strings.Contains(out, "files checked") {
			t.Errorf("the summary went to standard output")
		}
		for _, w := range []string{
			"authlint: configuration file " + filepath.Join(dir, ".authlint.yaml") + "\n",
			"authlint: mapping /etc/nginx=deploy/nginx, inferred from deploy/nginx/nginx.conf (it names paths under /etc/nginx)\n",
			"authlint: mapping /etc/apache2=deploy/apache2, inferred from deploy/apache2/apache2.conf",
			"authlint: server paths outside the mappings are not read from this machine (--live reads them)\n",
			"authlint: read deploy/nginx/nginx.conf (config)\n",
			"authlint: read deploy/nginx/sites-enabled/admin -> deploy/nginx/sites-available/admin (included by deploy/nginx/nginx.conf)\n",
			"authlint: read deploy/apache2/sites-enabled/intranet.conf -> deploy/apache2/sites-available/intranet.conf (included by deploy/apache2/apache2.conf)\n",
			"authlint: read deploy/apache2/intranet.htpasswd (user file referenced by deploy/apache2/apache2.conf)\n",
			"authlint: read site/private/.htaccess (config)\n",
			"authlint: files the server provides (server-files): /etc/letsencrypt/**\n",
		} {
			if !strings.Contains(stderr, w) {
				t.Errorf("--verbose lacks %q:\n%s", w, stderr)
			}
		}
	})

	// The three fixes a person makes: the run passes, the server's files
	// still "cannot check" infos.
	t.Run("fixed", func(t *testing.T) {
		fixedDir := filepath.Join(t.TempDir(), "deployrepo")
		copyTree(t, dir, fixedDir)
		for _, fix := range []struct{ file, old, new string }{
			{"deploy/nginx/sites-available/admin", "location /admin/ {", "location ^~ /admin/ {"},
			{"deploy/apache2/intranet.htpasswd", "bob:hunter2\n", "bob:$2y$10$vyQSGzgl7V0LXBfzq9UN3O.NDMPG/97p3./AhwXAMPvjA3mTCn8pu\n"},
			{"site/private/.htaccess", "AuthType Basci\n", "AuthType Basic\n"},
		} {
			p := filepath.Join(fixedDir, fix.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fixed := strings.Replace(string(data), fix.old, fix.new, 1)
			if fixed == string(data) {
				t.Fatalf("the sample changed: %s has no %q to fix", fix.file, fix.old)
			}
			if err := os.WriteFile(p, []byte(fixed), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Chdir(fixedDir)
		code, stdout, stderr := runIn(t, fixedDir)
		if code != 0 {
			t.Errorf("exit %d, want 0\n%s%s", code, stdout, stderr)
		}
		for _, l := range strings.Split(stdout, "\n") {
			if strings.Contains(l, ": error: ") || strings.Contains(l, ": warning: ") {
				t.Errorf("after the fixes: %s", l)
			}
		}
		if want := "authlint: 9 files checked (3 configs, 4 included, 2 user files): 10 infos\n"; !strings.HasSuffix(stderr, want) {
			t.Errorf("stderr %q, want it to end with %q", stderr, want)
		}
	})
}

// TestDeployRepoChanged runs --changed (what the pre-commit hook runs) on
// testdata/deployrepo: a changed file reports the entry points that read
// or use it, in their context, and nothing else.
func TestDeployRepoChanged(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "deployrepo"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		name    string
		changed []string
		code    int
		want    []string // errors and warnings
	}{
		// The vhost is linted in the context of the nginx.conf that
		// includes it through sites-enabled: the snippet it includes is
		// the server's, not missing.
		{"vhost", []string{"deploy/nginx/sites-available/admin"}, 1, []string{"NG301 error deploy/nginx/sites-available/admin:13"}},
		{"its symlink", []string{"deploy/nginx/sites-enabled/admin"}, 1, []string{"NG301 error deploy/nginx/sites-available/admin:13"}},
		{"a clean vhost", []string{"deploy/nginx/sites-available/default"}, 1, []string{"NG301 error deploy/nginx/sites-available/admin:13"}},
		// A user file: every configuration that references it, the
		// .htaccess linted alone included.
		{"user file", []string{"deploy/apache2/intranet.htpasswd"}, 1,
			[]string{"PW202 error deploy/apache2/intranet.htpasswd:2", "AP102 error site/private/.htaccess:2"}},
		{".htaccess", []string{"site/private/.htaccess"}, 1,
			[]string{"PW202 error deploy/apache2/intranet.htpasswd:2", "AP102 error site/private/.htaccess:2"}},
		{"not an input", []string{"tools/htpasswd.py", "docs/htpasswd-rotation.md", "README.md"}, 0, nil},
		{"deleted", []string{"deploy/nginx/gone.htpasswd"}, 0, nil},
		{"nothing", nil, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runIn(t, dir, append([]string{"--format", "json", "--changed"}, tc.changed...)...)
			var rep struct {
				Findings []pipelineFinding `json:"findings"`
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("exit %d, bad JSON: %v\n%s\n%s", code, err, stdout, stderr)
			}
			var got []string
			for _, f := range rep.Findings {
				if f.Severity != "info" {
					got = append(got, f.String())
				}
			}
			if code != tc.code || !slices.Equal(got, tc.want) {
				t.Errorf("exit %d, findings %v; want %d, %v", code, got, tc.code, tc.want)
			}
		})
	}
}

// TestRHELRepo: a repository holding RHEL's layout (conf/httpd.conf with
// ServerRoot /etc/httpd, conf.d/*.conf, conf.modules.d absent) maps
// /etc/httpd onto the directory above conf/; the vhost in conf.d is linted
// in the main configuration's context, the modules directory the httpd
// package installs is "cannot check", and a user file on the server only
// is not missing.
func TestRHELRepo(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"deploy/httpd/conf/httpd.conf": "ServerRoot \"/etc/httpd\"\nListen 80\nInclude conf.modules.d/*.conf\nUser apache\nGroup apache\n" +
			"DocumentRoot \"/var/www/html\"\n<Directory \"/var/www\">\n    AllowOverride None\n    Require all granted\n</Directory>\n" +
			"IncludeOptional conf.d/*.conf\n",
		"deploy/httpd/conf.d/admin": "not a vhost: conf.d/*.conf does not include it, and it holds no configuration\n",
		"deploy/httpd/conf.d/admin.conf": "<VirtualHost *:80>\n    ServerName admin.example.com\n    <Location /admin>\n        AuthType Basic\n" +
			"        AuthName \"admin\"\n        AuthUserFile /etc/httpd/admin.htpasswd\n        Require valid-user\n        Require all granted\n" +
			"    </Location>\n</VirtualHost>\n",
	})
	t.Chdir(dir)
	code, stdout, stderr := runIn(t, dir, "--format", "json")
	var rep struct {
		Findings []pipelineFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("exit %d, bad JSON: %v\n%s\n%s", code, err, stdout, stderr)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.String())
	}
	want := []string{
		"AP401 info deploy/httpd/conf.d/admin.conf:6",  // admin.htpasswd: on the server only
		"AP105 error deploy/httpd/conf.d/admin.conf:8", // in httpd.conf's context
		"AP000 info deploy/httpd/conf/httpd.conf:1",    // /etc/httpd=deploy/httpd, inferred
		"AP000 info deploy/httpd/conf/httpd.conf:3",    // conf.modules.d: the httpd package's
	}
	if code != 1 || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings %v; want 1, %v", code, got, want)
	}
	for _, f := range rep.Findings {
		if f.Line == 1 && !strings.Contains(f.Message, "reads the server's /etc/httpd from deploy/httpd (inferred: its ServerRoot is /etc/httpd)") {
			t.Errorf("inferred mapping: %q", f.Message)
		}
	}
}

// TestTwoTreesOneServerPath: staging and production each hold an
// nginx.conf naming /etc/nginx; each is linted with its own directory as
// /etc/nginx, so each reads its own user file.
func TestTwoTreesOneServerPath(t *testing.T) {
	dir := t.TempDir()
	const hash = "$2y$10$abcdefghijklmnopqrstuu5Sx0JfQPh5mnkYoLnWbbLz4p7eZu7.2"
	conf := "events {}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n"
	site := "server {\n    listen 80;\n    location / {\n        auth_basic \"x\";\n        auth_basic_user_file /etc/nginx/users;\n    }\n}\n"
	writeTree(t, dir, map[string]string{
		"staging/nginx/nginx.conf":         conf,
		"staging/nginx/sites-enabled/site": site,
		"staging/nginx/users":              "alice:" + hash + "\n",
		"prod/nginx/nginx.conf":            conf,
		"prod/nginx/sites-enabled/site":    site,
		"prod/nginx/users":                 "alice:" + hash + "\nalice:" + hash + "\n",
	})
	t.Chdir(dir)
	code, stdout, stderr := runIn(t, dir, "--format", "json")
	var rep struct {
		Findings []pipelineFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("exit %d, bad JSON: %v\n%s\n%s", code, err, stdout, stderr)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.String())
	}
	want := []string{"NG000 info prod/nginx/nginx.conf:1", "PW108 error prod/nginx/users:2", "NG000 info staging/nginx/nginx.conf:1"}
	if code != 1 || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings %v; want 1, %v", code, got, want)
	}
}
