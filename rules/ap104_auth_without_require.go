package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheAuthWithoutRequire reports authentication set up in a section that
// requires nobody: the section inherits `Require all granted` and is open,
// with no prompt and nothing logged (`merge_authz_core_dir_config` in
// mod_authz_core.c; scenario `apache-no-require`).
var ApacheAuthWithoutRequire = &Rule{
	ID: "AP104", Name: "auth-without-require", Severity: Error,
	Summary: "AuthType/AuthUserFile without a Require in effect: the area is served without a password",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			c := &s.Conf
			at := c.AuthType
			if at == nil {
				at = c.AuthUserFile
			}
			if at == nil || len(c.Requires) > 0 || strAuthNone(c) || requiredBelow(p.Model, s) {
				continue
			}
			for _, e := range p.Model.Effects(s, "GET") {
				if !e.Open() || e.Authz.NeedsUser() {
					continue
				}
				from := "httpd's default"
				if own := e.Authz.Own(); own != nil {
					from = p.WhereSec(own)
				}
				p.At(at, "%s sets up a password but no Require in effect asks for one: %s is served to anyone (the access rule comes from %s); add `Require valid-user`", s.Describe(), e.Req.URI, from)
				break
			}
		}
	},
}

func strAuthNone(c *apachemodel.DirConf) bool {
	return c.AuthType != nil && apachemodel.AuthScheme(apachemodel.ArgExpanded(c.AuthType, 0)) == "none"
}

// requiredBelow reports whether a section nested in s, or one for a
// directory or URL below it, requires a user: then s is the shared auth
// setup of those areas (a common layout), not an area left open by mistake.
func requiredBelow(m *apachemodel.Model, s *apachemodel.Section) bool {
	var nested func(x *apachemodel.Section) bool
	nested = func(x *apachemodel.Section) bool {
		for _, c := range x.Children {
			if c.Protected() || nested(c) {
				return true
			}
		}
		return false
	}
	if nested(s) {
		return true
	}
	dirLike := func(x *apachemodel.Section) bool {
		return (x.Kind == "htaccess" || x.Kind == htaccess.SecDirectory) && x.Regex == nil
	}
	for _, t := range m.AllSections() {
		if t == s || !t.Protected() {
			continue
		}
		switch {
		case dirLike(s) && dirLike(t) && apachemodel.UnderDir(t.Pattern, s.Pattern):
			return true
		case s.Kind == htaccess.SecLocation && t.Kind == htaccess.SecLocation && s.Regex == nil && t.Regex == nil:
			if _, ok := apachemodel.CutURLPrefix(t.Pattern, strings.TrimSuffix(s.Pattern, "/")); ok {
				return true
			}
		}
	}
	return false
}
