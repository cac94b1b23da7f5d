package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/internal/serverfs"
)

// UserFileInput names a password, digest or group file and who reads it.
type UserFileInput struct {
	// Name is the path shown in findings.
	Name string
	// Kind is filekind.Htpasswd, filekind.Htdigest or filekind.Htgroup.
	Kind filekind.Kind
	// Servers are the servers that read the file.
	Servers ServerSet
	// Via is the config directive that references the file, if any.
	Via *Related
	// SizeHint is the file size when known, for rules that pre-size tables.
	SizeHint int
}

// UserFilePass is what a UserFile rule sees of one file.
type UserFilePass struct {
	Rule *Rule
	UserFileInput
	// Platform is the server's crypt(3).
	Platform htpasswd.Platform
	emit     func(Finding)
	// dropPast, when set, counts a finding past the cap (collector.dropPast).
	dropPast func(Finding) bool
	see      seeRefs
}

// LineRef returns "line n" for a message about another line of this file;
// the finding whose message holds it relates that line (what says what is
// there: "first definition").
func (p *UserFilePass) LineRef(n int, what string) string {
	return p.see.add("line "+strconv.Itoa(n), lineRelated(p.Name, n, what))
}

// UserLine is one physical line with its typed view, parsed once for all
// rules. It and every string in it (Raw, Fields, User, Hash, Digest, Group)
// are valid only during the Line callback: the scanner reuses their memory
// for the next line. A rule that keeps a name or a hash past the callback
// (for a later line, or for End) must strings.Clone it; ruletest runs every
// fixture with Config.ScribbleLines, which makes a kept reference read
// garbage.
type UserLine struct {
	*htpasswd.Line
	// User and Hash are set for entry lines of password files.
	User htpasswd.UserEntry
	Hash htpasswd.Hash
	// Digest is set for entry lines of digest files.
	Digest htpasswd.DigestEntry
	// Group is set for entry lines of group files.
	Group htpasswd.GroupEntry
	kind  filekind.Kind
	// explained caches hashExplained for the line.
	explained, explainedSet bool
}

// FileEnd summarises a file for the End callback.
type FileEnd struct {
	// Lines is the number of physical lines; Entries the number of entry lines.
	Lines, Entries int
	// Bytes is the file size.
	Bytes int
}

// LineVisitor receives every line of one file, then the end of it. Either
// function may be nil.
type LineVisitor struct {
	Line func(l *UserLine)
	End  func(end *FileEnd)
}

// Reportf reports a finding at span on line l with the rule's severity.
func (p *UserFilePass) Reportf(l *UserLine, span htpasswd.Span, format string, args ...any) {
	p.ReportSeverityf(p.Rule.Severity, l, span, format, args...)
}

// ReportSeverityf reports a finding with an explicit severity.
func (p *UserFilePass) ReportSeverityf(sev Severity, l *UserLine, span htpasswd.Span, format string, args ...any) {
	if l != nil && span.Start.Line == 0 {
		span = position.Span{Start: position.At(l.Offset, l.Num, 1)}
	}
	if p.pastCap(sev, span) {
		return
	}
	f := Finding{
		RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.Name,
		Span:    span,
		Message: sprintf(format, args...),
	}
	if l != nil {
		f.Source = l.Redacted()
		if f.Span.Start.Line == 0 {
			f.Span = position.Span{Start: position.At(l.Offset, l.Num, 1)}
		}
		if f.Source != string(l.Raw) {
			f.SourceCols = [2]int{l.redactedCol(int(f.Span.Start.Col)), l.redactedCol(int(f.Span.End.Col))}
		}
	}
	if p.Via != nil {
		f.Related = append(f.Related, *p.Via)
	}
	p.emit(p.see.attach(f))
}

// reportSource reports a finding with an already redacted source line, for
// rules that report after the line has gone.
func (p *UserFilePass) reportSource(sev Severity, span htpasswd.Span, source, format string, args ...any) {
	if p.pastCap(sev, span) {
		return
	}
	f := Finding{
		RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.Name,
		Span:    span,
		Message: sprintf(format, args...), Source: source,
	}
	if p.Via != nil {
		f.Related = append(f.Related, *p.Via)
	}
	p.emit(p.see.attach(f))
}

// pastCap reports whether a finding at span is left out past the run's cap
// (and counts it), before its message and snippet are made: a file of a
// million bad lines then makes no garbage per line beyond the cap.
func (p *UserFilePass) pastCap(sev Severity, span htpasswd.Span) bool {
	return p.dropPast != nil && p.dropPast(Finding{RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.Name, Span: span})
}

// ReportFilef reports a finding about the whole file, at line 1 column 1.
func (p *UserFilePass) ReportFilef(format string, args ...any) {
	p.ReportSeverityf(p.Rule.Severity, nil, htpasswd.Span{Start: htpasswd.Pos{Line: 1, Col: 1}}, format, args...)
}

// Redacted returns the line with every secret replaced, for snippets: the
// hash shows its scheme and parameters only.
func (l *UserLine) Redacted() string {
	raw := string(l.Raw)
	switch {
	case l.Kind != htpasswd.KindEntry || l.kind == filekind.Htgroup:
		if l.Kind == htpasswd.KindEntry || l.Kind == htpasswd.KindComment || l.Kind == htpasswd.KindIndentedComment {
			return redactLoose(raw, l.kind)
		}
		return raw
	case len(l.Fields) < 2:
		// No colon: "alice $apr1$..." keeps the first word only.
		if i := strings.IndexAny(raw, " \t"); i >= 0 {
			return raw[:i] + " …"
		}
		return "…"
	case l.kind == filekind.Htdigest && len(l.Fields) >= 3:
		return l.Fields[0].Text + ":" + shownRealm(l.Fields[1].Text) + ":…"
	}
	out := l.Fields[0].Text + ":" + htpasswd.Redact(l.Fields[1].Text)
	if i := trailingCommentAt(l); i >= 0 && len(l.Fields) == 2 {
		// Show that a comment follows, not what it says: notes in password
		// files sometimes hold passwords.
		out = l.Fields[0].Text + ":" + htpasswd.Redact(l.Fields[1].Text[:i]) + " # …"
	}
	if len(l.Fields) > 2 {
		out += ":…"
	}
	return out
}

