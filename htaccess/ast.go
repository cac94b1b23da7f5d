package htaccess

import "strings"

// File is one parsed configuration file.
type File struct {
	// Path is the name the file was parsed under.
	Path string
	// Nodes are the top-level directives and sections, in file order.
	Nodes []*Node
	// Comments are all comment lines, in file order (comments are not
	// part of the node tree).
	Comments []*Comment
	// Errors are the problems found while parsing this file.
	Errors []*Error

	nodes int // nodes in the tree
}

// Node is a directive or a section.
type Node struct {
	// Name is the directive or section name as written, without the
	// '<' and '>' of a section tag ("Directory", "AuthType").
	Name string
	// Lower is Name in lower case, for case-insensitive comparison.
	Lower string
	// NameSpan covers the name token; for a section it includes the '<'
	// (and the '>' when written glued to the name, as in "<Else>").
	NameSpan Span
	// Args are the arguments; for a section, the words before the last '>'.
	Args []*Arg
	// RawArgs is the text after the name, unsplit, as httpd hands it to a
	// RAW_ARGS directive (Require, RewriteRule, Options, …); for a section
	// it stops at the last '>'.
	RawArgs string

	// Section is true for a <Section>…</Section> container.
	Section bool
	// Children are the nodes inside a section, in file order.
	Children []*Node

	// Span covers the whole logical line (the opener line for a section).
	Span Span
	// File is the path of the file the node comes from.
	File string

	// more holds what only sections and Include directives have (most
	// nodes are neither: a large tree stays smaller without the fields).
	more *nodeMore
}

type nodeMore struct {
	endSpan  Span
	trailing *Arg
	includes []*File
}

func (n *Node) extra() *nodeMore {
	if n.more == nil {
		n.more = &nodeMore{}
	}
	return n.more
}

// EndSpan covers a section's closing tag line; it is zero for a section
// that was never closed and for directives.
func (n *Node) EndSpan() Span {
	if n.more == nil {
		return Span{}
	}
	return n.more.endSpan
}

// Trailing is the text after the last '>' of a section opener, which httpd
// ignores; nil when there is none.
func (n *Node) Trailing() *Arg {
	if n.more == nil {
		return nil
	}
	return n.more.trailing
}

// Includes are the files pulled in by an Include or IncludeOptional
// directive; filled by the loader.
func (n *Node) Includes() []*File {
	if n.more == nil {
		return nil
	}
	return n.more.includes
}

// Arg is one argument word.
type Arg struct {
	// Value is the word after unquoting and unescaping, as httpd passes it
	// to the directive.
	Value string
	// Raw is the word as it appears in the logical line, quotes included
	// (continuation backslash-newlines removed).
	Raw string
	// Quote is '"' or '\'' for a quoted word, 0 for a bare one.
	Quote byte
	// Unclosed is true for a quoted word whose closing quote is missing
	// (httpd takes the rest of the line).
	Unclosed bool
	// Span covers Raw in the source.
	Span Span
	// Expanded is Value after ${VAR} substitution; set by the loader.
	Expanded string
}

// Comment is a comment line ('#' first on a logical line).
type Comment struct {
	// Text is the logical line after the leading '#', continuation
	// backslash-newlines removed.
	Text string
	// Span covers the comment from its '#'.
	Span Span
	// Line is the line of the '#'.
	Line int
}

// Is reports whether n's name equals name, ignoring case.
func (n *Node) Is(name string) bool { return strings.EqualFold(n.Name, name) }

// ArgValues returns the Value of every argument.
func (n *Node) ArgValues() []string {
	out := make([]string, len(n.Args))
	for i, a := range n.Args {
		out[i] = a.Value
	}
	return out
}

// Closed reports whether a section has a closing tag.
func (n *Node) Closed() bool { return n.EndSpan().Start.IsValid() }

