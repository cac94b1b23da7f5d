//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileCase is one hostile or broken input: a tree, the CLI arguments,
// and what the run must end with.
type hostileCase struct {
	name  string
	setup func(t *testing.T, dir string) []string // returns the arguments
	code  int
	// want are substrings of stdout+stderr; dontWant must not appear.
	want, dontWant []string
}

// hostileTimeout bounds each run: every hostile input must end within
// seconds (a FIFO opened for reading, /dev/zero read to its end, would
// not).
const hostileTimeout = 20 * time.Second

// runBounded runs the CLI in-process, failing the test when it does not end
// within hostileTimeout instead of blocking the test binary.
func runBounded(t *testing.T, args []string) (int, string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		code := runEnv(args, e)
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out + r.err
	case <-time.After(hostileTimeout):
		t.Fatalf("authlint %s did not end within %v", strings.Join(args, " "), hostileTimeout)
	}
	return 0, ""
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
}

// unixSocket makes a Unix socket at p, listening until the test ends.
func unixSocket(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
}

// sparse makes a file of size bytes without writing them.
func sparse(t *testing.T, p string, size int64) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// nginxUserFile is an nginx.conf protecting / with the user file at path.
func nginxUserFile(path string) string {
	return "events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n            auth_basic \"x\";\n            auth_basic_user_file " + path + ";\n        }\n    }\n}\n"
}

// nginxInclude is an nginx.conf including path in http{}.
func nginxInclude(path string) string {
	return "events {}\nhttp {\n    include " + path + ";\n    server { listen 80; }\n}\n"
}

// apacheConf is an httpd.conf (ServerRoot its directory's parent)
// protecting the document root with the user file at path, plus extra.
func apacheConf(path, extra string) string {
	return "DocumentRoot htdocs\n<Directory htdocs>\n    AllowOverride AuthConfig\n    AuthType Basic\n    AuthName \"x\"\n    AuthUserFile " + path +
		"\n    Require valid-user\n</Directory>\n" + extra
}

