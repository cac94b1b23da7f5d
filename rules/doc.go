// Package rules is authlint's engine: it loads the inputs named on the command
// line, builds the server-neutral auth model from the parsed trees, runs every
// enabled rule over it and returns sorted findings.
//
// A rule is a value (see Rule) rather than an interface: it carries its ID, its
// default severity, its documentation (embedded from docs/<ID>.md) and the
// functions that inspect one kind of input. Rules keep their state in local
// variables, so they can run concurrently without locks.
package rules
