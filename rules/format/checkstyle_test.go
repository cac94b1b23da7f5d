package format

import (
	"encoding/xml"
	"strings"
	"testing"
)

// TestCheckstyleParses reads the report back with encoding/xml and checks
// that every unsuppressed finding survives, escaping included.
func TestCheckstyleParses(t *testing.T) {
	out := render(t, "checkstyle", sampleFindings(), sampleOptions(t))
	if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`+"\n") {
		t.Errorf("missing XML declaration:\n%s", out)
	}
	var rep struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	if err := xml.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, out)
	}
	if rep.Version != "4.3" {
		t.Errorf("version %q", rep.Version)
	}
	type row struct {
		file     string
		line     int
		col      int
		severity string
		message  string
		source   string
	}
	var got []row
	for _, f := range rep.Files {
		for _, e := range f.Errors {
			got = append(got, row{f.Name, e.Line, e.Column, e.Severity, e.Message, e.Source})
		}
	}
	var want []row
	for _, f := range sampleFindings() {
		if f.Suppressed {
			continue
		}
		want = append(want, row{f.File, int(f.Span.Start.Line), int(f.Span.Start.Col), f.Severity.String(), f.Message, "authlint." + f.RuleID})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("error %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	var names []string
	for _, f := range rep.Files {
		names = append(names, f.Name)
	}
	if want := []string{"/srv/www/nginx.conf", "dir/a,b:c.htpasswd", "users.htpasswd"}; strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("files %q, want %q", names, want)
	}
	for _, sev := range []string{`severity="error"`, `severity="warning"`, `severity="info"`} {
		if !strings.Contains(out, sev) {
			t.Errorf("no %s in\n%s", sev, out)
		}
	}
}
