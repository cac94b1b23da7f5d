package apachemodel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// TestIndexWithMatchesWhole checks that a virtual host's index, built from
// the main server's index and its own sections, is what indexing all its
// effective sections at once gives: <Directory> sections by depth with the
// main server's first at a depth, the other lists in order.
func TestIndexWithMatchesWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dirs := []string{"/srv", "/srv/a", "/srv/b", "/srv/a/x", "/srv/*/x", "/"}
	section := func() string {
		switch rng.IntN(6) {
		case 0, 1:
			return fmt.Sprintf("<Directory %s>\nRequire all granted\n</Directory>\n", dirs[rng.IntN(len(dirs))])
		case 2:
			return "<DirectoryMatch ^/srv/.*>\nRequire valid-user\n</DirectoryMatch>\n"
		case 3:
			return "<Location /a>\nRequire all granted\n</Location>\n"
		case 4:
			return "<Files x.php>\nRequire all denied\n</Files>\n"
		}
		return "<If \"%{REQUEST_METHOD} == 'GET'\">\nRequire all granted\n</If>\n"
	}
	for round := range 200 {
		var conf strings.Builder
		for range rng.IntN(4) {
			conf.WriteString(section())
		}
		for v := range 1 + rng.IntN(3) {
			fmt.Fprintf(&conf, "<VirtualHost *:80>\nServerName v%d\nDocumentRoot /srv\n", v)
			for range rng.IntN(4) {
				conf.WriteString(section())
			}
			conf.WriteString("</VirtualHost>\n")
		}
		m := build(htaccess.Load(serverfs.NewRecordingSource("/etc/httpd.conf", []byte(conf.String()), serverfs.OSFS{}), "/etc/httpd.conf", htaccess.LoadOptions{}), false)
		m.freeze()
		for _, v := range m.VHosts {
			got, want := m.index(v), indexSections(m.EffectiveSections(v))
			if !sameIndex(got, want) {
				t.Fatalf("round %d, %s: index differs\ngot  %+v\nwant %+v\nconfig:\n%s", round, v.Name(), got, want, conf.String())
			}
		}
	}
}

// sameIndex compares two indexes list by list (an empty list equals nil).
func sameIndex(a, b *apIndex) bool {
	return slices.Equal(a.all, b.all) && slices.Equal(a.dirs, b.dirs) && slices.Equal(a.regexDirs, b.regexDirs) &&
		slices.Equal(a.files, b.files) && slices.Equal(a.locations, b.locations) && slices.Equal(a.ifs, b.ifs) &&
		slices.Equal(a.openers, b.openers)
}
