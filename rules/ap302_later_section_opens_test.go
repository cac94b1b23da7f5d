package rules

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/testtree"
)

// TestMayOpenAfterIsConservative builds random configurations of
// <Directory>, <Location>, <Files>, <FilesMatch> and .htaccess sections with
// granting, denying and user Require lines (some with AuthMerging, some
// with Satisfy Any and Allow from all), and
// checks that wherever AP302's full evaluation finds an opening section,
// the shortcut MayOpenAfter said one could be there.
func TestMayOpenAfterIsConservative(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dirs := []string{"htdocs", "htdocs/a", "htdocs/a/b", "htdocs/c"}
	requires := []string{"valid-user", "valid-user", "all granted", "all denied", "ip 127.0.0.1", "user alice"}
	opened, skipped := 0, 0
	for round := range 1000 {
		root := t.TempDir()
		files := map[string]string{}
		for _, d := range dirs {
			files[d+"/index.html"] = "x"
		}
		var conf strings.Builder
		fmt.Fprintf(&conf, "ServerRoot %q\nDocumentRoot htdocs\n<Directory htdocs>\nAllowOverride %s\nRequire all granted\n</Directory>\n",
			root, []string{"All", "AuthConfig", "None"}[rng.IntN(3)])
		body := func() string {
			b := ""
			if rng.IntN(4) == 0 {
				b += "AuthMerging " + []string{"And", "Or", "Off"}[rng.IntN(3)] + "\n"
			}
			if rng.IntN(8) == 0 {
				b += "Satisfy Any\nOrder allow,deny\nAllow from all\n"
			}
			return b + "AuthType Basic\nAuthName x\nRequire " + requires[rng.IntN(len(requires))] + "\n"
		}
		for range 1 + rng.IntN(3) {
			switch rng.IntN(5) {
			case 0, 1:
				fmt.Fprintf(&conf, "<Directory %s>\n%s</Directory>\n", dirs[rng.IntN(len(dirs))], body())
			case 2:
				fmt.Fprintf(&conf, "<Location %s>\n%s</Location>\n", []string{"/", "/a", "/a/b/", "/c"}[rng.IntN(4)], body())
			case 3:
				if rng.IntN(2) == 0 {
					fmt.Fprintf(&conf, "<Files %s>\n%s</Files>\n", []string{"index.html", "x.php", "*.html"}[rng.IntN(3)], body())
				} else {
					fmt.Fprintf(&conf, "<FilesMatch %q>\n%s</FilesMatch>\n", []string{`\.php$`, `\.html$`}[rng.IntN(2)], body())
				}
			case 4:
				files[dirs[rng.IntN(len(dirs))]+"/.htaccess"] = body()
			}
		}
		testtree.Write(t, root, files)
		confPath := filepath.Join(root, "httpd.conf")
		if err := os.WriteFile(confPath, []byte(conf.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		m := linkedModel(confPath, conf.String())
		names := apacheProbeNames(m)
		for _, s := range m.AllSections() {
			if s.FirstUserRequire() == nil {
				continue
			}
			for _, pr := range m.Probes(s) {
				may := m.MayOpenAfter(s, pr, names)
				if !may {
					skipped++
				}
				for _, name := range names {
					e := m.Effect(apachemodel.Request{Server: pr.Server, URI: pr.URI + name, Method: "GET"})
					own := e.Authz.Own()
					if own == nil || own == s || own.Protected() || !e.Open() || !e.Merged(s) {
						continue
					}
					opened++
					if !may {
						t.Fatalf("round %d: %s opens %s%s under %s, but MayOpenAfter said no\nconfig:\n%s\nfiles: %v",
							round, own.Describe(), pr.URI, name, s.Describe(), conf.String(), files)
					}
				}
			}
		}
	}
	// The generator must exercise both sides, or the test proves nothing.
	if opened == 0 || skipped == 0 {
		t.Fatalf("generator too narrow: %d openings found, %d probes skipped", opened, skipped)
	}
	t.Logf("%d openings found, %d probes skipped", opened, skipped)
}

// TestMayOpenAfterProbeNameDirectory covers a directory named like a probe
// (x.php) whose .htaccess grants access below a protected directory: the
// only opener is that file, found through the probe name.
func TestMayOpenAfterProbeNameDirectory(t *testing.T) {
	root := t.TempDir()
	testtree.Write(t, root, map[string]string{
		"htdocs/a/index.html":       "x",
		"htdocs/a/x.php/.htaccess":  "Require all granted\n",
		"htdocs/a/x.php/index.html": "x",
	})
	conf := fmt.Sprintf("ServerRoot %q\nDocumentRoot htdocs\n<Directory htdocs>\nAllowOverride All\nRequire all granted\n</Directory>\n"+
		"<Directory htdocs/a>\nAuthType Basic\nAuthName x\nAuthUserFile users\nRequire valid-user\n</Directory>\n", root)
	m := linkedModel(filepath.Join(root, "httpd.conf"), conf)
	names := apacheProbeNames(m)
	var protected *apachemodel.Section
	for _, s := range m.AllSections() {
		if s.FirstUserRequire() != nil {
			protected = s
		}
	}
	if protected == nil || len(m.Probes(protected)) != 1 {
		t.Fatalf("want one protected section with one probe, got %v", protected)
	}
	pr := m.Probes(protected)[0]
	e := m.Effect(apachemodel.Request{Server: pr.Server, URI: pr.URI + "x.php", Method: "GET"})
	if !e.Open() || e.Authz.Own() == protected {
		t.Fatalf("GET %sx.php: want it opened by x.php/.htaccess, got open=%v", pr.URI, e.Open())
	}
	if !m.MayOpenAfter(protected, pr, names) {
		t.Errorf("MayOpenAfter(%s, %s) = false, but x.php/.htaccess opens %sx.php", protected.Describe(), pr.URI, pr.URI)
	}
}

// linkedModel builds the model of conf (read as confPath) with the
// .htaccess files found on this machine linked in, frozen as a run has it
// when its rules start.
func linkedModel(confPath, conf string) *apachemodel.Model {
	b := apachemodel.Build(htaccess.Load(serverfs.NewRecordingSource(confPath, []byte(conf), serverfs.OSFS{}), confPath, htaccess.LoadOptions{}), false)
	b.DiscoverHtaccess(serverfs.OSFS{}, nil)
	return b.Freeze()
}
