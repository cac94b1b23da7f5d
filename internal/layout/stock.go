package layout

import (
	"path"
	"strings"
)

// stockTree is what a distribution's package installs under one server
// directory.
type stockTree struct {
	dir     string
	pkg     string
	entries []string // slash patterns relative to dir; "d/*" is every file in d
}

// stockTrees lists the server directories of Debian's nginx and apache2,
// RHEL's nginx and httpd, and the files of other packages configurations
// name (ssl-cert's snakeoil pair, the module directories).
func stockTrees() []stockTree {
	nginx := []string{
		"mime.types", "fastcgi_params", "fastcgi.conf", "proxy_params", "scgi_params", "uwsgi_params",
		"koi-utf", "koi-win", "win-utf", "snippets", "snippets/*", "modules-enabled", "modules-enabled/*",
		"modules-available", "modules-available/*", "conf.d", "default.d", "default.d/*",
		"sites-available", "sites-enabled", "sites-available/default", "sites-enabled/default",
		"mime.types.default", "fastcgi_params.default", "fastcgi.conf.default", "scgi_params.default", "uwsgi_params.default",
		"nginx.conf.default",
	}
	return []stockTree{
		{"/etc/nginx", "the nginx package", nginx},
		{"/usr/local/nginx/conf", "nginx's installation", nginx},
		{"/usr/local/etc/nginx", "the nginx package", nginx},
		{"/etc/apache2", "the apache2 package", []string{
			"envvars", "ports.conf", "magic", "mods-available", "mods-available/*", "mods-enabled", "mods-enabled/*",
			"conf-available", "conf-available/*", "conf-enabled", "conf-enabled/*", "sites-available", "sites-enabled",
			"sites-available/000-default.conf", "sites-available/default-ssl.conf", "sites-enabled/000-default.conf",
		}},
		{"/etc/httpd", "the httpd package", []string{
			"conf.modules.d", "conf.modules.d/*", "conf.d", "conf.d/autoindex.conf", "conf.d/userdir.conf",
			"conf.d/welcome.conf", "conf.d/ssl.conf", "conf.d/README", "conf/magic", "modules", "modules/*",
			"logs", "run", "state",
		}},
		{"/usr/local/apache2", "httpd's installation", []string{
			"conf/mime.types", "conf/magic", "conf/extra", "conf/extra/*", "conf/original", "conf/original/*",
			"modules", "modules/*",
		}},
		{"/usr/lib/apache2/modules", "the apache2 package", []string{"*"}},
		{"/usr/lib64/httpd/modules", "the httpd package", []string{"*"}},
		{"/usr/lib/nginx/modules", "the nginx package", []string{"*"}},
		{"/usr/share/nginx/modules", "the nginx package", []string{"*"}},
		{"/usr/share/nginx/modules-available", "the nginx package", []string{"*"}},
		{"/etc/ssl/certs", "the ssl-cert package", []string{"ssl-cert-snakeoil.pem"}},
		{"/etc/ssl/private", "the ssl-cert package", []string{"ssl-cert-snakeoil.key"}},
	}
}

// Stock reports whether a distribution's package installs the server path
// p (an absolute slash path), and names the package ("the nginx package").
func Stock(p string) (pkg string, ok bool) {
	p = path.Clean(p)
	for _, t := range stockTrees() {
		rel, ok := strings.CutPrefix(p, t.dir+"/")
		if !ok {
			continue
		}
		for _, e := range t.entries {
			if m, _ := path.Match(e, rel); m {
				return t.pkg, true
			}
		}
	}
	return "", false
}

// ServerFiles are glob patterns over server paths whose files the server
// provides (`server-files` in .authlint.yaml): "*" matches within a path
// component, "**" any number of components.
type ServerFiles []string

// Match reports whether the server path p is one of the files.
func (s ServerFiles) Match(p string) bool {
	parts := strings.Split(strings.Trim(path.Clean(p), "/"), "/")
	for _, pat := range s {
		if globMatch(strings.Split(strings.Trim(pat, "/"), "/"), parts) {
			return true
		}
	}
	return false
}

// CheckPattern reports a malformed server-files pattern.
func CheckPattern(pattern string) error {
	if !strings.HasPrefix(pattern, "/") {
		return errNotAbsolute
	}
	for _, seg := range strings.Split(strings.Trim(pattern, "/"), "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

// globMatch matches path components against pattern components; "**"
// matches zero or more components.
func globMatch(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if globMatch(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
