package rules

import (
	"slices"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheLaterSectionOpens reports a section merged after a protected one
// (a <Location>, <Files>, <FilesMatch> or deeper <Directory>) whose Require
// lines replace the password requirement: with AuthMerging Off (the default)
// the later rule set wins, so the protected URL is open (merge order of
// `ap_process_request_internal`, `merge_authz_core_dir_config`; scenarios
// `apache-location-opens`, `apache-filesmatch-opens`, `apache-htaccess-opens`).
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
			done := map[*apachemodel.Section]bool{}
			for _, pr := range p.Model.Probes(s) {
				if !p.Model.MayOpenAfter(s, pr, names) {
					continue
				}
				for _, name := range names {
					e := p.Model.Effect(apachemodel.Request{Server: pr.Server, URI: pr.URI + name, Method: "GET"})
					own := e.Authz.Own()
					if own == nil || own == s || done[own] || own.Protected() || !e.Open() || !e.Merged(s) {
						continue
					}
					done[own] = true
					at := own.Conf.Requires[0].Node
					if namesOneFile(own) {
						// `<Files "robots.txt"> Require all granted`: one
						// file opened in words, on purpose.
						p.ReportSeverityf(Info, at.File, nodeSpan(at), "public by design: %s opens that one file inside %s (%s is served without a password)",
							own.Describe(), p.WhereSec(s), e.Req.URI)
						continue
					}
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
func apacheProbeNames(m *apachemodel.Model) []string {
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

// namesOneFile reports whether a section is a <Files> that names one file:
// no regex, no wildcard.
func namesOneFile(s *apachemodel.Section) bool {
	return s.Kind == htaccess.SecFiles && s.Regex == nil && !strings.ContainsAny(s.Pattern, "*?[")
}
