package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/alecthomas/kong"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/rules"
	"github.com/authlint/authlint/rules/format"
)

func osGetenv(k string) string { return os.Getenv(k) }

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Run lints the paths and sets the exit code from --fail-on.
func (c *checkCmd) Run(e *env, kctx *kong.Context) error {
	kind, err := filekind.Parse(c.Type)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	st, err := c.settings(e, kctx)
	if err != nil {
		return err
	}
	servers, err := rules.ParseServerSet(st.server)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	platform, err := htpasswd.ParsePlatform(st.platform)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	selected := st.rules
	paths := c.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		if p == "-" && kind == filekind.Unknown {
			return &exitError{exitUsage, errors.New("reading standard input (-) needs --type")}
		}
	}
	printer, err := format.Lookup(c.Format)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	var changed []string
	if c.Changed {
		if paths, changed, err = changedPaths(c.Paths); err != nil {
			return &exitError{exitUsage, err}
		}
	}
	st.inferLayout(paths)
	if c.Verbose {
		printSetup(e.stderr, st)
	}
	budget, from := memoryBudget(systemMemory())
	res, lintErr := rules.Lint(rules.Config{
		Paths: paths, Changed: changed, Stdin: e.stdin, Type: kind, Servers: servers, Platform: platform, Rules: selected,
		FS: st.fs, FSFor: st.fsFor, Inferred: st.inferred, Skip: st.skip, LargeInput: func() { hugePageHeap(hugeHeapSize()) },
		MemoryBudget: budget, MemoryLimitFrom: from,
	})
	if res != nil {
		st.applySeverity(res.Findings)
		opts := format.Options{Color: c.color(e), ToolVersion: version(), Rules: st.ruleTable(), Files: res.Files}
		if c.Verbose {
			printRead(e.stderr, res.Read)
		}
		if err := printer(e.stdout, res.Findings, opts); err != nil {
			return &exitError{exitInput, err}
		}
		if c.Format == "text" {
			fmt.Fprintln(e.stderr, summaryLine(res))
		}
	}
	if lintErr != nil {
		return &exitError{exitInput, lintErr}
	}
	e.code = exitOK
	if threshold, ok := failThreshold(st.failOn); ok {
		for _, f := range res.Findings {
			if !f.Suppressed && f.Severity >= threshold {
				e.code = exitFindings
				break
			}
		}
	}
	return nil
}

func (c *checkCmd) color(e *env) bool { return useColor(e, c.Color, c.Format) }

// useColor decides --color: always, never, or auto (a terminal, text
// output, and NO_COLOR unset).
func useColor(e *env, flag, format string) bool {
	switch flag {
	case "always":
		return true
	case "never":
		return false
	}
	return e.isTerminal && e.getenv("NO_COLOR") == "" && format == "text"
}

// failThreshold maps --fail-on to a severity; "never" has none.
func failThreshold(s string) (rules.Severity, bool) {
	if s == "never" {
		return 0, false
	}
	sev, err := rules.ParseSeverity(s)
	return sev, err == nil
}

// Run lists the rules.
func (c *rulesCmd) Run(e *env) error {
	all := rules.All()
	if c.Format == "json" {
		type row struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Severity string `json:"severity"`
			Summary  string `json:"summary"`
		}
		rows := []row{}
		for _, r := range all {
			rows = append(rows, row{r.ID, r.Name, r.Severity.String(), r.Summary})
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity, r.Summary)
	}
	return tw.Flush()
}

// Run prints one rule's doc.
func (c *explainCmd) Run(e *env) error {
	r, ok := rules.Lookup(rules.All(), c.Rule)
	if !ok {
		return &exitError{exitUsage, fmt.Errorf("no rule %q (see `authlint rules`)", c.Rule)}
	}
	_, err := fmt.Fprint(e.stdout, r.Doc())
	return err
}

// changedPaths turns --changed's paths into a walk of the working directory
// and the changed files that still exist (a deleted file changes nothing
// authlint can read); a changed file outside the working directory is also
// linted on its own.
func changedPaths(args []string) (paths, changed []string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, nil, fmt.Errorf("--changed: %w", err)
	}
	paths = []string{"."}
	for _, p := range args {
		if p == "-" {
			return nil, nil, errors.New("--changed takes file names, not standard input")
		}
		st, err := os.Stat(p)
		if err != nil || st.IsDir() {
			continue
		}
		changed = append(changed, p)
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(wd, abs); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			paths = append(paths, p)
		}
	}
	if len(changed) == 0 {
		return nil, nil, nil // nothing to lint
	}
	return paths, changed, nil
}
