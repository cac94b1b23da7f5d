package rules

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/internal/serverfs"
)

// ApachePass is what an Apache rule sees of one loaded Apache configuration.
type ApachePass struct {
	Rule *Rule
	// Conf is the loaded configuration (main file and includes).
	Conf *htaccess.Config
	// Model is the auth model built from it, .htaccess files included.
	Model *apachemodel.Model
	// FS reads the files the configuration references.
	FS      serverfs.FS
	emit    func(Finding)
	display func(string) string
	src     *sourceLines
	// reported dedups findings reported for the same node by several probes.
	reported map[string]bool
	// readable memoises checkReadable.
	readable map[readKey]*serverfs.AccessProblem
	see      seeRefs
}

type readKey struct {
	path string
	uid  int
}

// Reportf reports a finding at span in file with the rule's severity.
func (p *ApachePass) Reportf(file string, span htaccess.Span, format string, args ...any) {
	p.ReportSeverityf(p.Rule.Severity, file, span, format, args...)
}

// ReportSeverityf reports a finding with an explicit severity. The same rule,
// position and message are reported once.
func (p *ApachePass) ReportSeverityf(sev Severity, file string, span htaccess.Span, format string, args ...any) {
	msg := sprintf(format, args...)
	key := fmt.Sprintf("%s\x00%d:%d\x00%s", file, span.Start.Line, span.Start.Col, msg)
	if p.reported[key] {
		return
	}
	p.reported[key] = true
	f := Finding{RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.display(file),
		Span: span, Message: msg}
	if lines, line := p.src.lines(file), int(span.Start.Line); line >= 1 && line <= len(lines) {
		f.Source = redactConfigLine(lines[line-1])
	}
	p.emit(p.see.attach(f))
}

// checkReadable is CheckReadable through the pass's FS, once per path and
// account in the pass (thousands of sections name the same user file).
func (p *ApachePass) checkReadable(path string, acc serverfs.Account) *serverfs.AccessProblem {
	k := readKey{path, acc.UID}
	if prob, ok := p.readable[k]; ok {
		return prob
	}
	prob := serverfs.CheckReadable(p.FS, path, acc)
	if p.readable == nil {
		p.readable = map[readKey]*serverfs.AccessProblem{}
	}
	p.readable[k] = prob
	return prob
}

// At reports at a directive's name.
func (p *ApachePass) At(n *htaccess.Node, format string, args ...any) {
	p.Reportf(n.File, nodeSpan(n), format, args...)
}

// nodeSpan is the span of a directive's line (name and arguments).
func nodeSpan(n *htaccess.Node) htaccess.Span {
	sp := n.NameSpan
	if len(n.Args) > 0 {
		sp.End = n.Args[len(n.Args)-1].Span.End
	}
	if sp.End.Line != sp.Start.Line {
		sp.End = htaccess.Pos{}
	}
	return sp
}

// Where formats a directive's position for messages: "httpd.conf:12".
// The finding whose message holds it relates that line.
func (p *ApachePass) Where(n *htaccess.Node) string {
	line := int(n.NameSpan.Start.Line)
	return p.see.add(fmt.Sprintf("%s:%d", p.display(n.File), line), lineRelated(p.display(n.File), line, "see "+n.Name+" here"))
}

// LineRef names where to is, for a message about from: "line 12" in the
// same file, else "sites-enabled/site.conf:12".
func (p *ApachePass) LineRef(from, to *htaccess.Node) string {
	if from != nil && from.File == to.File {
		line := int(to.NameSpan.Start.Line)
		return p.see.add("line "+strconv.Itoa(line), lineRelated(p.display(to.File), line, "see "+to.Name+" here"))
	}
	return p.Where(to)
}

// WhereSec formats a section for messages: `<Directory "/srv"> (httpd.conf:3)`.
func (p *ApachePass) WhereSec(s *apachemodel.Section) string {
	if s.Node == nil {
		return p.display(s.File)
	}
	return s.Describe() + " (" + p.Where(s.Node) + ")"
}

// apacheRun lints an Apache configuration entry point or a .htaccess
// file.
type apacheRun struct {
	fsys  serverfs.FS
	base  string // the entry point's file name
	entry string // the entry point's server path
	ld    *apachemodel.Loaded
	conf  *htaccess.Config
	hts   []*apachemodel.Htaccess // found under the served trees
	built *apachemodel.Model
}

