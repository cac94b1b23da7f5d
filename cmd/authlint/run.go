package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/kong"
)

// Exit codes, part of the CLI contract.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad flags or arguments
	exitInput    = 3 // an input could not be read, or would not fit in memory
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// kongExit is panicked by kong's Exit hook and recovered in run.
type kongExit struct{ code int }

// env is what a command needs from the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	isTerminal     bool
	getenv         func(string) string
	getwd          func() (string, error) // where .authlint.yaml is looked for; nil is os.Getwd
	code           int                    // set by check
}

// run parses args and runs the chosen command; it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(args, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv, getwd: os.Getwd, isTerminal: isTerminal(stdout)})
}

func runEnv(args []string, e *env) (code int) {
	var c cli
	parser, err := kong.New(&c,
		kong.Name("authlint"),
		kong.Description("Lint HTTP Basic/Digest auth on Apache httpd and nginx before the reload."),
		kong.Writers(e.stdout, e.stderr),
		kong.Vars{"version": currentBuild().String()},
		kong.Help(helpPrinter),
		kong.Exit(func(code int) { panic(kongExit{code}) }),
		kong.UsageOnError(),
	)
	if err != nil {
		fmt.Fprintf(e.stderr, "authlint: %v\n", err)
		return exitUsage
	}
	defer func() {
		if r := recover(); r != nil {
			k, ok := r.(kongExit)
			if !ok {
				panic(r)
			}
			code = k.code
			if code != 0 {
				code = exitUsage
			}
		}
	}()
	ctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(e.stderr, "authlint: %v\n", err)
		return exitUsage
	}
	if err := ctx.Run(e); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			fmt.Fprintf(e.stderr, "authlint: %v\n", ee.err)
			return ee.code
		}
		fmt.Fprintf(e.stderr, "authlint: %v\n", err)
		return exitUsage
	}
	return e.code
}
