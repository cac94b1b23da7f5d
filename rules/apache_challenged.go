package rules

import "github.com/authlint/authlint/internal/apachemodel"

// challenged calls fn for every section whose own user requirement decides
// a GET of one of its URLs (anonymous clients are challenged there), with
// that request's merged configuration. fn returns true when it is done with
// the section, which skips the section's other URLs.
func (p *ApachePass) challenged(fn func(s *apachemodel.Section, req *apachemodel.Req, e *apachemodel.Effect) bool) {
	cs := p.Model.Challenges()
	for i := 0; i < len(cs); i++ {
		if fn(cs[i].Sec, cs[i].Req, cs[i].Effect) {
			for i+1 < len(cs) && cs[i+1].Sec == cs[i].Sec {
				i++
			}
		}
	}
}
