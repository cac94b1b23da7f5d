package apachemodel

import (
	"path"
	"slices"
)

// ServersWithDocRootAbove returns the serving servers whose DocumentRoot
// holds the file p (its directory or one above it), in server order.
func (m *Model) ServersWithDocRootAbove(p string) []*Server {
	m.derived.docRootOnce.Do(func() {
		servers := m.ServingServers()
		byRoot := make(map[string][]*Server, len(servers))
		for _, srv := range servers {
			root := m.DocRoot(srv)
			switch l := byRoot[root]; {
			case root == "":
			case len(l) == 0 && srv.one != nil:
				byRoot[root] = srv.one // shared, read-only
			default:
				byRoot[root] = append(slices.Clip(l), srv)
			}
		}
		m.derived.byDocRoot = byRoot
	})
	var servers []*Server
	for d := PathParent(path.Clean(p)); ; d = PathParent(d) {
		servers = append(servers, m.derived.byDocRoot[d]...)
		if d == "/" || d == "." {
			break
		}
	}
	slices.SortFunc(servers, func(a, b *Server) int { return a.idx - b.idx })
	return servers
}
