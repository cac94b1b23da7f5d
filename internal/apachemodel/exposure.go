package apachemodel

import (
	"net/netip"
	"path"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
)

// Exposure is one anonymous way to the files a protected section guards
// by URL or by virtual host: a request that another URL (an Alias, a
// RewriteRule, the DocumentRoot) or another virtual host maps onto the
// same files, whose merged configuration does not hold the section and
// lets an anonymous client through. <Location> and <If> see r->uri, not
// the file (ap_location_walk, ap_if_walk), and a section inside a
// <VirtualHost> is merged only for that virtual host's requests.
type Exposure struct {
	// Protected is the guarding section; ProtServer the server on which
	// it guards ProtURI, which maps to Dir (the directory, or file, the
	// section protects there).
	Protected  *Section
	ProtServer *Server
	ProtURI    string
	Dir        string
	// Server is the server that takes the request; Method, Host, Port and
	// URI make the request (URI as sent). Default is set when Host is one
	// no ServerName or ServerAlias names (the address's first virtual
	// host takes it).
	Server            *Server
	Method, Host, URI string
	Port              int
	Default           bool
	// AnyHost is set when Server is also the default of its address: any
	// Host no ServerName names reaches it as well.
	AnyHost bool
	// File is the file translate_name maps the request to, inside Dir.
	File string
	// Kind names the way: "alias" (an Alias-family directive), "rewrite"
	// (a server-context RewriteRule), "docroot" (the DocumentRoot).
	Kind string
	// At is the directive that maps the request onto the files: the Alias,
	// the RewriteRule, the DocumentRoot (the <VirtualHost> line when the
	// server inherits the main server's DocumentRoot).
	At *htaccess.Node
	// Denied is set when the protected section refuses everyone (Require
	// all denied) rather than asking for a password.
	Denied bool
	// Grant is the section whose Require lines let the request through;
	// nil when no Require is in effect. Explicit is set when it is an
	// exception written in words: a <Files> naming one file, a literal
	// <Location> with `Require all granted`.
	Grant    *Section
	Explicit bool
}

// exposureServers bounds the servers a section is looked at on, and the
// servers whose DocumentRoot or Alias is tried for one protected
// directory, so that thousands of virtual hosts sharing a root stay cheap.
const exposureServers = 16

// maxAliases bounds the virtual hosts' Alias directives looked at for
// targets below a protected directory.
const maxAliases = 4096

// maxTries bounds the candidate requests of one protected area.
const maxTries = 512

// maxRewriteServers bounds the servers whose RewriteRules are read.
const maxRewriteServers = 64

// exposureClient is the client address of the candidate requests.
var exposureClient = netip.MustParseAddr("127.0.0.1")

// Exposures finds the anonymous ways to what each URL- or vhost-scoped
// protected section guards: a <Location>, <LocationMatch> or server-level
// <If> on REQUEST_URI whose own Require names users or refuses everyone
// (Require all denied), and a literal
// <Directory> or a <Files> naming one file inside a <VirtualHost> (the
// <Files> guards that name in the virtual host's whole tree). For each,
// on each server where it guards, it maps a URL of the section to the
// directory behind it, then tries the other URLs that reach that
// directory on every server (the DocumentRoot, Alias targets above and
// below it, server-context RewriteRules, the main server when it answers
// an address no virtual host names), each with the file names in names,
// and confirms every one by following an anonymous GET through the phases
// `authlint why` follows. A way is reported once per protected section and
// directive. Main-server <Directory> sections guard files on every URL and
// server, and are not looked at; nor are .htaccess files (AP107 reports a
// server that does not read one).
func (m *Model) Exposures(fsys serverfs.FS, names []string) []Exposure {
	if m.Fragment || len(names) == 0 || len(m.Listeners()) == 0 {
		return nil
	}
	if fsys == nil {
		fsys = serverfs.OSFS{}
	}
	x := &exposer{m: m, fsys: fsys, names: names, routes: map[*Server]route{}, seen: map[seenKey]bool{}, port: m.Listeners()[0].Port}
	for _, s := range m.Sections {
		if s.Parent != nil || s.Htaccess != nil || !(s.Protected() || refusesAll(s)) || servesNoFiles(s) {
			continue
		}
		switch {
		case s.Kind == htaccess.SecLocation, s.Kind == htaccess.SecLocationMatch:
		case s.Kind == htaccess.SecIf:
		case s.Kind == htaccess.SecDirectory && s.Regex == nil && s.Server != m.Main && !strings.ContainsAny(s.Pattern, "*?["):
		case s.Kind == htaccess.SecFiles && s.Regex == nil && s.Server != m.Main && !strings.ContainsAny(s.Pattern, "*?[/"):
		default:
			continue
		}
		servers := m.candidateServers(s)
		if len(servers) > exposureServers {
			servers = servers[:exposureServers]
		}
		for _, srv := range servers {
			for _, uri := range x.areaURIs(s, srv) {
				x.area(s, srv, uri)
			}
		}
	}
	sort.SliceStable(x.out, func(i, j int) bool {
		a, b := x.out[i], x.out[j]
		if a.At.File != b.At.File {
			return a.At.File < b.At.File
		}
		if a.At.Span.Start.Offset != b.At.Span.Start.Offset {
			return a.At.Span.Start.Offset < b.At.Span.Start.Offset
		}
		return a.Protected.Order < b.Protected.Order
	})
	return x.out
}

