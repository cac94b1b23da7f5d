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
	Rule           string `json:"rule"`
	Name           string `json:"name"`
	Severity       string `json:"severity"`
	File           string `json:"file"`
	Line           int    `json:"line"`
	Column         int    `json:"column"`
	EndLine        int    `json:"end_line"`
	EndColumn      int    `json:"end_column"`
	Message        string `json:"message"`
	Suppressed     bool   `json:"suppressed,omitempty"`
	SuppressReason string `json:"suppress_reason,omitempty"`
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
		rep.Findings = append(rep.Findings, jsonFinding{
			Rule: f.RuleID, Name: f.RuleName, Severity: f.Severity.String(), File: f.File,
			Line: int(f.Span.Start.Line), Column: int(f.Span.Start.Col), EndLine: int(end.Line), EndColumn: int(end.Col),
			Message: f.Message, Suppressed: f.Suppressed, SuppressReason: f.SuppressReason,
		})
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
