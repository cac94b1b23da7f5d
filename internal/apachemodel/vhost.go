package apachemodel

import (
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// Listener is one Listen directive.
type Listener struct {
	Addr netip.Addr // invalid for every address
	Port int
	Node *htaccess.Node
}

// Listeners returns the Listen directives of the configuration.
func (m *Model) Listeners() []Listener {
	var out []Listener
	for _, n := range m.Main.Directives {
		if n.Lower != "listen" || len(n.Args) == 0 {
			continue
		}
		host, port := splitHostPort(n.Args[0].Expanded)
		p, err := strconv.Atoi(port)
		if err != nil {
			continue
		}
		l := Listener{Port: p, Node: n}
		if a, err := netip.ParseAddr(host); err == nil && !a.IsUnspecified() {
			l.Addr = a.Unmap()
		}
		out = append(out, l)
	}
	return out
}

// splitHostPort splits "addr:port", "[v6]:port", "port" or "addr".
func splitHostPort(s string) (host, port string) {
	if h, p, err := net.SplitHostPort(s); err == nil {
		return h, p
	}
	if _, err := strconv.Atoi(s); err == nil {
		return "", s
	}
	return strings.Trim(s, "[]"), ""
}

// VHostAddr is one address of a <VirtualHost> line.
type VHostAddr struct {
	// Text is the host part as written; it is also the name the virtual
	// host answers to when no ServerName or ServerAlias matches
	// (check_hostalias's fallback).
	Text string
	// Wildcard is set for * and _default_.
	Wildcard bool
	// IPs are the addresses the host part stands for; nil for a host name
	// the model does not resolve.
	IPs []netip.Addr
	// Port is 0 for any port.
	Port int
}

// Addrs returns the addresses of a virtual host (none for the main
// server).
func (s *Server) Addrs() []VHostAddr {
	if s.Node == nil {
		return nil
	}
	var out []VHostAddr
	for _, a := range s.Node.Args {
		host, port := splitHostPort(a.Expanded)
		va := VHostAddr{Text: host}
		if port != "" && port != "*" {
			va.Port, _ = strconv.Atoi(port)
		}
		switch {
		case host == "*" || strings.EqualFold(host, "_default_"):
			va.Wildcard = true
		case strings.EqualFold(host, "localhost"):
			va.IPs = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
		default:
			if ip, err := netip.ParseAddr(host); err == nil {
				va.IPs = []netip.Addr{ip.Unmap()}
			}
		}
		out = append(out, va)
	}
	return out
}

// Names returns the names a virtual host answers to: its ServerName
// (scheme and port removed) and its ServerAlias words.
func (s *Server) Names() (name string, aliases []string) {
	name = hostOfServerName(s.ServerName)
	for _, n := range s.Directives {
		if n.Lower == "serveralias" {
			for _, a := range n.Args {
				aliases = append(aliases, strings.ToLower(a.Expanded))
			}
		}
	}
	return name, aliases
}

// hostOfServerName strips the scheme and port of a ServerName value.
func hostOfServerName(v string) string {
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	}
	if strings.HasPrefix(v, "[") {
		if i := strings.IndexByte(v, ']'); i >= 0 {
			return strings.ToLower(v[:i+1])
		}
	}
	if i := strings.LastIndexByte(v, ':'); i >= 0 && strings.Count(v, ":") == 1 {
		v = v[:i]
	}
	return strings.ToLower(v)
}

// NormalizeHost is what httpd makes of a Host header before it compares
// it with server names (fix_hostname): lower case, without the port and
// a trailing dot.
func NormalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i >= 0 {
			return h[:i+1]
		}
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && strings.Count(h, ":") == 1 {
		h = h[:i]
	}
	return strings.TrimSuffix(h, ".")
}

// wildMatch is ap_strcasecmp_match: '*' matches any run of characters,
// '?' one character; case does not matter.
func wildMatch(s, pat string) bool {
	s, pat = strings.ToLower(s), strings.ToLower(pat)
	for len(pat) > 0 {
		switch pat[0] {
		case '*':
			for len(pat) > 0 && pat[0] == '*' {
				pat = pat[1:]
			}
			if pat == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if wildMatch(s[i:], pat) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pat[0] {
				return false
			}
		}
		s, pat = s[1:], pat[1:]
	}
	return s == ""
}

// MatchesName reports whether a virtual host answers to host (a
// normalised Host header) by ServerName or ServerAlias (matches_aliases);
// inherited is set when the virtual host has no ServerName of its own and
// name is the one httpd gives it.
func (s *Server) MatchesName(host, name string) (by string, ok bool) {
	own, aliases := s.Names()
	if own == "" {
		own = name
	}
	if own != "" && host == own {
		return "ServerName " + own, true
	}
	for _, a := range aliases {
		if !strings.ContainsAny(a, "*?") && host == a {
			return "ServerAlias " + a, true
		}
	}
	for _, a := range aliases {
		if strings.ContainsAny(a, "*?") && wildMatch(host, a) {
			return "ServerAlias " + a, true
		}
	}
	return "", false
}

