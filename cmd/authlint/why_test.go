package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// whyTree writes a small nginx tree: /admin/ behind auth_basic with a user
// file in which alice is defined twice (throwaway passwords: alice/alice-pw
// on line 2, alice/carol-pw on line 3; htpasswd -nbB -C 10), and a regex
// location that opens PHP under /admin/.
func whyTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	// The workers (nobody) must reach the files, as on a real server.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"conf/nginx.conf": `events {}
http {
    server {
        listen 8080;
        root ` + dir + `/htdocs;
        location /admin/ {
            auth_basic "Admin";
            auth_basic_user_file users.htpasswd;
        }
        location ~ \.php$ {
            fastcgi_pass unix:/run/php.sock;
        }
    }
    server {
        listen 8080;
        server_name other.test;
        return 403;
    }
}
`,
		"conf/users.htpasswd": "# alice/alice-pw, then alice/carol-pw\n" +
			"alice:$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm\n" +
			"alice:$2y$10$6SaLNj67BvmQ9s3ZcGNAie5iltteyzZweZrlwp3WKbziG3wEWQkKO\n",
		"htdocs/admin/index.html": "admin\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWhy(t *testing.T) {
	dir := whyTree(t)
	conf := filepath.Join(dir, "conf", "nginx.conf")
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		status   int
		certain  bool
		contains []string
	}{
		{"anonymous", []string{conf, "http://127.0.0.1:8080/admin/"}, "", 0, 401, true, []string{"asks for a password"}},
		{"alice can log in at all", []string{"--user", "alice", conf, "http://127.0.0.1:8080/admin/"}, "", 0, 200, true, []string{"alice is on line 2", "index.html"}},
		{"the right password", []string{"--user", "alice", "--password-stdin", conf, "http://127.0.0.1:8080/admin/"}, "alice-pw\n", 0, 200, true, []string{"matches"}},
		{"the shadowed password", []string{"--user", "alice", "--password-stdin", conf, "http://127.0.0.1:8080/admin/"}, "carol-pw\r\n", 0, 401, true, []string{"alice is on line 3, but line 2 defines alice first", "PW108"}},
		{"bypass", []string{conf, "http://127.0.0.1:8080/admin/x.php"}, "", 0, 200, false, []string{"beats the prefix", "NG301"}},
		{"host selects the server", []string{"-H", "Host: other.test", conf, "http://127.0.0.1:8080/admin/"}, "", 0, 403, true, []string{"server_name other.test matches", "return 403"}},
		{"no server on the port", []string{conf, "http://127.0.0.1:9999/"}, "", 0, 0, true, []string{"connection is refused"}},
		{"method", []string{"--method", "delete", "--user", "alice", conf, "http://127.0.0.1:8080/admin/"}, "", 0, 405, true, []string{"405"}},
		{"client outside", []string{"--client", "10.1.2.3", conf, "http://127.0.0.1:8080/admin/"}, "", 0, 401, true, nil},
		{"credentials in the URL", []string{conf, "http://alice:pw@127.0.0.1:8080/"}, "", 2, 0, false, nil},
		{"Authorization header", []string{"-H", "Authorization: Basic YTpi", conf, "http://127.0.0.1:8080/"}, "", 2, 0, false, nil},
		{"password on stdin without a user", []string{"--password-stdin", conf, "http://127.0.0.1:8080/"}, "pw\n", 2, 0, false, nil},
		{"stdin twice", []string{"--user", "a", "--password-stdin", "-", "http://127.0.0.1:8080/"}, "pw\n", 2, 0, false, nil},
		{"not a URL", []string{conf, "127.0.0.1:8080/"}, "", 2, 0, false, nil},
		{"bad port", []string{conf, "http://127.0.0.1:http/"}, "", 2, 0, false, nil},
		{"bad client", []string{"--client", "nobody", conf, "http://127.0.0.1:8080/"}, "", 2, 0, false, nil},
		{"unreadable config", []string{filepath.Join(dir, "conf", "missing.conf"), "http://127.0.0.1:8080/"}, "", 3, 0, false, nil},
		{"not a server config", []string{filepath.Join(dir, "conf", "users.htpasswd"), "http://127.0.0.1:8080/"}, "", 2, 0, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"why", "--color", "never"}, tc.args...), tc.stdin)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			for _, secret := range []string{"alice-pw", "carol-pw", "jaKc.5KB79", "6SaLNj67"} {
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("the output shows %q:\n%s%s", secret, stdout, stderr)
				}
			}
			if code != 0 {
				return
			}
			for _, want := range tc.contains {
				if !strings.Contains(stdout, want) {
					t.Errorf("text output lacks %q:\n%s", want, stdout)
				}
			}
			// The same as JSON.
			code, stdout, _ = runCLI(t, append([]string{"why", "--format", "json"}, tc.args...), tc.stdin)
			var got struct {
				Version  int        `json:"version"`
				Status   int        `json:"status"`
				Certain  bool       `json:"certain"`
				Server   *placeJSON `json:"server"`
				Steps    []struct{ Phase, File, Text string }
				Findings []struct{ Rule string }
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
				t.Fatalf("json: exit %d, %v:\n%s", code, err, stdout)
			}
			if got.Version != 1 || got.Status != tc.status || got.Certain != tc.certain || len(got.Steps) == 0 {
				t.Errorf("json: version %d status %d certain %v (%d steps); want 1, %d, %v:\n%s", got.Version, got.Status, got.Certain, len(got.Steps), tc.status, tc.certain, stdout)
			}
		})
	}
}

// placeJSON is the place shape of the JSON output.
type placeJSON struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

func TestWhyFindingsConcernTheRequest(t *testing.T) {
	dir := whyTree(t)
	conf := filepath.Join(dir, "conf", "nginx.conf")
	code, stdout, _ := runCLI(t, []string{"why", "--format", "json", "--user", "alice", "--password-stdin", conf, "http://127.0.0.1:8080/admin/"}, "carol-pw\n")
	var got struct {
		Steps []struct {
			Rule string `json:"rule"`
		} `json:"steps"`
		Findings []struct {
			Rule string `json:"rule"`
			Line int    `json:"line"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, stdout)
	}
	// PW108 (line 3) concerns alice's login; NG301 (the regex location) does not.
	rules := map[string]bool{}
	for _, f := range got.Findings {
		rules[f.Rule] = true
	}
	if !rules["PW108"] || rules["NG301"] {
		t.Errorf("findings %v: want PW108 and not NG301", got.Findings)
	}
}

