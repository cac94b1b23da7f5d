package rules

import (
	"errors"
	"strconv"
	"strings"

	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/nginxconf"
)

// NginxPass is what an Nginx rule sees of one loaded nginx configuration.
type NginxPass struct {
	Rule *Rule
	// Conf is the loaded configuration (main file and includes).
	Conf *nginxconf.Config
	// Model is the auth model built from it.
	Model *nginxmodel.Model
	// FS reads the files the configuration references.
	FS      serverfs.FS
	emit    func(Finding)
	display func(string) string
	src     *sourceLines // for snippets
	see     seeRefs
}

// Reportf reports a finding at span in file with the rule's severity.
func (p *NginxPass) Reportf(file string, span nginxconf.Span, format string, args ...any) {
	p.ReportSeverityf(p.Rule.Severity, file, span, format, args...)
}

// ReportSeverityf reports a finding with an explicit severity.
func (p *NginxPass) ReportSeverityf(sev Severity, file string, span nginxconf.Span, format string, args ...any) {
	f := Finding{RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.display(file),
		Span:    span,
		Message: sprintf(format, args...)}
	if lines := p.src.lines(file); span.Start.Line >= 1 && int(span.Start.Line) <= len(lines) {
		f.Source = redactConfigLine(lines[span.Start.Line-1])
	}
	p.emit(p.see.attach(f))
}

// LineRef names where to is, for a message about from: "line 12" in the
// same file, else "conf.d/site.conf:12".
// The finding whose message holds it relates that line.
func (p *NginxPass) LineRef(from, to *nginxconf.Directive) string {
	line := int(to.Span.Start.Line)
	text := p.display(to.File) + ":" + strconv.Itoa(line)
	if from != nil && from.File == to.File {
		text = "line " + strconv.Itoa(line)
	}
	return p.see.add(text, lineRelated(p.display(to.File), line, "see "+to.Name+" here"))
}

// At reports at a directive.
func (p *NginxPass) At(d *nginxconf.Directive, format string, args ...any) {
	p.Reportf(d.File, d.Span, format, args...)
}

// redactConfigLine hides credentials a config line may carry (a
// proxy_set_header Authorization "Basic …").
func redactConfigLine(line string) string {
	lower := strings.ToLower(line)
	if i := strings.Index(lower, "authorization"); i >= 0 {
		for _, scheme := range []string{"basic ", "bearer ", "digest "} {
			if j := strings.Index(lower[i:], scheme); j >= 0 {
				k := i + j + len(scheme)
				return line[:k] + "…"
			}
		}
	}
	return line
}

// nginxRun lints an nginx configuration entry point (or an `nginx -T`
// dump).
type nginxRun struct {
	fsys  serverfs.FS
	src   nginxconf.Source // what the load read through: the files it read, or the dump
	conf  *nginxconf.Config
	built *nginxmodel.Model
}

func (n *nginxRun) load(l *linter, name string, data []byte) error {
	n.fsys = l.cfg.FS
	// A main file in a mapped directory is loaded under its server path
	// (deploy/nginx/nginx.conf is /etc/nginx/nginx.conf), so that relative
	// includes and user files resolve as on the server.
	path := name
	if name != "<stdin>" {
		path = serverfs.ServerPathOf(l.cfg.FS, name)
	}
	ld, err := nginxmodel.Load(l.cfg.FS, path, data, nginxmodel.LoadOptions{OnRead: l.noteIncludeRead, WholeConfig: l.largeInput})
	if err != nil {
		return err
	}
	n.conf, n.src = ld.Conf, ld.Src
	return nil
}

func (n *nginxRun) sources() []configSource {
	out := make([]configSource, 0, len(n.conf.Files))
	for _, f := range n.conf.Files {
		s := configSource{path: f.Path}
		if b, err := n.src.ReadFile(f.Path); err == nil { // recorded or in the dump: no second read
			s.data = b
		}
		for _, c := range f.Comments {
			if c.FullLine {
				s.comments = append(s.comments, sourceComment{int(c.Span.Start.Line), c.Text})
			}
		}
		out = append(out, s)
	}
	return out
}

