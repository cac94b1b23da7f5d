package format

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/authlint/authlint/rules"
)

// CheckstyleVersion is the checkstyle report version written in the root
// element, the one most consumers expect.
const CheckstyleVersion = "4.3"

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// Checkstyle prints a checkstyle XML report: one <file> per file with
// findings, in sorted order, one <error> per unsuppressed finding. Characters
// that XML 1.0 cannot hold (most C0 controls, invalid UTF-8) are written as
// visible escapes such as \x1b (see xmlUnsafe); encoding/xml escapes the rest.
func Checkstyle(w io.Writer, findings []rules.Finding, _ Options) error {
	byFile := map[string][]checkstyleError{}
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		file := escapeString(f.File, xmlUnsafe)
		byFile[file] = append(byFile[file], checkstyleError{
			Line:     int(f.Span.Start.Line),
			Column:   int(f.Span.Start.Col),
			Severity: f.Severity.String(),
			Message:  escapeString(f.Message, xmlUnsafe),
			Source:   "authlint." + escapeString(f.RuleID, xmlUnsafe),
		})
	}
	rep := checkstyleReport{Version: CheckstyleVersion}
	for _, name := range slices.Sorted(maps.Keys(byFile)) {
		rep.Files = append(rep.Files, checkstyleFile{Name: name, Errors: byFile[name]})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write checkstyle: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write checkstyle: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write checkstyle: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write checkstyle: %w", err)
	}
	return nil
}
