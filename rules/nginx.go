package rules

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/nginxmodel"
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
}

// Reportf reports a finding at span in file with the rule's severity.
func (p *NginxPass) Reportf(file string, span nginxconf.Span, format string, args ...any) {
	p.ReportSeverityf(p.Rule.Severity, file, span, format, args...)
}

// ReportSeverityf reports a finding with an explicit severity.
func (p *NginxPass) ReportSeverityf(sev Severity, file string, span nginxconf.Span, format string, args ...any) {
	f := Finding{RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.display(file),
		Span:    Span{Start: Pos{span.Start.Line, span.Start.Col}, End: Pos{span.End.Line, span.End.Col}},
		Message: fmt.Sprintf(format, args...)}
	if lines := p.src.lines(file); span.Start.Line >= 1 && span.Start.Line <= len(lines) {
		f.Source = redactConfigLine(lines[span.Start.Line-1])
	}
	p.emit(f)
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

// nginx lints an nginx configuration entry point (or an `nginx -T` dump).
func (l *linter) nginx(name string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	l.noteRead(len(data))
	var conf *nginxconf.Config
	var src nginxconf.Source = l.cfg.FS
	fsys := l.cfg.FS
	isDump := nginxconf.IsDump(data)
	if isDump || filepath.Base(name) == "nginx.conf" {
		l.largeInput() // a whole configuration
	}
	if isDump {
		dump, err := nginxconf.ParseDump(data)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		conf = nginxconf.Load(dump, dump.Main(), nginxconf.LoadOptions{})
		src = dump
	} else {
		// A main file in a mapped directory is loaded under its server path
		// (deploy/nginx/nginx.conf is /etc/nginx/nginx.conf), so that
		// relative includes and user files resolve as on the server.
		path := name
		if name != "<stdin>" {
			path = serverfs.ServerPathOf(l.cfg.FS, name)
		}
		// A server file linted alone (conf.d/site.conf) takes the conf
		// prefix of the nginx.conf above it; with none, relative paths
		// cannot be resolved and are not checked.
		opts := nginxconf.LoadOptions{}
		fragment := false
		if filepath.Base(path) != "nginx.conf" && name != "<stdin>" {
			if prefix, ok := nginxmodel.FindPrefix(l.cfg.FS, path); ok {
				opts.Prefix = prefix
			} else {
				fragment = true
			}
		}
		rec := serverfs.NewRecordingSource(path, data, src)
		rec.OnRead = l.noteRead
		conf = nginxconf.Load(rec, path, opts)
		if fragment {
			conf.Prefix = ""
		}
		src = rec
	}
	lines := newSourceLines()
	for _, f := range conf.Files {
		l.noteSeen(l.display(f.Path))
		if b, err := src.ReadFile(f.Path); err == nil { // recorded or in the dump: no second read
			lines.data[f.Path] = b
		}
		for _, c := range f.Comments {
			if c.FullLine && strings.Contains(c.Text, "authlint:") {
				l.noteComment(l.display(f.Path), c.Span.Start.Line, c.Text)
			}
		}
	}
	model := nginxmodel.Build(conf)
	for _, rule := range l.enabled(func(r *Rule) bool { return r.Nginx != nil }) {
		rule.Nginx(&NginxPass{Rule: rule, Conf: conf, Model: model, FS: fsys, emit: l.report, src: lines, display: l.display})
	}
	if l.ruleEnabled(NginxSyntax.ID) {
		p := &NginxPass{Rule: NginxSyntax, Conf: conf, FS: fsys, emit: l.report, src: lines, display: l.display}
		for _, e := range conf.Errors {
			p.Reportf(e.File, e.Span, "%s", e.Msg)
		}
	}
	// Lint every user file in nginx's flavour.
	for _, uf := range model.UserFiles() {
		if uf.Path == "" || strings.Contains(uf.Path, "$") {
			continue
		}
		_ = l.referencedUserFile(uf.Path, filekind.Htpasswd, Nginx, Related{File: l.display(uf.Directive.File),
			Span: Span{Start: Pos{uf.Directive.Span.Start.Line, uf.Directive.Span.Start.Col}}, Message: "referenced here"})
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
