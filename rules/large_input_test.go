package rules_test

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/rules"
)

// TestLargeInput checks that Config.LargeInput is called once when the
// configuration text read (main file and includes) reaches
// LargeInputBytes, for both servers, and not for a smaller configuration
// or a password file.
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
		{"apache large", map[string]string{
			"conf/httpd.conf":   "ServerRoot .\nInclude conf/sites/*.conf\n",
			"conf/sites/a.conf": pad(big), "conf/sites/b.conf": pad(big),
			"conf/sites/c.conf": pad(big), "conf/sites/d.conf": pad(big), "conf/sites/e.conf": pad(big),
		}, "conf/httpd.conf", 1},
		{"apache small", map[string]string{
			"conf/httpd.conf":   "Include conf/sites/*.conf\n",
			"conf/sites/a.conf": pad(small), "conf/sites/b.conf": pad(small),
		}, "conf/httpd.conf", 0},
		{"nginx large", map[string]string{
			"nginx.conf":    "events {}\nhttp {\ninclude conf.d/*.conf;\n}\n",
			"conf.d/a.conf": pad(big), "conf.d/b.conf": pad(big),
			"conf.d/c.conf": pad(big), "conf.d/d.conf": pad(big), "conf.d/e.conf": pad(big),
		}, "nginx.conf", 1},
		{"nginx small", map[string]string{
			"nginx.conf":    "events {}\nhttp {\ninclude conf.d/*.conf;\n}\n",
			"conf.d/a.conf": pad(small),
		}, "nginx.conf", 0},
		{"password file", map[string]string{
			"big.htpasswd": strings.Repeat("alice:$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/\n", rules.LargeInputBytes/40),
		}, "big.htpasswd", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			rules.WriteTree(t, dir, c.files)
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
