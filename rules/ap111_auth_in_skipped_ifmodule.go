package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// ApacheIfModuleSkipped reports auth directives inside an <IfModule> for a
// module the configuration does not load: httpd skips the whole body, so the
// protection silently disappears (or half of it does).
var ApacheIfModuleSkipped = &Rule{
	ID: "AP111", Name: "auth-in-skipped-ifmodule", Severity: Error,
	Summary: "auth directives inside <IfModule> for a module that is not loaded are never read",
	Apache: func(p *ApachePass) {
		for _, sk := range p.Model.Skipped {
			if len(sk.Node.Args) > 0 && strings.HasPrefix(sk.Node.Args[0].Value, "!") {
				continue // <IfModule !mod_x>: a fallback for when the module is missing, skipped on purpose
			}
			if onlyGrants(sk.Auth) {
				continue // skipping it can only close, never open
			}
			names := []string{}
			for _, n := range sk.Auth {
				names = append(names, n.Name)
			}
			effect := ""
			if sk.Sec != nil {
				for _, e := range p.Model.Effects(sk.Sec, "GET") {
					if e.Open() {
						effect = "; " + e.Req.URI + " is served to anyone"
						break
					}
				}
			}
			p.At(sk.Node, "<IfModule %s> is false (the module is not loaded), so httpd never reads the %s inside%s; load the module or drop the <IfModule> wrapper so a missing module fails loudly",
				strings.Join(sk.Node.ArgValues(), " "), strings.Join(uniqueStrings(names), ", "), effect)
		}
	},
}

func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// onlyGrants reports whether auth directives only grant access: `Require
// all granted`, Allow, Order and `Satisfy Any` (httpd 2.2's way of saying
// the same). A body of only these that httpd skips leaves the area as
// closed as it was.
func onlyGrants(auth []*htaccess.Node) bool {
	for _, n := range auth {
		args := strings.ToLower(strings.Join(n.ArgValues(), " "))
		switch {
		case n.Lower == "require" && args == "all granted":
		case n.Lower == "allow" || n.Lower == "order":
		case n.Lower == "satisfy" && args == "any":
		default:
			return false
		}
	}
	return true
}
