package nginxmodel

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/authlint/authlint/nginxconf"
)

// Model is the effective auth of every http, server, location and
// limit_except block of an nginx configuration, merged the way nginx merges
// them (auth_basic and auth_basic_user_file independently,
// `ngx_http_auth_basic_merge_loc_conf`; scenarios `nginx-realm-without-file`,
// `nginx-file-without-realm`).
type Model struct {
	Prefix string
	// Conf is the configuration the model was built from.
	Conf    *nginxconf.Config
	Servers []*Scope
	// All lists every scope in file order.
	All []*Scope
	// regexps caches compiled location patterns (nil: no Go equivalent);
	// large trees repeat the same few regexes thousands of times.
	regexps map[string]*regexp.Regexp
	// scopes finds the scope of a block directive (an if block, say).
	scopes map[*nginxconf.Directive]*Scope
}

// Scope is one block that can carry auth.
type Scope struct {
	Kind   string // "http", "server", "location", "limit_except", "if"
	D      *nginxconf.Directive
	Parent *Scope
	// Locations are the location blocks directly inside (in file order).
	Locations []*Scope
	// Own directives of this block (nil when not set here).
	Realm, UserFile, Satisfy *nginxconf.Directive
	Access                   []*nginxconf.Directive // allow/deny of this block
	LimitExcept              []*Scope
	// Effective values after merging from the parents.
	EffRealm, EffUserFile, EffSatisfy *nginxconf.Directive
	EffAccess                         []*nginxconf.Directive
	// Location fields.
	Modifier, Pattern string
	re                *regexp.Regexp
	reErr             bool
	Server            *Scope // enclosing server
	// Directives of the block itself (not of nested blocks).
	Own   []*nginxconf.Directive
	model *Model
}

// Protected reports whether requests in the scope must authenticate: a realm
// that is not "off" and a user file, both in effect (a realm with a variable
// may turn off per request, so it counts as protected).
func (s *Scope) Protected() bool {
	return s.EffRealm != nil && s.EffUserFile != nil && s.EffRealm.Arg(0) != "off"
}

// Name describes the scope for messages: `location ^~ /admin/`, `server`.
func (s *Scope) Name() string {
	if s.Kind != "location" {
		return s.Kind
	}
	if s.Modifier == "" || s.Modifier == "@" { // a named location's pattern holds its "@"
		return "location " + s.Pattern
	}
	return "location " + s.Modifier + " " + s.Pattern
}

// UserFileRef is a user file a configuration references.
type UserFileRef struct {
	Path      string // resolved against the conf prefix; "" when not resolvable
	Directive *nginxconf.Directive
}

// Build builds the model of a loaded configuration.
func Build(conf *nginxconf.Config) *Model {
	m := &Model{Prefix: conf.Prefix, Conf: conf, regexps: map[string]*regexp.Regexp{}, scopes: map[*nginxconf.Directive]*Scope{}}
	root := &Scope{Kind: "main", model: m}
	m.build(root, conf.Main.Directives, nil)
	return m
}

// build collects the directives of a block (following includes) into s and
// recurses into child blocks.
func (m *Model) build(s *Scope, ds []*nginxconf.Directive, server *Scope) {
	for _, d := range flattenIncludes(ds) {
		s.Own = append(s.Own, d)
		switch d.Name {
		case "auth_basic":
			if s.Realm == nil {
				s.Realm = d
			}
		case "auth_basic_user_file":
			if s.UserFile == nil {
				s.UserFile = d
			}
		case "satisfy":
			s.Satisfy = d
		case "allow", "deny":
			s.Access = append(s.Access, d)
		}
	}
	m.merge(s)
	for _, d := range flattenIncludes(ds) {
		if !d.HasBlock {
			continue
		}
		var kind string
		switch d.Name {
		case "http", "server", "location", "limit_except", "if":
			kind = d.Name
		default:
			continue
		}
		c := &Scope{Kind: kind, D: d, Parent: s, Server: server, model: m}
		if kind == "server" {
			c.Server = c
			m.Servers = append(m.Servers, c)
		}
		if kind == "location" {
			c.Modifier, c.Pattern = locationArgs(d)
			s.Locations = append(s.Locations, c)
		}
		if kind == "limit_except" {
			s.LimitExcept = append(s.LimitExcept, c)
		}
		m.All = append(m.All, c)
		m.scopes[d] = c
		m.build(c, d.Block, c.Server)
	}
}

// merge fills the effective values from the parent.
func (m *Model) merge(s *Scope) {
	p := s.Parent
	s.EffRealm, s.EffUserFile, s.EffSatisfy, s.EffAccess = s.Realm, s.UserFile, s.Satisfy, s.Access
	if p == nil {
		return
	}
	if s.EffRealm == nil {
		s.EffRealm = p.EffRealm
	}
	if s.EffUserFile == nil {
		s.EffUserFile = p.EffUserFile
	}
	if s.EffSatisfy == nil {
		s.EffSatisfy = p.EffSatisfy
	}
	if s.EffAccess == nil {
		s.EffAccess = p.EffAccess
	}
}

