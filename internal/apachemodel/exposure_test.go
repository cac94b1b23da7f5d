package apachemodel_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/serverfs"
)

// TestExposures checks each way to files a URL- or vhost-scoped section
// protects, and the configurations where every way asks for the password
// or is not anonymous.
func TestExposures(t *testing.T) {
	const head = `ServerRoot "@ROOT@"
Listen 127.0.0.1:8080
LoadModule authn_core_module m.so
LoadModule authn_file_module m.so
LoadModule authz_core_module m.so
LoadModule authz_user_module m.so
LoadModule authz_host_module m.so
LoadModule auth_basic_module m.so
LoadModule alias_module m.so
LoadModule rewrite_module m.so
DocumentRoot "@ROOT@/htdocs"
<Directory "@ROOT@">
    Require all granted
</Directory>
`
	const auth = "AuthType Basic\nAuthName \"P\"\nAuthUserFile conf/users\nRequire valid-user\n"
	tests := []struct {
		name, conf string
		want       []string // kind request -> file (host when another server)
	}{
		{"second alias", `Alias /private @ROOT@/srv/p
Alias /files @ROOT@/srv/p
<Location /private>` + auth + `</Location>`,
			[]string{"alias GET /files/x.html -> srv/p/x.html"}},
		{"aliasmatch", `Alias /private @ROOT@/srv/p
AliasMatch ^/f/(.*)$ @ROOT@/srv/p/$1
<Location /private>` + auth + `</Location>`,
			[]string{"alias GET /f/x.html -> srv/p/x.html"}},
		{"second alias, public in words", `Alias /private @ROOT@/srv/p
Alias /files @ROOT@/srv/p
<Location /private>` + auth + `</Location>
<Location /files>
Require all granted
</Location>`,
			[]string{"alias GET /files/x.html -> srv/p/x.html explicit"}},
		{"alias, directory auth", `Alias /private @ROOT@/srv/p
Alias /files @ROOT@/srv/p
<Directory @ROOT@/srv/p>` + auth + `</Directory>`, nil},
		{"alias to a subdirectory of the protected one", `Alias /private @ROOT@/srv/p
Alias /sub @ROOT@/srv/p/sub
<Location /private>` + auth + `</Location>`,
			[]string{"alias GET /sub/x.html -> srv/p/sub/x.html"}},
		{"alias above the protected directory", `<Location /private/>` + auth + `</Location>
Alias /all/ @ROOT@/htdocs/`,
			[]string{"alias GET /all/private/x.html -> htdocs/private/x.html"}},
		{"rewrite without PT", `RewriteEngine On
RewriteRule ^/old/(.*)$ /private/$1 [L]
<Location /private/>` + auth + `</Location>`,
			[]string{"rewrite GET /old/x.html -> htdocs/private/x.html"}},
		{"rewrite to an absolute path", `RewriteEngine On
RewriteRule ^/p/(.*)$ @ROOT@/htdocs/private/$1 [L]
<Location /private/>` + auth + `</Location>`,
			[]string{"rewrite GET /p/x.html -> htdocs/private/x.html"}},
		{"rewrite with PT", `RewriteEngine On
RewriteRule ^/old/(.*)$ /private/$1 [PT,L]
<Location /private/>` + auth + `</Location>`, nil},
		{"rewrite that redirects", `RewriteEngine On
RewriteRule ^/old/(.*)$ /private/$1 [R=301,L]
<Location /private/>` + auth + `</Location>`, nil},
		{"rewrite engine off", `RewriteRule ^/old/(.*)$ /private/$1 [L]
<Location /private/>` + auth + `</Location>`, nil},
		{"if on the URI beside an alias", `Alias /backstage/ @ROOT@/htdocs/admin/
<If "%{REQUEST_URI} =~ m#^/admin#">` + auth + `</If>`,
			[]string{"alias GET /backstage/x.html -> htdocs/admin/x.html"}},
		{"if on the method", `Alias /backstage/ @ROOT@/htdocs/admin/
<If "%{REQUEST_METHOD} == 'POST'">` + auth + `</If>`, nil},
		{"a WSGI application answers the protected URL", `WSGIScriptAlias / @ROOT@/app/wsgi.py
Alias /files/ @ROOT@/htdocs/admin/
<Location /admin/>` + auth + `</Location>`, nil},
		{"a WSGI application answers the other URL", `WSGIScriptAliasMatch ^/files/ @ROOT@/app/wsgi.py
Alias /files/ @ROOT@/htdocs/admin/
<Location /admin/>` + auth + `</Location>`, nil},
		{"location refused to everyone", `Alias /files/ @ROOT@/htdocs/admin/
<Location /admin/>
Require all denied
</Location>`,
			[]string{"alias GET /files/x.html -> htdocs/admin/x.html"}},
		{"location open to some clients", `Alias /files/ @ROOT@/htdocs/admin/
<Location /admin/>
Require ip 10.0.0.0/8
</Location>`, nil},
		{"locationmatch with alternatives, one a file", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName blog.test
DocumentRoot @ROOT@/htdocs
<LocationMatch "^/(wp-admin|wp-login\.php)">` + auth + `</LocationMatch>
</VirtualHost>`,
			[]string{"docroot GET /wp-admin/x.html -> htdocs/wp-admin/x.html www.test anyhost"}}, // one per section and way
		{"location naming a file", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName blog.test
DocumentRoot @ROOT@/htdocs
<Location "/wp-login.php">` + auth + `</Location>
</VirtualHost>`,
			[]string{"docroot GET /wp-login.php -> htdocs/wp-login.php www.test anyhost"}},
		{"locationmatch", `Alias /files/ @ROOT@/htdocs/admin/
<LocationMatch "^/admin/">` + auth + `</LocationMatch>`,
			[]string{"alias GET /files/x.html -> htdocs/admin/x.html"}},
		{"other way only for some clients", `Alias /staff/ @ROOT@/htdocs/admin/
<Location /staff/>
Require ip 10.0.0.0/8
</Location>
<Location /admin/>` + auth + `</Location>`, nil},
		{"handler location", `Alias /files/ @ROOT@/htdocs/
<Location /server-status>
SetHandler server-status
` + auth + `</Location>`, nil},
		{"location opened again later", `Alias /files/ @ROOT@/htdocs/admin/
<Location /admin/>` + auth + `</Location>
<Location />
Require all granted
</Location>`, nil},
		{"default virtual host, same root", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName admin.test
DocumentRoot @ROOT@/htdocs
<Location /admin/>` + auth + `</Location>
</VirtualHost>`,
			[]string{"docroot GET /admin/x.html -> htdocs/admin/x.html www.test anyhost"}},
		{"directory inside a virtual host", `<VirtualHost 127.0.0.1:8080>
ServerName intranet.test
DocumentRoot @ROOT@/htdocs
<Directory @ROOT@/htdocs/admin>` + auth + `</Directory>
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>`,
			[]string{"docroot GET /admin/x.html -> htdocs/admin/x.html www.test"}},
		{"site-wide location in a virtual host", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName staging.test
DocumentRoot @ROOT@/htdocs
<Location />` + auth + `</Location>
</VirtualHost>`,
			[]string{"docroot GET /x.html -> htdocs/x.html www.test anyhost"}},
		{"virtual host on another address, main server beside it", `<VirtualHost 127.0.0.2:8080>
ServerName secure.test
DocumentRoot @ROOT@/htdocs/admin
<Location />` + auth + `</Location>
</VirtualHost>`,
			[]string{"docroot GET /admin/x.html -> htdocs/admin/x.html unknown.invalid anyhost"}},
		{"files inside a virtual host", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName blog.test
DocumentRoot @ROOT@/htdocs
<Files "login.php">` + auth + `</Files>
</VirtualHost>`,
			[]string{"docroot GET /login.php -> htdocs/login.php www.test anyhost"}},
		{"files at server level", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<Files "login.php">` + auth + `</Files>`, nil},
		{"site-wide location in the main server", `Alias /files/ @ROOT@/htdocs/
<Location />` + auth + `</Location>`, nil},
		{"virtual hosts with their own roots", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs/www
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName admin.test
DocumentRoot @ROOT@/htdocs
<Location /admin/>` + auth + `</Location>
</VirtualHost>`, nil},
		{"virtual host that redirects", `<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
Redirect / https://admin.test/
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName admin.test
DocumentRoot @ROOT@/htdocs
<Location /admin/>` + auth + `</Location>
</VirtualHost>`, nil},
		{"plain-http virtual host redirects to https", `Listen 127.0.0.1:8443
<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
RewriteEngine On
RewriteCond %{HTTPS} off
RewriteRule ^ https://%{HTTP_HOST}%{REQUEST_URI} [R=301,L]
</VirtualHost>
<VirtualHost 127.0.0.1:8443>
ServerName www.test
SSLEngine on
DocumentRoot @ROOT@/htdocs
RewriteEngine On
RewriteCond %{HTTPS} off
RewriteRule ^ https://%{HTTP_HOST}%{REQUEST_URI} [R=301,L]
<Location /admin/>` + auth + `</Location>
</VirtualHost>`, nil},
		{"plain-http virtual host on another port", `Listen 127.0.0.1:8443
<VirtualHost 127.0.0.1:8080>
ServerName www.test
DocumentRoot @ROOT@/htdocs
</VirtualHost>
<VirtualHost 127.0.0.1:8443>
ServerName www.test
SSLEngine on
DocumentRoot @ROOT@/htdocs
<Location /admin/>` + auth + `</Location>
</VirtualHost>`,
			[]string{"docroot GET /admin/x.html -> htdocs/admin/x.html www.test anyhost"}},
		{"directory missing", `Alias /files/ @ROOT@/htdocs/
<Location /nothing/>` + auth + `</Location>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, root := predictTree(t, map[string]string{
				"conf/httpd.conf":       head + tt.conf + "\n",
				"htdocs/admin/a.txt":    "a",
				"htdocs/private/p.txt":  "p",
				"htdocs/www/index.html": "w",
				"srv/p/x.txt":           "x",
				"srv/p/sub/y.txt":       "y",
				"htdocs/wp-admin/a.php": "a",
				"htdocs/wp-login.php":   "l",
			})
			var got []string
			for _, x := range m.Exposures(serverfs.OSFS{}, []string{"x.html"}) {
				s := fmt.Sprintf("%s %s %s -> %s", x.Kind, x.Method, x.URI, strings.TrimPrefix(x.File, root+"/"))
				if x.Server != x.ProtServer {
					s += " " + x.Host
					if x.Port != 8080 {
						s += fmt.Sprint(":", x.Port)
					}
					if x.AnyHost {
						s += " anyhost"
					}
				}
				if x.Explicit {
					s += " explicit"
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Exposures:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
