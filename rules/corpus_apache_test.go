package rules_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/rules"
)

// TestApacheCorpusQuiet lints the Apache configs of the corpus that real
// Apache accepts: Debian's /etc/apache2 (mapped to its server path),
// httpd's own 2.4.x defaults, h5bp's httpd.conf, vhosts and .htaccess, and
// every augeas case that `apache2 -t` says Syntax OK to. None may give a
// syntax finding or an error.
func TestApacheCorpusQuiet(t *testing.T) {
	base := filepath.Join(corpusDir(t), "apache")
	type input struct {
		path string
		fsys serverfs.FS
	}
	var inputs []input
	debian := filepath.Join(base, "debian-etc-apache2", "etc-apache2")
	inputs = append(inputs, input{filepath.Join(debian, "apache2.conf"),
		serverfs.NewMapFS([]serverfs.Mapping{{Server: "/etc/apache2", Local: debian}}, false)})

	httpd := rebuildHTTPDDefaults(t, filepath.Join(base, "httpd-defaults", "2.4.x"))
	inputs = append(inputs, input{filepath.Join(httpd, "conf", "httpd.conf"),
		serverfs.NewMapFS([]serverfs.Mapping{{Server: "/usr/local/apache2", Local: httpd}}, false)})

	h5bp := rebuildFlat(t, filepath.Join(base, "h5bp-server-configs-apache"), "h5bp__server-configs-apache__")
	h5bpFS := serverfs.NewMapFS([]serverfs.Mapping{{Server: "/usr/local/apache2", Local: h5bp}}, false)
	for _, m := range []string{"httpd.conf", "vhosts/000-no-ssl-default.conf", "vhosts/templates/example.com.conf",
		"test/vhosts/server.localhost.conf", "dist/.htaccess"} {
		inputs = append(inputs, input{filepath.Join(h5bp, m), h5bpFS})
	}

	augeas := filepath.Join(base, "augeas")
	for _, name := range acceptedAugeasCases(t, filepath.Join(augeas, "INDEX.tsv")) {
		inputs = append(inputs, input{filepath.Join(augeas, name), nil})
	}
	// Warnings that are true of a file Apache accepts only by luck: in
	// case 25 httpd ignores the "</IfModule>" after "</VirtualHost>" on the
	// same line, so the <IfModule> is closed by the end of the file, which
	// httpd accepts only while mod_ssl is loaded (letsencrypt issue 1693).
	tolerated := map[string]bool{"25-two-closing-tags-one-line.conf": true}
	if len(inputs) < 20 {
		t.Fatalf("only %d corpus inputs", len(inputs))
	}
	counts := map[string]int{}
	defer logCounts(t, counts)
	for _, in := range inputs {
		res, err := rules.Lint(rules.Config{Paths: []string{in.path}, Type: filekind.Apache, Servers: rules.AnyServer,
			Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All(), FS: in.fsys})
		if err != nil {
			t.Errorf("%s: %v", in.path, err)
			continue
		}
		for _, f := range res.Findings {
			counts[f.Severity.String()+" "+f.RuleID]++
			if f.Severity != rules.Error && tolerated[filepath.Base(in.path)] {
				continue
			}
			if f.Severity == rules.Error || f.RuleID == "AP000" {
				t.Errorf("%s: [%s] %s:%d %s", in.path, f.RuleID, f.File, f.Span.Start.Line, f.Message)
			}
		}
	}
}

// acceptedAugeasCases lists the augeas cases real Apache accepts.
func acceptedAugeasCases(t *testing.T, index string) []string {
	t.Helper()
	f, err := os.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) >= 4 && !strings.HasPrefix(cols[0], "#") && strings.HasPrefix(cols[3], "Syntax OK") {
			out = append(out, cols[0])
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d accepted augeas cases in %s", len(out), index)
	}
	return out
}

// rebuildHTTPDDefaults renders httpd's 2.4.x templates into a ServerRoot
// tree (placeholders replaced, the extra/ includes enabled) and returns it.
func rebuildHTTPDDefaults(t *testing.T, dir string) string {
	t.Helper()
	const root = "/usr/local/apache2"
	r := strings.NewReplacer(
		"@@ServerRoot@@", root, "@@Port@@", "80", "@@SSLPort@@", "443",
		"@@LoadModule@@", "LoadModule authz_core_module modules/mod_authz_core.so",
		"@rel_sysconfdir@", "conf", "@rel_logfiledir@", "logs", "@rel_runtimedir@", "logs",
		"@exp_cgidir@", root+"/cgi-bin", "@exp_errordir@", root+"/error",
		"@exp_htdocsdir@", root+"/htdocs", "@exp_iconsdir@", root+"/icons",
		"@exp_logfiledir@", root+"/logs", "@exp_manualdir@", root+"/manual",
		"@exp_runtimedir@", root+"/logs", "@exp_sysconfdir@", root+"/conf",
		"#Include conf/extra/", "Include conf/extra/",
	)
	out := t.TempDir()
	render := func(from, to string) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(out, to)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, []byte(r.Replace(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	render(filepath.Join(dir, "httpd.conf.in"), "conf/httpd.conf")
	extras, _ := filepath.Glob(filepath.Join(dir, "extra", "*.conf.in"))
	for _, p := range extras {
		render(p, filepath.Join("conf", "extra", strings.TrimSuffix(filepath.Base(p), ".in")))
	}
	return out
}

// rebuildFlat lays flattened corpus files ("prefix" + "a__b__c") out as the
// repository tree they come from and returns its root.
func rebuildFlat(t *testing.T, dir, prefix string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, prefix+"*"))
	if len(files) < 10 {
		t.Fatalf("%s: %d files", dir, len(files))
	}
	root := t.TempDir()
	for _, f := range files {
		rel := strings.ReplaceAll(strings.TrimPrefix(filepath.Base(f), prefix), "__", "/")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
