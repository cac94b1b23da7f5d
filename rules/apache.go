package rules

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/filekind"
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
	msg := fmt.Sprintf(format, args...)
	key := fmt.Sprintf("%s\x00%d:%d\x00%s", file, span.Start.Line, span.Start.Col, msg)
	if p.reported[key] {
		return
	}
	p.reported[key] = true
	f := Finding{RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.display(file),
		Span: apSpan(span), Message: msg}
	if lines, line := p.src.lines(file), int(span.Start.Line); line >= 1 && line <= len(lines) {
		f.Source = redactConfigLine(lines[line-1])
	}
	p.emit(f)
}

// apPos and apSpan convert Apache parser positions to findings'.
func apPos(p htaccess.Pos) Pos    { return Pos{int(p.Line), int(p.Col)} }
func apSpan(s htaccess.Span) Span { return Span{Start: apPos(s.Start), End: apPos(s.End)} }

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
func (p *ApachePass) Where(n *htaccess.Node) string {
	return fmt.Sprintf("%s:%d", p.display(n.File), n.NameSpan.Start.Line)
}

// WhereSec formats a section for messages: `<Directory "/srv"> (httpd.conf:3)`.
func (p *ApachePass) WhereSec(s *apachemodel.Section) string {
	if s.Node == nil {
		return p.display(s.File)
	}
	return s.Describe() + " (" + p.Where(s.Node) + ")"
}

// isHtaccessName reports whether a file name is a .htaccess file.
func isHtaccessName(base string) bool {
	return base == ".htaccess" || strings.HasSuffix(base, ".htaccess")
}

// apache lints an Apache configuration entry point or a .htaccess file.
func (l *linter) apache(name string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	// A main file in a mapped directory is loaded under its server path, so
	// that ServerRoot, includes and user files resolve as on the server.
	p := name
	if name != "<stdin>" {
		p = serverfs.ServerPathOf(l.cfg.FS, name)
	}
	base := filepath.Base(p)
	l.noteRead(len(data))
	src := serverfs.NewRecordingSource(p, data, l.cfg.FS)
	src.OnRead = l.noteRead
	var conf *htaccess.Config
	var b *apachemodel.Builder
	var pf *apachemodel.Prefetch
	var visit func(*htaccess.Node, string)
	if base == "apache2.conf" || base == "httpd.conf" {
		// A whole configuration: its .htaccess search can start while it
		// loads.
		l.largeInput()
		pf = apachemodel.NewPrefetch(l.cfg.FS)
		defer pf.Stop() // stops it on every path
		visit = pf.Visit
	}
	switch {
	case isHtaccessName(base):
		// A .htaccess alone: ServerRoot and AllowOverride are unknown.
		conf = htaccess.Load(src, p, htaccess.LoadOptions{ServerRoot: filepath.Dir(p)})
		b = apachemodel.BuildHtaccess(conf, p)
	case base == "apache2.conf":
		conf = htaccess.LoadDebian(src, filepath.Dir(p), htaccess.LoadOptions{Visit: visit})
		b = apachemodel.Build(conf, false)
	default:
		// httpd's compiled-in layout is ServerRoot/conf/httpd.conf: a main
		// file in a conf directory has its parent as ServerRoot until a
		// ServerRoot directive says otherwise. A vhost or conf snippet
		// linted alone takes the ServerRoot of the tree it sits in.
		root := filepath.Dir(p)
		if filepath.Base(root) == "conf" {
			root = filepath.Dir(root)
		}
		whole := base == "httpd.conf"
		known := whole
		if !whole {
			root, known = apachemodel.FindServerRoot(l.cfg.FS, p, root)
		}
		conf = htaccess.Load(src, p, htaccess.LoadOptions{ServerRoot: root, Visit: visit})
		b = apachemodel.Build(conf, !whole && !apachemodel.SetsServerRoot(conf))
		if !known && b.Fragment() {
			// Relative includes of a snippet whose ServerRoot is unknown
			// cannot be checked.
			conf.Errors = slices.DeleteFunc(conf.Errors, func(e *htaccess.Error) bool { return e.Kind == htaccess.KindInclude })
		}
	}
	lines := newSourceLines()
	addFile := func(f *htaccess.File, text []byte) {
		l.noteSeen(l.display(f.Path))
		lines.data[f.Path] = text
		for _, c := range f.Comments {
			if strings.Contains(c.Text, "authlint:") {
				l.noteComment(l.display(f.Path), c.Line, c.Text)
			}
		}
	}
	for _, f := range conf.Files {
		if b, err := src.ReadFile(f.Path); err == nil { // recorded: no second read
			addFile(f, b)
		}
	}
	var htErrors []*htaccess.Error
	if !b.Fragment() {
		for _, ht := range b.DiscoverHtaccess(l.cfg.FS, pf) {
			if ht.File != nil {
				addFile(ht.File, ht.Data)
				htErrors = append(htErrors, ht.File.Errors...)
			} else {
				l.noteSeen(l.display(ht.Path)) // linted here, unreadable
			}
		}
	}
	model := b.Freeze()
	l.runApacheRules(conf, model, lines)
	if l.ruleEnabled(ApacheSyntax.ID) {
		unverifiableIncludes(l, conf, lines)
		ap := &ApachePass{Rule: ApacheSyntax, Conf: conf, Model: model, FS: l.cfg.FS, emit: l.report, src: lines,
			display: l.display, reported: map[string]bool{}}
		ht := isHtaccessName(base)
		for _, e := range conf.Errors {
			reportApacheError(ap, e, ht)
		}
		for _, e := range htErrors {
			reportApacheError(ap, e, true)
		}
	}
	type fileKind struct {
		path string
		kind filekind.Kind
	}
	linted := map[fileKind]bool{}
	for _, ref := range model.UserFiles() {
		if ref.Path == "" || linted[fileKind{ref.Path, ref.Kind}] {
			continue // referencedUserFile lints each file once: the first reference stands
		}
		linted[fileKind{ref.Path, ref.Kind}] = true
		_ = l.referencedUserFile(ref.Path, ref.Kind, Apache, Related{File: l.display(ref.Node.File),
			Span: Span{Start: apPos(ref.Node.NameSpan.Start)}, Message: "referenced here"})
	}
	return nil
}