func (a *apacheRun) load(l *linter, name string, data []byte) error {
	a.fsys = l.cfg.FS
	// A main file in a mapped directory is loaded under its server path, so
	// that ServerRoot, includes and user files resolve as on the server.
	p := name
	if name != "<stdin>" {
		p = serverfs.ServerPathOf(l.cfg.FS, name)
	}
	a.base, a.entry = filepath.Base(p), p
	a.ld = apachemodel.Load(l.cfg.FS, p, data, apachemodel.LoadOptions{OnRead: l.noteIncludeRead, WholeConfig: l.largeInput})
	a.conf, a.hts = a.ld.Conf, a.ld.Htaccess
	return nil
}

func (a *apacheRun) sources() []configSource {
	out := make([]configSource, 0, len(a.conf.Files)+len(a.hts))
	add := func(f *htaccess.File, text []byte, ht bool, id string) {
		s := configSource{path: f.Path, data: text, htaccess: ht, id: id}
		for _, c := range f.Comments {
			s.comments = append(s.comments, sourceComment{c.Line, c.Text})
		}
		out = append(out, s)
	}
	// A file included in many places is in conf.Files once per place
	// (doubling includes: 170,000 times), with the same text.
	done := map[string]bool{}
	for _, f := range a.conf.Files {
		if done[f.Path] {
			continue
		}
		done[f.Path] = true
		if b, err := a.ld.Src.ReadFile(f.Path); err == nil { // recorded: no second read
			add(f, b, false, "")
		}
	}
	for _, ht := range a.hts {
		if ht.File != nil {
			add(ht.File, ht.Data, true, ht.ID)
		} else {
			out = append(out, configSource{path: ht.Path}) // linted here, unreadable
		}
	}
	return out
}

func (a *apacheRun) model() { a.built = a.ld.Builder.Freeze() }

// notChecked reports what the load left unchecked (AU903): files over the
// size limit, and where the .htaccess search stopped.
func (a *apacheRun) notChecked(l *linter) {
	l.reportSkipped(a.ld.Src.Skipped())
	for _, ht := range a.hts {
		var tl *serverfs.TooLargeError
		if errors.As(ht.ReadErr, &tl) {
			l.reportNotChecked(Warning, l.display(ht.Path), "not checked: the file is %s, over authlint's %s limit for a configuration file",
				serverfs.FormatSize(tl.Size), serverfs.FormatSize(tl.Limit))
		}
	}
	// The search belongs to the configuration: its findings are on the
	// entry point, and name the directory.
	for _, st := range a.built.SearchStops {
		if st.Denied {
			l.reportNotChecked(Warning, l.display(a.entry), "not checked: authlint cannot look into %s itself (permission denied), so a .htaccess there or below is not checked; run authlint as root to check it",
				l.display(st.Dir))
			continue
		}
		if st.Depth {
			l.reportNotChecked(Warning, l.display(a.entry), "not checked: the .htaccess search stops %d directories below a served directory, at %s; a .htaccess in its subdirectories is not checked",
				apachemodel.HtaccessMaxDepth, l.display(st.Dir))
		} else {
			l.reportNotChecked(Warning, l.display(a.entry), "not checked: the .htaccess search stopped after %d directories, at %s; a .htaccess there or in the directories not searched is not checked",
				apachemodel.HtaccessMaxDirs, l.display(st.Dir))
		}
	}
}

func (a *apacheRun) runRules(l *linter, lines *sourceLines) { l.runApacheRules(a.conf, a.built, lines) }

func (a *apacheRun) syntaxRule() *Rule { return ApacheSyntax }

func (a *apacheRun) syntax(l *linter, lines *sourceLines) {
	unverifiableIncludes(l, a.conf, lines)
	p := &ApachePass{Rule: ApacheSyntax, Conf: a.conf, Model: a.built, FS: a.fsys, emit: l.report, src: lines,
		display: l.display, reported: map[string]bool{}}
	ht := a.ld.Alone
	for _, e := range a.conf.Errors {
		if e.Path != "" {
			if why := a.fsys.Unchecked(e.Path); why != "" {
				// A wildcard Include's directory is unverifiableIncludes'.
				if !strings.Contains(e.Msg, "Could not open directory") {
					p.ReportSeverityf(Info, e.File, e.Span, "cannot check Include %s: %s, so what it holds is not linted", e.Path, why)
				}
				continue
			}
		}
		reportApacheError(p, e, ht)
	}
	for _, h := range a.hts {
		if h.File != nil {
			for _, e := range h.File.Errors {
				reportApacheError(p, e, true)
			}
		}
	}
}

