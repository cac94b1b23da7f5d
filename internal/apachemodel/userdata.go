package apachemodel

import (
	"bytes"
	"encoding/hex"
	"strings"

	"github.com/authlint/authlint/internal/serverfs"
)

// UserData is what httpd's mod_authn_file / mod_authz_groupfile would see
// in a user, digest or group file: the names it can match.
type UserData struct {
	// Users are the names of password lines (text before the first ':').
	Users map[string]bool
	// Realms are the second fields of three-field (htdigest) lines.
	Realms map[string]bool
	// Digest and Basic count htdigest-shaped (user:realm:32 hex) and other
	// entry lines.
	Digest, Basic int
	// Groups are the group names of a group file.
	Groups map[string]bool
}

// maxUserData bounds what the config rules read of one file.
const maxUserData = 64 << 20

// readUserData reads a file the way httpd's line reader does (trimmed lines,
// '#' lines and blank lines skipped); nil when it cannot be read.
func readUserData(fsys serverfs.FS, path string) *UserData {
	if st, err := fsys.Stat(path); err != nil || !st.Mode().IsRegular() || st.Size() > maxUserData {
		return nil
	}
	data, err := fsys.ReadFile(path)
	if err != nil {
		return nil
	}
	d := &UserData{Users: map[string]bool{}, Realms: map[string]bool{}, Groups: map[string]bool{}}
	for _, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' {
			continue
		}
		user, rest, _ := strings.Cut(line, ":")
		d.Users[user] = true
		d.Groups[user] = true
		realm, hash, three := strings.Cut(rest, ":")
		if three && len(hash) == 32 && isHexDigest(hash) {
			d.Digest++
			d.Realms[realm] = true
		} else {
			d.Basic++
		}
	}
	return d
}

// GroupMembers returns the members of group in a group file (whitespace
// separated, like ap_getword_conf).
func GroupMembers(fsys serverfs.FS, path, group string) (members []string, found bool) {
	data, err := fsys.ReadFile(path)
	if err != nil {
		return nil, false
	}
	for _, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, ok := strings.Cut(line, ":")
		if ok && name == group {
			return strings.Fields(rest), true
		}
	}
	return nil, false
}

// isHexDigest reports whether s is hexadecimal (an htdigest HA1).
func isHexDigest(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// UserData is what httpd would see in the user, digest or group file at
// path, read through fsys once per path and model; nil when it cannot be
// read.
func (m *Model) UserData(fsys serverfs.FS, path string) *UserData {
	m.userMu.Lock()
	defer m.userMu.Unlock() // held while reading: each file is read once
	if d, ok := m.userFiles[path]; ok {
		return d
	}
	d := readUserData(fsys, path)
	if m.userFiles == nil {
		m.userFiles = map[string]*UserData{}
	}
	m.userFiles[path] = d
	return d
}
