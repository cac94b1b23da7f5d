package rules_test

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/testtree"
	"github.com/authlint/authlint/rules"
)

// TestLargeInput checks that Config.LargeInput is called once for a whole
// server configuration, and for another configuration file once the text
// read (it and its includes) reaches LargeInputBytes, for both servers; not
// for a smaller file or a password file.
func TestLargeInput(t *testing.T) {
	// pad makes an included file of about n bytes of comments.
	pad := func(n int) string {
		line := "# " + strings.Repeat("x", 77) + "\n"
		return strings.Repeat(line, n/len(line)+1)
	}
	big, small := rules.LargeInputBytes/4+1, rules.LargeInputBytes/16
	cases := []struct {
		name  string
		files map[string]string
		main  string
		want  int32
	}{
		{"apache whole config", map[string]string{"conf/httpd.conf": "ServerName x\n"}, "conf/httpd.conf", 1},
		{"apache large snippet", map[string]string{
			"conf/httpd.conf":   "ServerRoot .\n",
			"conf/sites/a.conf": "<VirtualHost *:80>\n" + pad(4*big) + "</VirtualHost>\n",
		}, "conf/sites/a.conf", 1},
		{"apache small snippet", map[string]string{
			"conf/httpd.conf":   "ServerRoot .\n",
			"conf/sites/a.conf": "<VirtualHost *:80>\n" + pad(small) + "</VirtualHost>\n",
		}, "conf/sites/a.conf", 0},
		{"htaccess", map[string]string{"www/.htaccess": "Require all granted\n" + pad(small)}, "www/.htaccess", 0},
		{"nginx whole config", map[string]string{"nginx.conf": "events {}\n"}, "nginx.conf", 1},
		{"nginx large snippet", map[string]string{
			"conf.d/a.conf":          "server {\ninclude snippets/*.conf;\n}\n",
			"conf.d/snippets/a.conf": pad(big), "conf.d/snippets/b.conf": pad(big),
			"conf.d/snippets/c.conf": pad(big), "conf.d/snippets/d.conf": pad(big),
		}, "conf.d/a.conf", 1},
		{"nginx small snippet", map[string]string{"conf.d/a.conf": "server {\n" + pad(small) + "}\n"}, "conf.d/a.conf", 0},
		{"password file", map[string]string{
			"big.htpasswd": strings.Repeat("alice:$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/\n", rules.LargeInputBytes/40),
		}, "big.htpasswd", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			testtree.Write(t, dir, c.files)
			var calls atomic.Int32
			_, err := rules.Lint(rules.Config{Paths: []string{filepath.Join(dir, c.main)}, Servers: rules.AnyServer,
				Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All(), LargeInput: func() { calls.Add(1) }})
			if err != nil {
				t.Fatal(err)
			}
			if got := calls.Load(); got != c.want {
				t.Errorf("LargeInput called %d times, want %d", got, c.want)
			}
		})
	}
}
