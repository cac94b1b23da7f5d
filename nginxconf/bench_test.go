package nginxconf

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParse parses a synthetic config of 10,000 servers.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("http {\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&sb, "  server {\n    listen 127.0.0.1:%d;\n    server_name s%d.example;\n    root /srv/s%d;\n"+
			"    location /admin/ {\n      auth_basic \"Admin %d\";\n      auth_basic_user_file /etc/nginx/htpasswd.%d;\n    }\n"+
			"    location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }\n  }\n", 8000+i%1000, i, i, i, i)
	}
	sb.WriteString("}\n")
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if f := Parse("bench.conf", src); len(f.Errors) != 0 {
			b.Fatal(f.Errors[0])
		}
	}
}
