package htpasswd

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	gohtpasswd "github.com/tg123/go-htpasswd"
)

// Hash is what Classify learns about a hash without computing anything.
type Hash struct {
	// Scheme is the recognised scheme.
	Scheme Scheme
	// Params is safe to print: the prefix and cost parameters only, such as
	// "$2y$10$" or "$6$rounds=10000$"; never salt or digest.
	Params string
	// Cost is the bcrypt cost, or the SHA-crypt rounds (0 for the default 5000).
	Cost int
	// Problem is "" for a structurally valid hash; otherwise a short
	// description that never contains hash material.
	Problem string
}

// cryptAlphabet reports whether every byte of s is in ./0-9A-Za-z.
func cryptAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c == '/' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// Classify recognises a hash's scheme and checks its structure.
func Classify(h string) Hash {
	switch {
	case h == "":
		return Hash{Scheme: SchemeEmpty}
	case strings.HasPrefix(h, "$2a$"), strings.HasPrefix(h, "$2b$"), strings.HasPrefix(h, "$2x$"), strings.HasPrefix(h, "$2y$"):
		return classifyBcrypt(h)
	case strings.HasPrefix(h, "$apr1$"):
		return classifyMD5(h, "$apr1$", SchemeAPR1)
	case strings.HasPrefix(h, "$1$"):
		return classifyMD5(h, "$1$", SchemeMD5Crypt)
	case strings.HasPrefix(h, "$5$"):
		return classifySHACrypt(h, "$5$", SchemeSHA256Crypt, 43)
	case strings.HasPrefix(h, "$6$"):
		return classifySHACrypt(h, "$6$", SchemeSHA512Crypt, 86)
	case strings.HasPrefix(h, "$y$"):
		return classifyYescrypt(h, "$y$", SchemeYescrypt)
	case strings.HasPrefix(h, "$gy$"):
		return classifyYescrypt(h, "$gy$", SchemeGostYescrypt)
	case strings.HasPrefix(h, "$7$"):
		return classifyScrypt(h)
	case strings.HasPrefix(h, "$md5"):
		return classifySunMD5(h)
	case strings.HasPrefix(h, "$sha1$"):
		return classifySHA1Crypt(h)
	case strings.HasPrefix(h, "$3$$"):
		return classifyNT(h)
	case strings.HasPrefix(h, "{SHA}"):
		return classifySHA(h)
	case strings.HasPrefix(h, "{SSHA}"):
		return classifySSHA(h)
	case strings.HasPrefix(h, "{PLAIN}"):
		return Hash{Scheme: SchemePlain, Params: "{PLAIN}"}
	case len(h) == 20 && h[0] == '_' && cryptAlphabet(h[1:]):
		return Hash{Scheme: SchemeBSDi, Params: "_"}
	case len(h) == 13 && cryptAlphabet(h):
		return Hash{Scheme: SchemeDES}
	}
	return Hash{Scheme: SchemeUnknown}
}

func classifyBcrypt(h string) Hash {
	out := Hash{Scheme: SchemeBcrypt, Params: h[:4]}
	// $2y$NN$ + 22 salt + 31 digest
	if len(h) < 7 || h[6] != '$' {
		out.Problem = "bcrypt cost must be two digits followed by '$'"
		return out
	}
	cost, err := strconv.Atoi(h[4:6])
	if err != nil {
		out.Problem = "bcrypt cost is not a number"
		return out
	}
	out.Params, out.Cost = h[:7], cost
	if cost < 4 || cost > 31 {
		out.Problem = fmt.Sprintf("bcrypt cost %d is outside 04-31", cost)
		return out
	}
	rest := h[7:]
	switch {
	case len(rest) != 53:
		out.Problem = fmt.Sprintf("bcrypt salt and digest are %d characters, want 53 (22 + 31)", len(rest))
	case !cryptAlphabet(rest):
		out.Problem = "bcrypt salt or digest has characters outside ./A-Za-z0-9"
	}
	return out
}

func classifyMD5(h, prefix string, s Scheme) Hash {
	out := Hash{Scheme: s, Params: prefix}
	rest := h[len(prefix):]
	salt, digest, ok := strings.Cut(rest, "$")
	switch {
	case !ok:
		out.Problem = "no '$' after the salt"
	case len(salt) > 8:
		out.Problem = fmt.Sprintf("salt is %d characters, at most 8 are used", len(salt))
	case len(digest) != 22:
		out.Problem = fmt.Sprintf("digest is %d characters, want 22", len(digest))
	case !cryptAlphabet(digest):
		out.Problem = "digest has characters outside ./0-9A-Za-z"
	}
	// go-htpasswd's AcceptMd5 accepts every apr1 hash that passes these
	// checks (it only splits at the '$' after the salt), so it is not
	// called: it allocated for every line of a file.
	return out
}

func classifySHACrypt(h, prefix string, s Scheme, digestLen int) Hash {
	out := Hash{Scheme: s, Params: prefix}
	rest := h[len(prefix):]
	if r, ok := strings.CutPrefix(rest, "rounds="); ok {
		num, tail, found := strings.Cut(r, "$")
		n, err := strconv.Atoi(num)
		if !found || err != nil {
			out.Problem = "rounds= is not a number followed by '$'"
			return out
		}
		out.Params, out.Cost, rest = prefix+"rounds="+num+"$", n, tail
		if n < 1000 || n > 999999999 {
			out.Problem = fmt.Sprintf("rounds=%d is outside 1000-999999999 (crypt(3) clamps it, so the hash never matches)", n)
			return out
		}
	}
	salt, digest, ok := strings.Cut(rest, "$")
	switch {
	case !ok:
		out.Problem = "no '$' after the salt"
	case len(salt) > 16:
		out.Problem = fmt.Sprintf("salt is %d characters; crypt(3) uses at most 16, so the hash never matches", len(salt))
	case len(digest) != digestLen:
		out.Problem = fmt.Sprintf("digest is %d characters, want %d", len(digest), digestLen)
	case !cryptAlphabet(digest):
		out.Problem = "digest has characters outside ./0-9A-Za-z"
	}
	return out
}