// flattenIncludes returns ds with include directives replaced by the
// directives of the files they pulled in.
func flattenIncludes(ds []*nginxconf.Directive) []*nginxconf.Directive {
	has := false
	for _, d := range ds {
		if d.Name == "include" {
			has = true
			break
		}
	}
	if !has {
		return ds
	}
	var out []*nginxconf.Directive
	for _, d := range ds {
		if d.Name == "include" {
			for _, f := range d.Includes {
				out = append(out, flattenIncludes(f.Directives)...)
			}
			continue
		}
		out = append(out, d)
	}
	return out
}

// locationArgs returns a location's modifier ("", "=", "^~", "~", "~*",
// "@") and pattern.
func locationArgs(d *nginxconf.Directive) (string, string) {
	switch len(d.Args) {
	case 0:
		return "", ""
	case 1:
		a := d.Args[0].Value
		switch {
		case strings.HasPrefix(a, "@"):
			return "@", a
		case strings.HasPrefix(a, "="):
			return "=", a[1:]
		case strings.HasPrefix(a, "^~"):
			return "^~", a[2:]
		case strings.HasPrefix(a, "~*"):
			return "~*", a[2:]
		case strings.HasPrefix(a, "~"):
			return "~", a[1:]
		}
		return "", a
	}
	return d.Args[0].Value, d.Args[1].Value
}

// IsRegex reports whether the location is a regex location.
func (s *Scope) IsRegex() bool { return s.Modifier == "~" || s.Modifier == "~*" }

// compiled returns the Go form of a regex location's pattern, or nil when
// the PCRE pattern has no Go equivalent.
func (s *Scope) compiled() *regexp.Regexp {
	if s.re == nil && !s.reErr {
		pat := s.Pattern
		if s.Modifier == "~*" {
			pat = "(?i)" + pat
		}
		re, seen := s.model.regexps[pat]
		if !seen {
			var err error
			if re, err = regexp.Compile(pat); err != nil {
				re = nil
			}
			s.model.regexps[pat] = re
		}
		s.reErr = re == nil
		s.re = re
	}
	return s.re
}

// match reports whether a regex location matches uri; ok is false when the
// PCRE pattern has no Go equivalent.
func (s *Scope) match(uri string) (matched, ok bool) {
	re := s.compiled()
	if re == nil {
		return false, false
	}
	return re.MatchString(uri), true
}

// Selection is the outcome of location selection for one URI.
type Selection struct {
	// Loc is the chosen location; nil when none matches, and the server's
	// own configuration serves the request.
	Loc *Scope
	// Prefix is the longest matching prefix location met on the way (the
	// one a regex location beat, say); nil when none matched.
	Prefix *Scope
	// Captures are the submatches of a regex location ($0, $1, ...).
	Captures []string
	// Undecided are the regex locations tried before the choice whose PCRE
	// pattern has no Go equivalent: one of them may match instead.
	Undecided []*Scope
	// Redirect is set (and Loc nil) when the URI is a prefix location's
	// pattern without its trailing slash and that location passes requests
	// to a backend: nginx answers 301 to the slash (auto_redirect).
	Redirect *Scope
}

// SelectLocation returns the location nginx chooses for uri among the
// locations of a server (or nil for the server itself), following
// ngx_http_core_find_location: an exact match wins; else the longest prefix,
// then its nested locations, then — unless that prefix is ^~ — the regexes
// of the level in file order.
func (s *Scope) SelectLocation(uri string) *Scope {
	return s.Select(uri).Loc
}

// Select is SelectLocation with what the choice rests on: the captures of
// a regex location and the regexes it could not evaluate.
func (s *Scope) Select(uri string) Selection {
	var sel Selection
	if r := autoRedirect(s.Locations, uri); r != nil {
		sel.Redirect = r
		return sel
	}
	sel.Loc = selectIn(s.Locations, uri, &sel)
	if sel.Loc != nil && sel.Loc.IsRegex() {
		if re := sel.Loc.compiled(); re != nil {
			sel.Captures = re.FindStringSubmatch(uri)
		}
	}
	return sel
}

func selectIn(level []*Scope, uri string, sel *Selection) *Scope {
	var best *Scope
	for _, l := range level {
		switch l.Modifier {
		case "=":
			if l.Pattern == uri {
				return l
			}
		case "", "^~":
			if strings.HasPrefix(uri, l.Pattern) && (best == nil || len(l.Pattern) > len(best.Pattern)) {
				best = l
			}
		}
	}
	if best != nil {
		sel.Prefix = best
	}
	// The ^~ of the prefix matched at this level decides whether this
	// level's regexes are tried (noregex is read before the nested lookup).
	noregex := best != nil && best.Modifier == "^~"
	if best != nil && len(best.Locations) > 0 {
		if nested := selectIn(best.Locations, uri, sel); nested != nil {
			if nested.IsRegex() || nested.Modifier == "=" {
				return nested // NGX_OK from the nested lookup
			}
			best = nested // a nested prefix: this level's regexes still come first
		}
	}
	if !noregex {
		for _, l := range level {
			if l.IsRegex() {
				matched, ok := l.match(uri)
				if !ok {
					sel.Undecided = append(sel.Undecided, l)
				}
				if matched {
					return l
				}
			}
		}
	}
	return best
}

