package htaccess

import "fmt"

// Pos is a position in a source file. Line and Col are 1-based, Col counts
// bytes, and Offset is the 0-based byte offset. A Pos with Line 0 is unset.
type Pos struct {
	Offset int32
	Line   int32
	Col    int32
}

// IsValid reports whether p has been set.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats p as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Span is a range of source text; End is exclusive.
type Span struct {
	Start Pos
	End   Pos
}

// String formats s as "line:col-line:col".
func (s Span) String() string { return s.Start.String() + "-" + s.End.String() }
