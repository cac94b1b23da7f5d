package nginxmodel

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/authlint/authlint/htpasswd"
)

// UserLookup is what nginx's user-file scanner finds for one user name.
type UserLookup struct {
	// Found is set when a line gives the user a hash; Line is that line
	// (1-based, counted in LFs as nginx reads the file) and Hash the bytes
	// nginx hands to its crypt: up to the first LF, CR, ':' or the end.
	Found bool
	Line  int
	Hash  string
	// Shadowed are the later lines that define the user again: nginx never
	// reads them (the first line wins).
	Shadowed []int
	// Missed are lines that look like they define the user but that the
	// scanner skips, with why (Why[i] for Missed[i]).
	Missed []int
	Why    []string
}

// FindUser scans a user file for user exactly as ngx_http_auth_basic_handler
// does (ngx_http_auth_basic_handler's state machine): a line whose first byte is '#' or CR is skipped, an LF
// alone is an empty line; the name is compared byte by byte including the
// ':' that follows it, and a mismatch skips to the next LF, so a mismatch
// on the LF itself (a colon-less line equal to a prefix of the name) also
// skips the next line; nothing is trimmed and a BOM is part of the first
// name. The first matching line wins.
func FindUser(data []byte, user string) UserLookup {
	var res UserLookup
	want := user + ":"
	const (
		login = iota
		passwd
		skip
	)
	state, n, line, start := login, 0, 1, 0
	for i := 0; i < len(data) && !res.Found; i++ {
		c := data[i]
		switch state {
		case login:
			if n == 0 {
				if c == '#' || c == '\r' {
					state = skip
					break
				}
				if c == '\n' {
					line++
					break
				}
			}
			if c != want[n] {
				state = skip
				if c == '\n' {
					line++ // consumed: the skip runs to the end of the next line
				}
				break
			}
			n++
			if n == len(want) {
				state, start = passwd, i+1
			}
		case passwd:
			if c == '\n' || c == '\r' || c == ':' {
				res.Found, res.Line, res.Hash = true, line, string(data[start:i])
			}
		case skip:
			if c == '\n' {
				state, n = login, 0
				line++
			}
		}
	}
	if !res.Found && state == passwd {
		res.Found, res.Line, res.Hash = true, line, string(data[start:])
	}
	res.explain(data, user)
	return res
}

// explain finds the lines a person would read as defining user: the ones
// the first match shadows, and the ones the scanner skipped.
func (res *UserLookup) explain(data []byte, user string) {
	lines := bytes.Split(data, []byte("\n"))
	for i, l := range lines {
		n := i + 1
		if res.Found && n == res.Line {
			continue
		}
		if bytes.HasPrefix(l, []byte(user+":")) {
			if res.Found && n > res.Line {
				res.Shadowed = append(res.Shadowed, n)
				continue
			}
			if !res.Found || n < res.Line {
				res.Missed = append(res.Missed, n)
				res.Why = append(res.Why, skippedWhy(lines, i, user))
			}
			continue
		}
		if res.Found {
			continue
		}
		trimmed := bytes.TrimLeft(bytes.TrimPrefix(l, []byte("\xef\xbb\xbf")), " \t")
		name, _, hasColon := bytes.Cut(trimmed, []byte(":"))
		switch {
		case hasColon && string(bytes.TrimRight(name, " \t")) == user:
			res.Missed = append(res.Missed, n)
			switch {
			case bytes.HasPrefix(l, []byte("\xef\xbb\xbf")):
				res.Why = append(res.Why, "it starts with a UTF-8 byte-order mark, which nginx reads as part of the name")
			case len(trimmed) != len(l):
				res.Why = append(res.Why, "blanks before the name are part of the name for nginx")
			default:
				res.Why = append(res.Why, "blanks before the ':' are part of the name for nginx")
			}
		case bytes.Contains(l, []byte("\r"+user+":")):
			res.Missed = append(res.Missed, n)
			res.Why = append(res.Why, "the name follows a bare CR (CR-only line endings): nginx skips to the next LF after a name that does not match")
		}
	}
}

// skippedWhy says why the scanner skipped line i although it starts with
// "user:".
func skippedWhy(lines [][]byte, i int, user string) string {
	if i > 0 {
		prev := lines[i-1]
		if len(prev) > 0 && prev[0] != '#' && prev[0] != '\r' && !bytes.Contains(prev, []byte(":")) && strings.HasPrefix(user, string(prev)) {
			return fmt.Sprintf("line %d (%q, no colon) is a prefix of the name: nginx's scanner mismatches on its LF and skips the next line too", i, string(prev))
		}
	}
	return "nginx's scanner skips it"
}

