package rules

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// ApacheHtaccessIgnored reports auth in a .htaccess file under AllowOverride
// None: httpd never reads the file and the directory is served as if it were
// not there, with nothing logged (facts §5).
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
				ov, set := p.Model.AllowOverrideAt(srv, ht.Dir)
				if ov != "none" || overrideListActive(p.Model, srv, ht.Dir) {
					continue // read; AP108 reports what it may not hold
				}
				where := "httpd's default AllowOverride None"
				if set != nil {
					where = "AllowOverride None at " + p.Where(set)
				}
				e := p.Model.Effect(ApRequest{Server: srv, URI: uri, Method: "GET"})
				effect := "its auth does not apply"
				if e.Open() {
					effect = uri + " is served to anyone"
				}
				p.At(first, "this .htaccess is never read (%s): %s; set `AllowOverride AuthConfig` for %s, or move the auth into the <Directory> section", where, effect, ht.Dir)
				break
			}
		}
	},
}

func firstAuthDirective(s *ApSection) *htaccess.Node {
	if s == nil {
		return nil
	}
	for _, n := range s.Conf.Directives {
		if authDirective(n.Lower) {
			return n
		}
	}
	return nil
}

// overrideListActive reports whether an AllowOverrideList naming some
// directive is in effect for dir: httpd then reads the .htaccess even under
// AllowOverride None, and a directive it does not list is "not allowed here".
func overrideListActive(m *ApacheModel, srv *ApServer, dir string) bool {
	var dirs []*ApSection
	for _, sec := range m.EffectiveSections(srv) {
		if sec.Kind == htaccess.SecDirectory && sec.Regex == nil && dirMatches(sec.Pattern, dir) {
			dirs = append(dirs, sec)
		}
	}
	slices.SortStableFunc(dirs, func(a, b *ApSection) int { return depth(a.Pattern) - depth(b.Pattern) })
	active := false
	for _, sec := range dirs {
		for _, n := range sec.Conf.Directives {
			if n.Lower == "allowoverridelist" {
				vs := n.ArgValues()
				active = len(vs) > 0 && !(len(vs) == 1 && strings.EqualFold(vs[0], "none"))
			}
		}
	}
	return active
}
