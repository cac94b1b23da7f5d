package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/position"
)

// seeRefs remembers the last places a rule named in a message ("line 12",
// "conf.d/site.conf:12", "<Directory /srv> (httpd.conf:3)"), so that the
// finding whose message names one carries it as a related location (JSON
// related, SARIF relatedLocations). Each pass has its own; a rule formats a
// reference right before it reports, so a few are enough.
type seeRefs struct {
	refs [8]seeRef
	n    int
}

type seeRef struct {
	text string
	rel  Related
}

// add remembers that text names the place rel and returns text.
func (s *seeRefs) add(text string, rel Related) string {
	s.refs[s.n%len(s.refs)] = seeRef{text, rel}
	s.n++
	return text
}

// attach returns f with the related locations its message names.
func (s *seeRefs) attach(f Finding) Finding {
	if s == nil {
		return f
	}
	for i := range min(s.n, len(s.refs)) {
		r := s.refs[i]
		if r.text == "" || !mentions(f.Message, r.text) || (r.rel.File == f.File && r.rel.Span.Start.Line == f.Span.Start.Line) {
			continue
		}
		dup := false
		for _, have := range f.Related {
			dup = dup || have.File == r.rel.File && have.Span.Start.Line == r.rel.Span.Start.Line
		}
		if !dup {
			f.Related = append(f.Related, r.rel)
		}
	}
	return f
}

// mentions reports whether msg holds text not followed by a digit ("line
// 8" is not in "line 80").
func mentions(msg, text string) bool {
	for i := 0; ; {
		j := strings.Index(msg[i:], text)
		if j < 0 {
			return false
		}
		end := i + j + len(text)
		if end == len(msg) || msg[end] < '0' || msg[end] > '9' {
			return true
		}
		i = end
	}
}

// lineRelated is a related location at a line of a file.
func lineRelated(file string, line int, msg string) Related {
	return Related{File: file, Span: position.Span{Start: position.At(0, line, 1)}, Message: msg}
}
