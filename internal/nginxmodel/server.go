package nginxmodel

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/authlint/authlint/nginxconf"
)

// Listen is one socket a server block listens on.
type Listen struct {
	// Addr is the address: "" for every address of the family (`listen
	// 80`, `*:80`, `0.0.0.0:80`), an IP address, or "unix:PATH".
	Addr string
	// IPv6 is set for an IPv6 listen ([::]:80, [::1]:80).
	IPv6 bool
	Port int
	// Default is set by the default_server (or default) parameter; SSL by
	// the ssl parameter.
	Default, SSL bool
	// D is the listen directive; nil for the implicit `listen *:80` of a
	// server without one.
	D *nginxconf.Directive
}

// Unix reports whether the listen is a UNIX-domain socket.
func (l Listen) Unix() bool { return strings.HasPrefix(l.Addr, "unix:") }

// key identifies the socket the listen binds (nginx's ngx_http_conf_addr_t).
func (l Listen) key() string {
	if l.Unix() {
		return l.Addr
	}
	fam := "4"
	if l.IPv6 {
		fam = "6"
	}
	return fam + "|" + l.Addr + "|" + strconv.Itoa(l.Port)
}

// ParseListen reads a listen directive as ngx_http_core_listen does (the
// address forms nginx accepts: port, addr, addr:port, [v6]:port, *:port,
// unix:path); ok is false for a form it cannot read.
func ParseListen(d *nginxconf.Directive) (Listen, bool) {
	l := Listen{D: d}
	a := d.Arg(0)
	for _, p := range d.Args[1:] {
		switch p.Value {
		case "default_server", "default":
			l.Default = true
		case "ssl":
			l.SSL = true
		}
	}
	switch {
	case strings.HasPrefix(a, "unix:"):
		l.Addr = a
		return l, true
	case strings.HasPrefix(a, "["):
		end := strings.Index(a, "]")
		if end < 0 {
			return l, false
		}
		host, rest := a[1:end], a[end+1:]
		l.IPv6, l.Port = true, 80
		if rest != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(rest, ":"))
			if err != nil || !strings.HasPrefix(rest, ":") {
				return l, false
			}
			l.Port = n
		}
		if host != "::" {
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return l, false
			}
			l.Addr = ip.String()
		}
		return l, true
	}
	if n, err := strconv.Atoi(a); err == nil {
		l.Port = n
		return l, true
	}
	host, port, hasPort := strings.Cut(a, ":")
	l.Port = 80
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil {
			return l, false
		}
		l.Port = n
	}
	switch host {
	case "*", "0.0.0.0":
		return l, true
	case "localhost":
		l.Addr = "127.0.0.1"
		return l, true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Is4() {
		return l, false // a name nginx resolves when it starts
	}
	l.Addr = ip.String()
	return l, true
}

// Listens returns the sockets a server listens on; a server without a
// listen directive listens on *:80 (nginx started as root; *:8000 otherwise).
func (s *Scope) Listens() []Listen {
	var out []Listen
	has := false
	for _, d := range s.Own {
		if d.Name == "listen" && len(d.Args) > 0 {
			has = true
			if l, ok := ParseListen(d); ok {
				out = append(out, l)
			}
		}
	}
	if !has {
		out = append(out, Listen{Port: 80})
	}
	return out
}

// ServerNames returns the names of a server (lower-cased as nginx stores
// them) with the directive of each; a server without server_name has the
// name "".
func (s *Scope) ServerNames() ([]string, []*nginxconf.Directive) {
	var names []string
	var ds []*nginxconf.Directive
	for _, d := range s.Own {
		if d.Name != "server_name" {
			continue
		}
		for _, a := range d.Args {
			n := a.Value
			if !strings.HasPrefix(n, "~") {
				n = strings.ToLower(n)
			}
			names = append(names, n)
			ds = append(ds, d)
		}
	}
	if names == nil {
		return []string{""}, []*nginxconf.Directive{nil}
	}
	return names, ds
}

// ServerChoice is the server block nginx chooses for a request, and why.
type ServerChoice struct {
	Server *Scope
	// Listen is the server's listen directive for the socket.
	Listen Listen
	// How says how the server was chosen: "exact", "wildcard",
	// "regex" (a server_name matched), "default_server", "first".
	How string
	// Name is the server_name that matched, NameDirective its directive.
	Name          string
	NameDirective *nginxconf.Directive
	// Undecided names the server_name regexes the model could not
	// evaluate, and an address it could not resolve: the choice may differ.
	Undecided []string
}

// ValidHost normalises a Host header as ngx_http_validate_host does:
// lower case, no port, no trailing dot. ok is false for a host nginx
// answers with 400 (a "/" , "\\", "..", or a NUL in it).
func ValidHost(h string) (string, bool) {
	h = strings.ToLower(h)
	if strings.HasPrefix(h, "[") {
		end := strings.Index(h, "]")
		if end < 0 {
			return "", false
		}
		return h[:end+1], true
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".")
	if strings.ContainsAny(h, "/\\\x00") || strings.Contains(h, "..") {
		return "", false
	}
	return h, true
}

