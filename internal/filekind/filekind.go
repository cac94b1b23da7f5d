// Package filekind tells the kind of an input file (password, digest or group
// file, nginx or Apache configuration) from its name and content.
package filekind

import (
	"bytes"
	"fmt"
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

// ByName tells a file's kind from its name alone (Names), for the names
// that say it; a configuration whose content decides is Unknown.
func ByName(path string) Kind {
	if n, ok := Listed(path); ok {
		return n.Kind
	}
	return Unknown
}

// Sniff guesses a file's kind from its name and, failing that, from the
// first bytes of its content.
func Sniff(path string, head []byte) Kind {
	if k := ByName(path); k != Unknown {
		return k
	}
	if nonConfigExt(path) {
		return Unknown // program text or a document (htpasswd.py, README.md)
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
