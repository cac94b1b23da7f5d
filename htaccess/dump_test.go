package htaccess

import (
	"fmt"
	"strings"
)

// dump renders f deterministically for golden files.
func dump(f *File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "file %s\n", f.Path)
	var node func(n *Node, depth int)
	node = func(n *Node, depth int) {
		ind := strings.Repeat("  ", depth)
		kind := "directive"
		if n.Section {
			kind = "section"
		}
		fmt.Fprintf(&b, "%s%s %s %q lower=%q name@%s\n", ind, kind, n.Span, n.Name, n.Lower, n.NameSpan)
		for _, a := range n.Args {
			fmt.Fprintf(&b, "%s  arg %s raw=%q value=%q", ind, a.Span, a.Raw, a.Value)
			if a.Quote != 0 {
				fmt.Fprintf(&b, " quote=%c", a.Quote)
			}
			if a.Unclosed {
				b.WriteString(" unclosed")
			}
			if a.Expanded != "" && a.Expanded != a.Value {
				fmt.Fprintf(&b, " expanded=%q", a.Expanded)
			}
			b.WriteByte('\n')
		}
		if n.Trailing() != nil {
			fmt.Fprintf(&b, "%s  trailing %s %q\n", ind, n.Trailing().Span, n.Trailing().Raw)
		}
		for _, c := range n.Children {
			node(c, depth+1)
		}
		if n.Section {
			if n.Closed() {
				fmt.Fprintf(&b, "%send %s\n", ind, n.EndSpan())
			} else {
				fmt.Fprintf(&b, "%send (unclosed)\n", ind)
			}
		}
		for _, inc := range n.Includes() {
			fmt.Fprintf(&b, "%s  include %s\n", ind, inc.Path)
		}
	}
	for _, n := range f.Nodes {
		node(n, 0)
	}
	for _, c := range f.Comments {
		fmt.Fprintf(&b, "comment %s line=%d %q\n", c.Span, c.Line, c.Text)
	}
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "%s %s %s: %s\n", e.Severity, e.Kind, e.Span, e.Msg)
	}
	return b.String()
}
