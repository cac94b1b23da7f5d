package rules

import (
	"path"
	"strings"

	"github.com/authlint/authlint/internal/position"
)

// Inline ignores, written as full-line comments in every file kind:
//
//	# authlint:ignore RULE[,RULE...] reason     the next line
//	# authlint:file-ignore RULE[,RULE...] reason the whole file
//
// RULE is an ID, a name or a glob over either.

const (
	ignorePrefix     = "authlint:ignore"
	fileIgnorePrefix = "authlint:file-ignore"
)

// ignore is one parsed ignore comment.
type ignore struct {
	file     string
	line     int // the comment's line
	target   int // the line it silences; 0 for the whole file
	patterns []string
	reason   string
	source   string
	used     bool
	seq      int // order of noting
}

// noteComment records an ignore comment; text is the comment without the
// leading '#' and blanks. It returns false when the comment is not an ignore.
func (l *linter) noteComment(file string, line int, text string) bool {
	text = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "#"))
	var whole bool
	var rest string
	switch {
	case strings.HasPrefix(text, fileIgnorePrefix):
		whole, rest = true, text[len(fileIgnorePrefix):]
	case strings.HasPrefix(text, ignorePrefix):
		rest = text[len(ignorePrefix):]
	default:
		return false
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return false // e.g. "authlint:ignored"
	}
	fields := strings.Fields(rest)
	ig := &ignore{file: file, line: line, target: line + 1, source: "# " + text}
	if whole {
		ig.target = 0
	}
	if len(fields) > 0 {
		for _, p := range strings.Split(fields[0], ",") {
			if p != "" {
				ig.patterns = append(ig.patterns, p)
			}
		}
		ig.reason = strings.Join(fields[1:], " ")
	}
	ig.seq = len(l.ignores)
	l.ignores = append(l.ignores, ig)
	k := ignoreKey{file, ig.target}
	l.ignoreAt[k] = append(l.ignoreAt[k], ig)
	return true
}

// ignoreKey is where an ignore applies: a file and a line, 0 for the whole
// file.
type ignoreKey struct {
	file string
	line int
}

// matchingIgnores returns the ignores with a reason that silence f.
func (l *linter) matchingIgnores(f *Finding) []*ignore {
	if f.RuleID == BadIgnore.ID || f.RuleID == UnusedIgnore.ID || isSyntaxRule(f.RuleID) {
		return nil
	}
	var out []*ignore
	for _, line := range []int{int(f.Span.Start.Line), 0} {
		for _, ig := range l.ignoreAt[ignoreKey{f.File, line}] {
			if ig.reason == "" {
				continue
			}
			for _, p := range ig.patterns {
				if matchesRule(p, f.RuleID, f.RuleName) {
					out = append(out, ig)
					break
				}
			}
		}
	}
	return out
}

// markDropIgnored marks the ignores that silence a finding left out past
// the cap as used (they did silence something) and reports whether any
// did.
func (l *linter) markDropIgnored(f Finding) bool {
	igs := l.matchingIgnores(&f)
	for _, ig := range igs {
		ig.used = true
	}
	return len(igs) > 0
}

// matchesRule reports whether an ignore pattern names the rule.
func matchesRule(pattern string, id, name string) bool {
	p := strings.ToUpper(pattern)
	for _, s := range []string{strings.ToUpper(id), strings.ToUpper(name)} {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

// applyIgnores marks suppressed findings and reports malformed and unused
// ignores. Engine findings about ignores themselves, and syntax errors, are
// never suppressed.
func (l *linter) applyIgnores() {
	all := All()
	enabled := map[string]bool{}
	for _, r := range l.cfg.Rules {
		enabled[r.ID] = true
	}
	for i := range l.findings {
		f := &l.findings[i]
		var last *ignore // the reason of the ignore noted last stands
		for _, ig := range l.matchingIgnores(f) {
			ig.used = true
			if last == nil || ig.seq > last.seq {
				last = ig
			}
		}
		if last != nil {
			f.Suppressed, f.SuppressReason = true, last.reason
		}
	}
	for _, ig := range l.ignores {
		span := position.Span{Start: position.At(0, ig.line, 1), End: position.At(0, ig.line, len(ig.source)+1)}
		report := func(r *Rule, format string, args ...any) {
			if !enabled[r.ID] {
				return
			}
			l.findings = append(l.findings, Finding{RuleID: r.ID, RuleName: r.Name, Severity: r.Severity, File: ig.file, Span: span,
				Message: sprintf(format, args...), Source: ig.source})
		}
		switch {
		case len(ig.patterns) == 0:
			report(BadIgnore, "ignore comment names no rule: write `# authlint:ignore RULE reason`")
			continue
		case ig.reason == "":
			report(BadIgnore, "ignore comment for %s has no reason, so it silences nothing: say why the finding is acceptable", strings.Join(ig.patterns, ","))
			continue
		}
		unknown, live := []string{}, false
		for _, p := range ig.patterns {
			known := false
			for _, r := range all {
				if matchesRule(p, r.ID, r.Name) {
					known = true
					live = live || enabled[r.ID]
				}
			}
			if !known {
				unknown = append(unknown, p)
			}
		}
		if len(unknown) > 0 {
			report(BadIgnore, "ignore comment names unknown rule %s (see `authlint rules`)", strings.Join(unknown, ", "))
			continue
		}
		if !ig.used && live {
			where := "the next line"
			if ig.target == 0 {
				where = "this file"
			}
			report(UnusedIgnore, "ignore comment for %s matches no finding on %s; remove it", strings.Join(ig.patterns, ","), where)
		}
	}
}

// isSyntaxRule reports whether id is a parser's syntax rule (xx000).
func isSyntaxRule(id string) bool { return strings.HasSuffix(id, "000") }
