package nginxmodel

import (
	"net"
	"strings"
)

// BackendServer returns the server block of this configuration that a
// proxy_pass to target reaches, when target names an address one of its
// servers listens on (a unix socket, or a loopback or wildcard address and
// port; an upstream whose only server is such an address); nil when the
// backend is outside the configuration or cannot be told. Among servers
// listening on the same address, the default_server one, else the first,
// answers: proxy_pass sends the upstream's own name as Host, which a
// backend's server_name seldom lists.
func (m *Model) BackendServer(target string) *Scope {
	rest, ok := strings.CutPrefix(target, "http://")
	if !ok {
		return nil
	}
	if sock, ok := strings.CutPrefix(rest, "unix:"); ok {
		sock, _, _ = strings.Cut(sock, ":")
		return m.listening(func(l string) bool { return l == "unix:"+sock })
	}
	hostport, _, _ := strings.Cut(rest, "/")
	if up := m.upstream(hostport); up != "" {
		hostport = up
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, "80"
	}
	if host != "127.0.0.1" && host != "localhost" && host != "::1" {
		return nil
	}
	return m.listening(func(l string) bool {
		if l == port {
			return true
		}
		h, p, err := net.SplitHostPort(l)
		return err == nil && p == port && (h == host || h == "*" || h == "0.0.0.0" || h == "127.0.0.1" && host == "localhost")
	})
}

// listening returns the server whose listen argument satisfies match,
// preferring a default_server.
func (m *Model) listening(match func(string) bool) *Scope {
	var first *Scope
	for _, s := range m.Servers {
		for _, d := range s.Own {
			if d.Name != "listen" || !match(d.Arg(0)) {
				continue
			}
			for _, a := range d.Args[1:] {
				if a.Value == "default_server" || a.Value == "default" {
					return s
				}
			}
			if first == nil {
				first = s
			}
		}
	}
	return first
}

// upstream returns the address of the only server of the upstream block
// named name; "" when there is no such block or it has several servers.
func (m *Model) upstream(name string) string {
	for _, h := range m.All {
		if h.Kind != "http" {
			continue
		}
		for _, d := range h.Own {
			if d.Name != "upstream" || d.Arg(0) != name {
				continue
			}
			addr := ""
			for _, c := range d.Block {
				if c.Name == "server" {
					if addr != "" {
						return ""
					}
					addr = c.Arg(0)
				}
			}
			return addr
		}
	}
	return ""
}