type exposer struct {
	m      *Model
	fsys   serverfs.FS
	names  []string
	routes map[*Server]route
	seen   map[seenKey]bool
	// tried holds the candidate requests of the current protected area.
	tried map[triedKey]bool
	cur   areaState
	// port is the first Listen directive's port; mainPort one where the
	// main server answers although virtual hosts are defined (once
	// mainKnown).
	port, mainPort int
	mainKnown      bool
	// aliases are the Alias directives of the serving servers (the main
	// server's with a nil srv), once haveAliases.
	aliases     []serverAlias
	haveAliases bool
	// rewriters are the servers with server-context RewriteRules.
	rewriters     []rewriter
	haveRewriters bool
	out           []Exposure
}

type seenKey struct {
	sec *Section
	at  *htaccess.Node
}

type triedKey struct {
	srv *Server
	uri string
}

type serverURL struct {
	srv *Server
	uri string
}

type serverAlias struct {
	srv *Server
	a   *Alias
}

type rewriter struct {
	srv   *Server
	rules []rewriteRule
}

// route is how a request reaches a server: a port, a Host header, the
// scheme (https under SSLEngine on), and whether that Host is one no
// ServerName names.
type route struct {
	host   string
	scheme string
	port   int
	// named is set when host is a ServerName or ServerAlias; def when it
	// is a Host no server names; ok once checked confirms the route.
	named, def, ok, checked bool
}

// refusesAll reports whether a section's own Require lines refuse every
// anonymous GET and no user could change that (Require all denied).
func refusesAll(s *Section) bool {
	a := s.OwnAuthz()
	return a != nil && !a.NeedsUser() && a.Decide("GET") == Denied
}

// servesNoFiles reports whether a section hands its requests to a
// handler or a backend instead of the files behind its URL.
func servesNoFiles(s *Section) bool {
	for _, n := range s.Conf.Directives {
		switch n.Lower {
		case "sethandler":
			v := strings.ToLower(ArgExpanded(n, 0))
			if v != "none" && v != "default-handler" {
				return true
			}
		case "proxypass", "proxypassmatch", "script", "action":
			return true
		}
	}
	return false
}

// appHandles reports whether a module the model does not follow answers
// uri on srv instead of the file translate_name maps it to: a
// WSGIScriptAlias, a ProxyPassMatch, a JkMount (AP307 then knows no files
// behind the URL).
func (x *exposer) appHandles(srv *Server, uri string) bool {
	for _, s := range srv.withMain(x.m) {
		for _, n := range s.Directives {
			switch n.Lower {
			case "wsgiscriptalias":
				p := ArgExpanded(n, 0)
				if _, ok := CutURLPrefix(uri, p); ok && p != "" || p == "/" {
					return true
				}
			case "wsgiscriptaliasmatch", "proxypassmatch":
				if re, err := regexp.Compile(ArgExpanded(n, 0)); err != nil || re.MatchString(uri) {
					return true
				}
			case "jkmount":
				if p, _, _ := strings.Cut(ArgExpanded(n, 0), "*"); strings.HasPrefix(uri, p) {
					return true
				}
			}
		}
	}
	return false
}