// CryptResult is what nginx's ngx_crypt answers for a stored hash.
type CryptResult struct {
	// Status is 0 when the password is accepted, 401 on a mismatch, 500
	// when crypt_r returns NULL.
	Status int
	// Certain is false when the answer could not be computed here.
	Certain bool
	// Text explains it without hash material.
	Text string
}

// Crypt predicts ngx_crypt for a stored hash h: nginx implements $apr1$,
// {PLAIN}, {SHA} and {SSHA} itself and hands every other hash to the C
// library's crypt_r (ngx_crypt in src/core/ngx_crypt.c). password nil means "the right password":
// it matches whenever the server can verify the scheme at all.
func Crypt(h string, password *string, platform htpasswd.Platform) CryptResult {
	c := htpasswd.Classify(h)
	scheme := c.Scheme.String()
	if c.Params != "" {
		scheme += " (" + c.Params + ")"
	}
	internal := c.Scheme == htpasswd.SchemeAPR1 || c.Scheme == htpasswd.SchemePlain ||
		c.Scheme == htpasswd.SchemeSHA || c.Scheme == htpasswd.SchemeSSHA
	libc := c.Scheme.Crypt() && platform.Supports(c.Scheme)
	if !internal && !libc {
		return unsupportedCrypt(h, c, platform)
	}
	by := "nginx computes " + scheme + " itself"
	if libc {
		by = fmt.Sprintf("nginx hands the %s hash to crypt_r (%s)", scheme, platform)
	}
	if c.Problem != "" {
		return CryptResult{Status: 401, Certain: true, Text: fmt.Sprintf("%s, but the stored hash is malformed (%s): no password gives it", by, c.Problem)}
	}
	if password == nil {
		return CryptResult{Status: 0, Certain: true, Text: by + ": the right password is accepted (assumed typed)"}
	}
	switch htpasswd.Verify(h, *password) {
	case htpasswd.Match:
		return CryptResult{Status: 0, Certain: true, Text: by + ": the password matches"}
	case htpasswd.Mismatch:
		return CryptResult{Status: 401, Certain: true, Text: by + ": the password does not match (\"password mismatch\")"}
	}
	return CryptResult{Status: 0, Certain: false, Text: by + ": whether the password matches cannot be verified here (only crypt(3) implements " + c.Scheme.String() + "); assuming it does"}
}

// unsupportedCrypt is crypt_r on a hash the platform does not implement (or
// that is no hash): a failure token (libxcrypt "*0", musl "*") never equals
// the stored text, so 401; glibc's libcrypt returns NULL, so 500, unless the
// text starts with two DES salt characters, which it then hashes as DES.
func unsupportedCrypt(h string, c htpasswd.Hash, platform htpasswd.Platform) CryptResult {
	what := "the stored text is no hash scheme nginx knows"
	switch c.Scheme {
	case htpasswd.SchemeEmpty:
		what = "the stored hash is empty"
	case htpasswd.SchemeUnknown:
	default:
		what = fmt.Sprintf("%s is not implemented by %s's crypt_r", c.Scheme, platform)
	}
	desSalt := len(h) >= 2 && isSaltChar(h[0]) && isSaltChar(h[1])
	switch platform {
	case htpasswd.PlatformLibxcrypt, htpasswd.PlatformMusl:
		return CryptResult{Status: 401, Certain: true, Text: what + ": crypt_r returns a failure token that never equals it, so no password matches (\"password mismatch\")"}
	case htpasswd.PlatformGlibc:
		if desSalt && c.Scheme == htpasswd.SchemeUnknown {
			return CryptResult{Status: 401, Certain: true, Text: what + ": crypt_r hashes it as DES with its first two characters as salt, which never gives it back, so no password matches"}
		}
		return CryptResult{Status: 500, Certain: true, Text: what + ": glibc's crypt_r returns NULL and nginx answers 500 (\"crypt_r() failed\")"}
	}
	return CryptResult{Status: 401, Certain: false, Text: what + ": depending on the C library, crypt_r returns a failure token (401) or NULL (500)"}
}

func isSaltChar(c byte) bool {
	return c == '.' || c == '/' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}
