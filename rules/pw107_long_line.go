package rules

import "github.com/authlint/authlint/htpasswd"

// apacheMaxLine is the longest line, CR included and LF excluded, that
// Apache's ap_cfg_getline reads into its MAX_STRING_LEN (8192) buffer.
const apacheMaxLine = 8190

// LongLine reports a line too long for Apache's config-line reader, which
// stops reading the file there.
var LongLine = &Rule{
	ID: "PW107", Name: "long-line", Severity: Error,
	Summary: "a line over 8190 bytes makes Apache stop reading: every later user is lost",
	UserFile: func(p *UserFilePass) LineVisitor {
		if !p.Servers.Has(Apache) {
			return LineVisitor{}
		}
		var first *UserLine
		later := 0
		return LineVisitor{
			Line: func(l *UserLine) {
				if first != nil {
					if l.Kind == htpasswd.KindEntry {
						later++
					}
					return
				}
				if apacheLineLength(l) > apacheMaxLine {
					line := *l.Line
					line.Raw, line.Fields = nil, nil
					first = &UserLine{Line: &line, kind: l.kind}
				}
			},
			End: func(*FileEnd) {
				if first == nil {
					return
				}
				sev, effect := Warning, "no entry follows it now, but any user added below it will not exist for Apache"
				if later > 0 {
					sev = Error
					effect = plural(later, "entry", "entries") + " after it cannot log in on Apache"
				}
				p.ReportSeverityf(sev, nil, htpasswd.Span{Start: htpasswd.Pos{Line: int32(first.Num), Col: 1}},
					"line is %d bytes long: Apache reads lines of at most %d bytes and silently stops reading the file here, so %s (nginx has no limit)",
					apacheLineLength(first), apacheMaxLine, effect)
			},
		}
	},
}

// apacheLineLength is the number of bytes Apache's reader must hold for the
// line: everything before the LF, a CR included.
func apacheLineLength(l *UserLine) int {
	n := l.Length
	if l.Term == htpasswd.TermLF || l.Term == htpasswd.TermCRLF {
		n-- // the LF
	}
	return n
}
