package htpasswd

import (
	"strings"
	"testing"
)

// Hashes made with the real tools from throwaway passwords (see each comment).
func TestClassify(t *testing.T) {
	tests := []struct {
		name, hash string
		scheme     Scheme
		params     string
		cost       int
		problem    string // substring; "" = valid
	}{
		// htpasswd -nbB -C 10 alice alice-pw
		{"bcrypt", "$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm", SchemeBcrypt, "$2y$10$", 10, ""},
		{"bcrypt truncated", "$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZH", SchemeBcrypt, "$2y$10$", 10, "want 53"},
		{"bcrypt cost 3", "$2y$03$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm", SchemeBcrypt, "$2y$03$", 3, "outside 04-31"},
		{"bcrypt 2b", "$2b$05$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm", SchemeBcrypt, "$2b$05$", 5, ""},
		// testdata/seeds/01-crlf-line-endings.htpasswd: $apr1$saltsalt$… (password "password")
		{"apr1", "$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/", SchemeAPR1, "$apr1$", 0, ""},
		{"apr1 short", "$apr1$saltsalt$yAAkm4libquA.ZWL", SchemeAPR1, "$apr1$", 0, "digest is 16"},
		{"apr1 long salt", "$apr1$saltsalt9$yAAkm4libquA.ZWLHbSBq/", SchemeAPR1, "$apr1$", 0, "salt is 9"},
		{"md5crypt", "$1$D89ubl/e$dJ8XW4DfrJHTrnwCdx3Ji1", SchemeMD5Crypt, "$1$", 0, ""},
		// htpasswd -nb5 alice alice-pw
		{"sha512", "$6$occCr4nNJlM1bhjg$csKM4lal2VqHu7.wrsgWqzF1t3hDr3Ymhyvdbuwsoy.8hEGJ6ncOVomFtW3U3I3VPprITVIhcKEjmyqFUdbLp/", SchemeSHA512Crypt, "$6$", 0, ""},
		{"sha512 long salt", "$6$occCr4nNJlM1bhjgXX$csKM4lal2VqHu7.wrsgWqzF1t3hDr3Ymhyvdbuwsoy.8hEGJ6ncOVomFtW3U3I3VPprITVIhcKEjmyqFUdbLp/", SchemeSHA512Crypt, "$6$", 0, "salt is 18"},
		{"sha512 rounds", "$6$rounds=10000$occCr4nNJlM1bhjg$csKM4lal2VqHu7.wrsgWqzF1t3hDr3Ymhyvdbuwsoy.8hEGJ6ncOVomFtW3U3I3VPprITVIhcKEjmyqFUdbLp/", SchemeSHA512Crypt, "$6$rounds=10000$", 10000, ""},
		{"sha512 rounds low", "$6$rounds=10$occCr4nNJlM1bhjg$csKM4lal2VqHu7.wrsgWqzF1t3hDr3Ymhyvdbuwsoy.8hEGJ6ncOVomFtW3U3I3VPprITVIhcKEjmyqFUdbLp/", SchemeSHA512Crypt, "$6$rounds=10$", 10, "outside"},
		{"sha1", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", SchemeSHA, "{SHA}", 0, ""},
		{"sha1 short", "{SHA}W6ph5Mm5Pz8GgiULbPgzG3==", SchemeSHA, "{SHA}", 0, "want 20"},
		{"sha1 lower", "{sha}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", SchemeUnknown, "", 0, ""},
		{"apr1 upper", "$APR1$saltsalt$yAAkm4libquA.ZWLHbSBq/", SchemeUnknown, "", 0, ""},
		{"plain", "{PLAIN}password", SchemePlain, "{PLAIN}", 0, ""},
		{"des", "OsschDcxqNMQ2", SchemeDES, "", 0, ""},
		{"verdaccio not des", "$6vkdNgRX2npc", SchemeUnknown, "", 0, ""},
		{"plaintext", "s3cret", SchemeUnknown, "", 0, ""},
		{"empty", "", SchemeEmpty, "", 0, ""},
		{"null", "<NULL>", SchemeUnknown, "", 0, ""},
		{"nt", "$3$$8846f7eaee8fb117ad06bdd830b7586c", SchemeNT, "$3$$", 0, ""},
		{"bsdi", "_J9..CCCCXBrJUJV154M", SchemeBSDi, "_", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := Classify(tc.hash)
			if h.Scheme != tc.scheme || h.Params != tc.params || h.Cost != tc.cost {
				t.Errorf("got %v %q cost %d, want %v %q cost %d", h.Scheme, h.Params, h.Cost, tc.scheme, tc.params, tc.cost)
			}
			if (tc.problem == "") != (h.Problem == "") || !strings.Contains(h.Problem, tc.problem) {
				t.Errorf("problem %q, want %q", h.Problem, tc.problem)
			}
			assertNoLeak(t, tc.hash, h.Problem+" "+Redact(tc.hash))
		})
	}
}