// Known section names, lower-cased.
const (
	SecDirectory      = "directory"
	SecDirectoryMatch = "directorymatch"
	SecLocation       = "location"
	SecLocationMatch  = "locationmatch"
	SecFiles          = "files"
	SecFilesMatch     = "filesmatch"
	SecIf             = "if"
	SecElseIf         = "elseif"
	SecElse           = "else"
	SecLimit          = "limit"
	SecLimitExcept    = "limitexcept"
	SecRequireAll     = "requireall"
	SecRequireAny     = "requireany"
	SecRequireNone    = "requirenone"
	SecVirtualHost    = "virtualhost"
	SecIfModule       = "ifmodule"
	SecIfDefine       = "ifdefine"
	SecIfVersion      = "ifversion"
	SecIfFile         = "iffile"
	SecIfDirective    = "ifdirective"
	SecIfSection      = "ifsection"
	SecProxy          = "proxy"
	SecProxyMatch     = "proxymatch"
	SecMacro          = "macro"
)

// IsConditional reports whether lower (a lower-cased section name) is a
// container httpd evaluates while reading the file (EXEC_ON_READ):
// IfModule, IfDefine, IfVersion, IfFile, IfDirective, IfSection and Macro.
func IsConditional(lower string) bool {
	switch lower {
	case SecIfModule, SecIfDefine, SecIfVersion, SecIfFile, SecIfDirective, SecIfSection, SecMacro:
		return true
	}
	return false
}

// IsKnownSection reports whether lower is one of the section names listed
// above. Other names still parse as generic sections.
func IsKnownSection(lower string) bool {
	switch lower {
	case SecDirectory, SecDirectoryMatch, SecLocation, SecLocationMatch, SecFiles, SecFilesMatch,
		SecIf, SecElseIf, SecElse, SecLimit, SecLimitExcept, SecRequireAll, SecRequireAny, SecRequireNone,
		SecVirtualHost, SecProxy, SecProxyMatch:
		return true
	}
	return IsConditional(lower)
}

// argRule says whether a known section requires arguments (1), forbids
// them (-1) or is unknown (0).
func argRule(lower string) int {
	switch lower {
	case SecElse, SecRequireAll, SecRequireAny, SecRequireNone:
		return -1
	}
	if IsKnownSection(lower) {
		return 1
	}
	return 0
}

// clone copies f's tree for another place f is included: the loader
// expands arguments and resolves includes in each copy. The copy shares
// the strings, comments and parse errors of f, the subtrees in shared (which
// read the same in every place), and the arguments of a node none of whose
// arguments holds ${ (all copies those too); its include nodes have no
// includes yet. copied is the number of nodes not shared.
func (f *File) clone(shared map[*Node]bool, copied int, all bool) *File {
	c := &File{Path: f.Path, Comments: f.Comments, Errors: f.Errors, nodes: f.nodes}
	cl := cloner{slab: make([]Node, 0, copied), shared: shared, all: all}
	c.Nodes = cl.nodes(f.Nodes)
	return c
}

// cloner copies nodes into one slab.
type cloner struct {
	slab   []Node
	shared map[*Node]bool
	all    bool
}

func (cl *cloner) nodes(ns []*Node) []*Node {
	if ns == nil {
		return nil
	}
	out := make([]*Node, len(ns))
	for i, n := range ns {
		if cl.shared[n] {
			out[i] = n
			continue
		}
		cl.slab = append(cl.slab, *n)
		c := &cl.slab[len(cl.slab)-1]
		if n.more != nil {
			c.more = &nodeMore{endSpan: n.more.endSpan, trailing: n.more.trailing}
		}
		if cl.all || !argsFixed(n) {
			args := make([]Arg, len(n.Args))
			c.Args = make([]*Arg, len(n.Args))
			for j, a := range n.Args {
				args[j] = *a
				c.Args[j] = &args[j]
			}
		}
		c.Children = cl.nodes(n.Children)
		out[i] = c
	}
	return out
}

// argsFixed reports whether n's arguments expand the same everywhere:
// none holds ${.
func argsFixed(n *Node) bool {
	for _, a := range n.Args {
		if strings.Contains(a.Value, "${") {
			return false
		}
	}
	return true
}
