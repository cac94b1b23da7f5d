package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/rules"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/rules/format"
)

// TestNoSecretLeaves lints every password fixture of the project and the
// corpus in every output format and fails if any output holds 8 consecutive
// characters of a hash beyond its printable parameters, or of a password
// written in plain text (windows of lower-case letters only are skipped, as
// the messages' own prose is made of them).
func TestNoSecretLeaves(t *testing.T) {
	var files []string
	for _, pattern := range []string{
		"../../rules/testdata/PW*/*", "../../examples/*.htpasswd", "../../examples/*/*.htpasswd", "testdata/in/*",
		"../../testdata/scenarios/*/tree/conf/*.htpasswd",
		"../../../shared/corpus/htpasswd/*/*.ht*", "../../../shared/corpus/htpasswd/quirks/*.htpasswd",
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) < 50 {
		t.Fatalf("only %d files found", len(files))
	}
	// The rule docs are static text that SARIF embeds as help; their
	// examples show throwaway hashes on purpose, so text that also occurs
	// in a doc is not input leaking into the output.
	var docs strings.Builder
	for _, r := range rules.All() {
		docs.WriteString(r.Doc())
	}
	var secrets []string
	for _, f := range files {
		for _, s := range secretsOf(t, f) {
			if !strings.Contains(docs.String(), s) {
				secrets = append(secrets, s)
			}
		}
	}
	// The password files alone, and the scenario trees walked as they are
	// (configs reference their user files, linted in each server's flavour).
	scenarios, _ := filepath.Glob("../../testdata/scenarios/*/tree")
	runs := map[string][]string{
		"files": append([]string{"--type", "htpasswd"}, files...),
		"trees": scenarios,
	}
	for _, name := range format.Names() {
		for what, inputs := range runs {
			t.Run(name+"/"+what, func(t *testing.T) {
				args := append([]string{"--format", name, "--fail-on", "never"}, inputs...)
				code, stdout, stderr := runCLI(t, args, "")
				if code != 0 && code != 3 { // 3: a tree holds an unreadable or unrendered path
					t.Fatalf("exit %d: %s", code, stderr)
				}
				out := stdout + stderr
				if len(stdout) < 1000 {
					t.Fatalf("suspiciously little output: %q", stdout)
				}
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Fatalf("output in format %s contains hash material %q", name, s)
					}
				}
			})
		}
	}
}

// secretsOf returns 8-byte windows of every hash (and every unprefixed
// plaintext password) in a password file.
func secretsOf(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ":")
		if len(fields) < 2 || strings.HasSuffix(path, ".htgroup") {
			continue
		}
		hashes := fields[1:2] // user:hash[:extra]
		if last := fields[len(fields)-1]; len(fields) >= 3 && len(last) == 32 && strings.Trim(strings.ToLower(last), "0123456789abcdef") == "" {
			hashes = fields[len(fields)-1:] // user:realm:md5
		}
		for _, h := range hashes {
			secret := strings.TrimPrefix(h, htpasswd.Classify(h).Params)
			secret = strings.TrimPrefix(secret, "{PLAIN}")
			for i := 0; i+8 <= len(secret); i += 4 {
				w := secret[i : i+8]
				// Skip windows of lower-case letters only: English words such
				// as "password" appear in the messages themselves.
				if !strings.ContainsAny(w, " \t") && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
					out = append(out, w)
				}
			}
		}
	}
	return out
}
