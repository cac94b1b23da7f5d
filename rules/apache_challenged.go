package rules

import "github.com/authlint/authlint/internal/apachemodel"

// challenged calls fn for every section whose own user requirement decides
// a GET of one of its URLs (anonymous clients are challenged there), with
// that request's merged configuration; then, with byClient set, for the
// sections whose user requirement decides only for some clients (those its
// Require ip/host/env lines do not grant, or in a <RequireAll> do not
// refuse, first). fn returns true when it is done with a section, which
// skips the section's other URLs.
func (p *ApachePass) challenged(fn func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect, byClient bool) bool) {
	done := map[*apachemodel.Section]bool{}
	for _, byClient := range []bool{false, true} {
		p.eachChallenge(byClient, func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect) bool {
			if done[s] {
				return true
			}
			done[s] = fn(s, req, e, byClient)
			return done[s]
		})
	}
}

func (p *ApachePass) eachChallenge(byClient bool, fn func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect) bool) {
	cs := p.Model.Challenges()
	for i := 0; i < len(cs); i++ {
		if cs[i].ByClient != byClient {
			continue
		}
		if fn(cs[i].Sec, cs[i].Req, cs[i].Effect) {
			for i+1 < len(cs) && cs[i+1].Sec == cs[i].Sec {
				i++
			}
		}
	}
}

// otherRequirements names, in messages, what decides for some clients
// before a by-client challenge's user requirement.
const otherRequirements = "its other requirements (Require ip, host, env…)"

// challengeWho names the requests a challenge concerns, for messages:
// every request, or those that the section's other requirements do not
// decide first.
func challengeWho(byClient bool) string {
	if byClient {
		return "every request that " + otherRequirements + " do not let through"
	}
	return "every request there"
}

// requiresOnly reports whether every Require line of s, inside containers
// too, is a plain (not negated) `Require provider …`: then nothing else can
// grant where those lines do not.
func requiresOnly(s *apachemodel.Section, provider string) bool {
	var only func(rs []*apachemodel.Req) bool
	only = func(rs []*apachemodel.Req) bool {
		for _, r := range rs {
			if r.Container != "" {
				if !only(r.Children) {
					return false
				}
			} else if r.Provider != provider || r.Negated {
				return false
			}
		}
		return true
	}
	return only(s.Conf.Requires)
}
