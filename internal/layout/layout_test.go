package layout

import (
	"path/filepath"
	"testing"
)

func TestInfer(t *testing.T) {
	for _, tc := range []struct {
		name, local, text string
		server, root      string // "" when nothing is inferred
	}{
		{"nginx.conf naming /etc/nginx", "/repo/deploy/nginx/nginx.conf", "http {\n    include /etc/nginx/mime.types;\n}\n", "/etc/nginx", "/repo/deploy/nginx"},
		{"nginx.conf naming it in a user file path", "/repo/nginx/nginx.conf", "auth_basic_user_file \"/etc/nginx/htpasswd\";\n", "/etc/nginx", "/repo/nginx"},
		{"nginx.conf naming only a comment", "/repo/nginx/nginx.conf", "# copy to /etc/nginx/nginx.conf\nevents {}\n", "", ""},
		{"nginx.conf with relative includes only", "/repo/nginx/nginx.conf", "http { include sites/*.conf; }\n", "", ""},
		{"nginx.conf naming a longer directory", "/repo/nginx/nginx.conf", "include /etc/nginx2/x.conf;\n", "", ""},
		{"nginx.conf at its server path", "/etc/nginx/nginx.conf", "include /etc/nginx/mime.types;\n", "", ""},
		{"nginx.conf under /usr/local/nginx/conf", "/repo/conf/nginx.conf", "include /usr/local/nginx/conf/mime.types;\n", "/usr/local/nginx/conf", "/repo/conf"},
		{"Debian apache2.conf", "/repo/deploy/apache2/apache2.conf", "IncludeOptional sites-enabled/*.conf\n", "/etc/apache2", "/repo/deploy/apache2"},
		{"apache2.conf without relative includes", "/repo/a/apache2.conf", "Include /srv/conf/x.conf\n<Location />\nRequire valid-user\n</Location>\n", "", ""},
		{"apache2.conf including files beside it by absolute path", "/tmp/t/apache2.conf", "IncludeOptional /tmp/t/conf.d/*.conf\nInclude ports.conf\n", "", ""},
		{"nginx.conf naming its own directory too", "/tmp/t/nginx.conf", "include /etc/nginx/mime.types;\ninclude /tmp/t/sites/*.conf;\n", "", ""},
		{"apache2.conf with a ServerRoot", "/repo/a/apache2.conf", "ServerRoot \"/srv/apache\"\n", "/srv/apache", "/repo/a"},
		{"apache2.conf at its server path", "/etc/apache2/apache2.conf", "Include ports.conf\n", "", ""},
		{"RHEL httpd.conf in conf/", "/repo/httpd/conf/httpd.conf", "ServerRoot \"/etc/httpd\"\nInclude conf.modules.d/*.conf\n", "/etc/httpd", "/repo/httpd"},
		{"httpd.conf naming /etc/httpd", "/repo/x/httpd.conf", "Include /etc/httpd/conf.d/*.conf\n", "/etc/httpd", "/repo/x"},
		{"httpd.conf whose ServerRoot is where it lies", "/tmp/t/conf/httpd.conf", "ServerRoot \"/tmp/t\"\n", "", ""},
		{"httpd.conf, commented ServerRoot, nothing named", "/repo/httpd.conf", "#ServerRoot \"/etc/httpd\"\nListen 80\n", "", ""},
		{"a vhost is no main configuration", "/repo/sites/a.conf", "include /etc/nginx/x;\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inf, ok := Infer(tc.local, []byte(tc.text))
			if ok != (tc.server != "") || inf.Server != tc.server || inf.Local != filepath.FromSlash(tc.root) {
				t.Errorf("Infer = %+v, %v; want %s=%s", inf, ok, tc.server, tc.root)
			}
			if ok && (inf.Config != tc.local || inf.Why == "") {
				t.Errorf("Infer = %+v: want Config %s and a reason", inf, tc.local)
			}
		})
	}
}

func TestStock(t *testing.T) {
	for _, tc := range []struct {
		path string
		pkg  string
	}{
		{"/etc/nginx/mime.types", "the nginx package"},
		{"/etc/nginx/snippets/fastcgi-php.conf", "the nginx package"},
		{"/etc/nginx/koi-win", "the nginx package"},
		{"/etc/nginx/proxy_params", "the nginx package"},
		{"/etc/nginx/modules-enabled/50-mod-http-echo.conf", "the nginx package"},
		{"/etc/apache2/envvars", "the apache2 package"},
		{"/etc/apache2/ports.conf", "the apache2 package"},
		{"/etc/apache2/mods-enabled/auth_basic.load", "the apache2 package"},
		{"/etc/apache2/conf-available/security.conf", "the apache2 package"},
		{"/etc/httpd/conf.modules.d/00-base.conf", "the httpd package"},
		{"/etc/ssl/certs/ssl-cert-snakeoil.pem", "the ssl-cert package"},
		{"/etc/nginx/htpasswd", ""},
		{"/etc/nginx/sites-available/admin", ""},
		{"/etc/nginx/snippets/a/b.conf", ""},
		{"/etc/apache2/intranet.htpasswd", ""},
		{"/etc/nginxmime.types", ""},
		{"/etc/ssl/certs/mine.pem", ""},
	} {
		pkg, ok := Stock(tc.path)
		if pkg != tc.pkg || ok != (tc.pkg != "") {
			t.Errorf("Stock(%s) = %q, %v; want %q", tc.path, pkg, ok, tc.pkg)
		}
	}
}

func TestServerFiles(t *testing.T) {
	sf := ServerFiles{"/etc/ssl/**", "/var/www/*/htpasswd", "/etc/letsencrypt/live/*/fullchain.pem"}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/etc/ssl/private/site.key", true},
		{"/etc/ssl", true},
		{"/var/www/a/htpasswd", true},
		{"/var/www/a/b/htpasswd", false},
		{"/etc/letsencrypt/live/example.com/fullchain.pem", true},
		{"/etc/nginx/htpasswd", false},
	} {
		if got := sf.Match(tc.path); got != tc.want {
			t.Errorf("Match(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
	for _, p := range []string{"etc/ssl/**", "/etc/[ssl"} {
		if CheckPattern(p) == nil {
			t.Errorf("CheckPattern(%q) accepted", p)
		}
	}
	if err := CheckPattern("/etc/ssl/**"); err != nil {
		t.Errorf("CheckPattern: %v", err)
	}
}
