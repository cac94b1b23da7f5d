package rules

import "strings"

// ApacheIfModuleSkipped reports auth directives inside an <IfModule> for a
// module the configuration does not load: httpd skips the whole body, so the
// protection silently disappears (or half of it does).
var ApacheIfModuleSkipped = &Rule{
	ID: "AP111", Name: "auth-in-skipped-ifmodule", Severity: Error,
	Summary: "auth directives inside <IfModule> for a module that is not loaded are never read",
	Apache: func(p *ApachePass) {
		for _, sk := range p.Model.Skipped {
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
