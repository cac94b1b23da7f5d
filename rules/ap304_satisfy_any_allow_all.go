package rules

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheSatisfyAnyOpen reports `Satisfy Any` where mod_access_compat's
// Order/Allow/Deny admit every client: the password is never asked
// (`ap_process_request_internal` returns early when mod_access_compat says
// OK: open, and authz is not even logged; scenario `apache-satisfy-any`).
// Without any Order/Allow/Deny line the host check admits everyone too
// (`check_dir_access` in mod_access_compat.c: the default `Order
// deny,allow` with nothing denied), which is what a 2.2 → 2.4 migration
// that turned `Allow from` into `Require ip` but kept `Satisfy Any` leaves
// (scenario `apache-satisfy-any-require-ip`).
var ApacheSatisfyAnyOpen = &Rule{
	ID: "AP304", Name: "satisfy-any-allow-all", Severity: Error,
	Summary: "Satisfy Any while Order/Allow/Deny admit every client (Allow from all, or none at all): the password is never asked",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			n := s.Conf.Satisfy
			if n == nil || len(n.Args) != 1 || !equalFoldASCII(n.Args[0].Expanded, "any") {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				if e.Satisfy.Node != n || !e.AccessAllowsAll() || !e.Authz.NeedsUser() {
					continue
				}
				if e.Order.Node == nil && len(e.Allow) == 0 && len(e.Deny) == 0 {
					ip := ""
					if r := requireHost(e); r != "" {
						ip = fmt.Sprintf(" (`Require %s` is authorization, not the host check Satisfy pairs with)", r)
					}
					p.At(n, "Satisfy Any with no Order/Allow/Deny in effect: mod_access_compat's host check (default Order deny,allow, nothing denied) admits every client%s, so %s is served without a password; remove `Satisfy Any` (several Require lines already admit either one)", ip, e.Req.URI)
					break
				}
				p.At(n, "Satisfy Any with `Allow from all` in effect: every client passes the host check, so %s is served without a password; remove `Satisfy Any` and the Order/Allow lines (use Require in 2.4)", e.Req.URI)
				break
			}
		}
	},
}

// requireHost returns the first `Require ip|host|forward-dns …` line in
// effect, as "ip 10.0.0.0/8"; "" when there is none.
func requireHost(e *apachemodel.Effect) string {
	var found string
	var visit func(rs []*apachemodel.Req)
	visit = func(rs []*apachemodel.Req) {
		for _, r := range rs {
			if found != "" {
				return
			}
			visit(r.Children)
			if r.Container == "" && !r.Negated && (r.Provider == "ip" || r.Provider == "host" || r.Provider == "forward-dns") {
				found = strings.Join(append([]string{r.Provider}, r.Args...), " ")
			}
		}
	}
	var walk func(a *apachemodel.Authz)
	walk = func(a *apachemodel.Authz) {
		if a == nil {
			return
		}
		for _, sub := range a.Subs {
			walk(sub)
		}
		visit(a.Reqs)
	}
	walk(e.Authz)
	return found
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
