package rules

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	// id is the file's identity when the .htaccess search read it itself,
	// which it does only without a symlink (apachemodel.Htaccess.ID).
	id string
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
	data, err := io.ReadAll(io.LimitReader(r, serverfs.MaxConfigSize+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > serverfs.MaxConfigSize {
		l.reportNotChecked(Warning, l.display(name), "not checked: the file is over authlint's %s limit for a configuration file",
			serverfs.FormatSize(serverfs.MaxConfigSize))
		return nil
	}
	start := l.configBytes.Load()
	l.loadName, l.loadStart = name, start
	l.noteRead(len(data))
	// Predictable out-of-memory conditions end the run with an error
	// (exit 3), before the parse, at the include read that spends the
	// budget (noteIncludeRead: nothing more is read) and again before the
	// model and rules, rather than an allocation failure that kills the
	// process.
	if err := l.checkMemory(name, start); err != nil {
		return err
	}
	if err := run.load(l, name, data); err != nil {
		return err
	}
	if err := l.checkMemory(name, start); err != nil {
		return err
	}
	lines := newSourceLines()
	for _, s := range run.sources() {
		shown := l.displaySource(s)
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
	if nc, ok := run.(notCheckedReporter); ok {
		nc.notChecked(l)
	}
	run.runRules(l, lines)
	if l.ruleEnabled(run.syntaxRule().ID) {
		run.syntax(l, lines)
		l.reportInferred(name, run.syntaxRule())
	}
	for _, u := range run.userFiles(l) {
		err := l.referencedUserFile(u.path, u.kind, u.servers, u.via)
		if errors.Is(err, fs.ErrPermission) {
			// The server may read it (its rules say so as root): authlint
			// cannot, so its content is not checked.
			l.reportNotChecked(Warning, l.display(u.path), "not checked: authlint cannot read this user file itself (permission denied); run authlint as root or as the worker account to check it")
		}
	}
	l.noteNoPermissions(name, run)
	return nil
}

// workerNamer is implemented by the server runs: the worker account the
// configuration names ("" when it names none).
type workerNamer interface {
	workerName() string
}

// noteNoPermissions says once per run, when authlint is not root and a
// configuration names a worker account, that it cannot check what that
// account may read (the workers only switch to it when the master starts
// as root; authlint can only judge its own access).
func (l *linter) noteNoPermissions(name string, run configRun) {
	w, ok := run.(workerNamer)
	if !ok || l.permNoted || serverfs.RunningAsRoot() {
		return
	}
	account := w.workerName()
	if account == "" {
		return
	}
	l.permNoted = true
	l.reportNotChecked(Info, l.display(name), "cannot check permissions: authlint does not run as root, so it cannot tell what the worker account %s may read; files authlint cannot read itself are reported (AU903, AP408)", quote(account))
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

// notCheckedReporter is implemented by the server runs that can tell what
// their load left unchecked (AU903).
type notCheckedReporter interface {
	notChecked(l *linter)
}

// reportNotChecked reports an AU903 finding about file (a file or a
// directory authlint did not look into), at its start.
func (l *linter) reportNotChecked(sev Severity, file string, format string, args ...any) {
	if !l.ruleEnabled(NotChecked.ID) {
		return
	}
	l.report(Finding{RuleID: NotChecked.ID, RuleName: NotChecked.Name, Severity: sev, File: file,
		Span: position.Span{Start: position.At(0, 1, 1)}, Message: sprintf(format, args...)})
}

// reportSkipped reports the files a load took as empty because they are
// over authlint's size limit or it may not read them.
func (l *linter) reportSkipped(skipped []serverfs.Skipped) {
	for _, s := range skipped {
		var tl *serverfs.TooLargeError
		if errors.Is(s.Err, fs.ErrPermission) {
			l.reportNotChecked(Warning, l.display(s.Path), "not checked: authlint cannot read this configuration file itself (permission denied) and read it as empty; run authlint as root to check it")
		}
		if errors.As(s.Err, &tl) {
			l.reportNotChecked(Warning, l.display(s.Path), "not checked: the file is %s, over authlint's %s limit for a configuration file; authlint read it as empty",
				serverfs.FormatSize(tl.Size), serverfs.FormatSize(tl.Limit))
		}
	}
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
