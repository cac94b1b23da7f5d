package rules

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// repeatedEffect says, per directive that keeps only its last value in a
// section, what the earlier line's loss means and how bad it is.
var repeatedEffect = map[string]struct {
	sev    Severity
	effect string
}{
	"authuserfile":  {Error, "users listed only in %s cannot log in (401)"},
	"authgroupfile": {Error, "%s is never read, so members listed only there are refused (401)"},
	"authname":      {Warning, "the realm %s is never sent"},
	"authtype":      {Warning, "AuthType %s does not apply"},
}

// ApacheDirectiveRepeated reports AuthUserFile, AuthGroupFile, AuthName or
// AuthType set twice in one section with different values: each line
// overwrites the one before (`ap_set_file_slot` in server/config.c for the
// files, `set_authname` and `set_authtype` in mod_authn_core.c), so only
// the last one counts and the earlier one is dead (scenario
// `apache-auth-directive-repeated`).
var ApacheDirectiveRepeated = &Rule{
	ID: "AP112", Name: "auth-directive-repeated", Severity: Error,
	Summary: "AuthUserFile/AuthGroupFile (error), AuthName/AuthType (warning) twice in one section: only the last line counts",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			c := &s.Conf
			for _, last := range []*htaccess.Node{c.AuthUserFile, c.AuthGroupFile, c.AuthName, c.AuthType} {
				if last == nil || len(last.Args) != 1 {
					continue
				}
				for _, n := range c.Directives {
					if n == last {
						break
					}
					if n.Lower != last.Lower || len(n.Args) != 1 || sameSetting(p.Model, n, last) {
						continue
					}
					eff := repeatedEffect[n.Lower]
					what := quote(n.Args[0].Expanded)
					if n.Lower == "authuserfile" || n.Lower == "authgroupfile" {
						if r := p.Model.ResolveFile(n); r != "" {
							what = r
						}
					}
					p.ReportSeverityf(eff.sev, n.File, nodeSpan(n), "%s is set again at %s in this %s, and only the last one counts: "+eff.effect+"; remove one of the lines%s",
						n.Name, p.LineRef(n, last), describeKind(s), what, mergeHint(n.Lower))
				}
			}
		}
	},
}

// sameSetting reports whether two lines of a directive set the same value.
func sameSetting(m *apachemodel.Model, a, b *htaccess.Node) bool {
	switch a.Lower {
	case "authuserfile", "authgroupfile":
		if ra, rb := m.ResolveFile(a), m.ResolveFile(b); ra != "" && ra == rb {
			return true
		}
		return a.Args[0].Expanded == b.Args[0].Expanded
	case "authtype":
		return strings.EqualFold(a.Args[0].Expanded, b.Args[0].Expanded)
	}
	return a.Args[0].Expanded == b.Args[0].Expanded
}

func mergeHint(lower string) string {
	switch lower {
	case "authuserfile":
		return " (one section reads one user file: merge the two, or give each its own <AuthnProviderAlias file …> and list both in AuthBasicProvider)"
	case "authgroupfile":
		return " (one section reads one group file: merge the two)"
	}
	return ""
}

// describeKind names a section for "in this …": "<Directory> section" or
// ".htaccess file".
func describeKind(s *apachemodel.Section) string {
	if s.Node == nil {
		return ".htaccess file"
	}
	return "<" + s.Node.Name + "> section"
}
