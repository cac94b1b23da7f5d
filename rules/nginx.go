package rules

import (
	"errors"
	"io"
)

// NginxPass is what an Nginx rule sees of one loaded nginx configuration.
type NginxPass struct {
	Rule *Rule
}

// nginx lints an nginx configuration entry point.
func (l *linter) nginx(name string, r io.Reader) error {
	return errors.New(name + ": nginx configurations are not supported yet")
}
