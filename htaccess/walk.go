package htaccess

// Walk calls fn for every node of f in file order, depth first, descending
// into section children and into the files an Include pulled in (after
// the Include node itself). parents lists the enclosing nodes, outermost
// first, including Include nodes and their sections in the including file;
// the slice is reused, so copy it to keep it. When fn returns false, the
// children and includes of n are skipped.
func Walk(f *File, fn func(n *Node, parents []*Node) bool) {
	if f == nil {
		return
	}
	parents := make([]*Node, 0, 16)
	walkNodes(f.Nodes, &parents, fn)
}

func walkNodes(ns []*Node, parents *[]*Node, fn func(n *Node, parents []*Node) bool) {
	for _, n := range ns {
		if !fn(n, *parents) {
			continue
		}
		if len(n.Children) == 0 && n.more == nil {
			continue
		}
		*parents = append(*parents, n)
		walkNodes(n.Children, parents, fn)
		for _, inc := range n.Includes() {
			walkNodes(inc.Nodes, parents, fn)
		}
		*parents = (*parents)[:len(*parents)-1]
	}
}
