package nginxconf

import (
	"strings"

	"github.com/authlint/authlint/internal/sniff"
)

// maxDepth bounds block nesting; nginx has no such limit but no real
// config comes near it. A deeper block is skipped with one error.
const maxDepth = 100

// Parse parses one file. It never fails: it returns what it could build and
// every error in File.Errors. Binary data (see sniff.Binary) is not parsed: the
// file gets one error and no directives.
func Parse(path string, src []byte) *File {
	f := &File{Path: path}
	if off, msg := sniff.Binary(src); off >= 0 {
		p := posAt(src, off)
		end := p
		end.Offset++
		end.Col++
		f.Errors = []*Error{{File: path, Span: Span{Start: p, End: end}, Msg: msg + ", not an nginx configuration"}}
		return f
	}
	lx := newLexer(path, string(src))
	f.Directives = parseBlock(lx, path, 0, nil)
	f.Comments = lx.comments
	f.Errors = lx.errs
	f.ndirs = lx.ndirs
	return f
}

// parseBlock parses directives until '}' (when open is set) or EOF.
//
// An error is reported once per cause: a run of stray ';' or '}' is one
// error, a block that is dropped (opened without a name, or nested deeper
// than maxDepth) is skipped without looking inside, and the end of the file
// inside nested blocks is reported once, for the innermost.
func parseBlock(lx *lexer, path string, depth int, open *token) []*Directive {
	var out []*Directive
	var words []token
	stray := false // the previous token was a reported stray ';' or '}'
	for {
		tok := lx.next()
		wasStray := stray
		stray = false
		switch tok.kind {
		case tokWord:
			words = append(words, tok)
		case tokSemi:
			if len(words) == 0 {
				if !wasStray {
					lx.errorf(tok.span, "unexpected \";\"")
				}
				stray = true
				continue
			}
			d := newDirective(lx, path, words)
			d.Span.End = tok.span.End
			out = append(out, d)
			words = nil
		case tokOpen:
			if len(words) == 0 {
				lx.errorf(tok.span, "unexpected \"{\"")
				skipBlock(lx, tok)
				continue
			}
			d := newDirective(lx, path, words)
			words = nil
			d.HasBlock = true
			if strings.HasSuffix(d.Name, "_by_lua_block") {
				body, sp, ok := lx.rawBlock()
				d.Raw, d.RawSpan = body, sp
				d.BlockSpan = Span{Start: tok.span.Start, End: lx.pos()}
				if !ok {
					lx.eofError(tok.span)
				}
			} else if depth+1 > maxDepth {
				lx.errorf(tok.span, "blocks nested deeper than %d: the block is not checked", maxDepth)
				skipBlock(lx, tok)
			} else {
				d.Block = parseBlock(lx, path, depth+1, &tok)
				d.BlockSpan = Span{Start: tok.span.Start, End: lx.pos()}
			}
			d.Span.End = lx.pos()
			out = append(out, d)
		case tokClose:
			if len(words) > 0 {
				lx.errorf(tok.span, "unexpected \"}\"")
				words = nil
				wasStray = true
			}
			if open == nil {
				if !wasStray {
					lx.errorf(tok.span, "unexpected \"}\"")
				}
				stray = true
				continue
			}
			return out
		case tokEOF:
			if len(words) > 0 {
				lx.errorf(Span{Start: words[0].span.Start, End: tok.span.End}, "unexpected end of file, expecting \";\" or \"}\"")
				lx.eof = true
				d := newDirective(lx, path, words)
				d.Span.End = words[len(words)-1].span.End
				out = append(out, d)
			} else if open != nil {
				lx.eofError(open.span)
			}
			return out
		}
	}
}

// skipBlock skips the block whose '{' was just read, to its matching '}'
// or the end of the file, without building or checking what is inside.
func skipBlock(lx *lexer, open token) {
	depth := 1
	for {
		switch lx.next().kind {
		case tokOpen:
			depth++
		case tokClose:
			if depth--; depth == 0 {
				return
			}
		case tokEOF:
			lx.eofError(open.span)
			return
		}
	}
}

// newDirective builds a directive from its words.
func newDirective(lx *lexer, path string, words []token) *Directive {
	lx.ndirs++
	d := &Directive{Name: words[0].value, NameSpan: words[0].span, File: path}
	d.Span.Start = words[0].span.Start
	if len(words) > 1 {
		d.Args = make([]*Arg, 0, len(words)-1)
		for _, w := range words[1:] {
			d.Args = append(d.Args, &Arg{Value: w.value, Raw: w.raw, Quote: w.quote, Span: w.span})
		}
	}
	return d
}

// Walk visits the directives of f depth-first, descending into blocks and
// into the files an include pulled in, as nginx reads them. parents is the
// chain of enclosing block directives (http, server, location…), without
// include directives; fn returning false skips a directive's children.
//
// A file included in several places is one *File shared by those include
// directives, so Walk visits its directives once for each place.
func Walk(f *File, fn func(d *Directive, parents []*Directive) bool) {
	var parents []*Directive
	walk(f.Directives, &parents, fn)
}

func walk(ds []*Directive, parents *[]*Directive, fn func(*Directive, []*Directive) bool) {
	for _, d := range ds {
		if !fn(d, *parents) {
			continue
		}
		for _, inc := range d.Includes {
			walk(inc.Directives, parents, fn)
		}
		if d.HasBlock {
			*parents = append(*parents, d)
			walk(d.Block, parents, fn)
			*parents = (*parents)[:len(*parents)-1]
		}
	}
}
