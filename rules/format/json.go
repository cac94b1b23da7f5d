package format

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/authlint/authlint/rules"
)

// JSONVersion is the version of the JSON schema; it changes only when a field
// is removed or changes meaning.
const JSONVersion = 1

type jsonFinding struct {
	Rule           string        `json:"rule"`
	Name           string        `json:"name"`
	Severity       string        `json:"severity"`
	File           string        `json:"file"`
	Line           int           `json:"line"`
	Column         int           `json:"column"`
	EndLine        int           `json:"end_line"`
	EndColumn      int           `json:"end_column"`
	Message        string        `json:"message"`
	Related        []jsonRelated `json:"related,omitempty"`
	Suppressed     bool          `json:"suppressed,omitempty"`
	SuppressReason string        `json:"suppress_reason,omitempty"`
}

// jsonRelated is a secondary location: where a duplicate was first
// defined, the config line that references a user file, the symlink a
// vhost is enabled through. Line and column are left out when unknown.
type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message,omitempty"`
}

type jsonSummary struct {
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
	Infos      int `json:"infos"`
	Suppressed int `json:"suppressed"`
	Files      int `json:"files"`
}

type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
}

// JSON prints one object {"version":1,"findings":[...],"summary":{...}}.
// Suppressed findings are kept and marked.
func JSON(w io.Writer, findings []rules.Finding, opts Options) error {
	rep := jsonReport{Version: JSONVersion, Findings: []jsonFinding{}, Summary: jsonSummary{Files: opts.Files}}
	for _, f := range findings {
		end := f.Span.End
		if end.Line == 0 {
			end = f.Span.Start
		}
		jf := jsonFinding{
			Rule: f.RuleID, Name: f.RuleName, Severity: f.Severity.String(), File: f.File,
			Line: int(f.Span.Start.Line), Column: int(f.Span.Start.Col), EndLine: int(end.Line), EndColumn: int(end.Col),
			Message: f.Message, Suppressed: f.Suppressed, SuppressReason: f.SuppressReason,
		}
		for _, r := range f.Related {
			if r.File != "" {
				jf.Related = append(jf.Related, jsonRelated{File: r.File, Line: int(r.Span.Start.Line), Column: int(r.Span.Start.Col), Message: r.Message})
			}
		}
		rep.Findings = append(rep.Findings, jf)
		switch {
		case f.Suppressed:
			rep.Summary.Suppressed++
		case f.Severity == rules.Error:
			rep.Summary.Errors++
		case f.Severity == rules.Warning:
			rep.Summary.Warnings++
		default:
			rep.Summary.Infos++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