// assertNoLeak fails when out contains 8 consecutive bytes of the hash
// beyond its printable parameters. Windows with a blank are skipped: no real
// salt or digest has one, while the messages' own prose does.
func assertNoLeak(t *testing.T, hash, out string) {
	t.Helper()
	secret := strings.TrimPrefix(hash, Classify(hash).Params)
	if Classify(hash).Scheme == SchemePlain {
		secret = strings.TrimPrefix(hash, "{PLAIN}")
	}
	out = strings.ReplaceAll(out, Classify(hash).Params, "")
	const w = 8
	for i := 0; i+w <= len(secret); i++ {
		win := secret[i : i+w]
		if !strings.ContainsAny(win, " \t") && strings.Contains(out, win) && !strings.Contains(problemProse, win) &&
			!strings.Contains(Classify(hash).Params, win) {
			t.Fatalf("output %q leaks hash material %q", out, win)
		}
	}
}

func TestPlatformSupports(t *testing.T) {
	if !PlatformLibxcrypt.Supports(SchemeYescrypt) || PlatformGlibc.Supports(SchemeBcrypt) ||
		!PlatformMusl.Supports(SchemeBcrypt) || PlatformPortable.Supports(SchemeSHA512Crypt) ||
		PlatformLibxcrypt.Supports(SchemeAPR1) {
		t.Fatal("platform table is wrong")
	}
	for _, s := range []string{"libxcrypt", "glibc", "musl", "portable"} {
		p, err := ParsePlatform(s)
		if err != nil || p.String() != s {
			t.Errorf("ParsePlatform(%q) = %v, %v", s, p, err)
		}
	}
	if _, err := ParsePlatform("windows"); err == nil {
		t.Error("ParsePlatform accepted an unknown platform")
	}
}

// problemProse is every fixed text Problem messages are built from.
const problemProse = "bcrypt cost must be two digits followed by '$' bcrypt cost is not a number outside 04-31 " +
	"bcrypt salt and digest are characters, want 53 (22 + 31) has characters outside ./A-Za-z0-9 cost field is inconsistent " +
	"no '$' after the salt salt is characters, at most 8 are used digest is want 22 ./0-9A-Za-z not a valid apr1 hash " +
	"rounds= is not a number followed by '$' is outside 1000-999999999 (crypt(3) clamps it, so the hash never matches) " +
	"crypt(3) uses at most 16, want $params$salt$hash hash part is want 43 of want $7$ + parameters + salt$hash " +
	"want $md5$salt$ followed by a 22-character hash want $sha1$rounds$salt$hash not valid base64 decodes to bytes, want 20 " +
	"not a valid {SHA} hash want more than 20 (digest + salt) hash is characters, want 32 hex digits " +
	"hash has characters that are not hex digits hash uses upper-case hex digits; Apache compares lower-case hex NT "
