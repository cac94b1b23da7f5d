package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/nginxconf"
)

// sprintf is fmt.Sprintf, short for messages.
// sprintf formats a finding's message: string arguments longer than
// maxArgLen (a 10 KB "user name", a path made of junk) are shortened, so a
// hostile file cannot make one message huge.
func sprintf(format string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) > maxArgLen {
			short := make([]any, len(args))
			copy(short, args)
			for j := i; j < len(short); j++ {
				if s, ok := short[j].(string); ok && len(s) > maxArgLen {
					short[j] = shorten(s)
				}
			}
			return fmt.Sprintf(format, short...)
		}
	}
	return fmt.Sprintf(format, args...)
}

// maxArgLen is the longest string argument a message quotes whole. Some
// arguments are clauses of the message itself (up to ~300 bytes), so the
// bound is above those; data longer than that (a user name, a path) is
// junk worth cutting.
const maxArgLen = 512

// shorten keeps the start of a long string (whole UTF-8 characters) and
// says how long it was.
func shorten(s string) string {
	cut := 80
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// quote quotes a user-controlled string for a message.
func quote(s string) string { return strconv.Quote(s) }

// plural returns "1 user" or "3 users".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// cutColon cuts s at the first ':'.
func cutColon(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// trimBlanks trims spaces and tabs.
func trimBlanks(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// verb returns the servers' name followed by the verb agreeing with it:
// "nginx hands", "Apache and nginx hand".
func verb(s ServerSet, one, many string) string {
	if s == AnyServer {
		return s.String() + " " + many
	}
	return s.String() + " " + one
}

// argValues returns the values of nginx arguments.
func argValues(args []*nginxconf.Arg) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// sortedKeys returns a set's keys in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func exists(fsys serverfs.FS, p string) bool {
	_, err := fsys.Stat(p)
	return err == nil
}

func quoteList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = quote(w)
	}
	return strings.Join(q, ", ")
}

// extensionRe finds "\.(png|css)" and "\.php" in a location regex.
var extensionRe = regexp.MustCompile(`\\\.\(?\??:?([A-Za-z0-9|]+)\)?`)

// regexExtensions pulls literal extensions out of a location regex:
// "\.(png|css|js)$" gives png, css, js.
func regexExtensions(pattern string) []string {
	re := extensionRe
	var out []string
	for _, m := range re.FindAllStringSubmatch(pattern, -1) {
		for _, ext := range strings.Split(m[1], "|") {
			if ext != "" {
				out = append(out, "x."+strings.ToLower(ext))
			}
		}
	}
	return out
}

// acmeProbe is the URI an ACME HTTP-01 validation requests.
const acmeProbe = "/.well-known/acme-challenge/probe-token"