func TestWhyHelpDocumentsEveryFlag(t *testing.T) {
	code, stdout, _ := runCLI(t, []string{"why", "--help"}, "")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, flag := range []string{"--method", "--header", "--user", "--password-stdin", "--client", "--digest", "--format",
		"--platform", "--color", "--config", "--root", "--map", "--live", "--offline", "<config>", "<url>"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("why --help lacks %s", flag)
		}
	}
}

// TestWhyMapped reads the server paths of a configuration from a checkout
// (--root), as check does.
func TestWhyMapped(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"etc/nginx/nginx.conf": "events {}\nhttp { server { listen 80; root /srv/www; auth_basic \"P\"; auth_basic_user_file /etc/nginx/users.htpasswd; } }\n",
		// bob/bob-pw
		"etc/nginx/users.htpasswd": "bob:{PLAIN}bob-pw\n",
		"srv/www/index.html":       "hi\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "etc", "nginx", "nginx.conf")
	tests := []struct {
		args   []string
		stdin  string
		status int
	}{
		{[]string{"--root", dir, "--user", "bob", "--password-stdin", conf, "http://example.test/"}, "bob-pw\n", 200},
		{[]string{"--root", dir, "--user", "bob", "--password-stdin", conf, "http://example.test/"}, "nope\n", 401},
		{[]string{"--root", dir, conf, "http://example.test/nothing"}, "", 401},
	}
	for _, tc := range tests {
		code, stdout, stderr := runCLI(t, append([]string{"why", "--format", "json"}, tc.args...), tc.stdin)
		var got struct {
			Status int `json:"status"`
			Steps  []struct {
				File string `json:"file"`
			} `json:"steps"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
			t.Fatalf("%v: exit %d, %v: %s %s", tc.args, code, err, stdout, stderr)
		}
		if got.Status != tc.status {
			t.Errorf("%v: status %d, want %d:\n%s", tc.args, got.Status, tc.status, stdout)
		}
		for _, s := range got.Steps {
			if strings.HasPrefix(s.File, "/etc/") {
				t.Errorf("%v: a step shows the server path %s, not the checkout's file", tc.args, s.File)
			}
		}
	}
}
