package format

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/authlint/authlint/rules"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
)

// Text prints `file:line:col: severity: message [RULE]`, then the source line
// and a caret under the span. File names, messages and source lines are
// written terminal-safe (escape.go): control characters, DEL, C1 and format
// characters and invalid UTF-8 appear as visible escapes such as \x1b.
func Text(w io.Writer, findings []rules.Finding, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		sevColor := ansiCyan
		switch f.Severity {
		case rules.Error:
			sevColor = ansiRed
		case rules.Warning:
			sevColor = ansiYellow
		}
		fmt.Fprintf(bw, "%s: %s: %s %s\n",
			paint(ansiBold, fmt.Sprintf("%s:%d:%d", safe(f.File), f.Span.Start.Line, f.Span.Start.Col)),
			paint(sevColor, f.Severity.String()), safe(f.Message), paint(ansiBold, "["+safe(f.RuleID)+"]"))
		if f.Source != "" {
			writeSnippet(bw, f, func(s string) string { return paint(ansiGreen, s) })
		}
	}
	return bw.Flush()
}

// writeSnippet prints the source line and a ^~~~ marker under the span. The
// span's columns are byte columns; the marker is placed by the width of what
// is printed (a tab prints as one space, an escape as its own length).
func writeSnippet(w io.Writer, f rules.Finding, paint func(string) string) {
	src := strings.TrimRight(f.Source, "\r\n")
	startCol, endCol := max(int(f.Span.Start.Col), 1), int(f.Span.End.Col)
	sameLine := f.Span.End.Line == f.Span.Start.Line
	if f.SourceCols[0] > 0 {
		startCol, endCol, sameLine = f.SourceCols[0], f.SourceCols[1], true
	}
	start := min(startCol-1, len(src))
	end := start // no end: a single caret
	if sameLine && endCol > startCol {
		end = min(endCol-1, len(src))
	}
	line, pad, width := safeSnippet(src, start, end)
	gutter := fmt.Sprintf("%5d | ", f.Span.Start.Line)
	fmt.Fprintf(w, "%s%s\n", gutter, line)
	marker := "^" + strings.Repeat("~", width-1)
	fmt.Fprintf(w, "%s%s%s\n", strings.Repeat(" ", len(gutter)), strings.Repeat(" ", pad), paint(marker))
}
