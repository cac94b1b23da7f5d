package rules

import (
	"errors"
	"io"
)

// ApachePass is what an Apache rule sees of one loaded Apache configuration.
type ApachePass struct {
	Rule *Rule
}

// apache lints an Apache configuration entry point.
func (l *linter) apache(name string, r io.Reader) error {
	return errors.New(name + ": Apache configurations are not supported yet")
}