func (n *nginxRun) model() { n.built = nginxmodel.Build(n.conf) }

func (n *nginxRun) runRules(l *linter, lines *sourceLines) {
	for _, rule := range l.enabled(func(r *Rule) bool { return r.Nginx != nil }) {
		rule.Nginx(n.pass(l, rule, lines))
	}
}

func (n *nginxRun) pass(l *linter, rule *Rule, lines *sourceLines) *NginxPass {
	return &NginxPass{Rule: rule, Conf: n.conf, Model: n.built, FS: n.fsys, emit: l.report, src: lines, display: l.display}
}

func (n *nginxRun) syntaxRule() *Rule { return NginxSyntax }

func (n *nginxRun) syntax(l *linter, lines *sourceLines) {
	p := n.pass(l, NginxSyntax, lines)
	for _, e := range n.conf.Errors {
		if e.Path != "" {
			if why := n.fsys.Unchecked(e.Path); why != "" {
				p.ReportSeverityf(Info, e.File, e.Span, "cannot check include %s: %s, so what it holds is not linted", e.Path, why)
				continue
			}
		}
		p.Reportf(e.File, e.Span, "%s", e.Msg)
	}
	// Devices taken as empty: nginx -t passes, the include brings nothing.
	for _, s := range n.skipped() {
		var nr *serverfs.NotRegularError
		if !errors.As(s.Err, &nr) {
			continue
		}
		for _, d := range n.includesOf(s.Path) {
			p.ReportSeverityf(Warning, d.File, d.Span, "include %q is %s, not a file: nginx includes nothing from it (it reads as many bytes as stat reports, 0 for a device), so nginx -t passes; authlint did not read it either",
				s.Path, serverfs.DescribeType(nr.Mode))
		}
	}
}

// skipped lists the files the load took as empty (devices, files over the
// size limit).
func (n *nginxRun) skipped() []serverfs.Skipped {
	if rec, ok := n.src.(*serverfs.RecordingSource); ok {
		return rec.Skipped()
	}
	return nil
}

// includesOf returns the include directives that pulled in the file path.
func (n *nginxRun) includesOf(path string) []*nginxconf.Directive {
	var out []*nginxconf.Directive
	var walk func(ds []*nginxconf.Directive)
	walk = func(ds []*nginxconf.Directive) {
		for _, d := range ds {
			if d.HasBlock {
				walk(d.Block)
			}
			for _, f := range d.Includes {
				if f.Path == path {
					out = append(out, d)
				}
			}
		}
	}
	for _, f := range n.conf.Files {
		walk(f.Directives)
	}
	return out
}

// notChecked reports the files over authlint's size limit (AU903).
func (n *nginxRun) notChecked(l *linter) { l.reportSkipped(n.skipped()) }

// userFiles are linted in nginx's flavour; a path with a variable is
// NG405's to report.
func (n *nginxRun) userFiles(l *linter) []userFileUse {
	var out []userFileUse
	for _, uf := range n.built.UserFiles() {
		if uf.Path == "" || strings.Contains(uf.Path, "$") {
			continue
		}
		out = append(out, userFileUse{path: uf.Path, kind: filekind.Htpasswd, servers: Nginx, via: Related{File: l.display(uf.Directive.File),
			Span: position.Span{Start: uf.Directive.Span.Start}, Message: "referenced here"}})
	}
	return out
}

// workerName is the account of the `user` directive ("" without one).
func (n *nginxRun) workerName() string {
	if n.conf == nil || n.conf.Main == nil {
		return ""
	}
	for _, d := range n.conf.Main.Directives {
		if d.Name == "user" {
			return d.Arg(0)
		}
	}
	return ""
}
