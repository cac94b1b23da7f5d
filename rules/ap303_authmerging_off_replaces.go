package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheAuthMergingReplaces reports a section below a protected one whose
// own Require (an ip, host or env check) replaces the password under
// AuthMerging Off: "also local only" becomes "local only, no password"
// (`merge_authz_core_dir_config` in mod_authz_core.c; scenario
// `apache-authmerging-off`).
var ApacheAuthMergingReplaces = &Rule{
	ID: "AP303", Name: "authmerging-off-replaces", Severity: Error,
	Summary: "a child section's Require ip/host/env replaces the parent's password requirement (AuthMerging Off)",
	Apache: func(p *ApachePass) {
		for _, c := range p.Model.AllSections() {
			if len(c.Conf.Requires) == 0 || c.Protected() || c.Conf.AuthMerging != nil {
				continue
			}
			// Where c's Require lines are in effect last, without AuthMerging
			// they are the whole authorization: unless they alone depend on
			// the client, no request can match below.
			if (&apachemodel.Authz{Sec: c, Reqs: c.Conf.Requires}).Decide("GET") != apachemodel.Depends {
				continue
			}
			for _, e := range p.Model.Effects(c, "GET") {
				if e.Authz.Own() != c || e.Decide() != apachemodel.Depends {
					continue
				}
				var parent *apachemodel.Section
				for _, s := range e.Applied {
					if s == c {
						break
					}
					if s.Protected() {
						parent = s
					}
				}
				if parent == nil {
					continue
				}
				r := c.Conf.Requires[0]
				p.At(r.Node, "`Require %s` in %s replaces the password requirement of %s (AuthMerging Off is the default): for %s the password is gone and only this check remains; add `AuthMerging And` to this section to require both",
					joinWords(r), c.Describe(), p.WhereSec(parent), e.Req.URI)
				break
			}
		}
	},
}

func joinWords(r *apachemodel.Req) string {
	out := r.Provider
	if r.Negated {
		out = "not " + out
	}
	for _, a := range r.Args {
		out += " " + a
	}
	return out
}
