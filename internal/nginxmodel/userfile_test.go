package nginxmodel

import (
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
)

func TestFindUser(t *testing.T) {
	tests := []struct {
		name, file, user string
		found            bool
		line             int
		hash             string
		shadowed, missed []int
	}{
		{"first line", "alice:{PLAIN}a\nbob:{PLAIN}b\n", "bob", true, 2, "{PLAIN}b", nil, nil},
		{"first wins", "alice:{PLAIN}a\nalice:{PLAIN}z\n", "alice", true, 1, "{PLAIN}a", []int{2}, nil},
		{"comment and CR lines", "#alice:{PLAIN}x\n\r\nalice:{PLAIN}a", "alice", true, 3, "{PLAIN}a", nil, nil},
		{"empty lines", "\n\nalice:{PLAIN}a\r\n", "alice", true, 3, "{PLAIN}a", nil, nil},
		{"hash ends at colon", "alice:{PLAIN}pa:ss\n", "alice", true, 1, "{PLAIN}pa", nil, nil},
		{"no trimming", "alice:{PLAIN}a  \n", "alice", true, 1, "{PLAIN}a  ", nil, nil},
		{"BOM", "\xef\xbb\xbfalice:{PLAIN}a\nbob:{PLAIN}b\n", "alice", false, 0, "", nil, []int{1}},
		{"leading blank", "  alice:{PLAIN}a\n", "alice", false, 0, "", nil, []int{1}},
		{"space before colon", "alice :{PLAIN}a\n", "alice", false, 0, "", nil, []int{1}},
		{"name is a prefix", "alice2:{PLAIN}a\n", "alice", false, 0, "", nil, nil},
		{"colon-less prefix hides the next line", "bo\nbob:{PLAIN}b\ncarol:{PLAIN}c\n", "bob", false, 0, "", nil, []int{2}},
		{"colon-less equal name hides the next line", "alice\nalice:{PLAIN}a\n", "alice", false, 0, "", nil, []int{2}},
		{"a blank line cures it", "bo\n\nbob:{PLAIN}b\n", "bob", true, 3, "{PLAIN}b", nil, nil},
		{"CR-only endings: the first user", "alice:{PLAIN}a\rbob:{PLAIN}b\r", "alice", true, 1, "{PLAIN}a", nil, nil},
		{"CR-only endings: the next users are lost", "alice:{PLAIN}a\rbob:{PLAIN}b\r", "bob", false, 0, "", nil, []int{1}},
		{"empty hash", "alice:\nbob:x\n", "alice", true, 1, "", nil, nil},
		{"no newline at the end", "alice:{PLAIN}a", "alice", true, 1, "{PLAIN}a", nil, nil},
		{"empty file", "", "alice", false, 0, "", nil, nil},
	}
	for _, tc := range tests {
		got := FindUser([]byte(tc.file), tc.user)
		if got.Found != tc.found || got.Line != tc.line || got.Hash != tc.hash {
			t.Errorf("%s: found=%v line=%d hash=%q; want %v %d %q", tc.name, got.Found, got.Line, got.Hash, tc.found, tc.line, tc.hash)
		}
		if !slices.Equal(got.Shadowed, tc.shadowed) || !slices.Equal(got.Missed, tc.missed) {
			t.Errorf("%s: shadowed %v missed %v; want %v %v", tc.name, got.Shadowed, got.Missed, tc.shadowed, tc.missed)
		}
		if len(got.Why) != len(got.Missed) {
			t.Errorf("%s: %d reasons for %d missed lines", tc.name, len(got.Why), len(got.Missed))
		}
	}
}

func TestCrypt(t *testing.T) {
	// Throwaway passwords: alice-pw (htpasswd -nbB -C 10, htpasswd -nbm).
	const (
		bcrypt = "$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm"
		apr1   = "$apr1$jdN6AlJu$oLKF2qXJqAj7nagjBgEpQ/"
	)
	pw := func(s string) *string { return &s }
	lx, glibc, portable := htpasswd.PlatformLibxcrypt, htpasswd.PlatformGlibc, htpasswd.PlatformPortable
	tests := []struct {
		name     string
		hash     string
		password *string
		platform htpasswd.Platform
		status   int
		certain  bool
		text     string
	}{
		{"bcrypt right", bcrypt, pw("alice-pw"), lx, 0, true, "matches"},
		{"bcrypt wrong", bcrypt, pw("nope"), lx, 401, true, "does not match"},
		{"bcrypt assumed", bcrypt, nil, lx, 0, true, "assumed"},
		{"bcrypt on glibc", bcrypt, nil, glibc, 500, true, "NULL"},
		{"bcrypt on a platform not known", bcrypt, nil, portable, 401, false, "depending"},
		{"bcrypt truncated", bcrypt[:40], nil, lx, 401, true, "malformed"},
		{"apr1 is nginx's own", apr1, nil, glibc, 0, true, "itself"},
		{"apr1 right", apr1, pw("alice-pw"), lx, 0, true, "matches"},
		{"apr1 wrong", apr1, pw("alice"), lx, 401, true, "does not match"},
		{"plain text never matches", "alice-pw", pw("alice-pw"), lx, 401, true, "failure token"},
		{"plain text on glibc is DES-hashed", "alice-pw", pw("alice-pw"), glibc, 401, true, "DES"},
		{"empty hash", "", nil, lx, 401, true, "empty"},
		{"empty hash on glibc", "", nil, glibc, 500, true, "NULL"},
		{"{PLAIN}", "{PLAIN}s3cret", pw("s3cret"), lx, 0, true, "matches"},
		{"DES cannot be verified here", "abJnggxhB/yWI", pw("x"), lx, 0, false, "cannot be verified"},
		{"DES assumed", "abJnggxhB/yWI", nil, lx, 0, true, "assumed"},
	}
	for _, tc := range tests {
		got := Crypt(tc.hash, tc.password, tc.platform)
		if got.Status != tc.status || got.Certain != tc.certain || !strings.Contains(got.Text, tc.text) {
			t.Errorf("%s: %+v; want status %d certain %v text ~ %q", tc.name, got, tc.status, tc.certain, tc.text)
		}
		if len(tc.hash) > 10 && strings.Contains(got.Text, tc.hash[10:]) {
			t.Errorf("%s: the text shows hash material: %q", tc.name, got.Text)
		}
	}
}
