package nginxmodel

import (
	"net/netip"
	"strings"

	"github.com/authlint/authlint/nginxconf"
)

// RealIP is what ngx_http_realip_module does in a block: when the
// connection comes from an address set_real_ip_from trusts, the client
// address becomes the one the header names. The handler runs twice: in the
// post-read phase with the server block's settings, before a location is
// chosen, and in the preaccess phase with the location's, where it does
// nothing once the address was replaced (scenario nginx-satisfy-any-realip).
type RealIP struct {
	// From are the set_real_ip_from directives in effect.
	From []*nginxconf.Directive
	// Header is real_ip_header's header (X-Real-IP by default); "" for
	// proxy_protocol, which the model does not follow.
	Header string
	// Recursive is real_ip_recursive on.
	Recursive bool
}

// RealIP returns the realip settings in effect in s.
func (s *Scope) RealIP() RealIP {
	r := RealIP{From: s.LookupAll("set_real_ip_from"), Header: "X-Real-IP"}
	if d := s.Lookup("real_ip_header"); d != nil {
		r.Header = d.Arg(0)
	}
	if strings.EqualFold(r.Header, "proxy_protocol") {
		r.Header = ""
	}
	if d := s.Lookup("real_ip_recursive"); d != nil {
		r.Recursive = d.Arg(0) == "on"
	}
	return r
}

// TrustsEveryone returns the set_real_ip_from that trusts every address
// (0.0.0.0/0 or ::/0) when a header is read: then any client can choose
// its own address. nil otherwise.
func (r RealIP) TrustsEveryone() *nginxconf.Directive {
	if r.Header == "" {
		return nil
	}
	for _, d := range r.From {
		if d.Arg(0) == "0.0.0.0/0" || d.Arg(0) == "::/0" {
			return d
		}
	}
	return nil
}

// trusts returns the set_real_ip_from that trusts addr; nil when none does
// (or one cannot be evaluated: "unix:", a host name).
func (r RealIP) trusts(addr netip.Addr) *nginxconf.Directive {
	for _, d := range r.From {
		if m, decided := ruleMatches(d.Arg(0), addr); decided && m {
			return d
		}
	}
	return nil
}

// Client returns the client address the module puts in place of addr
// given the request's header value, and the set_real_ip_from that allowed
// it; ok is false when it leaves addr alone. For X-Forwarded-For it takes
// the last address, or with real_ip_recursive the last one that is not
// trusted (ngx_http_get_forwarded_addr).
func (r RealIP) Client(addr netip.Addr, value string) (client netip.Addr, by *nginxconf.Directive, ok bool) {
	if r.Header == "" || value == "" || !addr.IsValid() {
		return addr, nil, false
	}
	by = r.trusts(addr)
	if by == nil {
		return addr, nil, false
	}
	parts := strings.Split(value, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			return addr, nil, false
		}
		if !r.Recursive || i == 0 || r.trusts(a) == nil {
			return a, by, true
		}
	}
	return addr, nil, false
}
