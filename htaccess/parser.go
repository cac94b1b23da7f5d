package htaccess

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/internal/sniff"
)

// frame is an open section.
type frame struct {
	node  *Node
	cond  bool // conditional container (IsConditional)
	first int  // index in parser.kids of the section's first child
}

// parser holds the state of one Parse call.
type parser struct {
	path  string
	file  *File
	ll    logicalLine
	stack []frame
	conds []int             // indices of conditional frames in stack
	lower map[string]string // names lower-cased in this file, made on first use
	nodes []Node            // slab
	args  []Arg             // slab
	ptrs  []*Arg            // slab for Node.Args
	kids  []*Node           // children of the open sections, innermost last
	slab  []*Node           // slab for Node.Children
	// chunk scales the slabs to the file: its line count less its closing
	// tags (see slabSize), so that a four-line .htaccess allocates for
	// four nodes.
	chunk int
	count int // nodes made
	// skipped counts the sections open below maxDepth, which are not
	// built; tooDeep is set once that is reported.
	skipped int
	tooDeep bool
}

// maxDepth bounds section nesting. httpd has no such limit, but no real
// configuration comes near it: deeper sections are skipped, with one
// warning, so that a hostile file does not make a tree a million deep.
const maxDepth = 100

// Parse parses one configuration file. path is used only in positions and
// messages. It never fails: the result holds every node it could build and
// every problem it found. The strings of the result share src's memory (a
// configuration tree is not copied twice): src must not be modified
// afterwards.
//
// Binary data (see sniff.Binary) is not parsed: the file gets one error and no
// nodes.
func Parse(path string, src []byte) *File {
	if off, what := sniff.Binary(src); off >= 0 {
		return binaryFile(path, src, off, what)
	}
	p := &parser{
		path:  path,
		file:  &File{Path: path},
		chunk: min(max(bytes.Count(src, []byte{'\n'})+1-bytes.Count(src, []byte("</")), 1), 4096),
	}
	r := newLineReader(unsafe.String(unsafe.SliceData(src), len(src)))
	for r.next(&p.ll) {
		ll := &p.ll
		if ll.start == ll.end {
			continue
		}
		if ll.text[ll.start] == '#' {
			p.file.Comments = append(p.file.Comments, &Comment{
				Text: ll.text[ll.start+1 : ll.end],
				Span: ll.span(ll.start, ll.end),
				Line: int(ll.pos(ll.start).Line),
			})
			continue
		}
		p.line()
	}
	p.finish()
	p.file.nodes = p.count
	sort.SliceStable(p.file.Errors, func(i, j int) bool {
		return p.file.Errors[i].Span.Start.Before(p.file.Errors[j].Span.Start)
	})
	return p.file
}

// slabSize is the length of a new slab holding at least need items: the
// file's line count less its closing tags for the first (a line makes at
// most one node and usually one argument, a closing tag none), a quarter of
// it for the next ones, so that an overflow wastes little.
func (p *parser) slabSize(again bool, need int) int {
	n := p.chunk
	if again {
		n = max(p.chunk/4, 16)
	}
	return max(n, need)
}

func (p *parser) newNode() *Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]Node, 0, p.slabSize(cap(p.nodes) > 0, 1))
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	p.count++
	n := &p.nodes[len(p.nodes)-1]
	n.File = p.path
	return n
}

func (p *parser) newArgs(ws []word) []*Arg {
	if len(ws) == 0 {
		return nil
	}
	if cap(p.ptrs)-len(p.ptrs) < len(ws) {
		p.ptrs = make([]*Arg, 0, p.slabSize(cap(p.ptrs) > 0, len(ws)))
	}
	if cap(p.args)-len(p.args) < len(ws) {
		p.args = make([]Arg, 0, p.slabSize(cap(p.args) > 0, len(ws)))
	}
	s := len(p.ptrs)
	for _, w := range ws {
		p.args = p.args[:len(p.args)+1]
		a := &p.args[len(p.args)-1]
		*a = p.arg(w)
		p.ptrs = append(p.ptrs, a)
	}
	return p.ptrs[s:len(p.ptrs):len(p.ptrs)]
}