func TestHostileInputs(t *testing.T) {
	const hash = "alice:$2y$10$wZ8RYM6gOZdr2ZHvJ7h3kO1.0ub8FGuF0ZKFeJNuT6GYoiJ9F.yRK\n" // htpasswd -nbB -C 10 alice alice-pw
	conf := func(dir, name, data string) string {
		writeFiles(t, dir, map[string]string{name: data})
		return filepath.Join(dir, name)
	}
	cases := []hostileCase{
		{name: "nginx user file /dev/zero", code: 1, want: []string{"[NG402]", "/dev/zero is a character device", "blocks its worker"},
			setup: func(t *testing.T, dir string) []string {
				return []string{conf(dir, "nginx.conf", nginxUserFile("/dev/zero"))}
			}},
		{name: "nginx user file /dev/urandom", code: 1, want: []string{"[NG402]", "/dev/urandom is a character device"},
			setup: func(t *testing.T, dir string) []string {
				return []string{conf(dir, "nginx.conf", nginxUserFile("/dev/urandom"))}
			}},
		{name: "nginx user file symlink to /dev/null", code: 1, want: []string{"[NG402]", "empty file (it is /dev/null): every login gets 401"},
			setup: func(t *testing.T, dir string) []string {
				if err := os.Symlink("/dev/null", filepath.Join(dir, "users")); err != nil {
					t.Fatal(err)
				}
				return []string{conf(dir, "nginx.conf", nginxUserFile(filepath.Join(dir, "users")))}
			}},
		{name: "nginx user file FIFO", code: 1, want: []string{"[NG402]", "is a FIFO (named pipe): nginx's open() blocks"},
			setup: func(t *testing.T, dir string) []string {
				mkfifo(t, filepath.Join(dir, "users.fifo"))
				return []string{conf(dir, "nginx.conf", nginxUserFile(filepath.Join(dir, "users.fifo")))}
			}},
		{name: "nginx user file socket", code: 1, want: []string{"[NG402]", "is a socket: nginx's open() fails (6: No such device or address)", "every login gets 500"},
			setup: func(t *testing.T, dir string) []string {
				unixSocket(t, filepath.Join(dir, "users.sock"))
				return []string{conf(dir, "nginx.conf", nginxUserFile(filepath.Join(dir, "users.sock")))}
			}},
		{name: "apache user file socket", code: 1, want: []string{"[AP401]", "users.sock is a socket"},
			setup: func(t *testing.T, dir string) []string {
				unixSocket(t, filepath.Join(dir, "conf/users.sock"))
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users.sock", ""))}
			}},
		{name: "nginx user file directory", code: 1, want: []string{"[NG402]", "is a directory", "every login gets 500"},
			setup: func(t *testing.T, dir string) []string {
				if err := os.Mkdir(filepath.Join(dir, "users.d"), 0o755); err != nil {
					t.Fatal(err)
				}
				return []string{conf(dir, "nginx.conf", nginxUserFile(filepath.Join(dir, "users.d")))}
			}},
		{name: "nginx include /dev/zero", code: 1, want: []string{"[NG000]", "warning: include \"/dev/zero\" is a character device", "nginx -t passes"},
			setup: func(t *testing.T, dir string) []string {
				return []string{conf(dir, "nginx.conf", nginxInclude("/dev/zero"))}
			}},
		{name: "nginx include /dev/urandom", code: 1, want: []string{"[NG000]", "include \"/dev/urandom\" is a character device"},
			setup: func(t *testing.T, dir string) []string {
				return []string{conf(dir, "nginx.conf", nginxInclude("/dev/urandom"))}
			}},
		{name: "nginx include FIFO", code: 1, want: []string{"[NG000]", "a FIFO: nginx's open() blocks", "nginx -t and the start hang"},
			setup: func(t *testing.T, dir string) []string {
				mkfifo(t, filepath.Join(dir, "conf.d/site.conf"))
				return []string{conf(dir, "nginx.conf", nginxInclude("conf.d/*.conf"))}
			}},
		{name: "nginx include over the size limit", code: 1, want: []string{"[AU903]", "huge.conf", "65 MiB, over authlint's 64 MiB limit for a configuration file"},
			setup: func(t *testing.T, dir string) []string {
				sparse(t, filepath.Join(dir, "huge.conf"), 65<<20)
				return []string{conf(dir, "nginx.conf", nginxInclude("huge.conf"))}
			}},
		{name: "nginx user file over the size limit", code: 1, want: []string{"[AU903]", "300 MiB, over authlint's 256 MiB limit for a user file"},
			setup: func(t *testing.T, dir string) []string {
				sparse(t, filepath.Join(dir, "users"), 300<<20)
				return []string{conf(dir, "nginx.conf", nginxUserFile(filepath.Join(dir, "users")))}
			}},
		{name: "apache user file /dev/zero", code: 1, want: []string{"[AP401]", "AuthUserFile /dev/zero is a character device", "(AH00554)", "every login gets 500"},
			setup: func(t *testing.T, dir string) []string {
				return []string{conf(dir, "conf/httpd.conf", apacheConf("/dev/zero", ""))}
			}},
		{name: "apache user file /dev/urandom", code: 1, want: []string{"[AP401]", "/dev/urandom is a character device"},
			setup: func(t *testing.T, dir string) []string {
				return []string{conf(dir, "conf/httpd.conf", apacheConf("/dev/urandom", ""))}
			}},
		{name: "apache user file FIFO", code: 1, want: []string{"[AP401]", "is a FIFO (named pipe): httpd's open blocks"},
			setup: func(t *testing.T, dir string) []string {
				mkfifo(t, filepath.Join(dir, "conf/users.fifo"))
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users.fifo", ""))}
			}},
		{name: "apache user file directory", code: 1, want: []string{"[AP401]", "is a directory (AH00554 not a regular file)"},
			setup: func(t *testing.T, dir string) []string {
				if err := os.MkdirAll(filepath.Join(dir, "conf/users.d"), 0o755); err != nil {
					t.Fatal(err)
				}
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users.d", ""))}
			}},
		{name: "apache group file FIFO and /dev/null", code: 1, want: []string{"[AP404]", "is a FIFO (named pipe): httpd's open blocks", "AuthGroupFile /dev/null is read as an empty file"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash, "htdocs/a/x": "x", "htdocs/b/x": "x"})
				mkfifo(t, filepath.Join(dir, "conf/groups.fifo"))
				group := func(d, file string) string {
					return "<Directory htdocs/" + d + ">\n    AuthGroupFile " + file + "\n    Require group admins\n</Directory>\n"
				}
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", group("a", "conf/groups.fifo")+group("b", "/dev/null")))}
			}},
		{name: "apache include /dev/zero", code: 1, want: []string{"[AP000]", "Could not open configuration file /dev/zero: Bad file descriptor (AH00554"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash})
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", "Include /dev/zero\n"))}
			}},
		{name: "apache include /dev/null", code: 0, dontWant: []string{"[AP000]"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash})
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", "Include /dev/null\n"))}
			}},
		{name: "apache include FIFO", code: 1, want: []string{"[AP000]", "a FIFO: httpd's open blocks", "apache2 -t and the start hang"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash})
				mkfifo(t, filepath.Join(dir, "conf/extra.conf"))
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", "Include conf/extra.conf\n"))}
			}},
		{name: "apache .htaccess FIFO", code: 1, want: []string{"[AP408]", ".htaccess is a FIFO (named pipe)", "hangs"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash})
				mkfifo(t, filepath.Join(dir, "htdocs/sub/.htaccess"))
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", ""))}
			}},
		{name: "apache .htaccess /dev/zero symlink", code: 1, want: []string{"[AP408]", ".htaccess is a character device", "gets 403 (AH00529)"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash, "htdocs/sub/index.html": "x"})
				if err := os.Symlink("/dev/zero", filepath.Join(dir, "htdocs/sub/.htaccess")); err != nil {
					t.Fatal(err)
				}
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", ""))}
			}},
		{name: "apache 25 files each included twice per level", code: 1,
			want: []string{"[AP000]", "Include of ", "not followed: files included again would add more than 262144 directives"},
			setup: func(t *testing.T, dir string) []string {
				files := map[string]string{"conf/users": hash, "conf/f25.conf": "<Location />\nRequire valid-user\n</Location>\n"}
				for i := 1; i < 25; i++ {
					files[fmt.Sprintf("conf/f%d.conf", i)] = strings.Repeat(fmt.Sprintf("Include conf/f%d.conf\n", i+1), 2)
				}
				writeFiles(t, dir, files)
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", "Include conf/f1.conf\nInclude conf/f1.conf\n"))}
			}},
		{name: "nginx 25 files each included twice per level", code: 1,
			want: []string{"[NG000]", "not followed: files included more than once would add more than 262144 directives"},
			setup: func(t *testing.T, dir string) []string {
				files := map[string]string{"f25.conf": "server { location / { auth_basic \"r\"; } }\n"}
				for i := 1; i < 25; i++ {
					files[fmt.Sprintf("f%d.conf", i)] = strings.Repeat(fmt.Sprintf("include f%d.conf;\n", i+1), 2)
				}
				writeFiles(t, dir, files)
				return []string{conf(dir, "nginx.conf", "events {}\nhttp {\n    include f1.conf;\n    include f1.conf;\n}\n")}
			}},
		{name: "apache deep document root", code: 1, want: []string{"[AU903]", "the .htaccess search stops 64 directories below a served directory"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash})
				deep := filepath.Join(dir, "htdocs") + strings.Repeat("/d", 80)
				writeFiles(t, deep, map[string]string{".htaccess": "Require all granted\n"})
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", ""))}
			}},
		{name: "apache wide document root", code: 0, dontWant: []string{"[AU903]"},
			setup: func(t *testing.T, dir string) []string {
				writeFiles(t, dir, map[string]string{"conf/users": hash})
				for i := range 30000 {
					if err := os.MkdirAll(filepath.Join(dir, "htdocs", strconv.Itoa(i%100), strconv.Itoa(i)), 0o755); err != nil {
						t.Fatal(err)
					}
				}
				return []string{conf(dir, "conf/httpd.conf", apacheConf("conf/users", ""))}
			}},
		{name: "named /dev/zero", code: 3, want: []string{"read /dev/zero: not a regular file (a character device)"},
			setup: func(t *testing.T, dir string) []string { return []string{"--type", "htpasswd", "/dev/zero"} }},
		{name: "named FIFO", code: 3, want: []string{"not a regular file (a FIFO (named pipe))"},
			setup: func(t *testing.T, dir string) []string {
				mkfifo(t, filepath.Join(dir, "users.htpasswd"))
				return []string{filepath.Join(dir, "users.htpasswd")}
			}},
		{name: "named nginx.conf over the size limit", code: 1, want: []string{"[AU903]", "over authlint's 64 MiB limit for a configuration file"},
			setup: func(t *testing.T, dir string) []string {
				sparse(t, filepath.Join(dir, "nginx.conf"), 65<<20)
				return []string{filepath.Join(dir, "nginx.conf")}
			}},
		{name: "named user file over the size limit", code: 1, want: []string{"[AU903]", "300 MiB, over authlint's 256 MiB limit"},
			setup: func(t *testing.T, dir string) []string {
				sparse(t, filepath.Join(dir, "big.htpasswd"), 300<<20)
				return []string{filepath.Join(dir, "big.htpasswd")}
			}},
	}
	whyCases := []hostileCase{
		{name: "why /dev/zero", code: 3, want: []string{"read /dev/zero", "not a regular file (a character device)"},
			setup: func(t *testing.T, dir string) []string { return []string{"why", "/dev/zero", "http://127.0.0.1/"} }},
		{name: "why FIFO", code: 3, want: []string{"not a regular file (a FIFO (named pipe))"},
			setup: func(t *testing.T, dir string) []string {
				mkfifo(t, filepath.Join(dir, "nginx.conf"))
				return []string{"why", filepath.Join(dir, "nginx.conf"), "http://127.0.0.1/"}
			}},
	}
	for _, tc := range append(cases, whyCases...) {
		t.Run(tc.name, func(t *testing.T) {
			dir := worldDir(t)
			args := tc.setup(t, dir)
			if args[0] != "why" {
				args = append([]string{"check", "--color", "never"}, args...)
			}
			start := time.Now()
			code, out := runBounded(t, args)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.dontWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			} else {
				t.Logf("took %v", d)
			}
		})
	}
}

