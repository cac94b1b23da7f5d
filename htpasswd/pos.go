package htpasswd

// Pos is a position in a file: Offset is 0-based bytes, Line and Col are
// 1-based, Col counts bytes.
type Pos struct {
	Offset, Line, Col int
}

// Span is a range of a file; End is exclusive.
type Span struct {
	Start, End Pos
}
