package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// probeSuffixes are file names tried under a protected prefix, besides the
// extensions found in the config's own regex locations.
func probeSuffixes() []string {
	return []string{"x.php", "index.php", "x.png", "x.jpg", "x.gif", "x.svg", "x.ico", "x.css", "x.js", "x.json",
		"x.html", "x.txt", "x.xml", "x.pdf", "x.zip", "x.woff2", "x.map", "x.cgi", "x.pl", "x.py", "x.jsp", "x.asp"}
}

// NginxRegexBypass reports regex locations that serve URIs under a protected
// prefix location: a regex beats a prefix that is not ^~
// (`ngx_http_core_find_location`; scenario `nginx-regex-bypass`; the ^~ and
// nested-location fixes were observed by hand).
var NginxRegexBypass = &Rule{
	ID: "NG301", Name: "regex-location-bypass", Severity: Error,
	Summary: "a regex location serves URIs under a protected prefix location without a password",
	Nginx: func(p *NginxPass) {
		byServer := map[*nginxmodel.Scope][]*nginxmodel.Scope{}
		extensions := map[string][]string{} // by pattern: large trees repeat a few
		for _, s := range p.Model.All {
			if s.Server != nil {
				byServer[s.Server] = append(byServer[s.Server], s)
			}
		}
		for _, srv := range p.Model.Servers {
			var suffixes []string
			for _, s := range byServer[srv] {
				if s.IsRegex() {
					ext, ok := extensions[s.Pattern]
					if !ok {
						ext = regexExtensions(s.Pattern)
						extensions[s.Pattern] = ext
					}
					suffixes = append(suffixes, ext...)
				}
			}
			suffixes = append(suffixes, probeSuffixes()...)
			reported := map[[2]*nginxmodel.Scope]bool{}
			for _, prot := range byServer[srv] {
				if prot.Kind != "location" || prot.Modifier != "" || !prot.Protected() {
					continue
				}
				base := prot.Pattern
				if !strings.HasSuffix(base, "/") {
					base += "/"
				}
				for _, suf := range suffixes {
					uri := base + suf
					eff := srv.Effective(uri)
					if eff == prot || eff.IsBelow(prot) || eff.Protected() || !eff.IsRegex() || reported[[2]*nginxmodel.Scope{prot, eff}] {
						continue
					}
					reported[[2]*nginxmodel.Scope{prot, eff}] = true
					p.At(eff.D, "%s serves %s, which is under the protected %s (%s): a regex location beats a prefix location, so %s is reachable without a password; make the protected one `location ^~ %s` or nest this regex location inside it",
						eff.Name(), uri, prot.Name(), p.LineRef(eff.D, prot.D), uri, prot.Pattern)
				}
			}
		}
	},
}
