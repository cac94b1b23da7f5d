package nginxconf

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/internal/position"
)

// tokKind is a lexer token kind.
type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokSemi
	tokOpen
	tokClose
)

// token is one lexed token.
type token struct {
	kind  tokKind
	value string // unescaped, for words
	raw   string
	quote byte
	span  Span
}

// lexer walks the source byte by byte, tracking line and column.
type lexer struct {
	path     string
	src      string
	off      int
	line     int
	lineOff  int // offset of the current line's first byte
	comments []*Comment
	errs     []*Error
	ndirs    int  // directives built from the tokens
	eof      bool // the end of the file has been reported
}

func newLexer(path, src string) *lexer {
	return &lexer{path: path, src: src, line: 1}
}

func (lx *lexer) pos() Pos {
	return position.At(lx.off, lx.line, lx.off-lx.lineOff+1)
}

// advance moves one byte forward.
func (lx *lexer) advance() {
	if lx.src[lx.off] == '\n' {
		lx.line++
		lx.lineOff = lx.off + 1
	}
	lx.off++
}

func (lx *lexer) errorf(sp Span, format string, args ...any) {
	lx.errs = append(lx.errs, &Error{File: lx.path, Span: sp, Msg: fmt.Sprintf(format, args...)})
}

// eofError reports the end of the file inside the block opened at sp,
// once: the blocks around it are not reported again.
func (lx *lexer) eofError(sp Span) {
	if lx.eof {
		return
	}
	lx.eof = true
	lx.errorf(sp, "unexpected end of file, expecting \"}\"")
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// next returns the next token, skipping blanks and recording comments.
func (lx *lexer) next() token {
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case isBlank(c):
			lx.advance()
		case c == '#':
			start := lx.pos()
			full := strings.TrimLeft(lx.src[lx.lineOff:lx.off], " \t") == ""
			for lx.off < len(lx.src) && lx.src[lx.off] != '\n' {
				lx.advance()
			}
			text := strings.TrimRight(lx.src[start.Offset:lx.off], "\r")
			end := start
			end.Offset += int32(len(text))
			end.Col += int32(len(text))
			lx.comments = append(lx.comments, &Comment{Text: text, Span: Span{Start: start, End: end}, FullLine: full})
		case c == ';' || c == '{' || c == '}':
			start := lx.pos()
			lx.advance()
			kind := tokSemi
			switch c {
			case '{':
				kind = tokOpen
			case '}':
				kind = tokClose
			}
			return token{kind: kind, raw: string(c), span: Span{Start: start, End: lx.pos()}}
		case c == '"' || c == '\'':
			return lx.quoted(c)
		default:
			return lx.word()
		}
	}
	p := lx.pos()
	return token{kind: tokEOF, span: Span{Start: p, End: p}}
}

// word lexes a bare word: up to a blank, ';' or '{' ("${" does not end it).
// A '}' inside a word is part of it, as in ngx_conf_read_token; a backslash
// escapes the next byte.
func (lx *lexer) word() token {
	start := lx.pos()
	escaped := false
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		if c == '\\' && lx.off+1 < len(lx.src) {
			escaped = true
			lx.advance()
			lx.advance()
			continue
		}
		if isBlank(c) || c == ';' {
			break
		}
		if c == '{' && !(lx.off > int(start.Offset) && lx.src[lx.off-1] == '$') {
			break
		}
		lx.advance()
	}
	raw := lx.src[start.Offset:lx.off]
	val := raw
	if escaped {
		val = unescape(raw)
	}
	return token{kind: tokWord, value: val, raw: raw, span: Span{Start: start, End: lx.pos()}}
}

// quoted lexes a quoted word; the closing quote must be followed by a blank,
// ';', '{', ')' or the end of the file.
func (lx *lexer) quoted(q byte) token {
	start := lx.pos()
	lx.advance()
	escaped := false
	for {
		if lx.off >= len(lx.src) {
			lx.errorf(Span{Start: start, End: lx.pos()}, "unexpected end of file, expecting %s", string(q))
			raw := lx.src[start.Offset:lx.off]
			return token{kind: tokWord, value: unescape(raw[1:]), raw: raw, quote: q, span: Span{Start: start, End: lx.pos()}}
		}
		c := lx.src[lx.off]
		if c == '\\' && lx.off+1 < len(lx.src) {
			escaped = true
			lx.advance()
			lx.advance()
			continue
		}
		lx.advance()
		if c == q {
			break
		}
	}
	raw := lx.src[start.Offset:lx.off]
	val := raw[1 : len(raw)-1]
	if escaped {
		val = unescape(val)
	}
	tok := token{kind: tokWord, value: val, raw: raw, quote: q, span: Span{Start: start, End: lx.pos()}}
	if lx.off < len(lx.src) {
		if c := lx.src[lx.off]; !isBlank(c) && c != ';' && c != '{' && c != ')' {
			p := lx.pos()
			lx.errorf(Span{Start: p, End: Pos{Offset: p.Offset + 1, Line: p.Line, Col: p.Col + 1}}, "unexpected %q", string(c))
		}
	}
	return tok
}

// unescape applies nginx's word copy: \" \' \\ drop the backslash, \t \r \n
// become control characters, other escapes are kept as written.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\'', '\\':
				b.WriteByte(s[i+1])
				i++
				continue
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// rawBlock reads a *_by_lua_block body after its '{' up to the matching '}',
// skipping quoted strings and comments; it returns the body and its span.
func (lx *lexer) rawBlock() (string, Span, bool) {
	start := lx.pos()
	depth := 1
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == '"' || c == '\'':
			q := c
			lx.advance()
			for lx.off < len(lx.src) && lx.src[lx.off] != q {
				if lx.src[lx.off] == '\\' && lx.off+1 < len(lx.src) {
					lx.advance()
				}
				lx.advance()
			}
			if lx.off < len(lx.src) {
				lx.advance()
			}
			continue
		case c == '-' && strings.HasPrefix(lx.src[lx.off:], "--"):
			for lx.off < len(lx.src) && lx.src[lx.off] != '\n' {
				lx.advance()
			}
			continue
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				end := lx.pos()
				body := lx.src[start.Offset:lx.off]
				lx.advance()
				return body, Span{Start: start, End: end}, true
			}
		}
		lx.advance()
	}
	return lx.src[start.Offset:], Span{Start: start, End: lx.pos()}, false
}

// posAt returns the position of byte offset off in src.
func posAt(src []byte, off int) Pos {
	p := position.At(off, 1, 1)
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			p.Line++
			p.Col = 1
		} else {
			p.Col++
		}
	}
	return p
}
