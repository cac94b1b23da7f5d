package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/layout"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/rules"
)

func TestParseConfig(t *testing.T) {
	dir := "/repo/sub"
	yes := true
	cases := []struct {
		name    string
		in      string
		want    *project
		wantErr []string // substrings of the error
	}{
		{"empty file", "", &project{}, nil},
		{"comments only", "# nothing\n", &project{}, nil},
		{"good file", `
enable: [PW2*]
disable: [duplicate-user, PW205]
severity:
  PW206: error
  weak-hash: info
fail-on: error
platform: musl
server: nginx
root: image
map:
  /etc/nginx/: deploy/nginx
  /srv/www: /abs/www
live: true
ignore-paths: ["vendor/**", "*.bak"]
`, &project{
			Enable: []string{"PW2*"}, Disable: []string{"duplicate-user", "PW205"},
			Severity: map[string]rules.Severity{"PW206": rules.Error, "PW205": rules.Info},
			FailOn:   "error", Platform: "musl", Server: "nginx",
			Maps: []serverfs.Mapping{{Server: "/", Local: "/repo/sub/image"}, {Server: "/etc/nginx", Local: "/repo/sub/deploy/nginx"},
				{Server: "/srv/www", Local: "/abs/www"}},
			Live: &yes, IgnorePaths: []string{"vendor/**", "*.bak"},
		}, nil},
		{"map relative to the file's directory", "map:\n  /etc/nginx: ../deploy/./nginx\n",
			&project{Maps: []serverfs.Mapping{{Server: "/etc/nginx", Local: "/repo/deploy/nginx"}}}, nil},
		{"unknown key", "fail-on: error\nenabel: [PW101]\n", nil, []string{`unknown key "enabel"`, "line 2", "cfg.yaml"}},
		{"unknown key, nested", "severity:\n  PW101: error\nmapp: {}\n", nil, []string{`unknown key "mapp"`, "line 3"}},
		{"bad severity", "severity:\n  PW101: fatal\n", nil, []string{"line 2", "severity of PW101", `"fatal"`}},
		{"severity for no rule", "severity:\n  XX999: error\n", nil, []string{"line 2", `no rule "XX999"`}},
		{"severity not a mapping", "severity: [PW101]\n", nil, []string{"line 1", "want a mapping"}},
		{"severity set twice (ID and name)", "severity:\n  PW108: info\n  duplicate-user: error\n", nil, []string{"line 3", "PW108 set twice"}},
		{"bad rule in enable", "enable:\n  - PW101\n  - XX9*\n", nil, []string{"line 3", `no rule matches "XX9*"`}},
		{"bad rule in disable", "disable: [nope]\n", nil, []string{"line 1", `"nope"`}},
		{"list where a string is wanted", "fail-on: [error]\n", nil, []string{"line 1", "want a string"}},
		{"bad fail-on", "fail-on: sometimes\n", nil, []string{"line 1", "fail-on", `"sometimes"`}},
		{"bad platform", "\nplatform: bsd\n", nil, []string{"line 2", "platform"}},
		{"bad server", "server: iis\n", nil, []string{"line 1", "server"}},
		{"empty server", "server: ''\n", nil, []string{"line 1", "server"}},
		{"bad live", "live: maybe\n", nil, []string{"line 1"}},
		{"map server path not absolute", "map:\n  etc/nginx: deploy\n", nil, []string{"line 2", "not absolute"}},
		{"map twice", "root: image\nmap:\n  /: other\n", nil, []string{"line 3", "mapped twice"}},
		{"bad ignore pattern", "ignore-paths: ['a/[b']\n", nil, []string{"line 1", "ignore-paths"}},
		{"server-files", "server-files:\n  - /etc/ssl/**\n  - /var/www/**\n", &project{ServerFiles: layout.ServerFiles{"/etc/ssl/**", "/var/www/**"}}, nil},
		{"server-files not absolute", "server-files: [etc/ssl/**]\n", nil, []string{"line 1", "server-files", "not an absolute server path"}},
		{"bad server-files pattern", "server-files:\n  - /etc/[ssl\n", nil, []string{"line 2", "server-files"}},
		{"not a mapping", "- enable\n", nil, []string{"cfg.yaml"}},
		{"syntax error", "enable: [PW101\n", nil, []string{"cfg.yaml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig([]byte(tc.in), "cfg.yaml", dir)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, got %+v", got)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Path, tc.want.Dir = "cfg.yaml", dir
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestFindConfig(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a/b/c", "a/b/d/.authlint.yaml", "x/y"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"a/.authlint.yaml", "a/b/c/.authlint.yaml"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ start, want string }{
		{"a/b/c", "a/b/c/.authlint.yaml"}, // in the directory itself
		{"a/b", "a/.authlint.yaml"},       // one level up
		{"a/b/d", "a/.authlint.yaml"},     // a directory named .authlint.yaml is not a file
		{"a", "a/.authlint.yaml"},
	}
	for _, tc := range cases {
		got, err := findConfig(filepath.Join(root, tc.start))
		if err != nil || got != filepath.Join(root, tc.want) {
			t.Errorf("findConfig(%s) = %q, %v; want %s", tc.start, got, err, tc.want)
		}
	}
	// Nothing up to the filesystem root (unless the machine has one above
	// the temporary directory, which this test cannot rule out).
	if above, _ := findConfig(filepath.Dir(root)); above == "" {
		if got, err := findConfig(filepath.Join(root, "x/y")); got != "" || err != nil {
			t.Errorf("findConfig(x/y) = %q, %v; want none", got, err)
		}
	}
}

func TestIgnoreMatcher(t *testing.T) {
	dir := t.TempDir()
	skip := ignoreMatcher(dir, []string{"vendor/**", "*.bak", "/legacy", "deploy/**/old-*", "a/*/c"})
	cases := []struct {
		path string
		want bool
	}{
		{"vendor", true}, // "**" matches zero directories too: the walk skips vendor itself
		{"vendor/x.htpasswd", true},
		{"vendor/deep/x.htpasswd", true},
		{"users.htpasswd.bak", true},
		{"deep/down/users.bak", true},
		{"legacy", true},
		{"legacy/.htpasswd", true}, // below a skipped directory
		{"src/legacy/.htpasswd", false},
		{"deploy/old-users.htpasswd", true},
		{"deploy/nginx/old-users.htpasswd", true},
		{"deploy/nginx/users.htpasswd", false},
		{"a/b/c", true},
		{"a/b/b/c", false},
		{".htpasswd", false},
	}
	for _, tc := range cases {
		if got := skip(filepath.Join(dir, tc.path), false); got != tc.want {
			t.Errorf("skip(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
	if skip(filepath.Join(filepath.Dir(dir), "vendor/x"), false) {
		t.Error("a path outside the config directory matched")
	}
	if ignoreMatcher(dir, nil) != nil {
		t.Error("no patterns should give no matcher")
	}
}

func TestSelectRules(t *testing.T) {
	all := rules.All()
	ids := func(rs []*rules.Rule) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	cases := []struct {
		name                                  string
		fileEnable, fileDisable, flagE, flagD []string
		wantOn, wantOff                       []string
	}{
		{"file only", nil, []string{"PW205"}, nil, nil, []string{"PW101"}, []string{"PW205"}},
		{"flag re-enables what the file disables", nil, []string{"PW205"}, []string{"PW205"}, nil, []string{"PW205"}, nil},
		{"flag disables what the file enables", []string{"PW205"}, []string{"all"}, nil, []string{"PW205"}, nil, []string{"PW205", "PW101"}},
		{"file's narrow set kept, flag adds one", []string{"PW1*"}, []string{"all"}, []string{"PW205"}, nil, []string{"PW101", "PW205"}, []string{"PW206", "NG401"}},
		{"flag disable all wins", []string{"PW1*"}, []string{"all"}, nil, []string{"all"}, nil, []string{"PW101"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := selectRules(all, tc.fileEnable, tc.fileDisable, tc.flagE, tc.flagD)
			if err != nil {
				t.Fatal(err)
			}
			on := ids(got)
			for _, id := range tc.wantOn {
				if !slices.Contains(on, id) {
					t.Errorf("%s is off, want on (on: %v)", id, on)
				}
			}
			for _, id := range tc.wantOff {
				if slices.Contains(on, id) {
					t.Errorf("%s is on, want off", id)
				}
			}
		})
	}
}

// runIn runs the CLI with dir as the directory .authlint.yaml is looked for
// from.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		getwd: func() (string, error) { return dir, nil }}
	code := runEnv(args, e)
	return code, out.String(), errb.String()
}

// writeTree writes files (path → content) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConfigCLI runs check with configuration files: found upward, named
// with --config, merged under the flags.
func TestConfigCLI(t *testing.T) {
	dup, err := os.ReadFile("testdata/in/dup.htpasswd")
	if err != nil {
		t.Fatal(err)
	}
	type tc struct {
		name     string
		config   string // .authlint.yaml in the project root; "" for none
		files    map[string]string
		wd       string // below the project root
		args     []string
		wantCode int
		wantOut  []string // substrings of stdout
		wantErr  []string // substrings of stderr
		noOut    []string // substrings stdout must not have
	}
	files := map[string]string{"users.htpasswd": string(dup), "old/users.htpasswd": string(dup)}
	cases := []tc{
		{name: "no config", files: files, args: []string{"users.htpasswd"}, wantCode: 1, wantOut: []string{"PW108"}},
		{name: "fail-on from the file", config: "fail-on: never\n", files: files, args: []string{"users.htpasswd"}, wantCode: 0, wantOut: []string{"PW108"}},
		{name: "found from a subdirectory", config: "fail-on: never\n", files: files, wd: "old", args: []string{"users.htpasswd"}, wantCode: 0},
		{name: "flag wins over the file", config: "fail-on: never\n", files: files, args: []string{"--fail-on", "warning", "users.htpasswd"}, wantCode: 1},
		{name: "disable from the file", config: "disable: [PW108]\n", files: files, args: []string{"users.htpasswd"}, wantCode: 0, noOut: []string{"PW108"}},
		{name: "--enable wins over the file's disable", config: "disable: [PW108]\n", files: files, args: []string{"--enable", "PW108", "users.htpasswd"}, wantCode: 1, wantOut: []string{"PW108"}},
		{name: "severity override", config: "severity:\n  duplicate-user: info\n", files: files, args: []string{"--format", "json", "users.htpasswd"}, wantCode: 0, wantOut: []string{`"severity": "info"`, `"infos": 1`}},
		{name: "ignore-paths in a walk", config: "ignore-paths: [old]\n", files: files, args: []string{"."}, wantCode: 1, wantOut: []string{"users.htpasswd:"}, noOut: []string{"old/users.htpasswd"}},
		{name: "ignore-paths for a named file", config: "ignore-paths: ['old/**']\n", files: files, args: []string{"old/users.htpasswd"}, wantCode: 0, noOut: []string{"PW108"}},
		{name: "unknown key", config: "fail-on: never\nfailon: error\n", files: files, args: []string{"users.htpasswd"}, wantCode: 2, wantErr: []string{`unknown key "failon"`, "line 2", ".authlint.yaml"}},
		{name: "explicit --config", files: map[string]string{"users.htpasswd": string(dup), "ci.yaml": "fail-on: never\n"}, args: []string{"--config", "ci.yaml", "users.htpasswd"}, wantCode: 0},
		{name: "explicit --config missing", files: files, args: []string{"--config", "nope.yaml", "users.htpasswd"}, wantCode: 2, wantErr: []string{"nope.yaml"}},
		{name: "--live with --offline", files: files, args: []string{"--live", "--offline", "users.htpasswd"}, wantCode: 2},
		{name: "bad --map", files: files, args: []string{"--map", "etc/nginx=deploy", "users.htpasswd"}, wantCode: 2, wantErr: []string{"bad --map"}},
		{name: "--map to a missing directory", files: files, args: []string{"--map", "/etc/nginx=nope", "users.htpasswd"}, wantCode: 2, wantErr: []string{"does not exist"}},
		{name: "--root to a missing directory", files: files, args: []string{"--root", "nope", "users.htpasswd"}, wantCode: 2},
		{name: "map in the file to a missing directory", config: "map: {/etc/nginx: nope}\n", files: files, args: []string{"users.htpasswd"}, wantCode: 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, c.files)
			if c.config != "" {
				writeTree(t, root, map[string]string{".authlint.yaml": c.config})
			}
			// Paths on the command line are relative to the project root.
			t.Chdir(filepath.Join(root, c.wd))
			args := c.args
			if c.wd != "" {
				args = slices.Clone(args)
				args[len(args)-1] = filepath.Join(root, args[len(args)-1])
			}
			code, stdout, stderr := runIn(t, filepath.Join(root, c.wd), args...)
			if code != c.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.wantCode, stdout, stderr)
			}
			for _, s := range c.wantOut {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range c.noOut {
				if strings.Contains(stdout, s) {
					t.Errorf("stdout has %q:\n%s", s, stdout)
				}
			}
			for _, s := range c.wantErr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}

// TestNoPathLintsWorkingDirectory: `authlint` alone walks ".".
func TestNoPathLintsWorkingDirectory(t *testing.T) {
	dup, err := os.ReadFile("testdata/in/dup.htpasswd")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"site/.htpasswd": string(dup)})
	t.Chdir(dir)
	code, stdout, stderr := runIn(t, dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit code %d, want 1\n%s%s", code, stdout, stderr)
	}
	var rep struct {
		Findings []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Rule != "PW108" || rep.Findings[0].File != filepath.Join("site", ".htpasswd") {
		t.Errorf("findings %+v, want PW108 in site/.htpasswd", rep.Findings)
	}
}
