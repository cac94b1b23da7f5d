package apachemodel

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// AuthzStatus is what mod_authz_core's providers and sections answer
// (authz_status).
type AuthzStatus int

// The statuses, as mod_authz_core names them.
const (
	AuthzDenied AuthzStatus = iota
	AuthzGranted
	AuthzNeutral
	AuthzGeneralError
	// AuthzDeniedNoUser: a user might change the answer.
	AuthzDeniedNoUser
)

func (s AuthzStatus) String() string {
	return [...]string{"denied", "granted", "neutral", "general error", "denied (no authenticated user yet)"}[s]
}

// AuthzInput is what the authorization providers see of a request.
type AuthzInput struct {
	Method string
	// URI is r->uri, the URL path after translate_name; "" when unknown
	// (`Require expr` on %{REQUEST_URI} is then not evaluated).
	URI string
	// User is the authenticated user; nil before authentication (the
	// check_access_ex pass that decides whether a user is needed at all).
	User *string
	// Client is the client address; the zero Addr when unknown.
	Client netip.Addr
	// Env holds the request's environment variables (mod_setenvif's);
	// nil when unknown, and `Require env` is then not evaluated.
	Env map[string]string
	// Groups returns the groups the AuthGroupFile in effect gives user;
	// problem is set (and groups nil) when there is no usable group file.
	Groups func(user string) (groups map[string]bool, problem string)
	// Trace, when set, is told every Require line's answer; uncertain is
	// set when the model could not evaluate the provider (host, expr,
	// env...) and guessed.
	Trace func(r *Req, st AuthzStatus, why string, uncertain bool)
}

// Evaluate answers the authorization for a request the way
// mod_authz_core's authorize_user_core does with apply_authz_sections:
// a rule set limited to other methods is granted under an AND parent (the
// top level) and neutral under an OR; negation turns granted into denied
// and denied into neutral; a nil Authz (no Require in effect) is neutral.
func (a *Authz) Evaluate(in *AuthzInput) AuthzStatus {
	if a == nil {
		return AuthzNeutral
	}
	return a.eval(in, true)
}

// applies reports whether any requirement of the rule set covers method
// (the section's `limited` mask, the union of its children's).
func (a *Authz) applies(method string) bool {
	for _, s := range a.Subs {
		if s.applies(method) {
			return true
		}
	}
	for _, r := range a.Reqs {
		if r.appliesAny(method) {
			return true
		}
	}
	return false
}

func (a *Authz) eval(in *AuthzInput, parentAnd bool) AuthzStatus {
	if !a.applies(in.Method) {
		return limitedResult(parentAnd)
	}
	if a.Op != "" {
		and := a.Op == "and"
		res := AuthzNeutral
		for _, s := range a.Subs {
			var stop bool
			if res, stop = combine(and, res, s.eval(in, and)); stop {
				break
			}
		}
		return res
	}
	res := AuthzNeutral
	for _, n := range normalizeReqs(a.Reqs, false) {
		var stop bool
		if res, stop = combine(false, res, n.eval(in, false)); stop {
			break
		}
	}
	return res
}

func limitedResult(parentAnd bool) AuthzStatus {
	if parentAnd {
		return AuthzGranted
	}
	return AuthzNeutral
}

// combine folds a child's answer into a section's, as apply_authz_sections
// does; stop says the answer is final.
func combine(and bool, res, child AuthzStatus) (AuthzStatus, bool) {
	switch {
	case child == AuthzGeneralError:
		return AuthzGeneralError, true
	case child == AuthzNeutral:
		return res, false
	case and && child == AuthzDenied:
		return child, true
	case and:
		if child == AuthzDeniedNoUser && res != AuthzDenied || res == AuthzNeutral {
			return child, false
		}
	case child == AuthzGranted:
		return child, true
	default:
		if child == AuthzDeniedNoUser && res == AuthzDenied || res == AuthzNeutral {
			return child, false
		}
	}
	return res, false
}

// appliesAny reports whether the requirement, or any inside a container,
// covers method.
func (r *Req) appliesAny(method string) bool {
	if r.Container == "" {
		return r.AppliesTo(method)
	}
	for _, c := range r.Children {
		if c.appliesAny(method) {
			return true
		}
	}
	return false
}

// authzNode is a requirement as mod_authz_core evaluates it: the
// configuration check (authz_core_check_section) moves the children of a
// negated container whose logic differs from its parent's into the parent,
// each negated in turn (De Morgan).
type authzNode struct {
	req *Req
	neg bool
}

func (r *Req) isAnd() bool { return r.Container == htaccess.SecRequireAll }

func (r *Req) inherentNeg() bool {
	if r.Container != "" {
		return r.Container == htaccess.SecRequireNone
	}
	return r.Negated
}

func normalizeReqs(reqs []*Req, and bool) []authzNode {
	out := make([]authzNode, 0, len(reqs))
	var add func(n authzNode)
	add = func(n authzNode) {
		if n.req.Container != "" && n.neg && n.req.isAnd() != and {
			for _, g := range normalizeReqs(n.req.Children, n.req.isAnd()) {
				g.neg = !g.neg
				add(g)
			}
			return
		}
		out = append(out, n)
	}
	for _, r := range reqs {
		add(authzNode{r, r.inherentNeg()})
	}
	return out
}

