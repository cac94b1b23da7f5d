package rules

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htaccess"
)

// ApProbe is a URL that a section serves on one server.
type ApProbe struct {
	Server *ApServer
	URI    string
}

// Protected reports whether the section's own Require lines name users.
func (s *ApSection) Protected() bool { return s.FirstUserRequire() != nil }

// FirstUserRequire returns the section's first requirement that names users.
func (s *ApSection) FirstUserRequire() *ApReq {
	if s.userKnown {
		return s.userReq
	}
	return firstUserRequire(s.Conf.Requires)
}

func firstUserRequire(reqs []*ApReq) *ApReq {
	for _, r := range reqs {
		if r.NeedsUser() {
			return r
		}
	}
	return nil
}

// candidateServers returns the serving servers a section can apply on: its
// own virtual host; for the main server's sections (which every virtual
// host inherits) and .htaccess files, the servers whose tree holds the
// directory, or every serving server for a <Location>.
func (m *ApacheModel) candidateServers(s *ApSection) []*ApServer {
	top := s
	for top.Parent != nil {
		top = top.Parent
	}
	if top.Htaccess == nil && top.Server != nil && top.Server != m.Main {
		if top.Server.one != nil {
			return top.Server.one
		}
		return []*ApServer{top.Server}
	}
	switch top.Kind {
	case "htaccess", htaccess.SecDirectory:
		if top.Regex == nil && !strings.ContainsAny(top.Pattern, "*?[") {
			return m.ServersFor(top.Pattern)
		}
	}
	return m.ServingServers()
}

// Probes returns URLs the section governs, one per server that serves it:
// the directory's URL for <Directory> and .htaccess, the prefix for a
// <Location>, the parent's URL for a nested literal <Files>. Regex
// sections and <If> give none.
func (m *ApacheModel) Probes(s *ApSection) []ApProbe {
	if p := s.probes.Load(); p != nil {
		return *p
	}
	var out []ApProbe
	for _, srv := range m.candidateServers(s) {
		if uri := m.sectionURI(s, srv); uri != "" {
			out = append(out, ApProbe{Server: srv, URI: uri})
		}
	}
	s.probes.Store(&out) // another rule may store the same answer
	return out
}

func (m *ApacheModel) sectionURI(s *ApSection, srv *ApServer) string {
	switch s.Kind {
	case "htaccess":
		return m.URIFor(srv, s.Pattern)
	case htaccess.SecDirectory:
		if s.Regex != nil || strings.ContainsAny(s.Pattern, "*?[") {
			return ""
		}
		return m.URIFor(srv, s.Pattern)
	case htaccess.SecLocation:
		if s.Regex != nil || strings.ContainsAny(s.Pattern, "*?[") {
			return ""
		}
		if strings.HasSuffix(s.Pattern, "/") {
			return s.Pattern
		}
		return s.Pattern + "/"
	case htaccess.SecFiles:
		if s.Parent == nil || strings.ContainsAny(s.Pattern, "*?[") {
			return ""
		}
		if base := m.sectionURI(s.Parent, srv); base != "" {
			return base + s.Pattern
		}
	}
	return ""
}

// Effects evaluates the section's probes with method.
func (m *ApacheModel) Effects(s *ApSection, method string) []*ApEffect {
	var out []*ApEffect
	for _, pr := range m.Probes(s) {
		out = append(out, m.Effect(ApRequest{Server: pr.Server, URI: pr.URI, Method: method}))
	}
	return out
}

// applied reports whether s is among the sections merged for e.
func (e *ApEffect) applied(s *ApSection) bool {
	for _, a := range e.Applied {
		if a == s {
			return true
		}
	}
	return false
}

// authTypeOK reports whether an AuthType value names a scheme httpd knows.
func authScheme(v string) string {
	for _, scheme := range []string{"basic", "digest", "form", "none"} {
		if strings.EqualFold(v, scheme) {
			return scheme
		}
	}
	return ""
}

// authDirective reports whether a directive needs AllowOverride AuthConfig.
func authDirective(lower string) bool {
	switch lower {
	case "authtype", "authname", "authuserfile", "authgroupfile", "require", "authbasicprovider",
		"authdigestprovider", "authmerging", "authbasicauthoritative", "authbasicfake",
		"authbasicusedigestalgorithm", "authzsendforbiddenonfailure", "authdigestdomain",
		"authdigestalgorithm", "authdigestqop", "authdigestnoncelifetime", "authdigestshmemsize",
		"authdbmuserfile", "authdbmgroupfile", "authdbmtype", "anonymous", "authformprovider":
		return true
	}
	return strings.HasPrefix(lower, "authn") || strings.HasPrefix(lower, "authz") || strings.HasPrefix(lower, "authldap")
}

// challenged calls fn for every section whose own user requirement decides
// a GET of one of its URLs (anonymous clients are challenged there), with
// that request's merged configuration. fn returns true when it is done with
// the section, which skips the section's other URLs.
func (p *ApachePass) challenged(fn func(s *ApSection, req *ApReq, e *ApEffect) bool) {
	cs := p.Model.challenges()
	for i := 0; i < len(cs); i++ {
		if fn(cs[i].sec, cs[i].req, cs[i].e) {
			for i+1 < len(cs) && cs[i+1].sec == cs[i].sec {
				i++
			}
		}
	}
}

// apChallenge is a GET of a section's URL that its own user requirement
// decides.
type apChallenge struct {
	sec *ApSection
	req *ApReq
	e   *ApEffect
}

// challenges lists, once, every section's challenged URLs in section
// order.
func (m *ApacheModel) challenges() []apChallenge {
	m.derived.challOnce.Do(func() { m.derived.challenges = m.findChallenges() })
	return m.derived.challenges
}

// The cores take the sections in chunks (the rules that need the list wait
// for it); each section's challenges land in its own slot, joined in order.
func (m *ApacheModel) findChallenges() []apChallenge {
	secs := m.AllSections()
	slots := make([][]apChallenge, len(secs))
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(runtime.GOMAXPROCS(0), 1), len(secs)/chunk+1) {
		wg.Go(func() {
			for lo := int(next.Add(chunk)) - chunk; lo < len(secs); lo = int(next.Add(chunk)) - chunk {
				for i := lo; i < min(lo+chunk, len(secs)); i++ {
					s := secs[i]
					req := s.FirstUserRequire()
					if req == nil {
						continue
					}
					for _, e := range m.Effects(s, "GET") {
						if e.Authz.Own() == s && e.Decide() == ApNeedUser {
							slots[i] = append(slots[i], apChallenge{s, req, e})
						}
					}
				}
			}
		})
	}
	wg.Wait()
	return slices.Concat(slots...)
}
