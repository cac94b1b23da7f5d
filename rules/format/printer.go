package format

import (
	"fmt"
	"io"
	"slices"

	"github.com/authlint/authlint/rules"
)

// Options controls a printer.
type Options struct {
	// Color turns on ANSI colours in the text format.
	Color bool
	// ToolVersion is written where a format records the producer.
	ToolVersion string
	// Rules is the registry, used by formats that describe rules (SARIF).
	Rules []*rules.Rule
	// Files is the number of files read, for summaries.
	Files int
}

// Printer writes findings in one format.
type Printer func(w io.Writer, findings []rules.Finding, opts Options) error

// Names lists the supported format names, sorted.
func Names() []string {
	names := []string{"text", "json", "sarif", "github", "checkstyle"}
	slices.Sort(names)
	return names
}

// Lookup returns the printer for a format name.
func Lookup(name string) (Printer, error) {
	switch name {
	case "text":
		return Text, nil
	case "json":
		return JSON, nil
	case "sarif":
		return SARIF, nil
	case "github":
		return GitHub, nil
	case "checkstyle":
		return Checkstyle, nil
	}
	return nil, fmt.Errorf("unknown format %q", name)
}