func (p *parser) arg(w word) Arg {
	return Arg{
		Value:    w.value,
		Raw:      p.ll.text[w.start:w.end],
		Quote:    w.quote,
		Unclosed: w.unclosed,
		Span:     p.ll.span(w.start, w.end),
	}
}

// lowerOf lower-cases a directive name: a known name from a shared table,
// one already in lower case as it is, others once per file.
func (p *parser) lowerOf(name string) string {
	if l, ok := knownLower[name]; ok {
		return l
	}
	if l, ok := p.lower[name]; ok {
		return l
	}
	l := strings.ToLower(name)
	if l == name {
		return name
	}
	if p.lower == nil {
		p.lower = make(map[string]string)
	}
	p.lower[name] = l
	return l
}

// knownLower maps the usual spelling of common directive and section names
// to lower case: most names in a configuration are among them, and a table
// shared by every parse saves a map per file (a run parses thousands of
// .htaccess files). It is never written after initialisation.
var knownLower = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{
		"AccessFileName", "Action", "AddDefaultCharset", "AddHandler", "AddOutputFilterByType", "AddType", "Alias",
		"Allow", "AllowOverride", "AllowOverrideList", "AuthBasicProvider", "AuthDigestProvider", "AuthGroupFile",
		"AuthMerging", "AuthName", "AuthType", "AuthUserFile", "AuthBasicUseDigestAlgorithm", "CustomLog", "Define",
		"Deny", "Directory", "DirectoryIndex", "DirectoryMatch", "DocumentRoot", "Else", "ElseIf", "ErrorDocument",
		"ErrorLog", "ExpiresActive", "ExpiresByType", "Files", "FilesMatch", "Group", "Header", "If", "IfDefine",
		"IfModule", "IfVersion", "Include", "IncludeOptional", "KeepAlive", "Limit", "LimitExcept", "Listen",
		"LoadModule", "Location", "LocationMatch", "LogFormat", "LogLevel", "Options", "Order", "PidFile", "Redirect",
		"RedirectMatch", "Require", "RequireAll", "RequireAny", "RequireNone", "RewriteBase", "RewriteCond",
		"RewriteEngine", "RewriteRule", "Satisfy", "ScriptAlias", "ServerAdmin", "ServerAlias", "ServerName",
		"ServerRoot", "ServerSignature", "ServerTokens", "SetEnv", "SetEnvIf", "SSLCertificateFile",
		"SSLCertificateKeyFile", "SSLEngine", "Timeout", "TraceEnable", "User", "VirtualHost",
	} {
		m[n] = strings.ToLower(n)
	}
	return m
}()

func (p *parser) errorf(kind Kind, sev Severity, sp Span, format string, a ...any) {
	p.file.Errors = append(p.file.Errors, &Error{
		File: p.path, Span: sp, Msg: fmt.Sprintf(format, a...), Kind: kind, Severity: sev,
	})
}

// words splits s[i:end] of the current logical line.
func (p *parser) words(i, end int, dst []word) []word {
	for {
		w, next, ok := nextWord(p.ll.text, i, end)
		if !ok {
			return dst
		}
		dst = append(dst, w)
		i = next
	}
}

// topCond returns the index of the innermost conditional frame, or -1.
func (p *parser) topCond() int {
	if len(p.conds) == 0 {
		return -1
	}
	return p.conds[len(p.conds)-1]
}

func (p *parser) push(n *Node, cond bool) {
	if cond {
		p.conds = append(p.conds, len(p.stack))
	}
	p.stack = append(p.stack, frame{node: n, cond: cond, first: len(p.kids)})
}

// popTo closes the frames from the top down to and including index i.
func (p *parser) popTo(i int) {
	for k := len(p.stack) - 1; k >= i; k-- {
		f := p.stack[k]
		if kids := p.kids[f.first:]; len(kids) > 0 {
			if cap(p.slab)-len(p.slab) < len(kids) {
				p.slab = make([]*Node, 0, p.slabSize(cap(p.slab) > 0, len(kids)))
			}
			s := len(p.slab)
			p.slab = append(p.slab, kids...)
			f.node.Children = p.slab[s:len(p.slab):len(p.slab)]
		}
		p.kids = p.kids[:f.first]
	}
	p.stack = p.stack[:i]
	for len(p.conds) > 0 && p.conds[len(p.conds)-1] >= i {
		p.conds = p.conds[:len(p.conds)-1]
	}
}

