package rules

// ApacheSatisfyAnyOpen reports `Satisfy Any` where mod_access_compat's
// Order/Allow/Deny admit every client: the password is never asked
// (`ap_process_request_internal` returns early when mod_access_compat says
// OK: open, and authz is not even logged; scenario `apache-satisfy-any`).
var ApacheSatisfyAnyOpen = &Rule{
	ID: "AP304", Name: "satisfy-any-allow-all", Severity: Error,
	Summary: "Satisfy Any with Allow from all: the password is never asked",
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
				p.At(n, "Satisfy Any with `Allow from all` in effect: every client passes the host check, so %s is served without a password; remove `Satisfy Any` and the Order/Allow lines (use Require in 2.4)", e.Req.URI)
				break
			}
		}
	},
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
