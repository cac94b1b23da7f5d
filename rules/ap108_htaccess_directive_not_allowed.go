package rules

import "github.com/authlint/authlint/internal/apachemodel"

// ApacheHtaccessNotAllowed reports auth directives in a .htaccess whose
// AllowOverride lacks AuthConfig (and Limit for Order/Allow/Deny): every
// request to the directory gets 500, anonymous ones too, while apache2 -t
// passes (`ap_parse_htaccess` rejects the directive; scenario
// `apache-htaccess-not-allowed`).
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
				ov := p.Model.OverridesAt(srv, ht.Dir)
				if !ov.Reads() {
					continue // AP107: the file is not read at all
				}
				for _, n := range ht.Section.Conf.Directives {
					class := ""
					switch {
					case apachemodel.AuthDirective(n.Lower):
						class = "authconfig"
					case n.Lower == "order" || n.Lower == "allow" || n.Lower == "deny":
						class = "limit"
					default:
						continue
					}
					if ov.Allows(class, n.Lower) {
						continue
					}
					where := ""
					if ov.Set != nil {
						where = " (set at " + p.Where(ov.Set) + ")"
					}
					note := ""
					if ol, names := p.Model.DiscardedOverrideList(srv, ht.Dir); ol != nil {
						note = "; AllowOverrideList at " + p.Where(ol) + " takes directive names, and httpd discards " + quoteList(names) + " (AH00116)"
					}
					p.At(n, "%s is not allowed here: AllowOverride %s%s lacks %s, so every request to %s gets 500 (`%s not allowed here`), anonymous ones too%s",
						n.Name, ov.Classes, where, map[string]string{"authconfig": "AuthConfig", "limit": "Limit"}[class], ht.Dir, n.Name, note)
					break
				}
				break
			}
		}
	},
}
