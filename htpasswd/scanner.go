package htpasswd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"

	"github.com/authlint/authlint/internal/position"
)

// MaxKept is how much of a very long line the Scanner keeps in Line.Raw; the
// rest is counted in Line.Length but dropped, so a huge single-line file does
// not need huge memory.
const MaxKept = 64 * 1024

// LineKind classifies a physical line.
type LineKind int

// The line kinds.
const (
	// KindBlank is an empty line.
	KindBlank LineKind = iota
	// KindWhitespaceOnly holds only spaces and tabs.
	KindWhitespaceOnly
	// KindComment starts with '#' in column 1: a comment on both servers.
	KindComment
	// KindIndentedComment has '#' after leading blanks: a comment on Apache,
	// an entry on nginx.
	KindIndentedComment
	// KindEntry is anything else.
	KindEntry
)

// Term is how a line ended.
type Term int

// The line terminators.
const (
	// TermNone: the last line of a file without a final newline.
	TermNone Term = iota
	// TermLF: "\n".
	TermLF
	// TermCRLF: "\r\n".
	TermCRLF
)

// Field is one ':'-separated field (or group member) with its position.
type Field struct {
	Text string
	Span Span
}

// Line is one physical line of a file. It is valid until the next Scan.
type Line struct {
	// Num is the 1-based line number.
	Num int
	// Offset is the byte offset of the line's first byte (of the BOM on line 1).
	Offset int
	// Raw is the line without terminator, CR of a CRLF, or BOM.
	Raw []byte
	// BOM is set when line 1 starts with a UTF-8 byte-order mark; columns
	// still count its 3 bytes.
	BOM bool
	// Term is the line terminator.
	Term Term
	// BareCR is set when Raw holds a CR not followed by LF: old-Mac line
	// endings, which both servers read as one line.
	BareCR bool
	// Length is the line's size in bytes, terminator and BOM included.
	Length int
	// Truncated is set when Raw holds only the first MaxKept bytes.
	Truncated bool
	// Kind classifies the line.
	Kind LineKind
	// Fields are the ':'-separated fields of an entry line, untrimmed; a line
	// without ':' has one field. Their texts share memory with Raw and are
	// valid until the next Scan: use strings.Clone to keep one.
	Fields []Field
	// Leading and Trailing count the spaces and tabs at the ends of Raw.
	Leading, Trailing int
}

// scribbleByte is what Scribble overwrites a consumed line with.
const scribbleByte = '\x7f'

// Scanner reads a file line by line. The memory of each Line (Raw, the
// Field texts and the strings of the entries parsed from them) belongs to
// the Scanner and is reused by the next Scan: strings.Clone what you keep.
type Scanner struct {
	r        *bufio.Reader
	line     Line
	buf      []byte
	fields   []Field
	offset   int
	num      int
	lastByte byte
	err      error
	done     bool
	scribble bool
}

// Scribble makes every Scan overwrite the memory of the previous line
// before reading the next one. Raw and the Field texts alias that memory,
// so a caller that keeps one without cloning it then sees garbage: tests
// (ruletest) turn it on to catch such callers; production runs leave it off.
func (s *Scanner) Scribble() { s.scribble = true }

// NewScanner returns a Scanner reading r.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{r: bufio.NewReaderSize(r, 64*1024)}
}

// Err returns the first read error, wrapped.
func (s *Scanner) Err() error { return s.err }

// Line returns the current line; it is valid until the next Scan.
func (s *Scanner) Line() *Line { return &s.line }

// Scan advances to the next line; it returns false at EOF or on error.
func (s *Scanner) Scan() bool {
	if s.done {
		return false
	}
	if s.scribble {
		for i := range s.buf {
			s.buf[i] = scribbleByte
		}
	}
	s.buf = s.buf[:0]
	length, endedLF := 0, false
	var beforeLF byte // the byte before the final LF, to tell CRLF
	for {
		chunk, err := s.r.ReadSlice('\n')
		if n := len(chunk); n >= 2 {
			beforeLF = chunk[n-2]
		} else if n == 1 && length > 0 {
			beforeLF = s.lastByte
		}
		if n := len(chunk); n > 0 {
			s.lastByte = chunk[n-1]
		}
		length += len(chunk)
		if room := MaxKept + 2 - len(s.buf); room > 0 {
			s.buf = append(s.buf, chunk[:min(len(chunk), room)]...)
		}
		if err == nil {
			endedLF = true
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		s.done = true
		if !errors.Is(err, io.EOF) {
			s.err = fmt.Errorf("read line %d: %w", s.num+1, err)
			return false
		}
		if length == 0 {
			return false
		}
		break
	}
	s.num++
	truncated := length > len(s.buf)
	raw := s.buf
	term := TermNone
	if endedLF {
		term = TermLF
		if beforeLF == '\r' {
			term = TermCRLF
		}
		if !truncated {
			raw = raw[:len(raw)-1]
			if term == TermCRLF {
				raw = raw[:len(raw)-1]
			}
		}
	}
	if len(raw) > MaxKept {
		raw, truncated = raw[:MaxKept], true
	}
	bom := false
	if s.num == 1 && bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		raw, bom = raw[3:], true
	}
	s.line = Line{Num: s.num, Offset: s.offset, Raw: raw, BOM: bom, Term: term, Length: length, Truncated: truncated}
	s.offset += length
	s.classify()
	return true
}

// col returns the 1-based column of index i of Raw.
func (l *Line) col(i int) int {
	if l.BOM {
		return i + 4
	}
	return i + 1
}

// Span returns the span of Raw[i:j].
func (l *Line) Span(i, j int) Span {
	base := l.Offset
	if l.BOM {
		base += 3
	}
	return Span{
		Start: position.At(base+i, l.Num, l.col(i)),
		End:   position.At(base+j, l.Num, l.col(j)),
	}
}

// classify sets Kind, BareCR, Leading, Trailing and Fields.
func (s *Scanner) classify() {
	l := &s.line
	raw := l.Raw
	l.BareCR = bytes.IndexByte(raw, '\r') >= 0
	for l.Leading < len(raw) && isBlank(raw[l.Leading]) {
		l.Leading++
	}
	for l.Trailing < len(raw)-l.Leading && isBlank(raw[len(raw)-1-l.Trailing]) {
		l.Trailing++
	}
	switch {
	case len(raw) == 0:
		l.Kind = KindBlank
	case l.Leading == len(raw):
		l.Kind = KindWhitespaceOnly
	case raw[0] == '#':
		l.Kind = KindComment
	case raw[l.Leading] == '#':
		l.Kind = KindIndentedComment
	default:
		l.Kind = KindEntry
	}
	s.fields = s.fields[:0]
	if l.Kind == KindEntry {
		// Field texts alias the scanner's buffer: no allocation per line.
		// They are valid until the next Scan, like Raw; Clone what you keep.
		text := unsafe.String(unsafe.SliceData(raw), len(raw))
		start := 0
		for {
			i := strings.IndexByte(text[start:], ':')
			if i < 0 {
				s.fields = append(s.fields, Field{Text: text[start:], Span: l.Span(start, len(text))})
				break
			}
			s.fields = append(s.fields, Field{Text: text[start : start+i], Span: l.Span(start, start+i)})
			start += i + 1
		}
	}
	l.Fields = s.fields
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }
