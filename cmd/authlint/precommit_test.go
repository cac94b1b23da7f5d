package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authlint/authlint/internal/filekind"
	"gopkg.in/yaml.v3"
)

// preCommitHook is the part of .pre-commit-hooks.yaml the tests read.
type preCommitHook struct {
	ID            string `yaml:"id"`
	Name          string `yaml:"name"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

func readHooks(t *testing.T) []preCommitHook {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	return hooks
}

// TestPreCommitManifest checks the hook's fields, and that its files regex
// is the list a directory walk uses (filekind.FilesPattern) and, read as a
// regex (its RE2-compatible subset of Python's), selects exactly the names
// a walk considers (filekind.Listed).
func TestPreCommitManifest(t *testing.T) {
	hooks := readHooks(t)
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "authlint" || h.Name == "" || h.Entry != "authlint --changed" || h.Language != "golang" || h.PassFilenames == nil || !*h.PassFilenames {
		t.Errorf("hook %+v", h)
	}
	if want := filekind.FilesPattern(); h.Files != want {
		t.Errorf("files:\n got %s\nwant %s (filekind.FilesPattern)", h.Files, want)
	}
	re, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	names := []struct {
		name   string
		listed bool
	}{
		{".htpasswd", true}, {"site/.htpasswd", true}, {"users.htpasswd", true}, {"htpasswd", true},
		{"htpasswd-admin", true}, {".htpasswd.prod", true}, {".htpasswd_ops", true}, {".htusers", true},
		{"a/b.htusers", true}, {".htdigest", true}, {"x.htdigest", true}, {"htdigest", true}, {".htgroup", true},
		{"x.htgroup", true}, {"htgroups", true}, {".htgroups", true}, {"nginx.conf", true},
		{"etc/nginx/nginx.conf", true}, {"site.nginx.conf", true}, {"httpd.conf", true}, {"apache2.conf", true},
		{".htaccess", true}, {"www/.htaccess", true}, {"x.htaccess", true}, {"vhost.apache.conf", true},
		{"NGINX.CONF", true}, {"Users.HTPASSWD", true},
		// Debian and RHEL layouts, extensionless vhosts included.
		{"deploy/nginx/sites-available/admin", true}, {"sites-enabled/example.com", true},
		{"conf.d/admin.conf", true}, {"conf-available/security.conf", true}, {"sites/default.conf", true},
		{"htpasswd/x.conf", true},
		// Not inputs.
		{"README.md", false}, {"docs/htpasswd-rotation.md", false}, {"tools/htpasswd.py", false},
		{"htpasswd_test.go", false}, {"htpasswd.py", false}, {"nginx.conf.bak", false}, {"apache2.conf.orig", false},
		{"my-htpasswd", false}, {"nginx.config", false}, {"x.htaccess.bak", false}, {".htaccessx", false},
		{"a.nginx.conf/readme", false}, {"sites-available/", false}, {"sites-available", false},
	}
	for _, n := range names {
		_, walked := filekind.Listed(n.name)
		if walked != n.listed {
			t.Errorf("%s: a directory walk considers it %v, want %v", n.name, walked, n.listed)
		}
		if got := re.MatchString(n.name); got != walked {
			t.Errorf("%s: files regex matches %v, a directory walk considers it %v", n.name, got, walked)
		}
	}
}

// TestPreCommitHook runs the real pre-commit on the hook, built from this
// working tree, in a fresh git repository: a clean password file passes, a
// broken one fails with authlint's findings in the output.
func TestPreCommitHook(t *testing.T) {
	ctx, env, hookRepo, tmp := preCommitSetup(t)
	clean, err := os.ReadFile("testdata/precommit/clean.htpasswd")
	if err != nil {
		t.Fatal(err)
	}
	broken, err := os.ReadFile("testdata/precommit/broken.htpasswd")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		files    map[string]string
		wantPass bool
		want     []string // in pre-commit's output
	}{
		// README.md is outside the hook's files: authlint would refuse it
		// (unknown kind, exit 2) if pre-commit passed it.
		{"clean", map[string]string{"site/.htpasswd": string(clean), "README.md": "# site\n"}, true, []string{"authlint", "Passed"}},
		{"broken", map[string]string{"site/.htpasswd": string(broken), "README.md": "# site\n"}, false,
			[]string{"Failed", "site/.htpasswd:1:1: error", "[PW101]", "site/.htpasswd:2:1: error", "[PW102]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repo := filepath.Join(tmp, "target-"+tc.name)
			writeTree(t, repo, tc.files)
			runTool(ctx, t, repo, env, "git", "init", "-q")
			runTool(ctx, t, repo, env, "git", "add", ".")
			cmd := exec.CommandContext(ctx, "pre-commit", "try-repo", hookRepo, "authlint", "--all-files", "--color", "never")
			cmd.Dir, cmd.Env = repo, env
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("pre-commit timed out:\n%s", out)
			}
			if passed := err == nil; passed != tc.wantPass {
				t.Errorf("pre-commit passed=%v (%v), want %v:\n%s", passed, err, tc.wantPass, out)
			}
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatalf("pre-commit: %v", err)
			}
			for _, s := range tc.want {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			if bytes.Contains(out, []byte("README.md")) {
				t.Errorf("README.md reached authlint:\n%s", out)
			}
		})
	}
}

// preCommitSetup skips without pre-commit, git or go (fails in CI), and
// returns a context with a deadline, the environment pre-commit runs in,
// the hook repository (a snapshot of this working tree) and a scratch
// directory.
func preCommitSetup(t *testing.T) (context.Context, []string, string, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the hook with pre-commit and go install (-short)")
	}
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not installed (Debian: apt-get install -y pre-commit git golang; scripts/test.sh installs it)"
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	tmp := t.TempDir()
	gomodcache := strings.TrimSpace(runTool(ctx, t, "", nil, "go", "env", "GOMODCACHE"))
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		"GOFLAGS=-mod=mod -buildvcs=false",
		"GOTOOLCHAIN=local",
		"GOMODCACHE="+gomodcache, // reuse downloaded modules; the proxy is asked for the rest
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=authlint test", "GIT_AUTHOR_EMAIL=test@example.invalid",
		"GIT_COMMITTER_NAME=authlint test", "GIT_COMMITTER_EMAIL=test@example.invalid",
	)
	hookRepo := snapshotRepo(ctx, t, filepath.Join("..", ".."), filepath.Join(tmp, "hook-repo"), env)
	return ctx, env, hookRepo, tmp
}

// TestPreCommitDeployRepo installs the hook as a user does (the README's
// .pre-commit-config.yaml, its rev a tag scripts/release.sh makes, and
// `pre-commit install`) in a copy of testdata/deployrepo and commits: a
// commit that touches only the broken vhost (an extensionless
// sites-available file, enabled through a symlink) is refused with the
// finding at that file, found in the context of the nginx.conf that
// includes it, and goes through once the vhost is fixed, although the
// repository still holds a broken user file and .htaccess that the commit
// does not touch.
func TestPreCommitDeployRepo(t *testing.T) {
	ctx, env, hookRepo, tmp := preCommitSetup(t)
	config, rev := readmePreCommitConfig(t, hookRepo)
	// The release script makes the tag (and one binary, which the test
	// does not need).
	runTool(ctx, t, hookRepo, append(env, "DIST="+filepath.Join(tmp, "dist")), "bash", "scripts/release.sh", rev,
		runtime.GOOS+"/"+runtime.GOARCH)
	repo := filepath.Join(tmp, "deployrepo")
	copyTree(t, filepath.Join("..", "..", "testdata", "deployrepo"), repo)
	if err := os.WriteFile(filepath.Join(repo, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		t.Helper()
		return runTool(ctx, t, repo, env, "git", append([]string{"-c", "commit.gpgsign=false"}, args...)...)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "deployment") // before the hook: the sample is broken on purpose
	runTool(ctx, t, repo, env, "pre-commit", "install")
	const vhost = "deploy/nginx/sites-available/admin"
	broken, err := os.ReadFile(filepath.Join(repo, vhost))
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(broken), "location /admin/ {", "location ^~ /admin/ {", 1)
	if fixed == string(broken) {
		t.Fatal("the sample vhost changed: no `location /admin/ {` to fix")
	}
	for _, step := range []struct {
		name     string
		content  string
		wantPass bool
		want     []string
	}{
		{"broken vhost", string(broken) + "# staff only, reviewed\n", false,
			[]string{"Failed", vhost + ":13:2: error", "[NG301]"}},
		{"fixed vhost", fixed, true, []string{"Passed"}},
	} {
		t.Run(step.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(repo, vhost), []byte(step.content), 0o644); err != nil {
				t.Fatal(err)
			}
			git("add", vhost)
			before := git("rev-parse", "HEAD")
			cmd := exec.CommandContext(ctx, "git", "-c", "commit.gpgsign=false", "commit", "-m", step.name)
			cmd.Dir, cmd.Env = repo, append(env, "PRE_COMMIT_COLOR=never")
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("git commit timed out:\n%s", out)
			}
			t.Logf("git commit:\n%s", out)
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatalf("git commit: %v", err)
			}
			if passed := err == nil; passed != step.wantPass {
				t.Errorf("commit passed=%v, want %v:\n%s", passed, step.wantPass, out)
			}
			if moved := git("rev-parse", "HEAD") != before; moved != step.wantPass {
				t.Errorf("HEAD moved=%v, want %v:\n%s", moved, step.wantPass, out)
			}
			if !bytes.Contains(out, []byte("authlint")) {
				t.Errorf("the hook did not run:\n%s", out)
			}
			for _, s := range step.want {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			// Files the commit does not touch, nor any configuration that
			// reads the vhost, stay out of the report.
			for _, s := range []string{"intranet.htpasswd", ".htaccess", "htpasswd.py"} {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("output mentions %s, which the commit does not touch:\n%s", s, out)
				}
			}
		})
	}
}

// readmePreCommitConfig returns the README's .pre-commit-config.yaml
// example with the repository URL replaced by hookRepo, and its rev.
func readmePreCommitConfig(t *testing.T, hookRepo string) (config, rev string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(repos:\n.*?)```").FindSubmatch(data)
	if m == nil {
		t.Fatal("README.md has no ```yaml block starting with repos:")
	}
	config = string(m[1])
	const url = "https://github.com/authlint/authlint"
	if !strings.Contains(config, "repo: "+url+"\n") {
		t.Fatalf("the README's pre-commit example does not name %s:\n%s", url, config)
	}
	config = strings.Replace(config, "repo: "+url+"\n", "repo: "+hookRepo+"\n", 1)
	r := regexp.MustCompile(`(?m)^\s*rev:\s*(\S+)`).FindStringSubmatch(config)
	if r == nil {
		t.Fatalf("the README's pre-commit example has no rev:\n%s", config)
	}
	return config, r[1]
}

// copyTree copies a directory tree, symlinks as symlinks.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshotRepo commits the working tree of the repository at src (tracked
// and untracked files, minus .gitignore'd ones) as a new repository at dst,
// so that the hook is built from exactly what is on disk.
func snapshotRepo(ctx context.Context, t *testing.T, src, dst string, env []string) string {
	t.Helper()
	for _, name := range sourceFiles(ctx, t, src) {
		from := filepath.Join(src, name)
		st, err := os.Lstat(from)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the working tree, or a symlink
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	runTool(ctx, t, dst, env, "git", "init", "-q")
	runTool(ctx, t, dst, env, "git", "add", ".")
	runTool(ctx, t, dst, env, "git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot")
	return dst
}

// sourceFiles lists the files of the working tree at src: git's tracked and
// untracked files minus ignored ones, or, outside a git checkout (a source
// tarball), every file but .git and bin.
func sourceFiles(ctx context.Context, t *testing.T, src string) []string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = src
	if out, err := cmd.Output(); err == nil {
		return strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	}
	var names []string
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// runTool runs a command and returns its standard output; it fails the
// test on error.
func runTool(ctx context.Context, t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
