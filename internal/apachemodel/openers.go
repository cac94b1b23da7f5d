package apachemodel

import (
	"path"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// MayOpenAfter reports whether a section other than s could be merged after
// s for a GET of the probe's URL (or a name in it) with Require lines that
// grant it; when none can, AP302 has nothing to find there and evaluates
// nothing. It errs towards true: any Satisfy in the configuration, and
// protected sections other than a literal <Directory> or a .htaccess file,
// are always evaluated. The merge order it relies on is Effect's
// (`ap_process_request_internal`; scenario `apache-htaccess-opens`): literal
// <Directory> sections by depth, each directory's
// .htaccess after the sections of its depth, then everything else.
func (m *Model) MayOpenAfter(s *Section, pr Probe, names []string) bool {
	if m.derived.hasSatisfy || !(s.Kind == "htaccess" || s.Kind == htaccess.SecDirectory && s.Regex == nil) {
		return true
	}
	sd := depth(s.Pattern)
	// before reports whether a literal <Directory> or a .htaccess section t
	// is merged before s on every path that s applies to.
	before := func(t *Section) bool {
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
	sec *Section
	top bool
}

// openers lists the sections of t (and those nested in it) that could open
// what a protected section closes.
func openers(t *Section, top bool, out []apOpener) []apOpener {
	if len(t.Conf.Requires) > 0 && !t.Protected() && (t.Conf.AuthMerging != nil || t.authz.Decide("GET") == Granted) {
		out = append(out, apOpener{t, top})
	}
	for _, c := range t.Children {
		out = openers(c, false, out)
	}
	return out
}