// ServerChoice is the server httpd picks for a connection and Host header.
type ServerChoice struct {
	// Server is nil when nothing listens on the port.
	Server *Server
	// Listen is the Listen directive that accepted the connection.
	Listen *htaccess.Node
	// By is the directive that selected the server (ServerName, ServerAlias,
	// the <VirtualHost> line of the default); nil for the main server.
	By   *htaccess.Node
	Why  string
	Sure bool
}

// SelectServer picks the server for a request to port with Host header
// host the way httpd does (server/vhost.c): the connection's local
// address and port choose the virtual hosts listed for that address
// (ap_update_vhost_given_ip: an exact address first, else the * and
// _default_ ones for the port, else the main server alone); among them
// the first whose ServerName or ServerAlias matches the Host header wins,
// then the first whose <VirtualHost> address is the Host header, else the
// first of them, the default (check_hostalias). local is the address the
// client connects to; the zero Addr when unknown (taken from the Listen
// directive for the port, or the Host header when it is an address).
func (m *Model) SelectServer(port int, host string, local netip.Addr) ServerChoice {
	var listen *Listener
	ls := m.Listeners()
	for i := range ls {
		if ls[i].Port == port && (!local.IsValid() || !ls[i].Addr.IsValid() || ls[i].Addr == local.Unmap()) {
			listen = &ls[i]
			break
		}
	}
	sure := true
	var listenNode *htaccess.Node
	switch {
	case listen != nil:
		listenNode = listen.Node
	case len(ls) == 0:
		// A fragment, or a configuration whose Listen lines the model did
		// not see (httpd refuses to start without one).
		sure = false
	default:
		return ServerChoice{Why: "no Listen directive accepts port " + strconv.Itoa(port) + ": the connection is refused", Sure: true}
	}
	if !local.IsValid() {
		switch {
		case listen != nil && listen.Addr.IsValid():
			local = listen.Addr
		default:
			if a, err := netip.ParseAddr(strings.Trim(NormalizeHost(host), "[]")); err == nil {
				local = a.Unmap()
			} else if NormalizeHost(host) == "localhost" {
				local = netip.MustParseAddr("127.0.0.1")
			}
		}
	}
	host = NormalizeHost(host)
	portOK := func(a VHostAddr) bool { return a.Port == 0 || a.Port == port }
	var exact, wild []*Server
	for _, vh := range m.VHosts {
		isExact, isWild := false, false
		for _, a := range vh.Addrs() {
			switch {
			case !portOK(a):
			case a.Wildcard:
				isWild = true
			case a.IPs == nil:
				sure = false // a host name httpd resolved at start-up
			case local.IsValid():
				for _, ip := range a.IPs {
					isExact = isExact || ip == local.Unmap()
				}
			default:
				sure = false // the local address is unknown
			}
		}
		if isExact {
			exact = append(exact, vh)
		} else if isWild {
			wild = append(wild, vh)
		}
	}
	chain, kind := exact, "for "+local.String()+":"+strconv.Itoa(port)
	if len(chain) == 0 {
		chain, kind = wild, "for *:"+strconv.Itoa(port)
	}
	if len(chain) == 0 {
		return ServerChoice{Server: m.Main, Listen: listenNode, Sure: sure,
			Why: "no <VirtualHost> is defined " + kind + ": the main server answers"}
	}
	for _, vh := range chain {
		name := m.implicitName(vh)
		if by, ok := vh.MatchesName(host, name); ok {
			return ServerChoice{Server: vh, Listen: listenNode, By: vh.nameNode(by), Sure: sure,
				Why: "Host " + strconv.Quote(host) + " matches " + by + " among the virtual hosts " + kind}
		}
	}
	for _, vh := range chain {
		for _, a := range vh.Addrs() {
			if portOK(a) && strings.EqualFold(a.Text, host) {
				return ServerChoice{Server: vh, Listen: listenNode, By: vh.Node, Sure: sure,
					Why: "Host " + strconv.Quote(host) + " matches no ServerName or ServerAlias but is the address of this <VirtualHost>"}
			}
		}
	}
	return ServerChoice{Server: chain[0], Listen: listenNode, By: chain[0].Node, Sure: sure,
		Why: "Host " + strconv.Quote(host) + " matches no ServerName or ServerAlias " + kind + ": the first of them, the default, answers"}
}

// implicitName is the ServerName httpd gives a virtual host without one
// (ap_fini_vhost): the main server's for a * or _default_ address, else
// the reverse DNS name of its first address, here only the loopback's.
func (m *Model) implicitName(vh *Server) string {
	if vh.ServerName != "" {
		return ""
	}
	addrs := vh.Addrs()
	for _, a := range addrs {
		if a.Wildcard {
			return hostOfServerName(m.Main.ServerName)
		}
	}
	if len(addrs) > 0 && len(addrs[0].IPs) > 0 && addrs[0].IPs[0].IsLoopback() {
		return "localhost"
	}
	return ""
}

// nameNode returns the ServerName or ServerAlias directive a match names.
func (s *Server) nameNode(by string) *htaccess.Node {
	word, _, _ := strings.Cut(by, " ")
	for _, n := range s.Node.Children {
		if strings.EqualFold(n.Name, word) {
			return n
		}
	}
	for _, n := range s.Directives {
		if strings.EqualFold(n.Name, word) {
			return n
		}
	}
	return s.Node
}