// areaURIs are URLs the section guards on srv, each a directory URL
// ("/admin/"): none when the section's URL space cannot be read off. A
// regex gives one per literal prefix its alternatives spell out
// ("^/(admin|private)/" gives /admin/ and /private/).
func (x *exposer) areaURIs(s *Section, srv *Server) []string {
	var out []string
	add := func(u string) {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	switch {
	case s.Kind == htaccess.SecDirectory:
		add(x.m.URIFor(srv, s.Pattern))
	case s.Kind == htaccess.SecFiles:
		add("/") // a virtual host's <Files>: that name anywhere in its tree
	case s.Kind == htaccess.SecIf:
		for _, p := range regexPrefixes(ifURIRegex(s.Pattern)) {
			add(slashedPrefix(p))
		}
		if p := ifURIEquals(s.Pattern); p != "" {
			add(slashedPrefix(p))
		}
	case s.Regex != nil:
		for _, p := range regexPrefixes(s.Pattern) {
			add(slashedPrefix(p))
		}
	case strings.ContainsAny(s.Pattern, "*?["):
	case s.Pattern == "/" && s.Server != x.m.Main:
		// A virtual host's site-wide <Location "/">: other virtual hosts
		// may serve its DocumentRoot.
		add("/")
	default:
		add(slashedPrefix(s.Pattern))
	}
	return out
}

// slashedPrefix is a URL prefix as a directory URL ("" for none or "/":
// a section over the whole site has no other URL to the same files).
func slashedPrefix(p string) string {
	if p == "" || p == "/" || !strings.HasPrefix(p, "/") {
		return ""
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// area looks for the ways to what section s guards on server srv under
// the URL uri.
func (x *exposer) area(s *Section, srv *Server, uri string) {
	if x.appHandles(srv, uri) {
		return
	}
	in := x.input(srv, uri)
	tr := x.m.Translate(x.fsys, in)
	if tr.Status != 0 || tr.NoFile || tr.Uncertain || tr.Script || tr.File == "" || !path.IsAbs(tr.File) {
		return
	}
	dir := path.Clean(tr.File)
	if s.Kind == htaccess.SecDirectory {
		if !UnderDir(dir, s.Pattern) {
			return
		}
		dir = s.Pattern
	}
	names := x.names
	file := false
	switch {
	case s.Kind == htaccess.SecFiles:
		names = []string{s.Pattern} // the one file name it guards
	case strings.Contains(path.Base(uri), "."):
		// "/wp-login.php": one file (unless the tree says it is a
		// directory), tried under its own URL.
		if st, err := x.fsys.Stat(dir); err != nil || !st.IsDir() {
			file, names, uri = true, []string{""}, strings.TrimSuffix(uri, "/")
		}
	}
	x.cur = areaState{sec: s, srv: srv, uri: uri, dir: dir, names: names, file: file}
	if x.tried == nil {
		x.tried = map[triedKey]bool{}
	}
	clear(x.tried)
	for _, n := range names {
		x.tried[triedKey{srv, uri + n}] = true // the protected URL itself
	}
	// The DocumentRoot and the Alias targets that hold the directory, on
	// every server.
	servers := x.m.ServersFor(dir)
	if len(servers) > exposureServers {
		servers = servers[:exposureServers]
	}
	if x.mainServes() && !slices.Contains(servers, x.m.Main) {
		servers = append(servers[:len(servers):len(servers)], x.m.Main)
	}
	for _, other := range servers {
		for _, base := range x.urlsFor(other, dir) {
			for _, n := range names {
				x.try(s, srv, uri, dir, other, base+n)
			}
		}
	}
	// AliasMatch directives whose substitution lands in it: the
	// protected server's own and main server's, and those of the servers
	// above.
	amServers := servers
	if !slices.Contains(servers, srv) {
		amServers = append([]*Server{srv}, servers...)
	}
	for _, other := range amServers {
		for _, su := range x.aliasMatchURLs(other, dir) {
			for _, n := range names {
				x.try(s, srv, uri, dir, su.srv, su.uri+n)
			}
		}
	}
	// Alias targets below it (the URLs above reach it through the
	// DocumentRoot or an Alias above).
	for _, ba := range x.aliasesBelow(srv, dir) {
		for _, n := range names {
			x.try(s, srv, uri, dir, ba.srv, strings.TrimSuffix(ba.a.URL, "/")+"/"+n)
		}
	}
	// Server-context RewriteRules whose substitution lands in it.
	for _, rw := range x.rewriteServers() {
		for _, r := range rw.rules {
			for _, base := range x.rewriteURLs(rw.srv, r, dir) {
				for _, n := range names {
					x.try(s, srv, uri, dir, rw.srv, base+n)
				}
			}
		}
	}
}

// areaState is the protected area being looked at: the section, the
// server and URL where it guards the directory, and whether it was found
// to guard files there (checked once a candidate gets through).
type areaState struct {
	sec                  *Section
	srv                  *Server
	uri, dir             string
	names                []string
	file                 bool // dir is one file, names is [""]
	checked, guardsFiles bool
}

// guards reports whether the current area's section guards files in its
// directory: the directory exists (or cannot be checked), and an
// anonymous request to the section's own URL merges it and needs a user
// (not opened again by a later section: AP302's case).
func (x *exposer) guards() bool {
	a := &x.cur
	if a.checked {
		return a.guardsFiles
	}
	a.checked = true
	if x.absent(a.dir) {
		return false
	}
	for _, n := range a.names {
		ptr := x.m.Translate(x.fsys, x.input(a.srv, a.uri+n))
		if ptr.Status != 0 || ptr.NoFile || !UnderDir(path.Clean(ptr.File), a.dir) {
			continue
		}
		e := x.m.Effect(Request{Server: a.srv, URI: ptr.URI, Method: "GET", File: ptr.File})
		want := NeedUser
		if !a.sec.Protected() {
			want = Denied
		}
		if e.Merged(a.sec) && e.Decide() == want && !e.Uncertain {
			a.guardsFiles = true
			break
		}
	}
	return a.guardsFiles
}

// absent reports whether the protected directory does not exist while
// its parent does: the section guards no files there (a handler's URL,
// say). A directory this run cannot see counts as present.
func (x *exposer) absent(dir string) bool {
	if _, err := x.fsys.Stat(dir); err == nil || x.fsys.Unchecked(dir) != "" {
		return false
	}
	return x.fsys.IsDir(PathParent(dir))
}

// urlsFor are the directory URLs on srv that its DocumentRoot and its
// literal Alias directives (its own, then the main server's) map onto
// dir, each ending in "/".
func (x *exposer) urlsFor(srv *Server, dir string) []string {
	var out []string
	if root := x.m.DocRoot(srv); root != "" && UnderDir(dir, root) {
		rel := strings.TrimPrefix(dir, root)
		if root == "/" {
			rel = dir
		}
		out = append(out, strings.TrimSuffix(rel, "/")+"/")
	}
	aliases := srv.Aliases
	if srv != x.m.Main {
		aliases = append(aliases[:len(aliases):len(aliases)], x.m.Main.Aliases...)
	}
	for _, a := range aliases {
		target := strings.TrimSuffix(a.Path, "/")
		if target == "" || !UnderDir(dir, target) {
			continue
		}
		u := strings.TrimSuffix(a.URL, "/") + strings.TrimPrefix(dir, target) + "/"
		out = append(out, u)
	}
	return out
}

// mainServes reports whether the main server answers some connection
// although virtual hosts are defined: a Listen address and port that no
// <VirtualHost> names (ap_update_vhost_given_ip falls back to the main
// server; scenario `apache-vhost-main-server`). mainPort is that port.
func (x *exposer) mainServes() bool {
	if x.mainKnown {
		return x.mainPort != 0
	}
	x.mainKnown = true
	if len(x.m.VHosts) == 0 {
		return false // the main server is a serving server already
	}
	for _, l := range x.m.Listeners() {
		if !l.Addr.IsValid() {
			continue // every local address: which one the client uses is unknown
		}
		if !x.vhostFor(l) {
			x.mainPort = l.Port
			return true
		}
	}
	return false
}

// vhostFor reports whether some <VirtualHost> takes connections to a
// Listen address and port (or might: a host name the model does not
// resolve).
func (x *exposer) vhostFor(l Listener) bool {
	for _, vh := range x.m.VHosts {
		for _, a := range vh.Addrs() {
			if a.Port != 0 && a.Port != l.Port {
				continue
			}
			if a.Wildcard || a.IPs == nil || slices.Contains(a.IPs, l.Addr) {
				return true
			}
		}
	}
	return false
}

// aliasesBelow are the literal Alias directives whose target lies below
// dir, with a server each applies on: a virtual host's own on it, the
// main server's on srv (every server inherits them).
func (x *exposer) aliasesBelow(srv *Server, dir string) []serverAlias {
	if !x.haveAliases {
		x.haveAliases = true
		for _, other := range x.m.ServingServers() {
			if other == x.m.Main {
				continue
			}
			for i := range other.Aliases {
				x.aliases = append(x.aliases, serverAlias{other, &other.Aliases[i]})
			}
			if len(x.aliases) >= maxAliases {
				break
			}
		}
		for i := range x.m.Main.Aliases {
			x.aliases = append(x.aliases, serverAlias{nil, &x.m.Main.Aliases[i]})
		}
	}
	var out []serverAlias
	for _, sa := range x.aliases {
		target := strings.TrimSuffix(sa.a.Path, "/")
		if target == dir || !UnderDir(target, dir) {
			continue
		}
		if sa.srv == nil {
			sa.srv = srv
		}
		out = append(out, sa)
	}
	return out
}

// rewriteServers lists the serving servers whose server-context
// RewriteRules are on (at most maxRewriteServers of them).
func (x *exposer) rewriteServers() []rewriter {
	if x.haveRewriters {
		return x.rewriters
	}
	x.haveRewriters = true
	if !x.m.ModuleLoaded("rewrite_module") {
		return nil
	}
	servers := x.m.ServingServers()
	if x.mainServes() {
		servers = append(servers[:len(servers):len(servers)], x.m.Main)
	}
	for _, srv := range servers {
		rules, on, _ := x.m.rewriteRules(srv)
		if on && len(rules) > 0 {
			x.rewriters = append(x.rewriters, rewriter{srv, rules})
			if len(x.rewriters) == maxRewriteServers {
				break
			}
		}
	}
	return x.rewriters
}

// rewriteURLs are directory URLs that a RewriteRule on srv rewrites into
// dir: its pattern's literal prefix, followed by the part of dir below
// the substitution's literal prefix (mapped as mod_rewrite maps it: a
// path whose first segment exists at the filesystem root, else under the
// DocumentRoot; with PT, as a URL).
func (x *exposer) rewriteURLs(srv *Server, r rewriteRule, dir string) []string {
	args := argValues(r.node)
	if len(args) < 2 || args[1] == "-" || strings.HasPrefix(args[0], "!") {
		return nil
	}
	flags := rewriteFlags(args)
	if flags.redirect != 0 || flags.forbidden || flags.gone || flags.proxy {
		return nil
	}
	pat := regexLiteralPrefix(args[0])
	if !strings.HasPrefix(pat, "/") {
		return nil
	}
	sub := args[1]
	if i := strings.IndexAny(sub, "$%?"); i >= 0 {
		sub = sub[:i]
	}
	if !strings.HasPrefix(sub, "/") {
		return nil
	}
	var file string
	switch {
	case flags.passThrough:
		file = x.m.aliasOrRoot(srv, Translation{URI: sub}).File
	case prefixExists(x.fsys, sub):
		file = sub
	default:
		file = strings.TrimSuffix(x.m.DocRoot(srv), "/") + "/" + strings.TrimPrefix(sub, "/")
	}
	return capturedURLs(pat, file, sub, dir)
}

// capturedURLs are the directory URLs under a regex's literal prefix pat
// that a substitution maps into dir: file is the substitution's literal
// start (sub, before its first $N) as a filesystem path.
func capturedURLs(pat, file, sub, dir string) []string {
	if file == "" {
		return nil
	}
	base := strings.TrimSuffix(pat, "/") + "/"
	if strings.HasSuffix(file, "/") || strings.HasSuffix(sub, "/") {
		// "/private/$1": what follows the prefix is the rest of the path.
		clean := path.Clean(file)
		switch {
		case UnderDir(dir, clean):
			return []string{base + strings.TrimPrefix(strings.TrimPrefix(dir, clean), "/") + slashIf(dir != clean)}
		case UnderDir(clean, dir):
			return []string{base}
		}
		return nil
	}
	// "/private$1" or a fixed target: try the prefix itself.
	if UnderDir(path.Clean(file), dir) || UnderDir(dir, path.Dir(path.Clean(file))) {
		return []string{base}
	}
	return nil
}

// aliasMatchURLs are directory URLs that the AliasMatch directives of srv
// (its own, then the main server's) map into dir.
func (x *exposer) aliasMatchURLs(srv *Server, dir string) []serverURL {
	var out []serverURL
	for _, s := range srv.withMain(x.m) {
		for i := range s.MoreAliases {
			a := &s.MoreAliases[i]
			if a.Regex == nil || a.Script {
				continue
			}
			pat := regexLiteralPrefix(a.URL)
			sub := a.Path
			if i := strings.IndexAny(sub, "$&\\"); i >= 0 {
				sub = sub[:i]
			}
			if !strings.HasPrefix(pat, "/") || !strings.HasPrefix(sub, "/") {
				continue
			}
			for _, u := range capturedURLs(pat, sub, sub, dir) {
				out = append(out, serverURL{srv, u})
			}
		}
	}
	return out
}

func slashIf(b bool) string {
	if b {
		return "/"
	}
	return ""
}

// input is the translate_name input of an anonymous GET for uri on srv.
func (x *exposer) input(srv *Server, uri string) TranslateInput {
	rt := x.route(srv)
	return TranslateInput{Server: srv, URI: uri, Method: "GET", Host: rt.host, Scheme: rt.scheme, Port: rt.port, Client: exposureClient.String()}
}

// route finds a port and Host header that reach srv: its ServerName, a
// ServerAlias, else a Host no server names (srv must be the default of
// its address then). Only the cheap part is done for the translation;
// try confirms the choice with the evaluator.
func (x *exposer) route(srv *Server) route {
	if r, ok := x.routes[srv]; ok {
		return r
	}
	r := route{scheme: "http"}
	if srv == x.m.Main && x.mainServes() {
		r.port = x.mainPort
	}
	for _, n := range srv.Directives {
		if n.Lower == "sslengine" && strings.EqualFold(ArgExpanded(n, 0), "on") {
			r.scheme = "https"
		}
	}
	if r.port == 0 {
		r.port = x.port
	}
	if srv.Node != nil {
		for _, a := range srv.Node.Args {
			if _, port := splitHostPort(a.Expanded); port != "" && port != "*" {
				if p, err := strconv.Atoi(port); err == nil {
					r.port = p
					break
				}
			}
		}
	}
	if h := hostOfServerName(srv.ServerName); h != "" && !strings.ContainsAny(h, "*?") {
		r.host = h
	}
	if r.host == "" {
		_, aliases := srv.Names()
		for _, a := range aliases {
			if !strings.ContainsAny(a, "*?") {
				r.host = a
				break
			}
		}
	}
	r.named = r.host != ""
	if r.host == "" {
		r.host = "127.0.0.1"
	}
	x.routes[srv] = r
	return r
}

// confirmRoute checks with SelectServer that the route reaches srv; when
// it does not, a Host no server names is tried (the default of the
// address).
func (x *exposer) confirmRoute(srv *Server) route {
	r := x.route(srv)
	if r.checked {
		return r
	}
	r.checked = true
	hosts := []string{r.host, unknownHost}
	if !r.named {
		hosts = []string{unknownHost, r.host} // the default, if it is one
	}
	for _, h := range hosts {
		if ch := x.m.SelectServer(r.port, h, netip.Addr{}); ch.Server == srv && ch.Sure {
			r.host, r.def, r.ok = h, h == unknownHost, true
			break
		}
	}
	x.routes[srv] = r
	return r
}

// unknownHost is a Host header no virtual host names (RFC 2606).
const unknownHost = "unknown.invalid"

// try checks one candidate request: other takes uri, maps it into dir
// without merging the protected section s, and lets an anonymous client
// through.
func (x *exposer) try(s *Section, srv *Server, protURI, dir string, other *Server, uri string) {
	if x.cur.file {
		uri = strings.TrimSuffix(uri, "/")
	}
	k := triedKey{other, uri}
	if x.tried[k] || len(x.tried) >= maxTries {
		return
	}
	x.tried[k] = true
	tr := x.m.Translate(x.fsys, x.input(other, uri))
	if tr.Status != 0 || tr.NoFile || tr.Uncertain || tr.Script || !UnderDir(path.Clean(tr.File), dir) {
		return
	}
	e := x.m.Effect(Request{Server: other, URI: tr.URI, Method: "GET", File: tr.File})
	if e.Merged(s) || !e.Open() || x.appHandles(other, tr.URI) {
		return
	}
	kind, at := wayOf(x.m, other, tr)
	if at == nil || x.seen[seenKey{s, at}] || !x.guards() {
		return
	}
	rt := x.confirmRoute(other)
	if !rt.ok {
		return
	}
	// Confirm with the evaluator: the whole way of an anonymous GET up to
	// the handler, as `authlint why` follows it.
	p := &predictor{m: x.m, fsys: x.fsys, method: "GET", out: why.Prediction{Certain: true},
		req: why.Request{Method: "GET", Scheme: rt.scheme, Port: rt.port, Host: rt.host, Path: uri, Client: exposureClient}}
	ptr, pe, _, answered := p.untilHandler()
	if answered || !p.out.Certain || p.server != other || pe == nil || pe.Merged(s) || !UnderDir(path.Clean(ptr.File), dir) {
		return
	}
	x.seen[seenKey{s, at}] = true
	anyHost := rt.def
	if !anyHost && other != x.m.Main {
		ch := x.m.SelectServer(rt.port, unknownHost, netip.Addr{})
		anyHost = ch.Server == other && ch.Sure
	}
	grant := pe.Authz.Own()
	x.out = append(x.out, Exposure{Protected: s, ProtServer: srv, ProtURI: protURI, Dir: dir,
		Server: other, Method: "GET", Host: rt.host, Port: rt.port, Default: rt.def, AnyHost: anyHost, URI: uri,
		File: path.Clean(ptr.File), Kind: kind, At: at, Grant: grant, Denied: !s.Protected(),
		Explicit: grantsInWords(grant)})
}

// grantsInWords reports whether a section that lets a request through is
// an exception written in words: a <Files> naming one file, or a literal
// <Location> (not "/") whose own Require lines say `Require all granted`,
// like nginx's `auth_basic off` in the location that serves the request.
func grantsInWords(s *Section) bool {
	if s == nil || s.Regex != nil || strings.ContainsAny(s.Pattern, "*?[") {
		return false
	}
	switch {
	case s.Kind == htaccess.SecFiles:
		return true
	case s.Kind == htaccess.SecLocation && s.Pattern != "/":
		for _, r := range s.Conf.Requires {
			if r.Provider == "all" && !r.Negated && r.Limit == nil && len(r.Args) > 0 && strings.EqualFold(r.Args[0], "granted") {
				return true
			}
		}
	}
	return false
}

// wayOf names the directive that mapped a request to its file: the last
// RewriteRule that rewrote it, else the Alias or DocumentRoot.
func wayOf(m *Model, srv *Server, tr Translation) (string, *htaccess.Node) {
	var kind string
	var at *htaccess.Node
	for _, st := range tr.Steps {
		if st.Node == nil {
			continue
		}
		switch st.Node.Lower {
		case "rewriterule":
			if !strings.Contains(st.Text, "substitution is -") {
				kind, at = "rewrite", st.Node
			}
		case "alias", "aliasmatch":
			if kind != "rewrite" {
				kind, at = "alias", st.Node
			}
		case "documentroot":
			if kind == "" {
				kind, at = "docroot", st.Node
			}
		}
	}
	if kind == "docroot" && srv.DocRootNode == nil && srv.Node != nil {
		at = srv.Node // inherits the main server's DocumentRoot
	}
	return kind, at
}

// ifURIRegex is the regex an <If> on REQUEST_URI matches
// ("%{REQUEST_URI} =~ m#^/admin#" gives "^/admin"); "" for any other
// expression.
func ifURIRegex(expr string) string {
	m := ifURIRe.FindStringSubmatch(strings.TrimSpace(expr))
	if m == nil || m[1] != "=~" {
		return ""
	}
	if re, ok := exprRegex(strings.TrimSpace(m[2])); ok {
		return re.String()
	}
	return ""
}

// ifURIEquals is the URL an <If> compares REQUEST_URI with ("==");
// "" for any other expression.
func ifURIEquals(expr string) string {
	m := ifURIRe.FindStringSubmatch(strings.TrimSpace(expr))
	if m == nil || m[1] != "==" {
		return ""
	}
	operand := strings.TrimSpace(m[2])
	if len(operand) >= 2 && (operand[0] == '\'' || operand[0] == '"') && operand[len(operand)-1] == operand[0] {
		return operand[1 : len(operand)-1]
	}
	return ""
}

// maxPrefixes bounds the literal prefixes read off one regex.
const maxPrefixes = 8

// regexPrefixes are the literal prefixes an anchored regex spells out: its
// literal start, expanded over a group of literal alternatives that
// follows it ("^/(admin|private)/x" gives /admin/x and /private/x); none
// when the regex is not anchored or does not parse.
func regexPrefixes(re string) []string {
	if re == "" {
		return nil
	}
	t, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return nil
	}
	parts := []*syntax.Regexp{t}
	if t.Op == syntax.OpConcat {
		parts = t.Sub
	}
	if len(parts) == 0 || parts[0].Op != syntax.OpBeginText && parts[0].Op != syntax.OpBeginLine {
		return nil
	}
	out, _ := literalExpand([]string{""}, parts[1:])
	return out
}

// literalExpand appends to each prefix in out what the nodes spell out,
// node by node, as long as they are literals, concatenations of them, or
// groups of literal alternatives; done is false where it had to stop.
func literalExpand(out []string, nodes []*syntax.Regexp) (_ []string, done bool) {
	for _, p := range nodes {
		for p.Op == syntax.OpCapture {
			p = p.Sub[0]
		}
		switch p.Op {
		case syntax.OpLiteral:
			if p.Flags&syntax.FoldCase != 0 {
				return out, false
			}
			for i := range out {
				out[i] += string(p.Rune)
			}
		case syntax.OpConcat:
			var ok bool
			if out, ok = literalExpand(out, p.Sub); !ok {
				return out, false
			}
		case syntax.OpAlternate:
			var next []string
			for _, a := range p.Sub {
				alt, ok := literalExpand(slices.Clone(out), []*syntax.Regexp{a})
				if !ok || len(next)+len(alt) > maxPrefixes {
					return out, false
				}
				next = append(next, alt...)
			}
			out = next
		default:
			return out, false
		}
	}
	return out, true
}

// regexLiteralPrefix is the literal start of an anchored regex
// ("^/admin/(.*)" gives "/admin/"); "" when the regex is not anchored.
func regexLiteralPrefix(re string) string {
	re = strings.TrimPrefix(re, "(?i)")
	if !strings.HasPrefix(re, "^") {
		return ""
	}
	var b strings.Builder
	for i := 1; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\' && i+1 < len(re) && strings.IndexByte(".-/_", re[i+1]) >= 0:
			b.WriteByte(re[i+1])
			i++
		case strings.IndexByte(`.[]()*+?{}|^$\`, c) >= 0:
			s := b.String()
			if c == '?' || c == '*' || c == '{' {
				// the last character is optional
				if len(s) > 0 {
					s = s[:len(s)-1]
				}
			}
			return s
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
