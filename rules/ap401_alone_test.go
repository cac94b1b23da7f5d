package rules_test

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/testtree"
	"github.com/authlint/authlint/rules"
)

// TestUserFileHtaccessAlone: a relative AuthUserFile in a .htaccess linted
// alone resolves against httpd's default ServerRoot /etc/apache2, and the
// finding says so (scenario apache-htaccess-alone-relative).
func TestUserFileHtaccessAlone(t *testing.T) {
	const hash = "alice:$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm\n"
	tests := []struct {
		name  string
		files map[string]string // under the temp dir: site/ holds the .htaccess, etc/ is /etc/apache2
		arg   string
		sev   rules.Severity
		want  string // regexp of the AP401 message; "" for no finding
	}{
		{"present", map[string]string{"etc/auth/users.htpasswd": hash}, "auth/users.htpasswd", rules.Info,
			`^AuthUserFile auth/users.htpasswd is /etc/apache2/auth/users.htpasswd \(resolved against the default ServerRoot /etc/apache2, as httpd does\)`},
		{"missing", map[string]string{"etc/other": ""}, "auth/users.htpasswd", rules.Error,
			`^AuthUserFile /etc/apache2/auth/users.htpasswd does not exist \(resolved against the default ServerRoot /etc/apache2, as httpd does: .*every login gets 500`},
		{"next-to-htaccess", map[string]string{"etc/other": "", "site/.htpasswd": hash}, ".htpasswd", rules.Error,
			`^AuthUserFile /etc/apache2/.htpasswd does not exist \(resolved against the default ServerRoot /etc/apache2, as httpd does: .*the file next to this .htaccess is .*/site/.htpasswd: give its absolute path`},
		{"absolute", map[string]string{"etc/other": ""}, "/etc/apache2/other", rules.Info, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"site/.htaccess": "AuthType Basic\nAuthName \"Private\"\nAuthUserFile " + tc.arg + "\nRequire valid-user\n"}
			for k, v := range tc.files {
				files[k] = v
			}
			testtree.Write(t, dir, files)
			fsys := serverfs.NewMapFS([]serverfs.Mapping{{Server: "/etc/apache2", Local: filepath.Join(dir, "etc")}}, true) // live: the .htaccess directory is read from here
			res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, "site/.htaccess")}, Servers: rules.AnyServer,
				Rules: []*rules.Rule{rules.ApacheUserFileMissing}, FS: fsys})
			if err != nil {
				t.Fatal(err)
			}
			var got []rules.Finding
			for _, f := range res.Findings {
				if f.RuleID == "AP401" {
					got = append(got, f)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("want no AP401 finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != tc.sev || !regexp.MustCompile(tc.want).MatchString(got[0].Message) {
				t.Errorf("got %+v\nwant one %s finding matching %s", got, tc.sev, tc.want)
			}
		})
	}
}