// add appends n to the innermost open section, or to the file. Children
// are gathered in p.kids and copied into an exact-size slice when their
// section is popped, which keeps allocations per section constant.
func (p *parser) add(n *Node) {
	if len(p.stack) > 0 {
		p.kids = append(p.kids, n)
		return
	}
	p.file.Nodes = append(p.file.Nodes, n)
}

// line handles one non-empty, non-comment logical line.
func (p *parser) line() {
	ll := &p.ll
	t := ll.text[ll.start:ll.end]
	if p.skipped > 0 {
		switch {
		case strings.HasPrefix(t, "</"):
			p.skipped--
		case t[0] == '<':
			p.skipped++
		}
		return
	}
	c := p.topCond()
	// ap_build_cont_config: a conditional container ends at a line that
	// is exactly its closing tag, when no other section is open inside it.
	if c >= 0 && c == len(p.stack)-1 && len(t) > 3 && t[0] == '<' && t[1] == '/' {
		top := p.stack[c].node
		if len(t) == len(top.Name)+3 && t[len(t)-1] == '>' && strings.EqualFold(t[2:len(t)-1], top.Name) {
			top.extra().endSpan = ll.span(ll.start, ll.end)
			p.popTo(c)
			return
		}
	}
	var buf [8]word
	w, next, _ := nextWord(ll.text, ll.start, ll.end)
	name := w.value
	if len(name) > 1 && name[0] == '<' && name[1] == '/' {
		p.closer(w, next, c)
		return
	}
	if len(name) > 0 && name[0] == '<' && len(p.stack) >= maxDepth {
		if !p.tooDeep {
			p.tooDeep = true
			p.errorf(KindSyntax, SeverityWarning, ll.span(ll.start, ll.end),
				"sections nested deeper than %d: this one and what it holds are not checked", maxDepth)
		}
		p.skipped = 1
		return
	}
	n := p.newNode()
	n.Span = ll.span(ll.start, ll.end)
	n.NameSpan = ll.span(w.start, w.end)
	if len(name) > 0 && name[0] == '<' {
		p.opener(n, w, next, buf[:0])
		return
	}
	// httpd strips a '>' glued to any directive name.
	if len(name) > 1 && name[len(name)-1] == '>' {
		name = name[:len(name)-1]
	}
	n.Name = name
	n.Lower = p.lowerOf(name)
	n.Args = p.newArgs(p.words(next, ll.end, buf[:0]))
	n.RawArgs = ll.text[next:ll.end]
	p.add(n)
}

