package htaccess

import "fmt"

// Severity tells whether a problem stops httpd (SeverityError) or is only
// suspicious (SeverityWarning).
type Severity int

const (
	// SeverityError marks a problem that makes httpd refuse the
	// configuration (or, in a .htaccess file, answer 500).
	SeverityError Severity = iota
	// SeverityWarning marks something httpd accepts but that is likely
	// a mistake, or that httpd itself only logs as a warning.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Kind classifies a problem.
type Kind int

const (
	// KindSyntax is a syntax error: a mismatched, missing or unexpected
	// section tag, a missing '>' or missing section arguments.
	KindSyntax Kind = iota
	// KindUnclosed is a section left open at end of file inside (or as)
	// a conditional container; httpd accepts it when the condition holds.
	KindUnclosed
	// KindIgnoredText is text httpd silently ignores, such as words after
	// the '>' of a section opener or after a closing tag.
	KindIgnoredText
	// KindInclude is a failed Include/IncludeOptional: a missing file, a
	// wildcard matching nothing, a cycle or too deep nesting.
	KindInclude
	// KindUndefinedVar is a ${VAR} reference with no Define and no
	// environment variable; httpd logs "Config variable ${X} is not defined"
	// and keeps the text as is.
	KindUndefinedVar
	// KindDefine is an invalid Define or UnDefine.
	KindDefine
)

var kindNames = [...]string{"syntax", "unclosed-section", "ignored-text", "include", "undefined-variable", "define"}

// String returns a short kebab-case name for k.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is a problem found while parsing or loading, anchored to a span of
// a file.
type Error struct {
	File     string
	Span     Span
	Msg      string
	Kind     Kind
	Severity Severity
	// Path is the file an Include could not open ("" for other errors).
	Path string
}

// Error formats e as "file:line:col: msg" ("file: msg" when e has no
// position, e.g. for a main file that cannot be read).
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	if !e.Span.Start.IsValid() {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Span.Start.Line, e.Span.Start.Col, e.Msg)
}

// IsWarning reports whether e is only a warning.
func (e *Error) IsWarning() bool { return e.Severity == SeverityWarning }

// CountErrors returns how many entries of errs have SeverityError.
func CountErrors(errs []*Error) int {
	n := 0
	for _, e := range errs {
		if e.Severity == SeverityError {
			n++
		}
	}
	return n
}
