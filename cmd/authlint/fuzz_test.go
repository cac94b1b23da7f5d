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

// FuzzCLI lints a temporary tree holding every file kind (an nginx
// configuration, an Apache configuration with a .htaccess below its
// document root, password, digest and group files they reference) in
// every format: the run never panics, exits 0, 1 or 3, writes valid JSON,
// SARIF and checkstyle and terminal-safe text and github output, and no
// output holds 8 characters of the hashes the user files hold (the
// fuzzed texts are appended to files with known hashes).
func FuzzCLI(f *testing.F) {
	nginx := "events {}\nhttp { server { listen 80; root DIR/www; location / { auth_basic \"r\"; auth_basic_user_file DIR/users.htpasswd; } location /d { auth_basic off; } } }\n"
	apache := "ServerRoot DIR\nDocumentRoot DIR/www\n<Directory DIR/www>\nAllowOverride All\nAuthType Basic\nAuthName \"r\"\nAuthUserFile DIR/users.htpasswd\nAuthGroupFile DIR/groups\nRequire group admins\n</Directory>\n"
	htaccess := "AuthType Digest\nAuthName \"realm\"\nAuthUserFile DIR/users.htdigest\nRequire valid-user\n"
	f.Add(nginx, apache, htaccess, "bob:$2y$05$abcdefghijklmnopqrstuu5Zs1y1Qe5Kk3Zq3c0uE1U9nE8w6mEQe\n")
	f.Add("http { include DIR/*.conf; }", "Include DIR/*.conf\n<Directory />\n", "<Limit GET>\nRequire all granted\n", "alice:$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/:c\n")
	f.Add("http { "+strings.Repeat("location / { ", 200), "<Directory /x>\n"+strings.Repeat("<If true>\n", 200), "\x1b[31m\a\r\x00", "u\x1b]0;x\a:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=\n")
	const users = "ok:$apr1$kNown123$Q8vH4XnZbT2pLm6RwYsKc/\n"
	const digest = "ok:realm:5f4dcc3b5aa765d61d8327deb882cf99\n"
	const secret1, secret2 = "Q8vH4XnZbT2pLm6RwYsKc/", "5f4dcc3b5aa765d61d8327deb882cf99"
	f.Fuzz(func(t *testing.T, nginxConf, apacheConf, htaccess, userLines string) {
		if len(nginxConf)+len(apacheConf)+len(htaccess)+len(userLines) > 1<<14 {
			return
		}
		dir := t.TempDir()
		fill := func(s string) string { return strings.ReplaceAll(s, "DIR", dir) }
		for name, data := range map[string]string{
			"nginx.conf":      fill(nginxConf),
			"apache2.conf":    fill(apacheConf),
			"www/.htaccess":   fill(htaccess),
			"users.htpasswd":  users + userLines,
			"users.htdigest":  digest + userLines,
			"groups":          "admins: ok\n" + userLines,
			"www/index.html":  "hi\n",
			"extra.conf":      fill(nginxConf),
			"conf.d/x.conf":   fill(apacheConf),
			"www/sub/.htpass": userLines,
		} {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		inputs := nginxConf + apacheConf + htaccess + userLines + dir
		secretTails := append(tails(secret1, inputs), tails(secret2, inputs)...)
		for _, name := range format.Names() {
			code, stdout, stderr := runCLI(t, []string{"--format", name, "--fail-on", "error", dir}, "")
			if code != 0 && code != 1 && code != 3 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkOutput(t, "tree", name, stdout, secretTails)
			checkOutput(t, "tree", "stderr", stderr, secretTails)
		}
	})
}
