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

// pipelineFinding is one finding of the JSON report.
type pipelineFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
}

func (f pipelineFinding) String() string {
	return f.Rule + " " + f.Severity + " " + f.File + ":" + strconv.Itoa(f.Line)
}

// lintJSON runs check --format json in the working directory and decodes
// the report.
func lintJSON(t *testing.T, args ...string) (int, []pipelineFinding, int) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runIn(t, wd, append([]string{"--format", "json"}, args...)...)
	var rep struct {
		Findings []pipelineFinding `json:"findings"`
		Summary  struct {
			Files int `json:"files"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("authlint %s: exit %d, bad JSON: %v\n%s\nstderr:\n%s", strings.Join(args, " "), code, err, stdout, stderr)
	}
	return code, rep.Findings, rep.Summary.Files
}

// TestPipelineSample lints testdata/pipeline, a repository whose
// deploy/nginx is copied to /etc/nginx: its configs name server paths only.
func TestPipelineSample(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	const (
		deploy = "testdata/pipeline/deploy/nginx"
		conf   = deploy + "/nginx.conf"
	)
	dupInUserFile := pipelineFinding{Rule: "PW108", Severity: "error", File: deploy + "/htpasswd", Line: 3}
	mapped := []struct {
		name string
		args []string
	}{
		{"--map, main config named", []string{"--map", "/etc/nginx=" + deploy, conf}},
		{"--map --live", []string{"--map", "/etc/nginx=" + deploy, "--live", conf}},
		{"--map given with a trailing slash", []string{"--map", "/etc/nginx/=" + deploy + "/", conf}},
	}
	for _, tc := range mapped {
		t.Run(tc.name, func(t *testing.T) {
			code, findings, files := lintJSON(t, tc.args...)
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			// Exactly the deliberate duplicate user: the include and both
			// user files were found (no NG401), the user file was read.
			if len(findings) != 1 || findings[0].String() != dupInUserFile.String() {
				t.Errorf("findings %v, want just %v", findings, dupInUserFile)
			}
			// nginx.conf, the included conf.d/admin.conf, htpasswd and
			// htpasswd-admin (referenced from admin.conf).
			if files != 4 {
				t.Errorf("%d files read, want 4", files)
			}
		})
	}

	// The whole repository: nginx's and Apache's trees, each mapped.
	apacheDeploy := "testdata/pipeline/deploy/apache"
	commentInApacheFile := pipelineFinding{Rule: "PW104", Severity: "error", File: apacheDeploy + "/htpasswd-reports", Line: 1}
	walked := []struct {
		name string
		args []string
	}{
		{"--map both trees, directory walked", []string{"--map", "/etc/nginx=" + deploy, "--map", "/etc/apache2=" + apacheDeploy, "testdata/pipeline"}},
		{"the sample's .authlint.yaml", []string{"--config", "testdata/pipeline/.authlint.yaml", "testdata/pipeline"}},
	}
	for _, tc := range walked {
		t.Run(tc.name, func(t *testing.T) {
			code, findings, files := lintJSON(t, tc.args...)
			var got []string
			for _, f := range findings {
				got = append(got, f.String())
			}
			want := []string{commentInApacheFile.String(), dupInUserFile.String()}
			if code != 1 || !slices.Equal(got, want) {
				t.Errorf("exit %d, findings %v; want 1 and %v", code, got, want)
			}
			// nginx.conf, conf.d/admin.conf, its two user files,
			// apache2.conf, its vhost (through IncludeOptional) and the
			// vhost's user file.
			if files != 7 {
				t.Errorf("%d files read, want 7", files)
			}
		})
	}

	t.Run("Apache, --map: the vhost's user file is read", func(t *testing.T) {
		code, findings, _ := lintJSON(t, "--map", "/etc/apache2="+apacheDeploy, apacheDeploy+"/apache2.conf")
		if code != 1 || len(findings) != 1 || findings[0].String() != commentInApacheFile.String() {
			t.Errorf("exit %d, findings %v; want 1 and just %v", code, findings, commentInApacheFile)
		}
	})

	// Without --map the mapping is inferred from where each main
	// configuration lives, said once (info at its first line), and the
	// run does not read this machine's /etc (offline) unless --live.
	inferred := func(t *testing.T, findings []pipelineFinding, rule, file, server, local, live string) {
		t.Helper()
		i := slices.IndexFunc(findings, func(f pipelineFinding) bool {
			return f.Rule == rule && f.Severity == "info" && f.File == file && f.Line == 1
		})
		if i < 0 {
			t.Fatalf("findings %v, want a %s info at %s:1 (inferred mapping)", findings, rule, file)
		}
		for _, s := range []string{"reads the server's " + server + " from " + local, live} {
			if !strings.Contains(findings[i].Message, s) {
				t.Errorf("%s info %q lacks %q", rule, findings[i].Message, s)
			}
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		live string
	}{
		{"nginx, no flags: inferred", nil, "not read from this machine"},
		{"nginx, --offline: inferred", []string{"--offline"}, "not read from this machine"},
		{"nginx, --live: inferred, the rest live", []string{"--live"}, "read from this machine (--live)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, findings, files := lintJSON(t, append(tc.args, conf)...)
			inferred(t, findings, "NG000", conf, "/etc/nginx", deploy, tc.live)
			var got []string
			for _, f := range findings {
				if f.Severity != "info" {
					got = append(got, f.String())
				}
			}
			if code != 1 || files != 4 || !slices.Equal(got, []string{dupInUserFile.String()}) {
				t.Errorf("exit %d, %d files, findings %v; want 1, 4 files and just %v", code, files, got, dupInUserFile)
			}
		})
	}
	t.Run("Apache, no flags: inferred, the vhost's user file is read", func(t *testing.T) {
		code, findings, _ := lintJSON(t, apacheDeploy+"/apache2.conf")
		inferred(t, findings, "AP000", apacheDeploy+"/apache2.conf", "/etc/apache2", apacheDeploy, "not read from this machine")
		errs := slices.DeleteFunc(slices.Clone(findings), func(f pipelineFinding) bool { return f.Severity == "info" })
		if code != 1 || len(errs) != 1 || errs[0].String() != commentInApacheFile.String() {
			t.Errorf("exit %d, findings %v; want 1 and just %v", code, findings, commentInApacheFile)
		}
	})

	t.Run("--root", func(t *testing.T) {
		image := t.TempDir()
		copyDir(t, deploy, filepath.Join(image, "etc", "nginx"))
		code, findings, files := lintJSON(t, "--root", image, filepath.Join(image, "etc", "nginx", "nginx.conf"))
		if code != 1 || len(findings) != 1 || findings[0].Rule != "PW108" || files != 4 {
			t.Errorf("exit %d, %d files, findings %v; want 1, 4 files, just PW108", code, files, findings)
		}
	})
}

// TestPipelineRelativePaths: a main config named in a mapped directory is
// loaded under its server path, so its relative includes and user files
// resolve against the server's conf prefix, offline too.
func TestPipelineRelativePaths(t *testing.T) {
	dup, err := os.ReadFile("testdata/in/dup.htpasswd")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"deploy/nginx/nginx.conf":        "events {}\nhttp {\n    include sites/*.conf;\n}\n",
		"deploy/nginx/sites/a.conf":      "server {\n    location / {\n        auth_basic \"a\";\n        auth_basic_user_file users.htpasswd;\n    }\n}\n",
		"deploy/nginx/users.htpasswd":    string(dup),
		"deploy/nginx/sites/unused.conf": "# nothing\n",
	})
	t.Chdir(dir)
	code, findings, files := lintJSON(t, "--map", "/srv/nginx=deploy/nginx", "deploy/nginx/nginx.conf")
	// nginx.conf, sites/a.conf, sites/unused.conf and users.htpasswd.
	if code != 1 || files != 4 || len(findings) == 0 {
		t.Fatalf("exit %d, %d files, findings %v", code, files, findings)
	}
	for _, f := range findings {
		if f.Rule != "PW108" || f.File != filepath.Join("deploy", "nginx", "users.htpasswd") {
			t.Errorf("unexpected finding %v %s", f, f.Message)
		}
	}
}

// copyDir copies a directory tree of regular files.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
