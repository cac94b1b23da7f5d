package rules

import (
	"fmt"
	"io"
	"strings"

	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/internal/serverfs"
)

// configRun is one server's part in linting a configuration. lintConfig
// drives every server through the same steps, in this order: load →
// sources and ignores → model → rules → syntax → user files.
type configRun interface {
	// load parses the configuration and everything it includes (for
	// Apache also the .htaccess files it governs); data is the named file.
	load(l *linter, name string, data []byte) error
	// sources lists every file the load read, with its text (nil when it
	// could not be read) and its comments, for snippets and inline ignores.
	sources() []configSource
	// model finishes the server model the rules read.
	model()
	// runRules runs the enabled rules of this server on the model.
	runRules(l *linter, lines *sourceLines)
	// syntaxRule is the engine rule that reports load errors; syntax
	// reports them (only when that rule is enabled).
	syntaxRule() *Rule
	syntax(l *linter, lines *sourceLines)
	// userFiles lists the user and group files the configuration
	// references, each once, in the kind the server reads it as.
	userFiles(l *linter) []userFileUse
}

// configSource is one file a configuration load read.
type configSource struct {
	path     string
	data     []byte
	comments []sourceComment
	// htaccess is set for a .htaccess file found under a served tree.
	htaccess bool
}

// sourceComment is a full-line comment, where inline ignores live.
type sourceComment struct {
	line int
	text string
}

// userFileUse is a user file referenced from a configuration.
type userFileUse struct {
	path    string
	kind    filekind.Kind
	servers ServerSet
	via     Related
}

// lintConfig lints one configuration entry point with run.
func (l *linter) lintConfig(name string, r io.Reader, run configRun) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	l.noteRead(len(data))
	if err := run.load(l, name, data); err != nil {
		return err
	}
	lines := newSourceLines()
	for _, s := range run.sources() {
		shown := l.display(s.path)
		l.noteSeen(shown)
		if s.data != nil {
			lines.data[s.path] = s.data
			role := RoleIncluded
			if s.htaccess {
				role = RoleHtaccess
			}
			l.noteFile(shown, role) // the entry point itself is noted already
		}
		for _, c := range s.comments {
			if strings.Contains(c.text, "authlint:") {
				l.noteComment(shown, c.line, c.text)
			}
		}
	}
	run.model()
	run.runRules(l, lines)
	if l.ruleEnabled(run.syntaxRule().ID) {
		run.syntax(l, lines)
		l.reportInferred(name, run.syntaxRule())
	}
	for _, u := range run.userFiles(l) {
		_ = l.referencedUserFile(u.path, u.kind, u.servers, u.via)
	}
	return nil
}

// ruleEnabled reports whether the rule with id runs.
func (l *linter) ruleEnabled(id string) bool {
	for _, r := range l.cfg.Rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// reportInferred says, once, at the first line of the main configuration
// name, which server directory authlint reads from where (Config.Inferred).
func (l *linter) reportInferred(name string, rule *Rule) {
	for _, inf := range l.cfg.Inferred {
		if seenKey(inf.Config) != seenKey(name) {
			continue
		}
		m := inf.Mapping
		live := "server paths outside it are not read from this machine (--live reads them)"
		if mfs, ok := serverfs.Unwrap(l.cfg.FS).(*serverfs.MapFS); ok && mfs.Live {
			live = "server paths outside it are read from this machine (--live)"
		}
		l.report(Finding{RuleID: rule.ID, RuleName: rule.Name, Severity: Info, File: l.display(name),
			Span: position.Span{Start: position.Pos{Line: 1, Col: 1}},
			Message: fmt.Sprintf("this configuration lives in a checkout, so authlint reads the server's %s from %s (inferred: %s); %s; "+
				"declare the mapping (--map %s=%s, or map: in .authlint.yaml) to make a file missing there an error",
				m.Server, l.display(m.Local), inf.Why, live, m.Server, l.display(m.Local))})
	}
}
