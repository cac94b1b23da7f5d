package rules

import (
	"path/filepath"
	"strings"
)

// NginxAliasExposes reports an unprotected location whose alias points into
// the server's root below a protected location: auth guards URLs, not
// files, so the same files are served without a password under the alias's
// URL (`ngx_http_map_uri_to_path`; scenario `nginx-alias-exposes`).
var NginxAliasExposes = &Rule{
	ID: "NG407", Name: "alias-exposes-protected", Severity: Error,
	Summary: "an unprotected alias serves files that a protected location guards under their real URL",
	Nginx: func(p *NginxPass) {
		for _, l := range p.Model.All {
			if l.Kind != "location" || l.Server == nil || l.Protected() || l.IsRegex() || l.DeniesAll() {
				continue
			}
			var alias string
			var at = l.D
			for _, d := range l.Own {
				if d.Name == "alias" && len(d.Args) == 1 {
					alias, at = d.Arg(0), d
				}
			}
			if alias == "" || !filepath.IsAbs(alias) || strings.Contains(alias, "$") {
				continue
			}
			root := p.Model.RootOf(l.Server)
			if root == "" {
				continue
			}
			rel, err := filepath.Rel(root, filepath.Clean(alias))
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			uri := "/"
			if rel != "." {
				uri += filepath.ToSlash(rel)
			}
			probe := uri
			if strings.HasSuffix(alias, "/") || strings.HasSuffix(l.Pattern, "/") {
				probe = strings.TrimSuffix(uri, "/") + "/x.html"
			}
			eff := l.Server.Effective(probe)
			if !eff.Protected() {
				continue
			}
			p.At(at, "alias %s serves files that %s protects under their real URL (%s): here, under %s, they need no password; protect this location too, or point the alias outside the root", alias, eff.Name(), probe, l.Pattern)
		}
	},
}
