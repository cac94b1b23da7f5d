package rules_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/testtree"
	"github.com/authlint/authlint/rules"
)

// TestDirectoryMatchAnchor checks AP309 on regex directory sections, which
// need a tree on disk: a `$` after a directory that holds files is an error
// naming one of them, an empty or missing directory gives nothing, one this
// run cannot read a warning; `(/|$)`, no anchor, or a <Location> that keeps
// the files closed give nothing.
func TestDirectoryMatchAnchor(t *testing.T) {
	const auth = "AuthType Basic\nAuthName x\nAuthUserFile /srv/users\nRequire valid-user\n"
	tests := []struct {
		name, section string
		extra         string
		sev           rules.Severity
		want          string // "" for no finding
	}{
		{"anchored", `<DirectoryMatch "^/srv/www/private$">`, "", rules.Error,
			`^<DirectoryMatch "\^/srv/www/private\$"> is matched against the whole path .*its .\$. ends the match at /srv/www/private: it applies to the bare directory URL /private alone, so GET /private/a.txt is served without a password; write "\^/srv/www/private\(/\|\$\)"`},
		{"anchored with a slash", `<DirectoryMatch "^/srv/www/private/$">`, "", rules.Error, `GET /private/a.txt is served`},
		{"Directory ~", `<Directory ~ "^/srv/www/private$">`, "", rules.Error, `GET /private/a.txt is served`},
		{"only a subdirectory holds files", `<DirectoryMatch "^/srv/www/deep$">`, "", rules.Error, `GET /deep/sub/x.txt is served`},
		{"escaped dots", `<DirectoryMatch "^/srv/www/v1\.2$">`, "", rules.Error, `GET /v1.2/y.txt is served`},
		{"slash or end", `<DirectoryMatch "^/srv/www/private(/|$)">`, "", 0, ""},
		{"no anchor", `<DirectoryMatch "^/srv/www/private">`, "", 0, ""},
		{"empty directory", `<DirectoryMatch "^/srv/www/empty$">`, "", 0, ""},
		{"missing directory", `<DirectoryMatch "^/srv/www/none$">`, "", 0, ""},
		{"alternatives found on disk", `<DirectoryMatch "^/srv/www/(secret|private)$">`, "", rules.Error,
			`ends the match at /srv/www/private: .*GET /private/a.txt is served.*write "\^/srv/www/\(secret\|private\)\(/\|\$\)"`},
		{"a class, one level down", `<DirectoryMatch "^/srv/www/[a-z]+/sub$">`, "", rules.Error, `ends the match at /srv/www/deep/sub: .*GET /deep/sub/x.txt is served`},
		{"a class, slash or end", `<DirectoryMatch "^/srv/www/[a-z]+(/|$)">`, "", 0, ""},
		{"a class matching no directory", `<DirectoryMatch "^/srv/www/[0-9]+$">`, "", 0, ""},
		{"closed by a Location", `<DirectoryMatch "^/srv/www/private$">`, "<Location /private>\n" + auth + "</Location>\n", 0, ""},
		{"unreadable here", `<DirectoryMatch "^/srv/other/private$">`, "", rules.Warning,
			`authlint could not read /srv/other/private to check what it holds, but every file in it is served without a password`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testtree.Write(t, dir, map[string]string{
				"www/private/a.txt":     "a",
				"www/private/sub/b.txt": "b",
				"www/deep/sub/x.txt":    "x",
				"www/v1.2/y.txt":        "y",
				"www/empty/.htaccess":   "Require all denied\n",
				"users":                 "alice:$apr1$abc$def\n",
			})
			closing := "</DirectoryMatch>"
			if tc.section[:11] == "<Directory " {
				closing = "</Directory>"
			}
			conf := "DocumentRoot /srv/www\n<Directory /srv/www>\nRequire all granted\n</Directory>\n" + tc.section + "\n" + auth + closing + "\n" + tc.extra
			testtree.Write(t, dir, map[string]string{"conf/httpd.conf": conf})
			fsys := serverfs.NewMapFS([]serverfs.Mapping{
				{Server: "/srv/www", Local: filepath.Join(dir, "www")},
				{Server: "/srv/users", Local: filepath.Join(dir, "users")},
				{Server: "/etc/apache2", Local: filepath.Join(dir, "conf")},
			}, false)
			res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, "conf/httpd.conf")}, Servers: rules.AnyServer,
				Rules: []*rules.Rule{rules.ApacheAuthSectionNeverMatches}, FS: fsys})
			if err != nil {
				t.Fatal(err)
			}
			var got []rules.Finding
			for _, f := range res.Findings {
				if f.RuleID == "AP309" {
					got = append(got, f)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("want no AP309 finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != tc.sev || !regexp.MustCompile(tc.want).MatchString(got[0].Message) {
				t.Errorf("got %+v\nwant one %s finding matching %s", got, tc.sev, tc.want)
			}
		})
	}
}

