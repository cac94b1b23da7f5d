package nginxconf

import (
	"fmt"

	"github.com/authlint/authlint/internal/position"
)

// Pos is a position in a source file (see position.Pos).
type Pos = position.Pos

// Span is a range of a file; End is exclusive.
type Span = position.Span

// File is one parsed file.
type File struct {
	Path       string
	Directives []*Directive
	Comments   []*Comment
	Errors     []*Error

	ndirs int // directives in the file, blocks included (not includes)
}

// Directive is a simple directive ("name args;") or a block ("name args {…}").
type Directive struct {
	Name     string
	NameSpan Span
	Args     []*Arg
	// Block holds the children of a block directive; HasBlock is set even
	// for an empty block.
	Block     []*Directive
	HasBlock  bool
	BlockSpan Span
	// Span runs from the name through the ';' or the closing '}'.
	Span Span
	// File is the path of the file the directive was parsed from.
	File string
	// Includes are the files an include directive pulled in (filled by Load).
	Includes []*File
	// Raw is the verbatim body of a *_by_lua_block directive.
	Raw     string
	RawSpan Span
}

// Arg is one argument.
type Arg struct {
	// Value is the argument as nginx sees it: unquoted and unescaped.
	Value string
	// Raw is the source text, quotes included.
	Raw string
	// Quote is '"', '\'' or 0.
	Quote byte
	Span  Span
}

// Comment is a '#' comment.
type Comment struct {
	// Text is the comment including the leading '#'.
	Text string
	Span Span
	// FullLine is set when only blanks precede the comment on its line.
	FullLine bool
}

// Error is a syntax or load error.
type Error struct {
	File string
	Span Span
	Msg  string
	// Path is the file an include could not open ("" for other errors).
	Path string
}

// Error renders "file:line:col: msg".
func (e *Error) Error() string {
	if e.Span.Start.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Span.Start.Line, e.Span.Start.Col, e.Msg)
}

// Arg returns the value of argument i, or "".
func (d *Directive) Arg(i int) string {
	if i < 0 || i >= len(d.Args) {
		return ""
	}
	return d.Args[i].Value
}
