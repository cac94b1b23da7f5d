package rules

import (
	"path"
	"slices"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// ApacheLaterSectionOpens reports a section merged after a protected one
// (a <Location>, <Files>, <FilesMatch> or deeper <Directory>) whose Require
// lines replace the password requirement: with AuthMerging Off (the default)
// the later rule set wins, so the protected URL is open (facts S6, §6).
var ApacheLaterSectionOpens = &Rule{
	ID: "AP302", Name: "later-section-opens", Severity: Error,
	Summary: "a section merged later (<Location>, <FilesMatch>...) grants access inside a protected area",
	Apache: func(p *ApachePass) {
		names := apacheProbeNames(p.Model)
		for _, s := range p.Model.AllSections() {
			if s.FirstUserRequire() == nil {
				continue
			}
			// One finding per opening section: its first opened URL stands
			// for the others.
			done := map[*ApSection]bool{}
			for _, pr := range p.Model.Probes(s) {
				if !p.Model.mayOpenAfter(s, pr, names) {
					continue
				}
				for _, name := range names {
					e := p.Model.Effect(ApRequest{Server: pr.Server, URI: pr.URI + name, Method: "GET"})
					own := e.Authz.Own()
					if own == nil || own == s || done[own] || own.Protected() || !e.Open() || !e.applied(s) {
						continue
					}
					done[own] = true
					at := own.Conf.Requires[0].Node
					p.At(at, "%s is merged after %s and its Require replaces the password requirement (AuthMerging Off): %s is served without a password; keep this exception out of the protected path, or add `AuthMerging And` to it",
						own.Describe(), p.WhereSec(s), e.Req.URI)
				}
			}
		}
	},
}

// apacheProbeNames are the file names tried inside a protected directory:
// the directory itself, common pages and assets, and every extension a
// <FilesMatch> or <Files ~> of the configuration names.
func apacheProbeNames(m *ApacheModel) []string {
	names := []string{"", "index.html", "x.php"}
	for _, s := range m.AllSections() {
		if s.Kind != htaccess.SecFilesMatch && !(s.Kind == htaccess.SecFiles && s.Regex != nil) {
			if s.Kind == htaccess.SecFiles && !strings.ContainsAny(s.Pattern, "*?[") {
				names = append(names, s.Pattern)
			}
			continue
		}
		names = append(names, regexExtensions(s.Pattern)...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// mayOpenAfter reports whether a section other than s could be merged after
// s for a GET of the probe's URL (or a name in it) with Require lines that
// grant it; when none can, AP302 has nothing to find there and evaluates
// nothing. It errs towards true: any Satisfy in the configuration, and
// protected sections other than a literal <Directory> or a .htaccess file,
// are always evaluated. The merge order it relies on is Effect's
// (facts S6): literal <Directory> sections by depth, each directory's
// .htaccess after the sections of its depth, then everything else.
func (m *ApacheModel) mayOpenAfter(s *ApSection, pr ApProbe, names []string) bool {
	if m.derived.hasSatisfy || !(s.Kind == "htaccess" || s.Kind == htaccess.SecDirectory && s.Regex == nil) {
		return true
	}
	sd := depth(s.Pattern)
	// before reports whether a literal <Directory> or a .htaccess section t
	// is merged before s on every path that s applies to.
	before := func(t *ApSection) bool {
		switch {
		case t.Kind == htaccess.SecDirectory && t.Regex == nil:
			return depth(t.Pattern) < sd || s.Kind == "htaccess" && depth(t.Pattern) == sd
		case t.Kind == "htaccess":
			return depth(t.Pattern) < sd
		}
		return false
	}
	found := func(openers []apOpener) bool {
		for _, o := range openers {
			if o.sec != s && !(o.top && before(o.sec)) {
				return true
			}
		}
		return false
	}
	if found(m.index(pr.Server).openers) {
		return true
	}
	fsDir := m.Resolve(pr.Server, pr.URI)
	if fsDir == "" {
		return false // no file path: no <Directory> or .htaccess applies, s included
	}
	hts := m.htaccessOnPath(fsDir)
	// A probe name may be a directory with its own .htaccess; none is
	// looked up when no .htaccess lies one level below fsDir's depth.
	if !strings.HasPrefix(fsDir, "/") || m.htDepths.has(depth(fsDir)+1) {
		for _, name := range names {
			if ht := m.htByDir[path.Join(fsDir, name)]; ht != nil && name != "" {
				hts = append(hts, apHtAt{ht: ht})
			}
		}
	}
	for _, h := range hts {
		if found(h.ht.openers) {
			return true
		}
	}
	return false
}

// apOpener is a section whose own Require lines could grant an anonymous
// GET (or merge with AuthMerging); top is set for a server-level section
// or a .htaccess file itself, not for the sections nested in them.
type apOpener struct {
	sec *ApSection
	top bool
}

// openers lists the sections of t (and those nested in it) that could open
// what a protected section closes.
func openers(t *ApSection, top bool, out []apOpener) []apOpener {
	if len(t.Conf.Requires) > 0 && !t.Protected() && (t.Conf.AuthMerging != nil || t.authz.Decide("GET") == ApGranted) {
		out = append(out, apOpener{t, top})
	}
	for _, c := range t.Children {
		out = openers(c, false, out)
	}
	return out
}