// SelectServer returns the server block that takes a request that came in
// on addr:port (addr as the client dialled it: an IP address, "localhost",
// a name, or "unix:PATH" with port 0) with the normalised Host host, as
// ngx_http_init_connection and ngx_http_find_virtual_server choose it:
// the servers of the socket the connection arrived on, then exact names,
// the longest leading wildcard, the longest trailing wildcard, the first
// matching regex, else the socket's default server. ok is false when no
// server listens there.
func (m *Model) SelectServer(addr string, port int, host string) (ServerChoice, bool) {
	var ch ServerChoice
	group := m.socketGroup(addr, port, &ch)
	if len(group) == 0 {
		return ch, false
	}
	type cand struct {
		s    *Scope
		l    Listen
		name string
		d    *nginxconf.Directive
	}
	var exact, lead, trail, regexes []cand
	for _, sl := range group {
		names, ds := sl.s.ServerNames()
		for i, n := range names {
			c := cand{sl.s, sl.l, n, ds[i]}
			switch {
			case strings.HasPrefix(n, "~"):
				regexes = append(regexes, c)
			case strings.HasPrefix(n, "*.") || strings.HasPrefix(n, "."):
				lead = append(lead, c)
			case strings.HasSuffix(n, ".*"):
				trail = append(trail, c)
			default:
				exact = append(exact, c)
			}
		}
	}
	pick := func(c cand, how string) (ServerChoice, bool) {
		ch.Server, ch.Listen, ch.How, ch.Name, ch.NameDirective = c.s, c.l, how, c.name, c.d
		return ch, true
	}
	for _, c := range exact {
		if c.name == host {
			return pick(c, "exact")
		}
	}
	var best *cand
	for i, c := range lead {
		suffix := strings.TrimPrefix(c.name, "*")
		ok := strings.HasSuffix(host, suffix) && len(host) > len(suffix)
		if strings.HasPrefix(c.name, ".") && host == c.name[1:] {
			ok = true
		}
		if ok && (best == nil || len(c.name) > len(best.name)) {
			best = &lead[i]
		}
	}
	if best != nil {
		return pick(*best, "wildcard")
	}
	for i, c := range trail {
		prefix := strings.TrimSuffix(c.name, "*")
		if strings.HasPrefix(host, prefix) && len(host) > len(prefix) && (best == nil || len(c.name) > len(best.name)) {
			best = &trail[i]
		}
	}
	if best != nil {
		return pick(*best, "wildcard")
	}
	for _, c := range regexes {
		re, err := regexp.Compile("(?i)" + c.name[1:])
		if err != nil {
			ch.Undecided = append(ch.Undecided, "server_name "+c.name)
			continue
		}
		if re.MatchString(host) {
			return pick(c, "regex")
		}
	}
	for _, sl := range group {
		if sl.l.Default {
			return pick(cand{s: sl.s, l: sl.l}, "default_server")
		}
	}
	return pick(cand{s: group[0].s, l: group[0].l}, "first")
}

type serverListen struct {
	s *Scope
	l Listen
}

// socketGroup returns the servers (in file order) that listen on the socket
// a connection to addr:port arrives on. A listen on a specific address
// takes the connections to that address away from the wildcard one.
func (m *Model) socketGroup(addr string, port int, ch *ServerChoice) []serverListen {
	var all []serverListen
	for _, s := range m.Servers {
		for _, l := range s.Listens() {
			all = append(all, serverListen{s, l})
		}
	}
	if strings.HasPrefix(addr, "unix:") {
		return filterListen(all, func(l Listen) bool { return l.Addr == addr })
	}
	onPort := filterListen(all, func(l Listen) bool { return !l.Unix() && l.Port == port })
	if len(onPort) == 0 {
		return nil
	}
	if addr == "localhost" {
		addr = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(strings.Trim(addr, "[]"))
	if err != nil {
		// A name: the model does not resolve it. One socket on the port
		// is certain; several are not.
		keys := map[string]bool{}
		for _, sl := range onPort {
			keys[sl.l.key()] = true
		}
		if len(keys) > 1 {
			ch.Undecided = append(ch.Undecided, "the address "+addr+" resolves to")
			if wild := filterListen(onPort, func(l Listen) bool { return l.Addr == "" && !l.IPv6 }); len(wild) > 0 {
				return wild
			}
			first := onPort[0].l.key()
			return filterListen(onPort, func(l Listen) bool { return l.key() == first })
		}
		return onPort
	}
	ip = ip.Unmap()
	v6 := ip.Is6()
	if specific := filterListen(onPort, func(l Listen) bool { return l.IPv6 == v6 && l.Addr == ip.String() }); len(specific) > 0 {
		return specific
	}
	return filterListen(onPort, func(l Listen) bool { return l.IPv6 == v6 && l.Addr == "" })
}

func filterListen(in []serverListen, keep func(Listen) bool) []serverListen {
	var out []serverListen
	for _, sl := range in {
		if keep(sl.l) {
			out = append(out, sl)
		}
	}
	return out
}
