package apachemodel

import (
	"slices"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
)

func TestReadCfgLines(t *testing.T) {
	long := func(n int) string { return "#" + strings.Repeat("x", n-1) }
	tests := []struct {
		name string
		data string
		want []CfgLine
		stop int // line of the CfgStop, 0 for none
	}{
		{"trimmed", "  alice:h1 \t\r\n\n# c\n\tbob:h2", []CfgLine{{1, "alice:h1"}, {2, ""}, {3, "# c"}, {4, "bob:h2"}}, 0},
		{"continuation", "a\\\nb\nc\\\r\nd\n", []CfgLine{{1, "ab"}, {3, "cd"}}, 0},
		{"cr only is one line", "a:1\rb:2\r", []CfgLine{{1, "a:1\rb:2"}}, 0},
		{"bom kept", "\xef\xbb\xbfalice:h\n", []CfgLine{{1, "\xef\xbb\xbfalice:h"}}, 0},
		{"8190 bytes fit", "a\n" + long(8190) + "\nb\n", []CfgLine{{1, "a"}, {2, long(8190)}, {3, "b"}}, 0},
		{"8191 bytes stop", "a\n" + long(8191) + "\nb\n", []CfgLine{{1, "a"}}, 2},
		{"8189 bytes and CRLF fit", long(8189) + "\r\nb\n", []CfgLine{{1, long(8189)}, {2, "b"}}, 0},
		{"last line without LF", "a\nb", []CfgLine{{1, "a"}, {2, "b"}}, 0},
		{"last line 8191 bytes without LF stops", "a\n" + long(8191), []CfgLine{{1, "a"}}, 2},
		{"NUL ends the text", "a\x00b\n", []CfgLine{{1, "a"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []CfgLine
			stop := ReadCfgLines([]byte(tt.data), func(l CfgLine) bool { got = append(got, l); return true })
			if !slices.Equal(got, tt.want) {
				t.Errorf("lines = %+v, want %+v", got, tt.want)
			}
			switch {
			case tt.stop == 0 && stop != nil:
				t.Errorf("stop at %d, want none", stop.Line)
			case tt.stop != 0 && (stop == nil || stop.Line != tt.stop):
				t.Errorf("stop = %v, want line %d", stop, tt.stop)
			}
		})
	}
}

func TestGetword(t *testing.T) {
	tests := []struct{ in, word, rest string }{
		{"alice:hash", "alice", "hash"},
		{"alice::hash", "alice", "hash"},
		{"alice hash", "alice hash", ""},
		{"alice :hash", "alice ", "hash"},
		{"a:b:c", "a", "b:c"},
	}
	for _, tt := range tests {
		if w, r := apGetword(tt.in, ':'); w != tt.word || r != tt.rest {
			t.Errorf("apGetword(%q) = %q, %q; want %q, %q", tt.in, w, r, tt.word, tt.rest)
		}
	}
	conf := []struct{ in, word, rest string }{
		{"  alice bob", "alice", "bob"},
		{`"a b" c`, "a b", "c"},
		{`'it\'s' x`, "it's", "x"},
		{"alice,bob carol", "alice,bob", "carol"},
		{"", "", ""},
	}
	for _, tt := range conf {
		if w, r := apGetwordConf(tt.in); w != tt.word || r != tt.rest {
			t.Errorf("apGetwordConf(%q) = %q, %q; want %q, %q", tt.in, w, r, tt.word, tt.rest)
		}
	}
}

func TestLookups(t *testing.T) {
	users := "# comment\n  alice:$apr1$x$y  \nalice:second\nbob\tnocolon\ncarol:Private:0123:extra\n"
	tests := []struct {
		user, hash string
		line       int
	}{
		{"alice", "$apr1$x$y", 2},
		{"bob", "", 0},
		{"bob\tnocolon", "", 4},
		{"carol", "Private", 5},
		{"#", "", 0},
	}
	for _, tt := range tests {
		got := LookupPassword([]byte(users), tt.user)
		if got.Line != tt.line || got.Hash != tt.hash {
			t.Errorf("LookupPassword(%q) = line %d hash %q; want %d %q", tt.user, got.Line, got.Hash, tt.line, tt.hash)
		}
	}
	if got := LookupRealmHash([]byte(users), "carol", "Private"); got.Line != 5 || got.Hash != "0123" {
		t.Errorf("LookupRealmHash = %+v", got)
	}
	if got := LookupRealmHash([]byte(users), "carol", "Staff"); got.Line != 0 {
		t.Errorf("LookupRealmHash in another realm = %+v", got)
	}
	groups := "admins: alice bob\nadmins: carol\nops: \"dave x\" alice,bob\n"
	for user, want := range map[string][]string{"alice": {"admins"}, "carol": {"admins"}, "dave x": {"ops"}, "bob": {"admins"}, "alice,bob": {"ops"}, "eve": nil} {
		got, _ := GroupsOf([]byte(groups), user)
		var names []string
		for g := range got {
			names = append(names, g)
		}
		slices.Sort(names)
		if !slices.Equal(names, want) {
			t.Errorf("GroupsOf(%q) = %v, want %v", user, names, want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	pw := func(s string) *string { return &s }
	const (
		bcryptY = "$2y$05$EiltXG.NxvJ1aIeSd5lZruweSV8a0kZkrC16Levrgo60NJru9F2qG" // "secret" (htpasswd -nbB -C 5)
		bcryptB = "$2b$05$EiltXG.NxvJ1aIeSd5lZruweSV8a0kZkrC16Levrgo60NJru9F2qG"
		sha     = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="                                         // "secret"
		ssha    = "{SSHA}KHQzbbDgqjRkfd7li1NBL7kI0D5oMzBM"                                    // "mickey5"
		yes     = "$y$j9T$iQFPoiWxNZXBXvrjqGKa3.$nbV5OTcue9P.6TDCj1w4/G/kpOH43N.KCvbKGYqeaxC" // "x" (mkpasswd -m yescrypt)
	)
	tests := []struct {
		name         string
		hash         string
		password     *string
		pf           htpasswd.Platform
		match, known bool
	}{
		{"bcrypt $2y$ native", bcryptY, pw("secret"), htpasswd.PlatformPortable, true, true},
		{"bcrypt wrong password", bcryptY, pw("nope"), htpasswd.PlatformLibxcrypt, false, true},
		{"bcrypt $2b$ through libxcrypt", bcryptB, pw("secret"), htpasswd.PlatformLibxcrypt, true, true},
		{"bcrypt $2b$ where crypt(3) lacks it", bcryptB, pw("secret"), htpasswd.PlatformGlibc, false, true},
		{"{SHA} native", sha, pw("secret"), htpasswd.PlatformPortable, true, true},
		{"{SSHA} never", ssha, pw("mickey5"), htpasswd.PlatformLibxcrypt, false, true},
		{"{PLAIN} never", "{PLAIN}secret", pw("secret"), htpasswd.PlatformLibxcrypt, false, true},
		{"plain text never", "secret", pw("secret"), htpasswd.PlatformLibxcrypt, false, true},
		{"empty never", "", pw(""), htpasswd.PlatformLibxcrypt, false, true},
		{"the right password assumed", bcryptY, nil, htpasswd.PlatformLibxcrypt, true, true},
		{"the right password but {SSHA}", ssha, nil, htpasswd.PlatformLibxcrypt, false, true},
		{"yescrypt cannot be checked here", yes, pw("x"), htpasswd.PlatformLibxcrypt, true, false},
		{"yescrypt on glibc never", yes, pw("x"), htpasswd.PlatformGlibc, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckPassword(tt.hash, tt.password, tt.pf)
			if got.Match != tt.match || got.Known != tt.known {
				t.Errorf("CheckPassword = %+v, want match %v known %v", got, tt.match, tt.known)
			}
		})
	}
}