// redactedCol maps a column of the raw line to the redacted line: inside the
// hash it points at the redacted hash, after it it is shifted.
func (l *UserLine) redactedCol(col int) int {
	if col == 0 || len(l.Fields) < 2 || l.Kind != htpasswd.KindEntry {
		return col
	}
	bom := 0
	if l.BOM {
		bom = 3
	}
	hf := l.Fields[1]
	if l.kind == filekind.Htdigest && len(l.Fields) >= 3 {
		hf = l.Fields[2]
	}
	hashStart, hashEnd := int(hf.Span.Start.Col)-bom, int(hf.Span.End.Col)-bom
	text := hf.Text
	if i := trailingCommentAt(l); i >= 0 && len(l.Fields) == 2 {
		hashEnd, text = hashStart+i, text[:i]
	}
	red := len(htpasswd.Redact(text))
	if l.kind == filekind.Htdigest {
		red = len("…")
	}
	c := col - bom
	switch {
	case c <= hashStart:
		return max(c, 1)
	case c < hashEnd:
		return hashStart
	}
	return c - (hashEnd - hashStart) + red
}

// redactLoose redacts comment lines of password files (a commented-out entry
// still holds a hash) and leaves group lines alone.
func redactLoose(raw string, kind filekind.Kind) string {
	if kind == filekind.Htgroup {
		return raw
	}
	if i := strings.IndexByte(raw, ':'); i >= 0 {
		return raw[:i+1] + "…"
	}
	return raw
}

// userFile lints one password, digest or group file as a stream.
func (l *linter) userFile(in UserFileInput, r io.Reader) error {
	rules := l.enabled(func(r *Rule) bool { return r.UserFile != nil })
	visitors := make([]LineVisitor, 0, len(rules))
	for _, rule := range rules {
		p := &UserFilePass{Rule: rule, UserFileInput: in, Platform: l.cfg.Platform, emit: l.report, dropPast: l.col.dropPast}
		visitors = append(visitors, rule.UserFile(p))
	}
	sc := htpasswd.NewScanner(r)
	if l.cfg.ScribbleLines {
		sc.Scribble()
	}
	end := FileEnd{}
	ul := &UserLine{kind: in.Kind}
	for sc.Scan() {
		line := sc.Line()
		*ul = UserLine{Line: line, kind: in.Kind}
		end.Lines++
		end.Bytes += line.Length
		if line.Kind == htpasswd.KindComment && bytes.Contains(line.Raw, []byte("authlint:")) {
			l.noteComment(in.Name, line.Num, string(line.Raw))
		}
		if line.Kind == htpasswd.KindEntry {
			end.Entries++
			switch in.Kind {
			case filekind.Htpasswd:
				ul.User = htpasswd.ParseUserLine(line)
				if ul.User.HasColon {
					ul.Hash = htpasswd.Classify(ul.User.Hash.Text)
				}
			case filekind.Htdigest:
				ul.Digest = htpasswd.ParseDigestLine(line)
			case filekind.Htgroup:
				ul.Group = htpasswd.ParseGroupLine(line)
			}
		}
		for _, v := range visitors {
			if v.Line != nil {
				v.Line(ul)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", in.Name, err)
	}
	for _, v := range visitors {
		if v.End != nil {
			v.End(&end)
		}
	}
	return nil
}

// referencedUserFile lints a user file that a config references, once per
// run and server set, reading it through the run's FS. It does not report a
// missing or unreadable file: the config rules do that with the right
// status codes; it returns the open error for them.
func (l *linter) referencedUserFile(path string, kind filekind.Kind, servers ServerSet, via Related) error {
	key := fmt.Sprintf("%s\x00%d\x00%s", path, servers, kind)
	if l.userFiles[key] {
		l.noteReach(l.display(path))
		return nil
	}
	l.userFiles[key] = true
	l.noteSeen(l.display(path)) // a walk must not lint it again on its own
	// Only a regular file within MaxUserFileSize is opened: the config
	// rules (NG402, AP401...) say what the server does with a device,
	// FIFO or socket; a file too large is not checked (AU903).
	f, err := l.cfg.FS.Open(path)
	if err != nil {
		l.userFileTooLarge(path, err)
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	l.noteFile(l.display(path), RoleUserFile)
	in := UserFileInput{Name: l.display(path), Kind: kind, Servers: servers, Via: &via}
	if st, err := l.cfg.FS.Stat(path); err == nil {
		in.SizeHint = int(min(st.Size(), 1<<31))
	}
	err = l.userFile(in, f)
	l.userFileTooLarge(path, err)
	return err
}

// userFileTooLarge reports a user file over MaxUserFileSize (AU903).
func (l *linter) userFileTooLarge(path string, err error) {
	var tl *serverfs.TooLargeError
	if errors.As(err, &tl) {
		l.reportNotChecked(Warning, l.display(path), "not checked: the file is %s, over authlint's %s limit for a user file",
			serverfs.FormatSize(tl.Size), serverfs.FormatSize(tl.Limit))
	}
}