// classifyYescrypt checks $y$PARAMS$SALT$HASH (43-character hash).
func classifyYescrypt(h, prefix string, s Scheme) Hash {
	out := Hash{Scheme: s, Params: prefix}
	params, rest, ok1 := strings.Cut(h[len(prefix):], "$")
	salt, digest, ok2 := strings.Cut(rest, "$")
	if !ok1 || !ok2 || params == "" || salt == "" || strings.IndexByte(digest, '$') >= 0 {
		out.Problem = "want $params$salt$hash"
		return out
	}
	out.Params = prefix + params + "$"
	if len(digest) != 43 || !cryptAlphabet(digest) {
		out.Problem = fmt.Sprintf("hash part is %d characters, want 43 of ./0-9A-Za-z", len(digest))
	}
	return out
}

// classifyScrypt checks $7$ + 11 parameter characters + salt + $ + 43.
func classifyScrypt(h string) Hash {
	out := Hash{Scheme: SchemeScrypt, Params: "$7$"}
	rest := h[3:]
	i := strings.LastIndexByte(rest, '$')
	if len(rest) < 12 || i < 11 {
		out.Problem = "want $7$ + parameters + salt$hash"
		return out
	}
	out.Params = "$7$" + rest[:11]
	if d := rest[i+1:]; len(d) != 43 || !cryptAlphabet(d) {
		out.Problem = fmt.Sprintf("hash part is %d characters, want 43", len(d))
	}
	return out
}

// classifySunMD5 checks $md5[,rounds=N]$salt$[$]hash (22-character hash).
func classifySunMD5(h string) Hash {
	out := Hash{Scheme: SchemeSunMD5, Params: "$md5$"}
	head, rest, ok := strings.Cut(h[1:], "$")
	if !ok || (head != "md5" && !strings.HasPrefix(head, "md5,rounds=")) {
		return Hash{Scheme: SchemeUnknown}
	}
	out.Params = "$" + head + "$"
	i := strings.LastIndexByte(rest, '$')
	if i < 0 || len(rest[i+1:]) != 22 || !cryptAlphabet(rest[i+1:]) {
		out.Problem = "want $md5$salt$ followed by a 22-character hash"
	}
	return out
}

// classifySHA1Crypt checks $sha1$rounds$salt$hash (28-character hash).
func classifySHA1Crypt(h string) Hash {
	out := Hash{Scheme: SchemeSHA1Crypt, Params: "$sha1$"}
	parts := strings.Split(h[6:], "$")
	if len(parts) < 3 {
		out.Problem = "want $sha1$rounds$salt$hash"
		return out
	}
	out.Params = "$sha1$" + parts[0] + "$"
	if d := parts[len(parts)-1]; len(d) != 28 || !cryptAlphabet(d) {
		out.Problem = fmt.Sprintf("hash part is %d characters, want 28", len(d))
	}
	return out
}

// classifyNT checks $3$$ + 32 lower-case hex digits.
func classifyNT(h string) Hash {
	out := Hash{Scheme: SchemeNT, Params: "$3$$"}
	if p := ClassifyDigest(h[4:]); p != "" {
		out.Problem = "NT " + p
	}
	return out
}

func classifySHA(h string) Hash {
	out := Hash{Scheme: SchemeSHA, Params: "{SHA}"}
	raw, err := base64.StdEncoding.DecodeString(h[5:])
	switch {
	case err != nil:
		out.Problem = "not valid base64"
	case len(raw) != 20:
		out.Problem = fmt.Sprintf("decodes to %d bytes, want 20", len(raw))
	}
	if out.Problem == "" {
		if _, err := gohtpasswd.AcceptSha(h); err != nil {
			out.Problem = "not a valid {SHA} hash"
		}
	}
	return out
}

func classifySSHA(h string) Hash {
	out := Hash{Scheme: SchemeSSHA, Params: "{SSHA}"}
	raw, err := base64.StdEncoding.DecodeString(h[6:])
	switch {
	case err != nil:
		out.Problem = "not valid base64"
	case len(raw) <= 20:
		out.Problem = fmt.Sprintf("decodes to %d bytes, want more than 20 (digest + salt)", len(raw))
	}
	return out
}

// ClassifyDigest checks an htdigest hash: 32 lower-case hex digits. It
// returns "" when valid, else a description without hash material.
func ClassifyDigest(h string) string {
	if len(h) != 32 {
		return fmt.Sprintf("hash is %d characters, want 32 hex digits", len(h))
	}
	upper := false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			upper = true
		default:
			return "hash has characters that are not hex digits"
		}
	}
	if upper {
		return "hash uses upper-case hex digits; Apache compares lower-case hex"
	}
	return ""
}

// Redact returns what may be printed of a hash: its safe parameters followed
// by "…", or "…" alone.
func Redact(h string) string {
	if h == "" {
		return ""
	}
	p := Classify(h).Params
	if p == "" || !strings.HasPrefix(h, p) {
		return "…"
	}
	if len(p) == len(h) {
		if Classify(h).Scheme == SchemePlain {
			return p + "…"
		}
		return p
	}
	return p + "…"
}
