// Package position is authlint's one position type: the parsers (as
// htaccess.Pos, nginxconf.Pos, htpasswd.Pos, which are this type), the
// models and the findings all use it, so a position flows from a parser to
// a finding without conversion.
package position

import "strconv"

// Pos is a place in a source file. Line and Col are 1-based and Col counts
// bytes; Offset is the 0-based byte offset of the place in its file. A Pos
// with Line 0 is unset. The fields are int32: an Apache configuration tree
// holds hundreds of thousands of positions, and no file authlint reads
// reaches 2 GiB (reads are capped far below).
type Pos struct {
	Offset, Line, Col int32
}

// At returns the position of line and col (1-based) at byte offset off.
func At(off, line, col int) Pos { return Pos{Offset: int32(off), Line: int32(line), Col: int32(col)} }

// IsValid reports whether p has been set.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Before reports whether p comes before q.
func (p Pos) Before(q Pos) bool { return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col }

// String formats p as "line:col".
func (p Pos) String() string {
	return strconv.Itoa(int(p.Line)) + ":" + strconv.Itoa(int(p.Col))
}

// Span is a range of one file. End is exclusive; a zero End means "the
// end of the start line" (formatters then underline to the line's end).
type Span struct {
	Start, End Pos
}

// String formats s as "line:col-line:col".
func (s Span) String() string { return s.Start.String() + "-" + s.End.String() }
