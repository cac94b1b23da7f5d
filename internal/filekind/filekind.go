// Package filekind tells the kind of an input file (password, digest or group
// file, nginx or Apache configuration) from its name and content.
package filekind

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// Kind is the kind of an input file.
type Kind string

// The input kinds authlint reads.
const (
	Unknown  Kind = ""
	Htpasswd Kind = "htpasswd"
	Htdigest Kind = "htdigest"
	Htgroup  Kind = "htgroup"
	Nginx    Kind = "nginx"
	Apache   Kind = "apache"
)

// Parse parses a --type value.
func Parse(s string) (Kind, error) {
	switch k := Kind(s); k {
	case Htpasswd, Htdigest, Htgroup, Nginx, Apache:
		return k, nil
	case "auto":
		return Unknown, nil
	}
	return Unknown, fmt.Errorf("unknown type %q", s)
}

// IsUserFile reports whether k is a password, digest or group file.
func (k Kind) IsUserFile() bool {
	return k == Htpasswd || k == Htdigest || k == Htgroup
}

// ByName guesses a file's kind from its name alone. It is what directory
// walks use, so it only answers for names that are unambiguous.
func ByName(path string) Kind {
	base := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(base)
	switch {
	case base == ".htpasswd" || ext == ".htpasswd" || strings.HasPrefix(base, "htpasswd") ||
		strings.HasPrefix(base, ".htpasswd") || base == ".htusers" || ext == ".htusers":
		return Htpasswd
	case base == ".htdigest" || ext == ".htdigest" || strings.HasPrefix(base, "htdigest") ||
		strings.HasPrefix(base, ".htdigest"):
		return Htdigest
	case base == ".htgroup" || ext == ".htgroup" || strings.HasPrefix(base, "htgroup") ||
		strings.HasPrefix(base, ".htgroup") || base == ".htgroups":
		return Htgroup
	case base == "nginx.conf" || strings.HasSuffix(base, ".nginx.conf"):
		return Nginx
	case base == "httpd.conf" || base == "apache2.conf" || base == ".htaccess" || ext == ".htaccess" ||
		strings.HasSuffix(base, ".apache.conf"):
		return Apache
	}
	return Unknown
}

// Sniff guesses a file's kind from its name and, failing that, from the
// first bytes of its content.
func Sniff(path string, head []byte) Kind {
	if k := ByName(path); k != Unknown {
		return k
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("<virtualhost")) || bytes.Contains(lower, []byte("<directory")) ||
		bytes.Contains(lower, []byte("<location")) || bytes.Contains(lower, []byte("authuserfile")) ||
		bytes.Contains(lower, []byte("authtype")):
		return Apache
	case bytes.Contains(head, []byte("server {")) || bytes.Contains(head, []byte("location ")) ||
		bytes.Contains(head, []byte("http {")) || bytes.Contains(head, []byte("auth_basic")):
		return Nginx
	}
	return sniffUserFile(head)
}

// sniffUserFile looks at the first entry line: user:realm:32hex is a digest
// file, user:hash a password file, "group: a b" a group file.
func sniffUserFile(head []byte) Kind {
	for _, line := range bytes.Split(head, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		fields := bytes.Split(line, []byte(":"))
		switch {
		case len(fields) == 3 && len(fields[2]) == 32 && isHex(fields[2]):
			return Htdigest
		case len(fields) >= 2 && len(fields[1]) > 0 && (fields[1][0] == ' ' || fields[1][0] == '\t') &&
			!bytes.ContainsAny(fields[1][1:], "$/{"):
			return Htgroup
		case len(fields) >= 2:
			return Htpasswd
		}
		return Unknown
	}
	return Unknown
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
