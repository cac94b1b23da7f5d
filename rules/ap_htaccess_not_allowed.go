package rules

import "strings"

// ApacheHtaccessNotAllowed reports auth directives in a .htaccess whose
// AllowOverride lacks AuthConfig (and Limit for Order/Allow/Deny): every
// request to the directory gets 500, anonymous ones too, while apache2 -t
// passes (facts §5).
var ApacheHtaccessNotAllowed = &Rule{
	ID: "AP108", Name: "htaccess-directive-not-allowed", Severity: Error,
	Summary: "a .htaccess uses an auth directive its AllowOverride does not allow: every request to the directory gets 500",
	Apache: func(p *ApachePass) {
		for _, ht := range p.Model.HtAccess {
			if ht.Section == nil {
				continue
			}
			for _, srv := range p.Model.ServersFor(ht.Dir) {
				if p.Model.URIFor(srv, ht.Dir) == "" {
					continue
				}
				ov, set := p.Model.AllowOverrideAt(srv, ht.Dir)
				if ov == "none" && !overrideListActive(p.Model, srv, ht.Dir) {
					continue // AP107: the file is not read at all
				}
				classes := strings.Fields(ov)
				allowed := func(class string) bool {
					for _, c := range classes {
						c = strings.ToLower(c)
						if c == "all" || c == class {
							return true
						}
					}
					return false
				}
				for _, n := range ht.Section.Conf.Directives {
					class := ""
					switch {
					case authDirective(n.Lower):
						class = "authconfig"
					case n.Lower == "order" || n.Lower == "allow" || n.Lower == "deny":
						class = "limit"
					default:
						continue
					}
					if allowed(class) || p.Model.overrideListed(srv, ht.Dir, n.Lower) {
						continue
					}
					where := ""
					if set != nil {
						where = " (set at " + p.Where(set) + ")"
					}
					p.At(n, "%s is not allowed here: AllowOverride %s%s lacks %s, so every request to %s gets 500 (`%s not allowed here`), anonymous ones too",
						n.Name, ov, where, map[string]string{"authconfig": "AuthConfig", "limit": "Limit"}[class], ht.Dir, n.Name)
					break
				}
				break
			}
		}
	},
}