// TestLocationGivenPath checks AP309 on a <Location> given a filesystem
// path: the URL that serves that directory or file is named when it is open;
// a URL path, a path that is not there, and a DocumentRoot of / (where the
// path is its own URL) give nothing.
func TestLocationGivenPath(t *testing.T) {
	const auth = "AuthType Basic\nAuthName x\nAuthUserFile /srv/users\nRequire valid-user\n"
	tests := []struct {
		name, root, location, want string
	}{
		{"directory", "/srv/www", "/srv/www/private",
			`^<Location "/srv/www/private"> names a filesystem path, but <Location> is matched against the URL path \(ap_location_walk\): it never applies to /private/, and GET /private/a.txt is served without a password; write .<Location "/private">. or .<Directory "/srv/www/private">.$`},
		{"directory with a slash", "/srv/www", "/srv/www/private/", `it never applies to /private/, and GET /private/a.txt is served`},
		{"file", "/srv/www", "/srv/www/private/a.txt", `it never applies to /private/a.txt, and GET /private/a.txt is served`},
		{"a URL path", "/srv/www", "/private", ""},
		{"not on disk", "/srv/www", "/srv/www/none", ""},
		{"DocumentRoot /", "/", "/srv/www/private", ""},
		{"also a URL that serves a file", "/srv/www", "/srv/www/private", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testtree.Write(t, dir, map[string]string{
				"srv/www/private/a.txt": "a",
				"srv/users":             "alice:$apr1$abc$def\n",
				"conf/httpd.conf":       "DocumentRoot " + tc.root + "\n<Location \"" + tc.location + "\">\n" + auth + "</Location>\n",
			})
			if strings.HasPrefix(tc.name, "also a URL") {
				testtree.Write(t, dir, map[string]string{"srv/www/srv/www/private/b.txt": "b"})
			}
			fsys := serverfs.NewMapFS([]serverfs.Mapping{
				{Server: "/srv", Local: filepath.Join(dir, "srv")},
				{Server: "/etc/apache2", Local: filepath.Join(dir, "conf")},
			}, false)
			res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, "conf/httpd.conf")}, Servers: rules.AnyServer,
				Rules: []*rules.Rule{rules.ApacheAuthSectionNeverMatches}, FS: fsys})
			if err != nil {
				t.Fatal(err)
			}
			var got []rules.Finding
			for _, f := range res.Findings {
				if f.RuleID == "AP309" {
					got = append(got, f)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("want no AP309 finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != rules.Error || !regexp.MustCompile(tc.want).MatchString(got[0].Message) {
				t.Errorf("got %+v\nwant one error matching %s", got, tc.want)
			}
		})
	}
}

// TestFilesMatchGivenPath checks AP309 on a <FilesMatch> whose regex is one
// absolute path: the file is named with its URL when it is served; a path
// regex that names no file here is a warning.
func TestFilesMatchGivenPath(t *testing.T) {
	tests := []struct {
		name, pattern string
		sev           rules.Severity
		want          string
	}{
		{"one file", `^/srv/www/private/a\.txt$`, rules.Error, `^<FilesMatch "\^/srv/www/private/a\\\.txt\$"> never applies: .*GET /private/a.txt is served without a password; write .<Directory "/srv/www/private"> <Files "a.txt">`},
		{"no such file", `^/srv/www/private/b\.txt$`, rules.Warning, `every match of this regex does`},
		{"outside what this run reads", `^/opt/www/b\.txt$`, rules.Warning, `every match of this regex does`},
		{"a base name", `^a\.txt$`, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testtree.Write(t, dir, map[string]string{
				"srv/www/private/a.txt": "a",
				"srv/users":             "alice:$apr1$abc$def\n",
				"conf/httpd.conf":       "DocumentRoot /srv/www\n<FilesMatch \"" + tc.pattern + "\">\nAuthType Basic\nAuthName x\nAuthUserFile /srv/users\nRequire valid-user\n</FilesMatch>\n",
			})
			fsys := serverfs.NewMapFS([]serverfs.Mapping{
				{Server: "/srv", Local: filepath.Join(dir, "srv")},
				{Server: "/etc/apache2", Local: filepath.Join(dir, "conf")},
			}, false)
			res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, "conf/httpd.conf")}, Servers: rules.AnyServer,
				Rules: []*rules.Rule{rules.ApacheAuthSectionNeverMatches}, FS: fsys})
			if err != nil {
				t.Fatal(err)
			}
			var got []rules.Finding
			for _, f := range res.Findings {
				if f.RuleID == "AP309" {
					got = append(got, f)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("want no AP309 finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != tc.sev || !regexp.MustCompile(tc.want).MatchString(got[0].Message) {
				t.Errorf("got %+v\nwant one %s finding matching %s", got, tc.sev, tc.want)
			}
		})
	}
}

// TestFilesPathUnchecked checks that a <Files> path this run cannot look at
// (an offline run, outside every mapping) is a warning that says so, and a
// path that is known to be missing gives nothing.
func TestFilesPathUnchecked(t *testing.T) {
	dir := t.TempDir()
	testtree.Write(t, dir, map[string]string{
		"srv/users": "alice:$apr1$abc$def\n",
		"conf/httpd.conf": "DocumentRoot /opt/www\n" +
			"<Files \"/opt/www/private/secret.txt\">\nAuthType Basic\nAuthName x\nAuthUserFile /srv/users\nRequire valid-user\n</Files>\n" +
			"<Files \"/srv/www/gone.txt\">\nRequire all denied\n</Files>\n",
	})
	fsys := serverfs.NewMapFS([]serverfs.Mapping{
		{Server: "/srv", Local: filepath.Join(dir, "srv")},
		{Server: "/etc/apache2", Local: filepath.Join(dir, "conf")},
	}, false)
	res, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, "conf/httpd.conf")}, Servers: rules.AnyServer,
		Rules: []*rules.Rule{rules.ApacheAuthSectionNeverMatches}, FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	var got []rules.Finding
	for _, f := range res.Findings {
		if f.RuleID == "AP309" {
			got = append(got, f)
		}
	}
	want := regexp.MustCompile(`^<Files "/opt/www/private/secret.txt"> never applies: .*GET /private/secret.txt is served without a password if it exists \(authlint could not check\)`)
	if len(got) != 1 || got[0].Severity != rules.Warning || !want.MatchString(got[0].Message) {
		t.Errorf("got %+v\nwant one warning matching %s", got, want)
	}
}
