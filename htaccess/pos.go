package htaccess

import "github.com/authlint/authlint/internal/position"

// Pos is a position in a source file (see position.Pos).
type Pos = position.Pos

// Span is a range of source text; End is exclusive.
type Span = position.Span
