package apachemodel

import (
	"net/netip"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// AccessCheck is mod_access_compat's answer (check_dir_access).
type AccessCheck struct {
	Allowed bool
	// Known is false when an Allow or Deny line needs what the model does
	// not know (a host name, an environment variable, the client address).
	Known bool
	// By is the line that decided; nil when the order's default did.
	By  *htaccess.Node
	Why string
}

// CheckAccess evaluates Order, Allow and Deny for client the way
// mod_access_compat does: "deny,allow" (the default) allows unless a Deny
// matches and no Allow does; "allow,deny" denies unless an Allow matches
// and no Deny does; "mutual-failure" allows when an Allow and no Deny
// matches.
func (e *Effect) CheckAccess(client netip.Addr) AccessCheck {
	order := strings.ToLower(strings.Join(argValues(e.Order.Node), ""))
	if order == "" {
		order = "deny,allow"
	}
	known := true
	find := func(ns []*htaccess.Node) *htaccess.Node {
		for _, n := range ns {
			v := argValues(n)
			if len(v) > 0 && strings.EqualFold(v[0], "from") {
				v = v[1:]
			}
			for _, w := range v {
				hit, ok := allowMatches(w, client)
				known = known && ok
				if hit {
					return n
				}
			}
		}
		return nil
	}
	allow, deny := find(e.Allow), find(e.Deny)
	switch order {
	case "allow,deny":
		switch {
		case deny != nil:
			return AccessCheck{Known: known, By: deny, Why: "a Deny line matches (Order allow,deny)"}
		case allow != nil:
			return AccessCheck{Allowed: true, Known: known, By: allow, Why: "an Allow line matches and no Deny line does"}
		}
		return AccessCheck{Known: known, Why: "no Allow line matches (Order allow,deny denies by default)"}
	case "mutual-failure":
		if allow != nil && deny == nil {
			return AccessCheck{Allowed: true, Known: known, By: allow, Why: "an Allow line and no Deny line matches"}
		}
		return AccessCheck{Known: known, By: deny, Why: "Order mutual-failure: no Allow line, or a Deny line, matches"}
	}
	switch {
	case allow != nil:
		return AccessCheck{Allowed: true, Known: known, By: allow, Why: "an Allow line matches (Order deny,allow)"}
	case deny != nil:
		return AccessCheck{Known: known, By: deny, Why: "a Deny line matches and no Allow line does"}
	}
	return AccessCheck{Allowed: true, Known: known, Why: "no Deny line matches (Order deny,allow allows by default)"}
}

func argValues(n *htaccess.Node) []string {
	if n == nil {
		return nil
	}
	out := make([]string, len(n.Args))
	for i, a := range n.Args {
		out[i] = a.Expanded
	}
	return out
}

// allowMatches tells whether one Allow/Deny word names the client; ok is
// false when the model cannot tell (host names, env=).
func allowMatches(w string, client netip.Addr) (hit, ok bool) {
	if strings.EqualFold(w, "all") {
		return true, true
	}
	if strings.HasPrefix(strings.ToLower(w), "env=") {
		return false, false
	}
	p, isIP := parseIPRange(w)
	if !isIP {
		return false, false // a host name: reverse DNS
	}
	if !client.IsValid() {
		return false, false
	}
	return p.Contains(client.Unmap()), true
}