func (n authzNode) eval(in *AuthzInput, parentAnd bool) AuthzStatus {
	r := n.req
	if !r.appliesAny(in.Method) {
		st := limitedResult(parentAnd)
		if in.Trace != nil && r.Container == "" {
			in.Trace(r, st, "limited to other methods", false)
		}
		return st
	}
	var res AuthzStatus
	if r.Container != "" {
		and := r.isAnd()
		res = AuthzNeutral
		for _, c := range normalizeReqs(r.Children, and) {
			var stop bool
			if res, stop = combine(and, res, c.eval(in, and)); stop {
				break
			}
		}
	} else {
		var why string
		var uncertain bool
		res, why, uncertain = r.provide(in)
		if n.neg {
			res = negate(res)
			why = "negated: " + why
		}
		if in.Trace != nil {
			in.Trace(r, res, why, uncertain)
		}
		return res
	}
	if n.neg {
		res = negate(res)
	}
	return res
}

func negate(st AuthzStatus) AuthzStatus {
	switch st {
	case AuthzGranted:
		return AuthzDenied
	case AuthzDenied, AuthzDeniedNoUser:
		return AuthzNeutral
	}
	return st
}

// provide is the authorization provider's own answer for one Require
// line, before negation.
func (r *Req) provide(in *AuthzInput) (st AuthzStatus, why string, uncertain bool) {
	noUser := func() (AuthzStatus, string, bool) {
		return AuthzDeniedNoUser, "a user may change it", false
	}
	switch r.Provider {
	case "all":
		if len(r.Args) > 0 && strings.EqualFold(r.Args[0], "granted") {
			return AuthzGranted, "everyone", false
		}
		return AuthzDenied, "no one", false
	case "method":
		for _, m := range r.Args {
			if strings.EqualFold(m, in.Method) || strings.EqualFold(m, "GET") && in.Method == "HEAD" {
				return AuthzGranted, in.Method + " is listed", false
			}
		}
		return AuthzDenied, in.Method + " is not listed", false
	case "valid-user":
		if in.User == nil {
			return noUser()
		}
		return AuthzGranted, "user " + *in.User + " is authenticated", false
	case "user":
		if in.User == nil {
			return noUser()
		}
		if slices.Contains(r.Args, *in.User) {
			return AuthzGranted, "user " + *in.User + " is listed", false
		}
		return AuthzDenied, "user " + *in.User + " is not listed", false
	case "group":
		if in.User == nil {
			return noUser()
		}
		if in.Groups == nil {
			return AuthzDenied, "no group file is known", true
		}
		groups, problem := in.Groups(*in.User)
		if problem != "" {
			return AuthzDenied, problem, false
		}
		if len(groups) == 0 {
			return AuthzDenied, "user " + *in.User + " is in no group of the group file", false
		}
		for _, g := range r.Args {
			if groups[g] {
				return AuthzGranted, "user " + *in.User + " is in group " + g, false
			}
		}
		return AuthzDenied, "user " + *in.User + " is in none of the listed groups", false
	case "ip":
		if !in.Client.IsValid() {
			return AuthzDenied, "the client address is unknown", true
		}
		for _, w := range r.Args {
			p, ok := parseIPRange(w)
			if !ok {
				return AuthzDenied, "cannot read the address " + strconv.Quote(w), true
			}
			if p.Contains(in.Client.Unmap()) {
				return AuthzGranted, in.Client.String() + " is in " + w, false
			}
		}
		return AuthzDenied, in.Client.String() + " is not listed", false
	case "env":
		if in.Env == nil {
			break
		}
		for _, w := range r.Args {
			if _, ok := in.Env[w]; ok {
				return AuthzGranted, w + " is set", false
			}
		}
		return AuthzDenied, "none of " + strings.Join(r.Args, ", ") + " is set", false
	case "local":
		if !in.Client.IsValid() {
			return AuthzDenied, "the client address is unknown", true
		}
		if in.Client.Unmap().IsLoopback() {
			return AuthzGranted, in.Client.String() + " is local", false
		}
		return AuthzDenied, in.Client.String() + " is not local (unless it is the server's own address)", false
	}
	if r.Provider == "expr" {
		// The same expressions the if walk evaluates (the method, the URI); a
		// failing expression naming REMOTE_USER would be "no user yet".
		expr := strings.Trim(strings.Join(r.Args, " "), `"`)
		if holds, known := ifHolds(expr, in.Method, in.URI); known {
			if holds {
				return AuthzGranted, "the expression holds", false
			}
			return AuthzDenied, "the expression does not hold", false
		}
	}
	if userProvider(r.Provider) && in.User == nil {
		return noUser()
	}
	return AuthzDenied, "the model does not evaluate `Require " + r.Provider + "`; assumed denied", true
}

// parseIPRange reads a `Require ip` or `Allow from` address the way
// apr_ipsubnet_create does: a full address, a network with /bits or a
// /netmask, or the leading octets of an IPv4 network ("10.1").
func parseIPRange(w string) (netip.Prefix, bool) {
	if addr, mask, ok := strings.Cut(w, "/"); ok {
		a, err := netip.ParseAddr(addr)
		if err != nil {
			return netip.Prefix{}, false
		}
		bits, err := strconv.Atoi(mask)
		if err != nil {
			m, err := netip.ParseAddr(mask)
			if err != nil || !m.Is4() || !a.Is4() {
				return netip.Prefix{}, false
			}
			b := m.As4()
			v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
			bits = 0
			for v&(1<<31) != 0 {
				bits, v = bits+1, v<<1
			}
			if v != 0 {
				return netip.Prefix{}, false // not contiguous
			}
		}
		p, err := a.Prefix(bits)
		return p, err == nil
	}
	if a, err := netip.ParseAddr(w); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	parts := strings.Split(strings.TrimSuffix(w, "."), ".")
	if len(parts) == 0 || len(parts) > 3 {
		return netip.Prefix{}, false
	}
	var b [4]byte
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 {
			return netip.Prefix{}, false
		}
		b[i] = byte(n)
	}
	return netip.PrefixFrom(netip.AddrFrom4(b), 8*len(parts)), true
}
