package apachemodel

// UsesGroupFiles reports whether any section, .htaccess files included,
// has a `Require group` (mod_authz_groupfile's provider), in a container
// or not: only then does httpd open an AuthGroupFile.
func (m *Model) UsesGroupFiles() bool {
	var has func(rs []*Req) bool
	has = func(rs []*Req) bool {
		for _, r := range rs {
			if r.Provider == "group" || has(r.Children) {
				return true
			}
		}
		return false
	}
	for _, s := range m.AllSections() {
		if has(s.Conf.Requires) {
			return true
		}
	}
	return false
}