// userFiles lists each user and group file once per kind: the first
// reference stands.
func (a *apacheRun) userFiles(l *linter) []userFileUse {
	type fileKind struct {
		path string
		kind filekind.Kind
	}
	linted := map[fileKind]bool{}
	var out []userFileUse
	groupsUsed := a.built.UsesGroupFiles()
	for _, ref := range a.built.UserFiles() {
		if ref.Path == "" || linted[fileKind{ref.Path, ref.Kind}] {
			continue
		}
		if ref.Kind == filekind.Htgroup && !groupsUsed {
			// No `Require group` anywhere: httpd never opens the group file
			// (`AuthGroupFile /dev/null` is a common placeholder), so what
			// it holds cannot lock anyone out.
			l.noteSeen(l.display(ref.Path))
			continue
		}
		linted[fileKind{ref.Path, ref.Kind}] = true
		out = append(out, userFileUse{path: ref.Path, kind: ref.Kind, servers: Apache, via: Related{File: l.display(ref.Node.File),
			Span: position.Span{Start: ref.Node.NameSpan.Start}, Message: "referenced here"}})
	}
	return out
}

// runApacheRules runs the Apache rules on a frozen model, on every core:
// each rule's findings are gathered apart and reported in rule order.
func (l *linter) runApacheRules(conf *htaccess.Config, model *apachemodel.Model, lines *sourceLines) {
	rules := l.enabled(func(r *Rule) bool { return r.Apache != nil })
	l.display("/") // reads the working directory once, before the rules share l
	// Each rule collects apart, bounded like the run; the ignores that
	// silence a finding left out are marked once the rules are done (the
	// rules share them).
	found := make([]*collector, len(rules))
	silenced := make([][]*ignore, len(rules))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(rules)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(rules); i = int(next.Add(1)) - 1 {
				found[i] = newCollector(l.cfg.FindingCap, func(f Finding) bool {
					igs := l.matchingIgnores(&f)
					silenced[i] = append(silenced[i], igs...)
					return len(igs) > 0
				})
				rules[i].Apache(&ApachePass{Rule: rules[i], Conf: conf, Model: model, FS: l.cfg.FS,
					emit: found[i].add, src: lines,
					display: l.display, reported: map[string]bool{}})
			}
		})
	}
	wg.Wait()
	for i, c := range found {
		for _, k := range c.keys {
			l.noteFinding(k.file)
		}
		l.col.merge(c)
		for _, ig := range silenced[i] {
			ig.used = true
		}
	}
}

func reportApacheError(p *ApachePass, e *htaccess.Error, inHtaccess bool) {
	sev := Error
	if e.IsWarning() {
		sev = Warning
	}
	effect := ": apache2 -t fails and the server does not start"
	switch {
	case e.IsWarning():
		effect = ""
	case inHtaccess:
		effect = ": every request to this directory gets 500"
	}
	p.ReportSeverityf(sev, e.File, e.Span, "%s%s", e.Msg, effect)
}

// unverifiableIncludes reports, as info, Include/IncludeOptional patterns
// outside every mapping of an offline run: what they would pull in cannot be
// checked (the loader found nothing there).
func unverifiableIncludes(l *linter, conf *htaccess.Config, lines *sourceLines) {
	if _, live := serverfs.Unwrap(l.cfg.FS).(serverfs.OSFS); live {
		return // the live file system has no unchecked path
	}
	p := &ApachePass{Rule: ApacheSyntax, Conf: conf, FS: l.cfg.FS, emit: l.report, src: lines,
		display: l.display, reported: map[string]bool{}}
	// The walk from the main file reaches every file once per place it is
	// included (walking each of conf.Files would walk a file again for
	// every file that includes it, directly or not).
	htaccess.Walk(conf.Main, func(n *htaccess.Node, _ []*htaccess.Node) bool {
		if (n.Lower != "include" && n.Lower != "includeoptional") || len(n.Args) != 1 || len(n.Includes()) > 0 {
			return true
		}
		pat := n.Args[0].Expanded
		if !path.IsAbs(pat) {
			pat = path.Join(conf.ServerRoot, pat)
		}
		if n.Lower == "include" && !strings.ContainsAny(pat, "*?[") {
			return false // a file Include cannot open is a load error, reported with it
		}
		dir := pat
		for strings.ContainsAny(dir, "*?[") {
			dir = path.Dir(dir)
		}
		if why := l.cfg.FS.Unchecked(dir); why != "" {
			p.ReportSeverityf(Info, n.File, n.Args[0].Span, "cannot check %s %s: %s, so what it includes is not linted", n.Name, pat, why)
		}
		return false
	})
}

// workerName is the account of the User directive ("" without one).
func (a *apacheRun) workerName() string {
	if a.built == nil {
		return ""
	}
	return a.built.User
}
