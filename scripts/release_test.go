// Package scripts holds the tests of the shell scripts beside them.
package scripts

import (
	"bufio"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// commitDate is the author and committer date of the test repository's
// commit, which the release stamps as the build date.
const commitDate = "2026-01-02T15:04:05Z"

// copyWorkTree copies the files git knows of (tracked, and untracked but
// not ignored, as the work tree has them) from the repository at src to dst.
func copyWorkTree(t *testing.T, src, dst string) {
	t.Helper()
	out, err := exec.Command("git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		from := filepath.Join(src, name)
		st, err := os.Lstat(from)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the work tree, or a symlink (none is needed to build)
		}
		to := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// gitRepo makes a repository of the current work tree with one commit, so
// that the release script can tag it without touching the real one.
func gitRepo(t *testing.T) (dir string, env []string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "authlint")
	copyWorkTree(t, "..", dir)
	env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=authlint test", "GIT_AUTHOR_EMAIL=test@authlint.invalid", "GIT_AUTHOR_DATE="+commitDate,
		"GIT_COMMITTER_NAME=authlint test", "GIT_COMMITTER_EMAIL=test@authlint.invalid", "GIT_COMMITTER_DATE="+commitDate)
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"commit", "-q", "-m", "release test"},
	} {
		git(t, dir, env, args...)
	}
	return dir, env
}

func git(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// release runs scripts/release.sh in dir with DIST=dist.
func release(t *testing.T, dir, dist string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{"scripts/release.sh"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(env, "DIST="+dist)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestRelease builds a release for the host's target in a copy of the work
// tree: the script tags HEAD, writes a static binary and SHA256SUMS, and
// the binary reports the version, commit and date it was built from.
func TestRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release binary")
	}
	for _, tool := range []string{"git", "bash", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	dir, env := gitRepo(t)
	head := git(t, dir, env, "rev-parse", "HEAD")
	dist := filepath.Join(t.TempDir(), "dist")
	target := runtime.GOOS + "/" + runtime.GOARCH
	const version = "v0.0.1-test.1"

	// Mistakes are refused before anything is built or tagged.
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad version", []string{"v1.2", target}, "is not vMAJOR.MINOR.PATCH"},
		{"bad target", []string{version, "linux"}, "is not GOOS/GOARCH"},
	} {
		out, err := release(t, dir, dist, env, tc.args...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("%s: err %v, output %q, want %q", tc.name, err, out, tc.want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := release(t, dir, dist, env, version, target); err == nil || !strings.Contains(out, "uncommitted changes") {
		t.Errorf("dirty tree: err %v, output %q", err, out)
	}
	git(t, dir, env, "checkout", "-q", "--", "README.md")
	if tags := git(t, dir, env, "tag", "--list"); tags != "" {
		t.Fatalf("tags after refused runs: %q", tags)
	}

	start := time.Now()
	out, err := release(t, dir, dist, env, version, target)
	t.Logf("release.sh %s %s took %v:\n%s", version, target, time.Since(start).Round(time.Millisecond), out)
	if err != nil {
		t.Fatalf("release.sh: %v", err)
	}
	if tagged := git(t, dir, env, "rev-parse", version+"^{commit}"); tagged != head {
		t.Errorf("tag %s is on %s, want HEAD %s", version, tagged, head)
	}

	name := "authlint-" + version + "-" + runtime.GOOS + "-" + runtime.GOARCH
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	bin := filepath.Join(dist, name)
	sums := readSums(t, filepath.Join(dist, "SHA256SUMS"))
	if len(sums) != 1 || sums[name] == "" {
		t.Fatalf("SHA256SUMS = %v, want one line for %s", sums, name)
	}
	if got := sha256File(t, bin); got != sums[name] {
		t.Errorf("sha256 of %s is %s, SHA256SUMS says %s", name, got, sums[name])
	}
	if runtime.GOOS == "linux" {
		checkStatic(t, bin)
	}

	want := "authlint " + version + "\ncommit:  " + head + "\ndate:    " + commitDate + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		got, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		if !strings.HasPrefix(string(got), want) {
			t.Errorf("%s %v:\n%s\nwant it to start with\n%s", name, args, got, want)
		}
	}

	// SARIF names the version and points each rule's helpUri at its doc
	// in the tagged tree.
	cmd := exec.Command(bin, "--format", "sarif", "examples/users.htpasswd")
	cmd.Dir = dir
	sarif, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("%s --format sarif: %v", name, err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
					Rules   []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Tool.Driver.Rules) == 0 {
		t.Fatalf("%s --format sarif: %v\n%s", name, err, sarif)
	}
	if v := log.Runs[0].Tool.Driver.Version; v != version {
		t.Errorf("SARIF driver.version %q, want %q", v, version)
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if want := "https://github.com/authlint/authlint/blob/" + version + "/rules/docs/" + r.ID + ".md"; r.HelpURI != want {
			t.Errorf("SARIF %s helpUri %q, want %q", r.ID, r.HelpURI, want)
		}
	}

	// A tag that exists on another commit is refused.
	git(t, dir, env, "commit", "-q", "--allow-empty", "-m", "after the release")
	if out, err := release(t, dir, dist, env, version, target); err == nil || !strings.Contains(out, "check out the tag first") {
		t.Errorf("tag on another commit: err %v, output %q", err, out)
	}
}

// readSums parses a sha256sum file: HASH, two spaces (or space and '*'), NAME.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hash, name, ok := strings.Cut(sc.Text(), " ")
		name = strings.TrimLeft(name, " *")
		if !ok || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" || name == "" {
			t.Fatalf("%s: malformed line %q", path, sc.Text())
		}
		sums[name] = hash
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// checkStatic fails when the ELF binary asks for a dynamic loader.
func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has an ELF interpreter: not static", path)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s links %v: not static", path, libs)
	}
}

// TestReadmeRev: the pre-commit example in the README pins a release tag of
// the form scripts/release.sh makes, not a branch.
func TestReadmeRev(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	tag := regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$`)
	n := 0
	for _, l := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), "rev: ")
		if !ok {
			continue
		}
		n++
		if rev, _, _ := strings.Cut(rest, " "); !tag.MatchString(rev) {
			t.Errorf("README.md: rev %q is not a release tag (vMAJOR.MINOR.PATCH)", rev)
		}
	}
	if n == 0 {
		t.Error("README.md has no pre-commit rev: line")
	}
}
