package rules_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/testtree"
	"github.com/authlint/authlint/rules"
)

// TestIgnoresInEveryKind checks inline ignores in each file kind: a
// reasoned ignore suppresses the finding on the next line (kept, marked),
// a file-ignore the whole file, an ignore without a reason or for an
// unknown rule is AU901, and one that matches nothing is AU902.
func TestIgnoresInEveryKind(t *testing.T) {
	const alice = "alice:$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm" // alice-pw
	tests := []struct {
		name  string
		files map[string]string
		entry string
		want  []string // "RULE:line" of unsuppressed findings, sorted
		supp  []string // "RULE:line:reason" of suppressed findings
	}{{
		name: "htpasswd",
		files: map[string]string{"users.htpasswd": alice + "\n# authlint:ignore PW108 old entry kept for the audit\n" +
			alice + "\n"},
		entry: "users.htpasswd",
		supp:  []string{"PW108:3:old entry kept for the audit"},
	}, {
		name:  "htgroup file-ignore",
		files: map[string]string{"groups.htgroup": "# authlint:file-ignore PW114 groups are filled by a cron job\nadmins:\nstaff:\n"},
		entry: "groups.htgroup",
		supp:  []string{"PW114:2:groups are filled by a cron job", "PW114:3:groups are filled by a cron job"},
	}, {
		name: "nginx",
		files: map[string]string{"users.htpasswd": alice + "\n", "nginx.conf": `events {}
http {
    server {
        location / {
            # authlint:ignore NG101 the upstream answers 401 itself
            auth_basic "x";
        }
        location /b/ {
            # authlint:ignore NG101
            auth_basic "y";
        }
        location /c/ {
            # authlint:ignore NG999 typo
            auth_basic "z";
        }
    }
}
`},
		entry: "nginx.conf",
		want:  []string{"AU901:9", "NG101:10", "AU901:13", "NG101:14"},
		supp:  []string{"NG101:6:the upstream answers 401 itself"},
	}, {
		name: "apache and .htaccess",
		files: map[string]string{"users.htpasswd": alice + "\n", "httpd.conf": `DocumentRoot htdocs
<Directory htdocs>
    AllowOverride AuthConfig
    AuthType Basic
    AuthName "x"
    AuthUserFile users.htpasswd
    # authlint:ignore AP105 a public mirror: the login only personalises pages
    Require all granted
    Require valid-user
</Directory>
`, "htdocs/.htaccess": `# authlint:ignore AP106 nothing wrong here
Require valid-user
`},
		entry: "httpd.conf",
		want:  []string{"AU902:1"},
		supp:  []string{"AP105:8:a public mirror: the login only personalises pages"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testtree.Write(t, dir, tc.files)
			res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, tc.entry)}, Servers: rules.AnyServer,
				Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All()})
			if err != nil {
				t.Fatal(err)
			}
			var got, supp []string
			for _, f := range res.Findings {
				if f.Severity == rules.Info {
					continue
				}
				at := f.RuleID + ":" + itoa(int(f.Span.Start.Line))
				if f.Suppressed {
					supp = append(supp, at+":"+f.SuppressReason)
				} else {
					got = append(got, at)
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
			if strings.Join(supp, " ") != strings.Join(tc.supp, " ") {
				t.Errorf("suppressed %v, want %v", supp, tc.supp)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
