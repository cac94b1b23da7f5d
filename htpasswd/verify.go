package htpasswd

import (
	"crypto/subtle"
	"strings"

	gohtpasswd "github.com/tg123/go-htpasswd"
	"golang.org/x/crypto/bcrypt"
)

// Verification is what Verify can tell about a password.
type Verification int

// The answers of Verify.
const (
	// Mismatch: the password does not give the hash (or the hash is
	// malformed or empty, which no password gives).
	Mismatch Verification = iota
	// Match: the password gives the hash.
	Match
	// CannotVerify: only the platform's crypt(3) implements the scheme
	// (DES, yescrypt, ...): whether the password matches is not known here.
	CannotVerify
)

func (v Verification) String() string {
	return [...]string{"mismatch", "match", "cannot verify"}[v]
}

// Verify checks password against the stored hash h by the scheme's own
// definition, with golang.org/x/crypto's bcrypt and go-htpasswd's
// per-scheme verifiers (apr1 and $1$ MD5-crypt, $5$/$6$ SHA-crypt, {SHA},
// {SSHA}); {PLAIN} compares the text. It says nothing about whether a
// server supports the scheme: that is the caller's (Platform.Supports,
// and each server's own list). It never returns hash material.
func Verify(h, password string) Verification {
	var accept func(string) (gohtpasswd.EncodedPasswd, error)
	switch c := Classify(h); {
	case c.Problem != "" || c.Scheme == SchemeEmpty:
		return Mismatch
	case c.Scheme == SchemeBcrypt:
		if bcrypt.CompareHashAndPassword([]byte(h), []byte(password)) == nil {
			return Match
		}
		return Mismatch
	case c.Scheme == SchemeAPR1 || c.Scheme == SchemeMD5Crypt:
		accept = gohtpasswd.AcceptMd5
	case c.Scheme == SchemeSHA256Crypt || c.Scheme == SchemeSHA512Crypt:
		accept = gohtpasswd.AcceptCryptSha
	case c.Scheme == SchemeSHA:
		accept = gohtpasswd.AcceptSha
	case c.Scheme == SchemeSSHA:
		accept = gohtpasswd.AcceptSsha
	case c.Scheme == SchemePlain:
		if subtle.ConstantTimeCompare([]byte(strings.TrimPrefix(h, "{PLAIN}")), []byte(password)) == 1 {
			return Match
		}
		return Mismatch
	default:
		return CannotVerify
	}
	e, err := accept(h)
	if err != nil || e == nil {
		return Mismatch
	}
	if e.MatchesPassword(password) {
		return Match
	}
	return Mismatch
}
