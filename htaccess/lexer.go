package htaccess

import (
	"sort"
	"strings"
)

// segment maps part of a logical line back to the source: logical index
// lpos is source offset off, at line:col.
type segment struct {
	lpos, off, line, col int
}

// logicalLine is one line as httpd's ap_cfg_getline returns it.
type logicalLine struct {
	text       string    // untrimmed joined text
	segs       []segment // one per physical line
	start, end int       // trimmed bounds within text
}

// lineReader splits source text into logical lines.
type lineReader struct {
	src  string
	off  int // start of the next physical line
	line int // number of the next physical line
	buf  []byte
}

func newLineReader(src string) *lineReader {
	return &lineReader{src: src, line: 1}
}

// next reads the next logical line into ll. It reports false at end of input.
//
// Like ap_cfg_getline_core, a physical line whose last bytes before the
// newline are '\' (optionally followed by CR) continues on the next line;
// the backslash and the line break are removed and nothing else is (the
// next line's indentation stays). A NUL byte ends the line, as httpd's
// strlen does.
func (r *lineReader) next(ll *logicalLine) bool {
	if r.off >= len(r.src) {
		return false
	}
	ll.segs = ll.segs[:0]
	r.buf = r.buf[:0]
	var single string
	n := 0
	for {
		start := r.off
		var content string
		hasLF := false
		if nl := strings.IndexByte(r.src[start:], '\n'); nl >= 0 {
			content = r.src[start : start+nl]
			r.off = start + nl + 1
			hasLF = true
		} else {
			content = r.src[start:]
			r.off = len(r.src)
		}
		line := r.line
		r.line++
		if z := strings.IndexByte(content, 0); z >= 0 {
			content = content[:z]
			hasLF = false
		}
		cont := false
		if hasLF {
			c := content
			if len(c) > 0 && c[len(c)-1] == '\r' {
				c = c[:len(c)-1]
			}
			if len(c) > 0 && c[len(c)-1] == '\\' {
				content = c[:len(c)-1]
				cont = true
			}
		}
		lpos := len(single)
		if n > 0 {
			if n == 1 {
				r.buf = append(r.buf, single...)
			}
			lpos = len(r.buf)
			r.buf = append(r.buf, content...)
		} else {
			single = content
		}
		ll.segs = append(ll.segs, segment{lpos: lpos, off: start, line: line, col: 1})
		n++
		if !cont || r.off >= len(r.src) {
			break
		}
	}
	if n == 1 {
		ll.text = single
	} else {
		ll.text = string(r.buf)
	}
	s, e := 0, len(ll.text)
	for s < e && isSpace(ll.text[s]) {
		s++
	}
	for e > s && isSpace(ll.text[e-1]) {
		e--
	}
	ll.start, ll.end = s, e
	return true
}

// pos returns the source position of logical index i.
func (ll *logicalLine) pos(i int) Pos {
	k := 0
	if n := len(ll.segs); n > 1 {
		// Last segment starting at or before i.
		k = sort.Search(n, func(j int) bool { return ll.segs[j].lpos > i }) - 1
		if k < 0 {
			k = 0
		}
	}
	sg := ll.segs[k]
	d := i - sg.lpos
	return Pos{Offset: int32(sg.off + sg.col - 1 + d), Line: int32(sg.line), Col: int32(sg.col + d)}
}

// span returns the source span of the logical range [i, j), j > i.
func (ll *logicalLine) span(i, j int) Span {
	if j <= i {
		p := ll.pos(i)
		return Span{Start: p, End: p}
	}
	e := ll.pos(j - 1)
	e.Col++
	return Span{Start: ll.pos(i), End: e}
}

// isSpace is apr_isspace in the C locale.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// word is one ap_getword_conf token of a logical line.
type word struct {
	start, end int // raw bounds in the logical line, quotes included
	value      string
	quote      byte
	unclosed   bool
}

// nextWord reads the word starting at or after i in s[:end], like
// ap_getword_conf, and returns it with the index just past the white
// space that follows it. ok is false when only white space is left.
func nextWord(s string, i, end int) (w word, next int, ok bool) {
	for i < end && isSpace(s[i]) {
		i++
	}
	if i >= end {
		return word{}, end, false
	}
	j := i
	if q := s[i]; q == '"' || q == '\'' {
		j = i + 1
		for j < end && s[j] != q {
			if s[j] == '\\' && j+1 < end && (s[j+1] == q || s[j+1] == '\\') {
				j += 2
			} else {
				j++
			}
		}
		if j > end {
			j = end
		}
		w.value = unescape(s[i+1:j], q)
		w.quote = q
		if j < end {
			j++ // closing quote
		} else {
			w.unclosed = true
		}
	} else {
		for j < end && !isSpace(s[j]) {
			j++
		}
		w.value = unescape(s[i:j], 0)
	}
	w.start, w.end = i, j
	next = j
	for next < end && isSpace(s[next]) {
		next++
	}
	return w, next, true
}

// unescape is httpd's substring_conf: "\\" becomes "\" and, inside quotes,
// a backslash before the quote character is dropped.
func unescape(s string, q byte) string {
	k := strings.IndexByte(s, '\\')
	if k < 0 {
		return s
	}
	needs := false
	for i := k; i+1 < len(s); i++ {
		if s[i] == '\\' && (s[i+1] == '\\' || (q != 0 && s[i+1] == q)) {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\\' || (q != 0 && s[i+1] == q)) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
