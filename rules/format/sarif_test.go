package format

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/rules"
)

func TestSARIFRegion(t *testing.T) {
	pos := func(l, c int) position.Pos { return position.Pos{Line: int32(l), Col: int32(c)} }
	for _, tc := range []struct {
		name string
		span position.Span
		want *sarifRegion
	}{
		{"none", position.Span{}, nil},
		{"line only", position.Span{Start: pos(3, 0)}, &sarifRegion{StartLine: 3}},
		{"end of line", position.Span{Start: pos(3, 4)}, &sarifRegion{StartLine: 3, StartColumn: 4}},
		{"same line", position.Span{Start: pos(3, 4), End: pos(3, 9)}, &sarifRegion{StartLine: 3, StartColumn: 4, EndLine: 3, EndColumn: 9}},
		{"empty", position.Span{Start: pos(3, 4), End: pos(3, 4)}, &sarifRegion{StartLine: 3, StartColumn: 4}},
		{"backwards", position.Span{Start: pos(3, 4), End: pos(3, 2)}, &sarifRegion{StartLine: 3, StartColumn: 4}},
		{"no start column", position.Span{Start: pos(3, 0), End: pos(3, 5)}, &sarifRegion{StartLine: 3, EndLine: 3, EndColumn: 5}},
		{"multi-line", position.Span{Start: pos(3, 4), End: pos(5, 1)}, &sarifRegion{StartLine: 3, StartColumn: 4, EndLine: 5, EndColumn: 1}},
		{"multi-line no end column", position.Span{Start: pos(3, 4), End: pos(5, 0)}, &sarifRegion{StartLine: 3, StartColumn: 4, EndLine: 5}},
		{"end before start", position.Span{Start: pos(3, 4), End: pos(2, 9)}, &sarifRegion{StartLine: 3, StartColumn: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sarifRegionOf(tc.span)
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Errorf("sarifRegionOf(%+v) = %+v, want %+v", tc.span, got, tc.want)
			}
		})
	}
}

func TestSARIFArtifact(t *testing.T) {
	for _, tc := range []struct{ file, uri, base string }{
		{"users.htpasswd", "users.htpasswd", "%SRCROOT%"},
		{"conf/site a.conf", "conf/site%20a.conf", "%SRCROOT%"},
		{"dir/a,b:c.htpasswd", "dir/a,b:c.htpasswd", "%SRCROOT%"},
		{"a:b/c", "./a:b/c", "%SRCROOT%"},
		{"100%.conf", "100%25.conf", "%SRCROOT%"},
		{"<stdin>", "%3Cstdin%3E", "%SRCROOT%"},
		{"/etc/nginx/nginx.conf", "file:///etc/nginx/nginx.conf", ""},
	} {
		got := sarifArtifact(tc.file)
		if got.URI != tc.uri || got.URIBaseID != tc.base {
			t.Errorf("sarifArtifact(%q) = %+v, want {%s %s}", tc.file, got, tc.uri, tc.base)
		}
	}
}

