package htaccess

import (
	"fmt"
	"strings"
	"testing"
)

// syntheticVhosts builds n virtual hosts, each with a Basic-auth
// <Directory> block.
func syntheticVhosts(n int) []byte {
	var b strings.Builder
	b.WriteString("# synthetic benchmark configuration\nServerRoot /etc/apache2\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<VirtualHost *:80>
    ServerName site%[1]d.example.test
    ServerAlias www.site%[1]d.example.test
    DocumentRoot "/srv/www/site%[1]d"
    ErrorLog ${APACHE_LOG_DIR}/site%[1]d-error.log
    CustomLog ${APACHE_LOG_DIR}/site%[1]d-access.log combined
    <Directory "/srv/www/site%[1]d/private">
        Options -Indexes +FollowSymLinks
        AllowOverride None
        AuthType Basic
        AuthName "Restricted area %[1]d"
        AuthBasicProvider file
        AuthUserFile /etc/apache2/htpasswd/site%[1]d
        Require valid-user
    </Directory>
</VirtualHost>
`, i)
	}
	return []byte(b.String())
}

func TestSyntheticVhosts(t *testing.T) {
	src := syntheticVhosts(50)
	f := Parse("bench.conf", src)
	if len(f.Errors) != 0 || len(f.Nodes) != 51 {
		t.Fatalf("nodes %d errors %v", len(f.Nodes), f.Errors)
	}
	checkFile(t, f, src)
}

func BenchmarkParse(b *testing.B) {
	src := syntheticVhosts(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f := Parse("bench.conf", src)
		if len(f.Nodes) != 10001 {
			b.Fatal("bad parse")
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	src := mapSource(map[string]string{"/etc/apache2/apache2.conf": string(syntheticVhosts(10000))})
	opts := LoadOptions{EnvVars: map[string]string{"APACHE_LOG_DIR": "/var/log/apache2"}}
	b.ReportAllocs()
	for b.Loop() {
		c := Load(src, "/etc/apache2/apache2.conf", opts)
		if len(c.Errors) != 0 {
			b.Fatal(c.Errors[0])
		}
	}
}
