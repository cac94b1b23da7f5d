package layout

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
)

var errNotAbsolute = errors.New("not an absolute server path")

// Inferred is a mapping of a server directory onto the local directory of
// a main configuration found in a checkout.
type Inferred struct {
	// Server is the server directory (/etc/nginx), Local the local one
	// (absolute).
	Server, Local string
	// Config is the main configuration's local path it was inferred from;
	// Why says from what ("it names /etc/nginx/mime.types").
	Config, Why string
}

// conventional lists, per main configuration name, the server directories
// it is installed in, most common first.
func conventional(base string) []string {
	switch base {
	case "nginx.conf":
		return []string{"/etc/nginx", "/usr/local/nginx/conf", "/usr/local/etc/nginx"}
	case "apache2.conf":
		return []string{"/etc/apache2"}
	case "httpd.conf":
		return []string{"/etc/httpd", "/usr/local/apache2", "/etc/apache2", "/usr/local/etc/apache24"}
	}
	return nil
}

// IsMainConfig reports whether a file name is a server's main
// configuration (nginx.conf, apache2.conf, httpd.conf).
func IsMainConfig(name string) bool { return conventional(filepath.Base(name)) != nil }

var (
	serverRootRe = regexp.MustCompile(`(?mi)^[ \t]*ServerRoot[ \t]+"?([^"\s]+)"?`)
	// relIncludeRe finds an Include whose path is relative to ServerRoot
	// (Debian's "Include ports.conf", "IncludeOptional mods-enabled/*.load").
	relIncludeRe = regexp.MustCompile(`(?mi)^[ \t]*Include(?:Optional)?[ \t]+"?[^/"$\s]`)
	commentRe    = regexp.MustCompile(`(?m)^[ \t]*#.*$`)
)

// Infer returns the mapping of a main configuration's server directory
// onto its local directory when the file, at the absolute local path local
// with content data, lives in a checkout rather than at its server path:
// nginx.conf that names paths under /etc/nginx (or another conventional
// nginx directory); apache2.conf (Debian's, whose ServerRoot is
// /etc/apache2 unless it sets one); httpd.conf with a ServerRoot, or naming
// /etc/httpd, its ServerRoot being the directory above conf/ when it sits
// in one. A configuration at its server path, one that names no server
// directory (an apache2.conf without ServerRoot names /etc/apache2 by its
// relative includes), or one that names paths under its own directory (it
// is where its paths say: /tmp/t/apache2.conf including /tmp/t/conf.d/*),
// maps nothing.
func Infer(local string, data []byte) (Inferred, bool) {
	base := filepath.Base(local)
	dirs := conventional(base)
	if dirs == nil {
		return Inferred{}, false
	}
	abs, err := filepath.Abs(local)
	if err != nil {
		return Inferred{}, false
	}
	localDir := filepath.Dir(abs)
	text := commentRe.ReplaceAllString(string(data), "")
	server, why := "", ""
	if base != "nginx.conf" {
		if m := serverRootRe.FindStringSubmatch(text); m != nil && filepath.IsAbs(m[1]) && !strings.Contains(m[1], "$") {
			server, why = filepath.Clean(m[1]), "its ServerRoot is "+filepath.Clean(m[1])
		}
	}
	if server == "" {
		for _, d := range dirs {
			if names(text, d) {
				server, why = d, "it names paths under "+d
				break
			}
		}
	}
	if server == "" && base == "apache2.conf" && relIncludeRe.MatchString(text) {
		server, why = "/etc/apache2", "Debian installs apache2.conf in /etc/apache2, its ServerRoot"
	}
	if server == "" || names(text, localDir) {
		return Inferred{}, false
	}
	root := localDir
	if base == "httpd.conf" && filepath.Base(localDir) == "conf" {
		root = filepath.Dir(localDir) // ServerRoot/conf/httpd.conf
	}
	if root == server || strings.HasPrefix(root, server+"/") || strings.HasPrefix(server, root+"/") {
		return Inferred{}, false // at its server path (or a copy inside it): the live tree
	}
	return Inferred{Server: server, Local: root, Config: local, Why: why}, true
}

// names reports whether text names dir or a path below it as a word.
func names(text, dir string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], dir)
		if j < 0 {
			return false
		}
		at := i + j
		before := byte(' ')
		if at > 0 {
			before = text[at-1]
		}
		after := byte(' ')
		if end := at + len(dir); end < len(text) {
			after = text[end]
		}
		if strings.IndexByte(" \t\"'=", before) >= 0 && strings.IndexByte(" \t\r\n\"';/", after) >= 0 {
			return true
		}
		i = at + len(dir)
	}
}