// worldDir is a temporary directory every account may search (t.TempDir's
// parent is 0700): the worker-account checks then see only what a case
// sets up.
func worldDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "authlint-hostile-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestMain runs the CLI itself when the test binary is started as a child
// (TestNonRootUnreadable).
func TestMain(m *testing.M) {
	if os.Getenv("AUTHLINT_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestNonRootUnreadable runs authlint as nobody on a configuration whose
// user file only root can read: the run says once that it cannot check
// permissions (info) and reports the file it cannot read (AU903 warning,
// exit 1), instead of passing it silently.
func TestNonRootUnreadable(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("needs root to run a child as nobody (CI runs as root)")
		}
		t.Skip("needs root to run a child as nobody; skipped outside CI")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no nobody account:", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	dir := worldDir(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "authlint.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"nginx.conf":                   "user www-data;\ninclude extra.conf;\n" + nginxUserFile(filepath.Join(dir, "users")),
		"users":                        "alice:$2y$10$wZ8RYM6gOZdr2ZHvJ7h3kO1.0ub8FGuF0ZKFeJNuT6GYoiJ9F.yRK\n",
		"extra.conf":                   "worker_processes 1;\n",
		"ap/conf/httpd.conf":           "User www-data\n" + apacheConf("conf/users", ""),
		"ap/conf/users":                "alice:$2y$10$wZ8RYM6gOZdr2ZHvJ7h3kO1.0ub8FGuF0ZKFeJNuT6GYoiJ9F.yRK\n",
		"ap/htdocs/root/sub/.htaccess": "Require all granted\n",
	})
	for name, mode := range map[string]os.FileMode{"users": 0o600, "extra.conf": 0o600, "ap/htdocs/root": 0o700} {
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		conf           string
		want, dontWant []string
	}{
		{"nginx.conf", []string{
			`info: cannot check permissions: authlint does not run as root, so it cannot tell what the worker account "www-data" may read`,
			"warning: not checked: authlint cannot read this user file itself (permission denied)",
			"extra.conf:1:1: warning: not checked: authlint cannot read this configuration file itself (permission denied)",
		}, []string{"[NG000]"}},
		{"ap/conf/httpd.conf", []string{
			`info: cannot check permissions: authlint does not run as root, so it cannot tell what the worker account "www-data" may read`,
			"warning: not checked: authlint cannot look into ap/htdocs/root itself (permission denied)",
		}, nil},
	} {
		t.Run(tc.conf, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "check", "--color", "never", "--fail-on", "warning", tc.conf)
			cmd.Env = append(os.Environ(), "AUTHLINT_TEST_RUN_MAIN=1")
			cmd.Dir = dir
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("timed out:\n%s", out)
			}
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.dontWant {
				if strings.Contains(string(out), w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			if n := strings.Count(string(out), "cannot check permissions"); n != 1 {
				t.Errorf("%d permission notes, want 1\n%s", n, out)
			}
		})
	}
}