// runApacheRules runs the Apache rules on a frozen model, on every core:
// each rule's findings are gathered apart and reported in rule order.
func (l *linter) runApacheRules(conf *htaccess.Config, model *apachemodel.Model, lines *sourceLines) {
	rules := l.enabled(func(r *Rule) bool { return r.Apache != nil })
	l.display("/") // reads the working directory once, before the rules share l
	found := make([][]Finding, len(rules))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(rules)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(rules); i = int(next.Add(1)) - 1 {
				rules[i].Apache(&ApachePass{Rule: rules[i], Conf: conf, Model: model, FS: l.cfg.FS,
					emit: func(f Finding) { found[i] = append(found[i], f) }, src: lines,
					display: l.display, reported: map[string]bool{}})
			}
		})
	}
	wg.Wait()
	for _, fs := range found {
		for _, f := range fs {
			l.report(f)
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
		return // the live file system has no unverifiable path
	}
	p := &ApachePass{Rule: ApacheSyntax, Conf: conf, FS: l.cfg.FS, emit: l.report, src: lines,
		display: l.display, reported: map[string]bool{}}
	for _, f := range conf.Files {
		htaccess.Walk(f, func(n *htaccess.Node, _ []*htaccess.Node) bool {
			if (n.Lower != "include" && n.Lower != "includeoptional") || len(n.Args) != 1 || len(n.Includes()) > 0 {
				return true
			}
			pat := n.Args[0].Expanded
			if !path.IsAbs(pat) {
				pat = path.Join(conf.ServerRoot, pat)
			}
			dir := pat
			for strings.ContainsAny(dir, "*?[") {
				dir = path.Dir(dir)
			}
			if l.cfg.FS.Unverifiable(dir) {
				p.ReportSeverityf(Info, n.File, n.Args[0].Span, "cannot check %s %s: it is outside every --map/--root and this run is offline, so what it includes is not linted", n.Name, pat)
			}
			return false
		})
	}
}
