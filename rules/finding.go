package rules

import (
	"cmp"
	"slices"

	"github.com/authlint/authlint/internal/position"
)

// Finding is one problem reported by a rule.
type Finding struct {
	RuleID   string
	RuleName string
	Severity Severity
	File     string
	Span     position.Span
	Message  string
	// Source is the text of the line at Span.Start, already redacted: it never
	// holds hash material. Formatters print it as the snippet.
	Source string
	// SourceCols, when non-zero, are the 1-based start and end (exclusive)
	// columns of the span within Source, for sources that were redacted and
	// so no longer line up with Span.
	SourceCols [2]int
	// Related points at other places that explain the finding, such as the
	// first definition of a duplicate user.
	Related []Related
	// Suppressed is set when an inline ignore matched the finding.
	Suppressed bool
	// SuppressReason is the reason written in the matching ignore comment.
	SuppressReason string
}

// Related is a secondary position of a finding.
type Related struct {
	File    string
	Span    position.Span
	Message string
}

// compareFindings orders findings by file, line, column, rule and message.
func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Span.Start.Line, b.Span.Start.Line),
		cmp.Compare(a.Span.Start.Col, b.Span.Start.Col),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Message, b.Message),
	)
}

// SortFindings sorts findings deterministically and drops exact duplicates.
func SortFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, compareFindings)
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return compareFindings(a, b) == 0 && a.Span == b.Span
	})
}
