package apachemodel

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/serverfs"
)

// UserFileProblem says why httpd cannot open a user or group file: what
// mod_authn_file logs as AH01620 (and answers 500 for) and
// mod_authz_groupfile as AH01665.
type UserFileProblem struct {
	Path   string
	Reason string
}

func (p *UserFileProblem) Error() string { return p.Path + ": " + p.Reason }

// ReadUserFile reads a user, digest or group file as the worker account
// would open it (ap_pcfg_openfile): a missing file, a directory (AH00554,
// "not a regular file") and a file the workers cannot read are problems.
// acc is the workers' account (Worker); nil when the run cannot check
// permissions for it.
func ReadUserFile(fsys serverfs.FS, acc *serverfs.Account, p string) ([]byte, error) {
	if p == htaccess.DevNull {
		return []byte{}, nil // the one non-regular name ap_pcfg_openfile reads: empty
	}
	st, err := fsys.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &UserFileProblem{p, "does not exist"}
	case err != nil:
		return nil, &UserFileProblem{p, err.Error()}
	case !st.Mode().IsRegular():
		return nil, &UserFileProblem{p, "is not a regular file"}
	}
	if acc != nil {
		if prob := serverfs.CheckReadable(fsys, p, *acc); prob != nil {
			return nil, &UserFileProblem{p, prob.Error()}
		}
	}
	data, err := fsys.ReadFile(p)
	if err != nil {
		return nil, &UserFileProblem{p, err.Error()}
	}
	return data, nil
}

// UserLookup is what mod_authn_file found for a user.
type UserLookup struct {
	// Line is the line of the entry; 0 when the user was not found.
	Line int
	// Hash is the password field (Basic) or the HA1 (Digest).
	Hash string
	// Stop is set when a line too long for httpd's buffer ended the
	// reading before the user was found.
	Stop *CfgStop
}

// LookupPassword is mod_authn_file's check_password search: the first
// line (after ap_cfg_getline, '#' and empty lines skipped) whose text
// before the first ':' is user; the hash is the next field.
func LookupPassword(data []byte, user string) UserLookup {
	var out UserLookup
	out.Stop = ReadCfgLines(data, func(l CfgLine) bool {
		if l.Text == "" || l.Text[0] == '#' {
			return true
		}
		w, rest := apGetword(l.Text, ':')
		if w != user {
			return true
		}
		out.Line = l.Line
		out.Hash, _ = apGetword(rest, ':')
		return false
	})
	return out
}

// LookupRealmHash is mod_authn_file's get_realm_hash (Digest, and Basic
// with AuthBasicUseDigestAlgorithm MD5): the first line whose first two
// fields are user and realm; the hash is the third.
func LookupRealmHash(data []byte, user, realm string) UserLookup {
	var out UserLookup
	out.Stop = ReadCfgLines(data, func(l CfgLine) bool {
		if l.Text == "" || l.Text[0] == '#' {
			return true
		}
		w, rest := apGetword(l.Text, ':')
		x, rest := apGetword(rest, ':')
		if w != user || x != realm {
			return true
		}
		out.Line = l.Line
		out.Hash, _ = apGetword(rest, ':')
		return false
	})
	return out
}

// GroupsOf is mod_authz_groupfile's groups_for_user: every group whose
// line lists user among its whitespace-separated (ap_getword_conf)
// members, on any of the group's lines.
func GroupsOf(data []byte, user string) (groups map[string]bool, stop *CfgStop) {
	groups = map[string]bool{}
	stop = ReadCfgLines(data, func(l CfgLine) bool {
		if l.Text == "" || l.Text[0] == '#' {
			return true
		}
		name, rest := apGetword(l.Text, ':')
		for rest != "" {
			var w string
			w, rest = apGetwordConf(rest)
			if w == user {
				groups[name] = true
				break
			}
		}
		return true
	})
	return groups, stop
}

// PasswordCheck is whether Apache accepts a password for a stored hash.
type PasswordCheck struct {
	Match bool
	// Known is false when only the platform's crypt(3) could tell and
	// authlint cannot run it: Match is then the likely answer.
	Known bool
	// Why explains the answer, without hash material.
	Why string
}

// CheckPassword is apr_password_validate as Apache 2.4 runs it: bcrypt
// $2y$/$2a$ (bundled), $apr1$ and {SHA} natively, everything else through
// the platform's crypt(3) and a string compare, so {SSHA}, {PLAIN}, plain
// text and schemes the platform's crypt(3) lacks never match. password
// nil means "the right one": it matches wherever the scheme can.
func CheckPassword(hash string, password *string, pf htpasswd.Platform) PasswordCheck {
	c := htpasswd.Classify(hash)
	native := strings.HasPrefix(hash, "$2y$") || strings.HasPrefix(hash, "$2a$") ||
		strings.HasPrefix(hash, "$apr1$") || strings.HasPrefix(hash, "{SHA}")
	switch {
	case c.Scheme == htpasswd.SchemeEmpty:
		return PasswordCheck{Known: true, Why: "the hash is empty: no password gives it"}
	case c.Scheme == htpasswd.SchemeSSHA || c.Scheme == htpasswd.SchemePlain:
		return PasswordCheck{Known: true, Why: fmt.Sprintf("Apache does not know the %s scheme: it hands it to crypt(3), which never gives it", c.Scheme)}
	case c.Scheme == htpasswd.SchemeUnknown:
		return PasswordCheck{Known: true, Why: "the hash is no scheme crypt(3) knows (plain text or damaged): Apache compares crypt(3)'s answer with it, which never matches"}
	case !native && !pf.Supports(c.Scheme):
		return PasswordCheck{Known: true, Why: fmt.Sprintf("Apache hands %s to crypt(3), which on --platform %s does not know it: never matches", c.Scheme, pf)}
	case c.Problem != "":
		return PasswordCheck{Known: true, Why: fmt.Sprintf("the %s hash is malformed (%s): no password gives it", c.Scheme, c.Problem)}
	}
	how := "natively"
	if !native {
		how = "through crypt(3)"
	}
	if password == nil {
		return PasswordCheck{Match: true, Known: true, Why: fmt.Sprintf("Apache verifies %s %s; the right password is assumed", c.Scheme, how)}
	}
	switch htpasswd.Verify(hash, *password) {
	case htpasswd.Match:
		return PasswordCheck{Match: true, Known: true, Why: fmt.Sprintf("the password matches the %s hash (verified %s)", c.Scheme, how)}
	case htpasswd.CannotVerify:
		return PasswordCheck{Match: true, Known: false, Why: fmt.Sprintf("only crypt(3) verifies %s: whether the password matches cannot be checked here (assumed it does)", c.Scheme)}
	}
	return PasswordCheck{Known: true, Why: fmt.Sprintf("the password does not match the %s hash", c.Scheme)}
}

// DigestHA1 is the HA1 a Digest user file stores: md5(user:realm:password)
// in lower-case hex, the form mod_auth_digest compares.
func DigestHA1(user, realm, password string) string {
	sum := md5.Sum([]byte(user + ":" + realm + ":" + password))
	return hex.EncodeToString(sum[:])
}
