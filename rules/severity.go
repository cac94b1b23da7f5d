package rules

import "fmt"

// Severity says how bad a finding is.
type Severity int

// The severities, from least to most severe. The zero value is not a valid
// severity, so a rule that forgets to set one is caught by the registry test.
const (
	// Info is context worth knowing that does not need action.
	Info Severity = iota + 1
	// Warning means it works today but is fragile, weak or platform-dependent.
	Warning
	// Error means a real server will refuse or mis-serve real users.
	Error
)

// String returns the lower-case name used in every output format.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}