// TestSARIFShape decodes the log generically and checks the structure that
// consumers (GitHub code scanning among them) rely on.
func TestSARIFShape(t *testing.T) {
	opts := sampleOptions(t)
	findings := sampleFindings()
	var log map[string]any
	if err := json.Unmarshal([]byte(render(t, "sarif", findings, opts)), &log); err != nil {
		t.Fatal(err)
	}
	get := func(v any, path ...any) any {
		t.Helper()
		for _, p := range path {
			switch k := p.(type) {
			case string:
				m, ok := v.(map[string]any)
				if !ok {
					t.Fatalf("%v: not an object at %q", path, k)
				}
				v = m[k]
			case int:
				a, ok := v.([]any)
				if !ok || k >= len(a) {
					t.Fatalf("%v: no element %d", path, k)
				}
				v = a[k]
			}
		}
		return v
	}
	eq := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	eq("$schema", get(log, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json")
	eq("version", get(log, "version"), "2.1.0")
	if n := len(get(log, "runs").([]any)); n != 1 {
		t.Fatalf("%d runs", n)
	}
	driver := get(log, "runs", 0, "tool", "driver")
	eq("driver.name", get(driver, "name"), "authlint")
	eq("driver.version", get(driver, "version"), "1.2.3")
	eq("driver.informationUri", get(driver, "informationUri"), "https://github.com/authlint/authlint")

	ruleList := get(driver, "rules").([]any)
	if len(ruleList) != len(opts.Rules) {
		t.Fatalf("%d rules, want %d", len(ruleList), len(opts.Rules))
	}
	levels := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "note"}
	for i, r := range opts.Rules {
		sr := ruleList[i]
		eq("rule id", get(sr, "id"), r.ID)
		eq(r.ID+" name", get(sr, "name"), r.Name)
		eq(r.ID+" shortDescription", get(sr, "shortDescription", "text"), r.Summary)
		doc := strings.TrimSpace(r.Doc())
		if doc == "" {
			t.Fatalf("%s has no doc", r.ID)
		}
		helpURI := "https://github.com/authlint/authlint/blob/main/rules/docs/" + r.ID + ".md"
		eq(r.ID+" help.markdown", get(sr, "help", "markdown"), doc)
		eq(r.ID+" help.text", get(sr, "help", "text"), "Run `authlint explain "+r.ID+"` or see "+helpURI)
		full := get(sr, "fullDescription", "text").(string)
		if full == "" || strings.Contains(full, "\n") || !strings.Contains(strings.Join(strings.Fields(doc), " "), full) {
			t.Errorf("%s fullDescription %q is not the doc's lead paragraph", r.ID, full)
		}
		eq(r.ID+" fullDescription.markdown", get(sr, "fullDescription", "markdown"), nil)
		eq(r.ID+" helpUri", get(sr, "helpUri"), helpURI)
		eq(r.ID+" level", get(sr, "defaultConfiguration", "level"), levels[r.Severity])
		eq(r.ID+" security-severity", get(sr, "properties", "security-severity"), securitySeverity(r.ID, r.Severity))
		eq(r.ID+" tags[0]", get(sr, "properties", "tags", 0), "security")
	}
	// The doc is written once per rule: never in results, never twice.
	out := render(t, "sarif", findings, opts)
	for _, r := range opts.Rules {
		var enc bytes.Buffer
		e := json.NewEncoder(&enc)
		e.SetEscapeHTML(false)
		if err := e.Encode(strings.TrimSpace(r.Doc())); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, strings.TrimSpace(enc.String())); n != 1 {
			t.Errorf("%s: doc written %d times", r.ID, n)
		}
	}

	results := get(log, "runs", 0, "results").([]any)
	if len(results) != len(findings) {
		t.Fatalf("%d results, want %d (suppressed ones are kept)", len(results), len(findings))
	}
	for i, f := range findings {
		res := results[i]
		eq("ruleId", get(res, "ruleId"), f.RuleID)
		idx := int(get(res, "ruleIndex").(float64))
		eq("rules[ruleIndex].id", get(ruleList[idx], "id"), f.RuleID)
		eq("level", get(res, "level"), levels[f.Severity])
		eq("message", get(res, "message", "text"), f.Message)
		eq("result security-severity", get(res, "properties", "security-severity"), securitySeverity(f.RuleID, f.Severity))
		eq("result tags", get(res, "properties", "tags"), nil)
		loc := get(res, "locations", 0, "physicalLocation")
		uri := get(loc, "artifactLocation", "uri").(string)
		if strings.Contains(uri, `\`) {
			t.Errorf("uri %q has a backslash", uri)
		}
		if filepath.IsAbs(f.File) {
			eq("absolute uri", uri, "file://"+f.File)
			eq("uriBaseId", get(loc, "artifactLocation", "uriBaseId"), nil)
		} else {
			eq("uriBaseId", get(loc, "artifactLocation", "uriBaseId"), "%SRCROOT%")
		}
		region := get(loc, "region").(map[string]any)
		eq("startLine", region["startLine"], float64(f.Span.Start.Line))
		for k, v := range region {
			if v.(float64) < 1 {
				t.Errorf("%s: region.%s = %v", f.RuleID, k, v)
			}
		}
		if sc, ec := region["startColumn"], region["endColumn"]; ec != nil && sc != nil &&
			(region["endLine"] == nil || region["endLine"] == region["startLine"]) && ec.(float64) <= sc.(float64) {
			t.Errorf("%s: endColumn %v not after startColumn %v", f.RuleID, ec, sc)
		}
		if f.Suppressed {
			eq("suppression kind", get(res, "suppressions", 0, "kind"), "inSource")
			eq("justification", get(res, "suppressions", 0, "justification"), f.SuppressReason)
		} else if s := get(res, "suppressions"); s != nil {
			t.Errorf("%s: unsuppressed finding has suppressions %v", f.RuleID, s)
		}
		for j, rel := range f.Related {
			rl := get(res, "relatedLocations", j)
			eq("related uri", get(rl, "physicalLocation", "artifactLocation", "uri"), rel.File)
			eq("related line", get(rl, "physicalLocation", "region", "startLine"), float64(rel.Span.Start.Line))
			eq("related message", get(rl, "message", "text"), rel.Message)
		}
	}
	// The PW206 finding has an empty span: its end is left out.
	if region := get(results[4], "locations", 0, "physicalLocation", "region").(map[string]any); region["endColumn"] != nil || region["endLine"] != nil {
		t.Errorf("empty span kept its end: %v", region)
	}
}

// sarifValidatorPkg is the pinned validator: SARIF's reference
// implementation, the SARIF Multitool, as published on npm.
const sarifValidatorPkg = "@microsoft/sarif-multitool@5.7.0"

// validatorLine matches a diagnostic of `sarif-multitool validate`:
// FILE(LINE,COL): error JSON1008: message.
var validatorLine = regexp.MustCompile(`^(.*)\((\d+),(\d+)\): (error|warning|note) ([A-Z]+[0-9]+): (.*)$`)

// validateSARIF runs the Multitool on the files and returns, for each file,
// the diagnostics it printed. It fails the test when the tool itself fails,
// and skips it when npx is missing, unless CI is set.
func validateSARIF(t *testing.T, files ...string) map[string][]string {
	t.Helper()
	npx, err := exec.LookPath("npx")
	if err != nil {
		msg := "npx not found: install Node.js and npm (scripts/test.sh does on Debian) to validate SARIF output with " + sarifValidatorPkg
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--yes", sarifValidatorPkg, "validate"}, files...)
	cmd := exec.CommandContext(ctx, npx, args...)
	// The tool is .NET: invariant globalization spares it libicu.
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
		"DOTNET_CLI_TELEMETRY_OPTOUT=1", "npm_config_update_notifier=false", "npm_config_fund=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	t.Logf("%s validate took %v", sarifValidatorPkg, time.Since(start).Round(time.Millisecond))
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ctx.Err() == nil {
			t.Fatalf("validator exited with %v:\n%s", err, out.String())
		}
		t.Fatalf("run validator: %v\n%s", err, out.String())
	}
	// The Multitool exits 0 even when it reports errors: its diagnostics
	// are the verdict, and its closing line proves that it ran.
	if !strings.Contains(out.String(), "Analysis completed successfully.") {
		t.Fatalf("validator did not complete:\n%s", out.String())
	}
	diags := map[string][]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		l = strings.TrimSpace(l)
		if m := validatorLine.FindStringSubmatch(l); m != nil {
			diags[filepath.Clean(m[1])] = append(diags[filepath.Clean(m[1])], m[4]+" "+m[5]+": "+m[6])
		} else if strings.Contains(l, ": error ") {
			t.Fatalf("unparsed validator error line %q", l)
		}
	}
	return diags
}

// TestSARIFValidator validates real output with the SARIF Multitool, and
// proves that the check can fail by feeding it broken documents.
func TestSARIFValidator(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sample := render(t, "sarif", sampleFindings(), sampleOptions(t))
	full := render(t, "sarif", sampleFindings(), Options{ToolVersion: "1.2.3", Rules: rules.All()})
	empty := render(t, "sarif", nil, Options{ToolVersion: "0.1.0", Rules: rules.All()})

	var log map[string]any
	if err := json.Unmarshal([]byte(sample), &log); err != nil {
		t.Fatal(err)
	}
	res := log["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	delete(res, "message")
	region := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["region"].(map[string]any)
	region["startLine"] = 0
	broken, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		t.Fatal(err)
	}

	good := []string{write("sample.sarif", sample), write("full.sarif", full), write("empty.sarif", empty)}
	bad := write("broken.sarif", string(broken))
	diags := validateSARIF(t, append(good, bad)...)

	for _, f := range good {
		// Errors and warnings alike: the pinned validator reports neither for
		// authlint's output, so any would be a regression.
		for _, d := range diags[f] {
			if !strings.HasPrefix(d, "note ") {
				t.Errorf("%s: %s", filepath.Base(f), d)
			}
		}
	}
	var errs []string
	for _, d := range diags[bad] {
		if strings.HasPrefix(d, "error ") {
			errs = append(errs, d)
		}
	}
	joined := strings.Join(errs, "\n")
	for _, want := range []string{"JSON1002", "JSON1008"} { // required property missing; below minimum
		if !strings.Contains(joined, want) {
			t.Errorf("broken document: validator did not report %s; its errors:\n%s", want, joined)
		}
	}
}
