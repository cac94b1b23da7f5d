package rules

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
	KindUnknown  Kind = ""
	KindHtpasswd Kind = "htpasswd"
	KindHtdigest Kind = "htdigest"
	KindHtgroup  Kind = "htgroup"
	KindNginx    Kind = "nginx"
	KindApache   Kind = "apache"
)

// ParseKind parses a --type value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case KindHtpasswd, KindHtdigest, KindHtgroup, KindNginx, KindApache:
		return k, nil
	case "auto":
		return KindUnknown, nil
	}
	return KindUnknown, fmt.Errorf("unknown type %q", s)
}

// IsUserFile reports whether k is a password, digest or group file.
func (k Kind) IsUserFile() bool {
	return k == KindHtpasswd || k == KindHtdigest || k == KindHtgroup
}

// KindByName guesses a file's kind from its name alone. It is what directory
// walks use, so it only answers for names that are unambiguous.
func KindByName(path string) Kind {
	base := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(base)
	switch {
	case base == ".htpasswd" || ext == ".htpasswd" || strings.HasPrefix(base, "htpasswd") ||
		strings.HasPrefix(base, ".htpasswd") || base == ".htusers" || ext == ".htusers":
		return KindHtpasswd
	case base == ".htdigest" || ext == ".htdigest" || strings.HasPrefix(base, "htdigest") ||
		strings.HasPrefix(base, ".htdigest"):
		return KindHtdigest
	case base == ".htgroup" || ext == ".htgroup" || strings.HasPrefix(base, "htgroup") ||
		strings.HasPrefix(base, ".htgroup") || base == ".htgroups":
		return KindHtgroup
	case base == "nginx.conf" || strings.HasSuffix(base, ".nginx.conf"):
		return KindNginx
	case base == "httpd.conf" || base == "apache2.conf" || base == ".htaccess" || ext == ".htaccess" ||
		strings.HasSuffix(base, ".apache.conf"):
		return KindApache
	}
	return KindUnknown
}

// SniffKind guesses a file's kind from its name and, failing that, from the
// first bytes of its content.
func SniffKind(path string, head []byte) Kind {
	if k := KindByName(path); k != KindUnknown {
		return k
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("<virtualhost")) || bytes.Contains(lower, []byte("<directory")) ||
		bytes.Contains(lower, []byte("<location")) || bytes.Contains(lower, []byte("authuserfile")) ||
		bytes.Contains(lower, []byte("authtype")):
		return KindApache
	case bytes.Contains(head, []byte("server {")) || bytes.Contains(head, []byte("location ")) ||
		bytes.Contains(head, []byte("http {")) || bytes.Contains(head, []byte("auth_basic")):
		return KindNginx
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
			return KindHtdigest
		case len(fields) >= 2 && len(fields[1]) > 0 && (fields[1][0] == ' ' || fields[1][0] == '\t') &&
			!bytes.ContainsAny(fields[1][1:], "$/{"):
			return KindHtgroup
		case len(fields) >= 2:
			return KindHtpasswd
		}
		return KindUnknown
	}
	return KindUnknown
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
