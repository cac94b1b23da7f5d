package nginxconf

import "strings"

// maxDepth bounds block nesting; nginx has no such limit but no real
// config comes near it.
const maxDepth = 100

// Parse parses one file. It never fails: it returns what it could build and
// every error in File.Errors.
func Parse(path string, src []byte) *File {
	lx := newLexer(path, string(src))
	f := &File{Path: path}
	f.Directives = parseBlock(lx, path, 0, nil)
	f.Comments = lx.comments
	f.Errors = lx.errs
	return f
}

// parseBlock parses directives until '}' (when open is set) or EOF.
func parseBlock(lx *lexer, path string, depth int, open *token) []*Directive {
	var out []*Directive
	var words []token
	for {
		tok := lx.next()
		switch tok.kind {
		case tokWord:
			words = append(words, tok)
		case tokSemi:
			if len(words) == 0 {
				lx.errorf(tok.span, "unexpected \";\"")
				continue
			}
			d := newDirective(path, words)
			d.Span.End = tok.span.End
			out = append(out, d)
			words = nil
		case tokOpen:
			if len(words) == 0 {
				lx.errorf(tok.span, "unexpected \"{\"")
				// Parse and drop the block to stay in sync.
				parseBlock(lx, path, depth+1, &tok)
				continue
			}
			d := newDirective(path, words)
			words = nil
			d.HasBlock = true
			if strings.HasSuffix(d.Name, "_by_lua_block") {
				body, sp, ok := lx.rawBlock()
				d.Raw, d.RawSpan = body, sp
				d.BlockSpan = Span{tok.span.Start, lx.pos()}
				if !ok {
					lx.errorf(tok.span, "unexpected end of file, expecting \"}\"")
				}
			} else if depth+1 > maxDepth {
				lx.errorf(tok.span, "blocks nested deeper than %d", maxDepth)
				parseBlock(lx, path, depth+1, &tok)
			} else {
				d.Block = parseBlock(lx, path, depth+1, &tok)
				d.BlockSpan = Span{tok.span.Start, lx.pos()}
			}
			d.Span.End = lx.pos()
			out = append(out, d)
		case tokClose:
			if len(words) > 0 {
				lx.errorf(tok.span, "unexpected \"}\"")
				words = nil
			}
			if open == nil {
				lx.errorf(tok.span, "unexpected \"}\"")
				continue
			}
			return out
		case tokEOF:
			if len(words) > 0 {
				lx.errorf(Span{words[0].span.Start, tok.span.End}, "unexpected end of file, expecting \";\" or \"}\"")
				d := newDirective(path, words)
				d.Span.End = words[len(words)-1].span.End
				out = append(out, d)
			} else if open != nil {
				lx.errorf(open.span, "unexpected end of file, expecting \"}\"")
			}
			return out
		}
	}
}

// newDirective builds a directive from its words.
func newDirective(path string, words []token) *Directive {
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
