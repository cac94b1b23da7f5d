package htaccess

import "fmt"

// Pos is a position in a source file. Line and Col are 1-based and Col
// counts bytes. A Pos with Line 0 is unset. (No byte offset: a
// configuration tree holds a hundred thousand positions.)
type Pos struct {
	Line int32
	Col  int32
}

// Before reports whether p comes before q.
func (p Pos) Before(q Pos) bool { return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col }

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
