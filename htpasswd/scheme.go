package htpasswd

import "fmt"

// Scheme is a password hash scheme.
type Scheme int

// The schemes authlint recognises.
const (
	SchemeUnknown      Scheme = iota // plaintext or unrecognised
	SchemeEmpty                      // empty hash
	SchemeBcrypt                     // $2a$ $2b$ $2x$ $2y$
	SchemeAPR1                       // $apr1$ (Apache MD5)
	SchemeMD5Crypt                   // $1$
	SchemeSHA256Crypt                // $5$
	SchemeSHA512Crypt                // $6$
	SchemeYescrypt                   // $y$
	SchemeGostYescrypt               // $gy$
	SchemeScrypt                     // $7$
	SchemeSunMD5                     // $md5$ / $md5,rounds=N$
	SchemeSHA1Crypt                  // $sha1$ (NetBSD)
	SchemeNT                         // $3$$ (NT hash)
	SchemeBSDi                       // _ (BSDi extended DES)
	SchemeDES                        // 13-character traditional DES crypt
	SchemeSHA                        // {SHA}
	SchemeSSHA                       // {SSHA}
	SchemePlain                      // {PLAIN}
)

// String returns the scheme's human name.
func (s Scheme) String() string {
	switch s {
	case SchemeUnknown:
		return "unknown"
	case SchemeEmpty:
		return "empty"
	case SchemeBcrypt:
		return "bcrypt"
	case SchemeAPR1:
		return "MD5-crypt (apr1)"
	case SchemeMD5Crypt:
		return "MD5-crypt"
	case SchemeSHA256Crypt:
		return "SHA-256-crypt"
	case SchemeSHA512Crypt:
		return "SHA-512-crypt"
	case SchemeYescrypt:
		return "yescrypt"
	case SchemeGostYescrypt:
		return "gost-yescrypt"
	case SchemeScrypt:
		return "scrypt"
	case SchemeSunMD5:
		return "SunMD5"
	case SchemeSHA1Crypt:
		return "SHA-1-crypt"
	case SchemeNT:
		return "NT hash"
	case SchemeBSDi:
		return "BSDi extended DES"
	case SchemeDES:
		return "DES crypt"
	case SchemeSHA:
		return "SHA-1 ({SHA})"
	case SchemeSSHA:
		return "salted SHA-1 ({SSHA})"
	case SchemePlain:
		return "plain text ({PLAIN})"
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

// Crypt reports whether a server hands the scheme to the C library's crypt(3)
// unless it implements it itself.
func (s Scheme) Crypt() bool {
	switch s {
	case SchemeUnknown, SchemeEmpty, SchemeSHA, SchemeSSHA, SchemePlain, SchemeAPR1:
		return false
	}
	return true
}

// Platform is the C library whose crypt(3) the server uses.
type Platform int

// The platforms.
const (
	// PlatformLibxcrypt is current Linux (Debian 12+, Ubuntu 22.04+, Fedora,
	// RHEL 9): every crypt scheme.
	PlatformLibxcrypt Platform = iota
	// PlatformGlibc is glibc's own libcrypt: DES, $1$, $5$, $6$.
	PlatformGlibc
	// PlatformMusl is musl (Alpine): DES, $1$, bcrypt, $5$, $6$.
	PlatformMusl
	// PlatformPortable assumes nothing of crypt(3).
	PlatformPortable
)

// String returns the --platform value.
func (p Platform) String() string {
	switch p {
	case PlatformLibxcrypt:
		return "libxcrypt"
	case PlatformGlibc:
		return "glibc"
	case PlatformMusl:
		return "musl"
	case PlatformPortable:
		return "portable"
	}
	return fmt.Sprintf("Platform(%d)", int(p))
}

// ParsePlatform parses a --platform value.
func ParsePlatform(s string) (Platform, error) {
	for _, p := range []Platform{PlatformLibxcrypt, PlatformGlibc, PlatformMusl, PlatformPortable} {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown platform %q (want libxcrypt, glibc, musl or portable)", s)
}

// Supports reports whether the platform's crypt(3) verifies the scheme.
func (p Platform) Supports(s Scheme) bool {
	if !s.Crypt() {
		return false
	}
	switch p {
	case PlatformLibxcrypt:
		return true
	case PlatformGlibc:
		return s == SchemeDES || s == SchemeMD5Crypt || s == SchemeSHA256Crypt || s == SchemeSHA512Crypt
	case PlatformMusl:
		return s == SchemeDES || s == SchemeMD5Crypt || s == SchemeSHA256Crypt || s == SchemeSHA512Crypt || s == SchemeBcrypt
	}
	return false
}
