package rules

import (
	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheHtaccessIgnored reports auth in a .htaccess file under AllowOverride
// None: httpd never reads the file and the directory is served as if it were
// not there, with nothing logged (`ap_directory_walk`; scenario
// `apache-htaccess-ignored`). An AllowOverrideList of categories
// (`AllowOverrideList AuthConfig`) is discarded at startup and lets httpd
// read nothing either (scenario `apache-allowoverridelist-category`).
var ApacheHtaccessIgnored = &Rule{
	ID: "AP107", Name: "htaccess-ignored", Severity: Error,
	Summary: "auth in a .htaccess under AllowOverride None: the file is never read and the directory stays open",
	Apache: func(p *ApachePass) {
		for _, ht := range p.Model.HtAccess {
			first := firstAuthDirective(ht.Section)
			if first == nil {
				continue
			}
			for _, srv := range p.Model.ServersFor(ht.Dir) {
				uri := p.Model.URIFor(srv, ht.Dir)
				if uri == "" {
					continue
				}
				ov := p.Model.OverridesAt(srv, ht.Dir)
				if ov.Reads() {
					continue // read; AP108 reports what it may not hold
				}
				where := "httpd's default AllowOverride None"
				if ov.Set != nil {
					where = "AllowOverride None at " + p.Where(ov.Set)
				}
				e := p.Model.Effect(apachemodel.Request{Server: srv, URI: uri, Method: "GET"})
				effect := "its auth does not apply"
				if e.Open() {
					effect = uri + " is served to anyone"
				}
				fix := "set `AllowOverride AuthConfig` for " + ht.Dir + ", or move the auth into the <Directory> section"
				if n, names := p.Model.DiscardedOverrideList(srv, ht.Dir); n != nil {
					where += "; AllowOverrideList at " + p.Where(n) + " takes directive names, and httpd discards " + quoteList(names) + " with a startup warning (AH00116)"
					fix = "write `AllowOverride AuthConfig` instead, or list the directives: `AllowOverrideList AuthType AuthName AuthUserFile Require`"
				}
				p.At(first, "this .htaccess is never read (%s): %s; %s", where, effect, fix)
				break
			}
		}
	},
}

func firstAuthDirective(s *apachemodel.Section) *htaccess.Node {
	if s == nil {
		return nil
	}
	for _, n := range s.Conf.Directives {
		if apachemodel.AuthDirective(n.Lower) {
			return n
		}
	}
	return nil
}