// opener handles a "<Name args>" line.
func (p *parser) opener(n *Node, w word, next int, buf []word) {
	ll := &p.ll
	name := w.value[1:]
	if len(name) > 0 && name[len(name)-1] == '>' {
		name = name[:len(name)-1]
	}
	n.Name = name
	n.Lower = p.lowerOf(name)
	n.Section = true
	if name == "" {
		p.errorf(KindSyntax, SeverityError, n.NameSpan, "invalid section tag %q", clip(w.value))
	}
	argEnd := ll.end
	// httpd turns an opener without arguments ("<Else>", or "<Else")
	// into args ">", so only a non-empty argument list needs its '>'.
	if next < ll.end {
		rest := ll.text[next:ll.end]
		if gt := strings.LastIndexByte(rest, '>'); gt < 0 {
			p.errorf(KindSyntax, SeverityError, n.Span, "<%s> directive missing closing '>'", clip(name))
		} else {
			argEnd = next + gt
			if ts := next + gt + 1; ts < ll.end {
				for ts < ll.end && isSpace(ll.text[ts]) {
					ts++
				}
				tr := ll.text[ts:ll.end]
				n.extra().trailing = &Arg{Value: tr, Raw: tr, Span: ll.span(ts, ll.end)}
				if tr[0] != '#' {
					p.errorf(KindIgnoredText, SeverityWarning, n.Trailing().Span,
						"text after '>' of <%s> is ignored by httpd", clip(name))
				}
			}
		}
	}
	n.Args = p.newArgs(p.words(next, argEnd, buf))
	n.RawArgs = strings.TrimRightFunc(ll.text[min(next, argEnd):argEnd], func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
	switch argRule(n.Lower) {
	case 1:
		if len(n.Args) == 0 {
			p.errorf(KindSyntax, SeverityError, n.Span, "<%s> directive requires additional arguments", clip(name))
		}
	case -1:
		if len(n.Args) > 0 {
			p.errorf(KindSyntax, SeverityError, n.Args[0].Span, "<%s> directive does not take arguments", clip(name))
		}
	}
	p.add(n)
	p.push(n, IsConditional(n.Lower))
}

// closer handles a "</Name>" line that did not end a conditional
// container directly; c is the innermost conditional frame.
func (p *parser) closer(w word, next, c int) {
	ll := &p.ll
	tok := w.value
	name := tok[2:]
	hasGT := strings.HasSuffix(name, ">")
	if hasGT {
		name = name[:len(name)-1]
	}
	sp := ll.span(ll.start, ll.end)
	target := -1
	for i := len(p.stack) - 1; i >= 0; i-- {
		if strings.EqualFold(p.stack[i].node.Name, name) {
			target = i
			break
		}
	}
	if len(p.stack)-1 == c {
		// No ordinary section open: httpd's ap_build_config_sub has no
		// parent to close.
		p.errorf(KindSyntax, SeverityError, sp, "%s without matching <%s section", clip(tok), clip(tok[2:]))
	} else {
		top := p.stack[len(p.stack)-1].node
		switch {
		case !hasGT:
			p.errorf(KindSyntax, SeverityError, sp, "%s> directive missing closing '>'", clip(tok))
		case !strings.EqualFold(top.Name, name):
			p.errorf(KindSyntax, SeverityError, sp, "Expected </%s> but saw </%s>", clip(top.Name), clip(name))
		default:
			if next < ll.end {
				p.errorf(KindIgnoredText, SeverityWarning, ll.span(next, ll.end),
					"text after </%s> is ignored by httpd", clip(name))
			}
		}
	}
	if target < 0 && len(p.stack)-1 > c {
		// A misspelt closer most likely ends the innermost section.
		target = len(p.stack) - 1
	}
	if target >= 0 {
		p.stack[target].node.extra().endSpan = sp
		p.popTo(target)
	}
}

// finish reports the sections still open at end of file: one problem of
// each kind however many are open (httpd names the innermost), saying how
// many more there are.
func (p *parser) finish() {
	const (
		plain  = iota // outside every conditional section: an error
		cond          // a conditional section
		inCond        // inside a conditional section
	)
	var last, count [3]int
	k := plain
	for i, f := range p.stack {
		switch {
		case f.cond:
			k = cond
		case k != plain:
			k = inCond
		}
		last[k] = i
		count[k]++
	}
	for k := range 3 {
		if count[k] == 0 {
			continue
		}
		n := p.stack[last[k]].node
		name := clip(n.Name)
		more := ""
		if count[k] > 1 {
			more = fmt.Sprintf(" (and %d sections around it)", count[k]-1)
		}
		switch k {
		case cond:
			p.errorf(KindUnclosed, SeverityWarning, n.Span,
				"<%s> was not closed%s; httpd accepts this only when the condition holds "+
					"(otherwise: Expected </%s> before end of configuration)", name, more, name)
		case inCond:
			p.errorf(KindUnclosed, SeverityWarning, n.Span,
				"<%s> was not closed%s; httpd lets this pass inside a conditional section", name, more)
		default:
			p.errorf(KindSyntax, SeverityError, n.Span, "<%s> was not closed.%s", name, more)
		}
	}
	p.popTo(0)
}

// clip shortens s, a name or a tag quoted in a message, to 64 bytes and
// an ellipsis: a message does not repeat a hostile line.
func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	i := limit
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// binaryFile is the result of parsing binary data: one error at byte off.
func binaryFile(path string, src []byte, off int, what string) *File {
	line := bytes.Count(src[:off], []byte{'\n'})
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1)
	start := position.At(off, line+1, col+1)
	end := position.At(off+1, line+1, col+2)
	return &File{Path: path, Errors: []*Error{{
		File: path, Span: Span{Start: start, End: end}, Kind: KindSyntax, Severity: SeverityError,
		Msg: what + ", not an Apache configuration",
	}}}
}
