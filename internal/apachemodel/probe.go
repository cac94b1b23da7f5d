package apachemodel

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htaccess"
)

// Probe is a URL that a section serves on one server.
type Probe struct {
	Server *Server
	URI    string
}

// Protected reports whether the section's own Require lines name users.
func (s *Section) Protected() bool { return s.FirstUserRequire() != nil }

// FirstUserRequire returns the section's first requirement that names users.
func (s *Section) FirstUserRequire() *Req {
	if s.userKnown {
		return s.userReq
	}
	return firstUserRequire(s.Conf.Requires)
}

func firstUserRequire(reqs []*Req) *Req {
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
func (m *Model) candidateServers(s *Section) []*Server {
	top := s
	for top.Parent != nil {
		top = top.Parent
	}
	if top.Htaccess == nil && top.Server != nil && top.Server != m.Main {
		if top.Server.one != nil {
			return top.Server.one
		}
		return []*Server{top.Server}
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
func (m *Model) Probes(s *Section) []Probe {
	if p := s.probes.Load(); p != nil {
		return *p
	}
	var out []Probe
	for _, srv := range m.candidateServers(s) {
		if uri := m.sectionURI(s, srv); uri != "" {
			out = append(out, Probe{Server: srv, URI: uri})
		}
	}
	s.probes.Store(&out) // another rule may store the same answer
	return out
}

func (m *Model) sectionURI(s *Section, srv *Server) string {
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
func (m *Model) Effects(s *Section, method string) []*Effect {
	var out []*Effect
	for _, pr := range m.Probes(s) {
		out = append(out, m.Effect(Request{Server: pr.Server, URI: pr.URI, Method: method}))
	}
	return out
}

// Merged reports whether s is among the sections merged for e.
func (e *Effect) Merged(s *Section) bool {
	for _, a := range e.Applied {
		if a == s {
			return true
		}
	}
	return false
}

// authTypeOK reports whether an AuthType value names a scheme httpd knows.
func AuthScheme(v string) string {
	for _, scheme := range []string{"basic", "digest", "form", "none"} {
		if strings.EqualFold(v, scheme) {
			return scheme
		}
	}
	return ""
}

// AuthDirective reports whether a directive needs AllowOverride AuthConfig.
func AuthDirective(lower string) bool {
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

// Challenge is a GET of a section's URL that its own user requirement
// decides: for every anonymous client, or, when ByClient, for the clients
// its other requirements (Require ip, host, env...) do not decide first.
type Challenge struct {
	Sec    *Section
	Req    *Req // the section's first user requirement
	Effect *Effect
	// ByClient is set when the decision depends on the client.
	ByClient bool
}

// Challenges lists, once, every section's challenged URLs in section
// order.
func (m *Model) Challenges() []Challenge {
	m.derived.challOnce.Do(func() { m.derived.challenges = m.findChallenges() })
	return m.derived.challenges
}

// The cores take the sections in chunks (the rules that need the list wait
// for it); each section's challenges land in its own slot, joined in order.
func (m *Model) findChallenges() []Challenge {
	secs := m.AllSections()
	slots := make([][]Challenge, len(secs))
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
						if e.Authz.Own() != s {
							continue
						}
						switch e.Decide() {
						case NeedUser:
							slots[i] = append(slots[i], Challenge{Sec: s, Req: req, Effect: e})
						case Depends:
							slots[i] = append(slots[i], Challenge{Sec: s, Req: req, Effect: e, ByClient: true})
						}
					}
				}
			}
		})
	}
	wg.Wait()
	return slices.Concat(slots...)
}
