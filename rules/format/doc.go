// Package format prints findings: one printer per output format, each taking
// the sorted findings and the rule registry, never reading files itself.
package format
