package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules/format"
)

// fuzzTypes are the --type values, auto included.
var fuzzTypes = []string{"auto", "htpasswd", "htdigest", "htgroup", "nginx", "apache"}

// hashShapes turn a secret of hash characters into hashes of every scheme
// the servers read, and lines that hold them in every shape a file kind may
// misparse.
var hashShapes = []func(s string) string{
	func(s string) string { return "$apr1$" + s[:8] + "$" + s },
	func(s string) string { return "$2y$10$" + s },
	func(s string) string { return "{SHA}" + s + "=" },
	func(s string) string { return "$6$" + s[:8] + "$" + s },
	func(s string) string { return "$1$" + s[:8] + "$" + s },
}

var lineShapes = []string{
	"USER:HASH", "USER:HASH:comment", "USER:realm:HASH", "USER:HASH:HASH", "# USER:HASH", "USER HASH",
	"USER: HASH", "USER:HASH # note", " USER:HASH", "USER:HASH\r", "HASH", "USER:{HASH}",
	"auth_basic_user_file HASH;", "AuthUserFile HASH", "USER:HASH:Admin:extra",
}

// hashAlphabet maps fuzz bytes to hash characters.
const hashAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// secretFrom makes a secret of at least 22 hash characters from b.
func secretFrom(b []byte) string {
	var sb strings.Builder
	for i := 0; sb.Len() < 22 || i < len(b) && sb.Len() < 64; i++ {
		c := byte(i*7 + 3)
		if i < len(b) {
			c = b[i]
		}
		sb.WriteByte(hashAlphabet[int(c)%len(hashAlphabet)])
	}
	return sb.String()
}

// tails are the 8-byte windows of a secret that the output must not hold.
// Windows of lower-case letters only, which the prose of messages can
// hold, are skipped, and so are windows the other input holds.
func tails(secret, other string) []string {
	var out []string
	for i := 0; i+8 <= len(secret); i++ {
		w := secret[i : i+8]
		if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") == "" || strings.Contains(other, w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// checkOutput fails when an output is not valid in its format or holds a
// tail of the secret.
func checkOutput(t *testing.T, what, fmtName, out string, secretTails []string) {
	t.Helper()
	for _, w := range secretTails {
		if strings.Contains(out, w) {
			t.Fatalf("%s: %s output holds %q of the hash:\n%.2000s", what, fmtName, w, out)
		}
	}
	switch fmtName {
	case "json", "sarif":
		if !json.Valid([]byte(out)) {
			t.Fatalf("%s: invalid %s output:\n%.2000s", what, fmtName, out)
		}
	case "checkstyle":
		d := xml.NewDecoder(strings.NewReader(out))
		for {
			if _, err := d.Token(); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: invalid checkstyle XML: %v\n%.2000s", what, err, out)
			}
		}
	case "text", "github":
		if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
			t.Fatalf("%s: raw control byte %q in %s output:\n%q", what, out[i], fmtName, out)
		}
	}
}

// FuzzNoHashInOutput writes a file of hash-bearing lines and lints it as
// every --type in every --format: no output may hold 8 consecutive
// characters of the hash beyond its scheme prefix, whatever the file kind
// makes of the line.
func FuzzNoHashInOutput(f *testing.F) {
	f.Add([]byte("Lw6Vy0JqGF2Z1cLbB8OdA/xyz"), "alice", uint8(0), uint8(0))
	f.Add([]byte("0123456789abcdefghijkl"), "bob", uint8(2), uint8(1))
	f.Add([]byte("QUqP5cyxm6YcTAhz05Hph5gvu9M"), "carol", uint8(3), uint8(2))
	f.Add([]byte("\xff\x00abc"), "d\x1bave", uint8(12), uint8(4))
	f.Fuzz(func(t *testing.T, seed []byte, user string, lineShape, hashShape uint8) {
		if len(user) > 64 || strings.ContainsAny(user, "\n\r:") {
			return
		}
		secret := secretFrom(seed)
		hash := hashShapes[int(hashShape)%len(hashShapes)](secret)
		shape := lineShapes[int(lineShape)%len(lineShapes)]
		line := strings.ReplaceAll(strings.ReplaceAll(shape, "USER", user), "HASH", hash)
		content := "ok:$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/\n" + line + "\n" + line + "\n"
		dir := t.TempDir()
		path := filepath.Join(dir, "users")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		secretTails := tails(secret, user+dir)
		for _, typ := range fuzzTypes {
			for _, name := range format.Names() {
				code, stdout, stderr := runCLI(t, []string{"--type", typ, "--format", name, "--fail-on", "never", path}, "")
				what := "--type " + typ + " " + strings.TrimSuffix(line, "\r")
				if code != 0 && code != 3 {
					t.Fatalf("%s: exit %d: %s", what, code, stderr)
				}
				checkOutput(t, what, name, stdout, secretTails)
				checkOutput(t, what, "stderr", stderr, secretTails)
			}
		}
	})
}
