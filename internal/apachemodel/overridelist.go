package apachemodel

import (
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// overrideCategories are AllowOverride's category names. AllowOverrideList
// takes directive names: httpd discards a category written there with
// AH00116 "Discarding unrecognized directive" (`set_override_list` in
// server/core.c), so `AllowOverrideList AuthConfig` allows nothing
// (scenario `apache-allowoverridelist-category`).
var overrideCategories = map[string]bool{
	"authconfig": true, "fileinfo": true, "indexes": true, "limit": true, "all": true, "nonfatal": true,
}

// overrideListKeeps reports whether httpd keeps a lower-case name of
// AllowOverrideList: not a category, not AllowOverride's "Options=…" form.
func overrideListKeeps(lower string) bool {
	return !overrideCategories[lower] && !strings.ContainsAny(lower, "=<>")
}

// DiscardedOverrideList returns the AllowOverrideList line in effect for a
// directory on server s and the names in it that httpd discards at
// startup; nil when there is none or it discards nothing.
func (m *Model) DiscardedOverrideList(s *Server, dir string) (*htaccess.Node, []string) {
	var last *htaccess.Node
	for _, d := range m.index(s).dirs { // literal <Directory> sections, by depth
		if !d.matches(dir) || !d.sec.Conf.overrideListSet {
			continue
		}
		for _, n := range d.sec.Conf.Directives {
			if n.Lower == "allowoverridelist" {
				last = n
			}
		}
	}
	if last == nil {
		return nil, nil
	}
	var out []string
	for _, v := range last.ArgValues() {
		if l := strings.ToLower(v); l != "none" && !overrideListKeeps(l) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return last, out
}
