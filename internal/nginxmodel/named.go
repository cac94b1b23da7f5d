package nginxmodel

import "strings"

// NamedReferrers returns the scopes whose own directives send requests to
// the named location name ("@fallback"): try_files' last argument,
// error_page's target, and the like. A named location nothing refers to is
// never reached.
func (m *Model) NamedReferrers(name string) []*Scope {
	var out []*Scope
	for _, s := range m.All {
		if s.Pattern == name {
			continue
		}
		for _, d := range s.Own {
			if d.Name == "location" {
				continue
			}
			for _, a := range d.Args {
				if a.Value == name || strings.HasSuffix(a.Value, "="+name) {
					out = append(out, s)
					break
				}
			}
		}
	}
	return out
}