// autoRedirect returns the location that redirects uri to its slash, as
// ngx_http_core_find_static_location's auto_redirect does: a prefix
// location "uri/" that passes to a backend, when no location is "uri"
// itself. The regexes are not tried then.
func autoRedirect(level []*Scope, uri string) *Scope {
	var cand *Scope
	for _, l := range level {
		if l.Modifier != "" && l.Modifier != "^~" && l.Modifier != "=" {
			continue
		}
		if l.Pattern == uri {
			return nil
		}
		if l.Modifier != "=" && l.Pattern == uri+"/" && UpstreamHandler(l) != nil {
			cand = l
		}
	}
	return cand
}

// isUpstream reports whether a directive hands a location to a backend.
func isUpstream(name string) bool {
	switch name {
	case "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass":
		return true
	}
	return false
}

// UpstreamHandler returns the directive that passes requests of a scope to
// a backend (proxy_pass, fastcgi_pass…): its own, or for an if or
// limit_except block the location's, which their merge inherits.
func UpstreamHandler(s *Scope) *nginxconf.Directive {
	for c := s; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if isUpstream(d.Name) {
				return d
			}
		}
		if c.Kind != "if" && c.Kind != "limit_except" {
			return nil
		}
	}
	return nil
}

// Named returns the named location (@name) of a server, or nil.
func (s *Scope) Named(name string) *Scope {
	for _, l := range s.Locations {
		if l.Modifier == "@" && l.Pattern == name {
			return l
		}
	}
	return nil
}

// ScopeOf returns the scope of a block directive (a location, an if block),
// or nil.
func (m *Model) ScopeOf(d *nginxconf.Directive) *Scope { return m.scopes[d] }

// Lookup returns the directive called name that is in effect in s for a
// directive nginx inherits whole (root, autoindex, recursive_error_pages):
// the first one of s or of the nearest block above that sets it.
func (s *Scope) Lookup(name string) *nginxconf.Directive {
	for c := s; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == name {
				return d
			}
		}
	}
	return nil
}

// LookupAll returns the directives called name that are in effect in s for
// a directive nginx merges as a list (index, error_page, proxy_set_header):
// all of those of the nearest block that sets any.
func (s *Scope) LookupAll(name string) []*nginxconf.Directive {
	for c := s; c != nil; c = c.Parent {
		var out []*nginxconf.Directive
		for _, d := range c.Own {
			if d.Name == name {
				out = append(out, d)
			}
		}
		if out != nil {
			return out
		}
	}
	return nil
}

// Effective returns the scope that serves uri in server s: the selected
// location, or the server itself.
func (s *Scope) Effective(uri string) *Scope {
	if l := s.SelectLocation(uri); l != nil {
		return l
	}
	return s
}

// UserFiles lists every auth_basic_user_file, resolved against the prefix.
func (m *Model) UserFiles() []UserFileRef {
	var out []UserFileRef
	seen := map[*nginxconf.Directive]bool{}
	add := func(d *nginxconf.Directive) {
		if d == nil || seen[d] {
			return
		}
		seen[d] = true
		out = append(out, UserFileRef{Path: m.ResolvePath(d.Arg(0)), Directive: d})
	}
	for _, s := range m.All {
		add(s.UserFile)
	}
	return out
}

// ResolvePath resolves a path as nginx resolves auth_basic_user_file:
// relative to the conf prefix (`ngx_http_auth_basic_user_file` compiles it
// with conf_prefix; every nginx scenario's `users.htpasswd` sits in conf/).
// A relative path in a server file linted without its nginx.conf (Prefix
// "") cannot be resolved: the result is "".
func (m *Model) ResolvePath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if m.Prefix == "" {
		return ""
	}
	return filepath.Join(m.Prefix, p)
}

// IsBelow reports whether s is nested (at any depth) in anc.
func (s *Scope) IsBelow(anc *Scope) bool {
	for c := s.Parent; c != nil; c = c.Parent {
		if c == anc {
			return true
		}
	}
	return false
}

// DeniesAll reports whether a scope refuses every request: deny all without
// an allow, `return 4xx`, or `internal`.
func (s *Scope) DeniesAll() bool {
	for _, d := range s.Own {
		switch d.Name {
		case "internal":
			return true
		case "return":
			if strings.HasPrefix(d.Arg(0), "4") {
				return true
			}
		}
	}
	for _, a := range s.EffAccess {
		if a.Name == "allow" {
			return false
		}
		if a.Name == "deny" && a.Arg(0) == "all" {
			return true
		}
	}
	return false
}

// RootOf returns the root in effect for a scope (nginx's default is the
// html directory under the install prefix, which the model cannot know).
func (m *Model) RootOf(s *Scope) string {
	for c := s; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "root" {
				return m.ResolvePath(d.Arg(0))
			}
			if d.Name == "alias" {
				return ""
			}
		}
	}
	return ""
}
