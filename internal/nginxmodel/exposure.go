package nginxmodel

import (
	"net/netip"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
)

// Exposure is one anonymous way to what a protected location (or server)
// serves: a request that passes the access phase without a password in
// another configuration and is served from the same file or backend URL.
// auth_basic guards URLs, not files (ngx_http_map_uri_to_path maps each
// location's URI on its own).
type Exposure struct {
	// Protected is the guarded location or server block whose content is
	// reached; Via the configuration whose access phase let the request
	// through, in Server, the server block that took it.
	Protected, Via, Server *Scope
	// Method, Scheme, Host, Port and URI make the request that proves it
	// (URI as sent); Default is set when the Host is not one of Server's
	// names but the listen address (the server takes every Host no other
	// server names).
	Method, Scheme, Host, URI string
	Port                      int
	Default                   bool
	// OtherSocket is set when Server shares no listen socket (address and
	// port) with the protected block's server: the way is on another port
	// or address, where the protected server block never answers.
	OtherSocket bool
	// Content is what both serve: a file path or a backend URL.
	Content string
	// Kind names the way: "location" (another location of the same server
	// takes the URI), "server" (another server block), "traversal" (a
	// prefix location without its trailing slash whose alias ends in one),
	// "rewrite" (a rewrite moves the request out of the protected location),
	// "tryfiles" (a try_files argument that is not the last serves the
	// protected file in Via: only the last argument is an internal
	// redirect), "named" (try_files or error_page sends the request to a
	// named location, Via, that serves the protected file without a
	// password).
	Kind string
	// At is the directive the way rests on (the alias of a traversal, the
	// rewrite); nil when it is Via's block itself.
	At *nginxconf.Directive
	// Explicit is set when Via turns auth off in words (auth_basic off):
	// an exception the admin wrote, not an implicit opening.
	Explicit bool
}

// reached records where a request passed the access phase (the evaluator
// stops there when the exposure analysis asks, unless full is set).
type reached struct {
	ok                 bool
	loc, found, server *Scope
	uri                string
	captures           []string
	internal           bool
	// full follows the request to its answer: the last access phase it
	// passed is recorded, and tryFile is the file a try_files argument
	// that is not the last served it from (in tryLoc).
	full    bool
	tryFile string
	tryLoc  *Scope
}

func (rc *reached) record(r *request) outcome {
	rc.ok, rc.loc, rc.found, rc.server = true, r.loc, r.found, r.server
	rc.uri, rc.captures, rc.internal = r.uri, r.captures, r.internal || r.rewritten
	return outcome{200, false}
}

// probeNames are the file names tried under a protected URL or directory,
// besides the extensions of the server's regex locations.
var probeNames = [...]string{"x.html", "x.png", "x.php", "x.txt", "x.js"}

// maxPerDir bounds the roots and aliases looked at for one directory, so
// that thousands of servers sharing a root stay cheap.
const maxPerDir = 16

// fileEntry is a URL base that maps onto a directory in a server.
type fileEntry struct {
	server *Scope
	base   string               // URL prefix; ends in "/"
	at     *nginxconf.Directive // the alias of a traversal
	kind   string
}

// Exposures finds every anonymous way to the files and backends that
// guarded locations and servers serve: the other locations of the server
// that take URIs of the protected space, the other server blocks whose root
// or alias or backend reaches the same content, prefix aliases that climb
// out with "..", and rewrites out of the protected location. Each is
// confirmed by following an anonymous request through nginx's phases, and
// reported once per way (the configuration that lets it through).
func (m *Model) Exposures(fsys serverfs.FS) []Exposure {
	if fsys == nil {
		fsys = serverfs.OSFS{}
	}
	x := &exposer{m: m, fsys: fsys, dirs: map[string][]fileEntry{}, seen: map[[2]*Scope]bool{}, spaces: map[string][]guardedSpace{}, top: map[topKey]*nginxconf.Directive{}, absentCache: map[topKey]bool{}, tried: map[triedKey]bool{}, names: map[*Scope][]string{}}
	x.index()
	for _, srv := range m.Servers {
		x.server(srv)
	}
	// Roots and aliases of directories below a protected one.
	dirs := make([]string, 0, len(x.dirs))
	for dir := range x.dirs {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		es := x.dirs[dir]
		for d := path.Dir(dir); ; d = path.Dir(d) {
			for _, sp := range x.spaces[d] {
				clear(x.tried)
				for _, e := range es {
					for _, n := range x.suffixes(e.server) {
						x.try(sp.p, sp.space, e.server, e.base+n, e.kind, e.at)
					}
				}
			}
			if d == "/" || d == "." {
				break
			}
		}
	}
	x.tryFilesWays()
	x.namedWays()
	sort.SliceStable(x.out, func(i, j int) bool {
		a, b := x.out[i], x.out[j]
		if a.Via.D.File != b.Via.D.File {
			return a.Via.D.File < b.Via.D.File
		}
		return a.Via.D.Span.Start.Offset < b.Via.D.Span.Start.Offset
	})
	return x.out
}

type guardedSpace struct {
	p     *Scope
	space string
}

type exposer struct {
	m    *Model
	fsys serverfs.FS
	dirs map[string][]fileEntry
	// backends maps a backend's scheme://host to the locations passing there.
	backends map[string][]*Scope
	seen     map[[2]*Scope]bool
	out      []Exposure
	// spaces maps a protected directory to the blocks guarding it.
	spaces map[string][]guardedSpace
	top    map[topKey]*nginxconf.Directive
	// absentCache memoises absent by guarded block and path.
	absentCache map[topKey]bool
	// tried holds the candidate requests of the current guarded block.
	tried map[triedKey]bool
	// authRequest is set when the configuration uses auth_request at all.
	authRequest bool
	// names caches the probe file names of each server.
	names map[*Scope][]string
	locs  map[*Scope][]*Scope
	// tryFiles are the constant try_files arguments (not the last) that
	// name a file, with the file they map to.
	tryFiles []tryFileArg
	// namedRefs are the try_files and error_page directives whose target
	// is a named location.
	namedRefs []namedRef
}

// namedRef is a block's own try_files or error_page whose last argument
// names a location ("@app"): an internal redirect there, whose access
// phase runs on the named location's configuration alone.
type namedRef struct {
	s *Scope
	d *nginxconf.Directive
}

// tryFileArg is a try_files argument that is not the last: a file that,
// when it exists, is served by the block that has the directive, under its
// own access rules.
type tryFileArg struct {
	s    *Scope
	d    *nginxconf.Directive
	file string
}

// index collects the directories each server's root and each location's
// alias map URLs onto, and the locations of each backend.
func (x *exposer) index() {
	x.backends = map[string][]*Scope{}
	x.locs = map[*Scope][]*Scope{}
	add := func(dir string, e fileEntry) {
		if len(x.dirs[dir]) < maxPerDir {
			x.dirs[dir] = append(x.dirs[dir], e)
		}
	}
	if len(x.m.Servers) > 0 && x.lookup(x.m.Servers[0].Parent, "auth_request") != nil {
		x.authRequest = true
	}
	for _, srv := range x.m.Servers {
		var root *nginxconf.Directive
		for _, d := range srv.Own {
			switch d.Name {
			case "auth_request":
				x.authRequest = true
			case "root":
				if root == nil {
					root = d
				}
			}
		}
		if root == nil {
			root = x.lookup(srv, "root")
		}
		if d := root; d != nil && constPath(d.Arg(0)) {
			add(path.Clean(d.Arg(0)), fileEntry{server: srv, base: "/", kind: "server"})
		}
	}
	for _, s := range x.m.All {
		if s.Kind == "location" && s.Server != nil && s.Modifier != "@" || s.Kind == "server" {
			x.indexTryFiles(s)
			for _, d := range s.Own {
				if (d.Name == "try_files" || d.Name == "error_page") && len(d.Args) >= 2 && strings.HasPrefix(d.Args[len(d.Args)-1].Value, "@") {
					x.namedRefs = append(x.namedRefs, namedRef{s, d})
				}
			}
		}
		if s.Kind != "location" || s.Server == nil || s.Modifier == "@" {
			continue
		}
		x.locs[s.Server] = append(x.locs[s.Server], s)
		for _, d := range s.Own {
			switch {
			case d.Name == "auth_request":
				x.authRequest = true
			case d.Name == "root" && constPath(d.Arg(0)) && !s.IsRegex() && s.Modifier != "=":
				add(path.Clean(strings.TrimSuffix(d.Arg(0), "/")+s.Pattern), fileEntry{server: s.Server, base: slashed(s.Pattern), kind: "server"})
			case d.Name == "alias" && s.IsRegex():
				a := d.Arg(0)
				i := strings.Index(a, "$")
				if i < 0 || !strings.HasPrefix(a, "/") {
					continue
				}
				dir := a[:i]
				if !strings.HasSuffix(dir, "/") {
					dir = path.Dir(dir)
				}
				add(path.Clean(dir), fileEntry{server: s.Server, base: slashed(literalPrefix(s.Pattern)), kind: "server"})
			case d.Name == "alias" && constPath(d.Arg(0)) && s.Modifier != "=":
				a := d.Arg(0)
				if strings.HasSuffix(a, "/") == strings.HasSuffix(s.Pattern, "/") {
					add(path.Clean(a), fileEntry{server: s.Server, base: slashed(s.Pattern), kind: "server"})
				}
				if strings.HasSuffix(a, "/") && !strings.HasSuffix(s.Pattern, "/") && path.Clean(a) != "/" {
					// "/static../x" maps to "/srv/www/../x": the parent.
					add(path.Dir(path.Clean(a)), fileEntry{server: s.Server, base: s.Pattern + "../", at: d, kind: "traversal"})
				}
			}
		}
		if d := UpstreamHandler(s); d != nil && d.Name == "proxy_pass" && !strings.Contains(d.Arg(0), "$") {
			if hp, _, ok := backendParts(d.Arg(0)); ok {
				x.backends[hp] = append(x.backends[hp], s)
			}
		}
	}
}

// indexTryFiles records the constant file arguments of a block's own
// try_files (nginx does not pass it on to nested locations), all but the
// last: ngx_http_try_files_handler serves the first
// that exists in the block itself (it only changes the URI), while the last
// is an internal redirect whose access phase runs again.
func (x *exposer) indexTryFiles(s *Scope) {
	for _, d := range s.Own {
		if d.Name != "try_files" || len(d.Args) < 2 {
			continue
		}
		for _, a := range d.Args[:len(d.Args)-1] {
			v := a.Value
			if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, "$?") || strings.HasSuffix(v, "/") {
				continue
			}
			if f, ok := strings.CutPrefix(servedBy(s, s, v, nil), "file:"); ok {
				x.tryFiles = append(x.tryFiles, tryFileArg{s: s, d: d, file: f})
			}
		}
	}
}

// tryFilesWays checks every constant try_files argument that names a file
// in a guarded directory: a request the block takes, for which no earlier
// argument exists, is served that file with the block's own access rules.
func (x *exposer) tryFilesWays() {
	for _, tf := range x.tryFiles {
		srv := tf.s.Server
		if tf.s.Kind == "server" {
			srv = tf.s
		}
		done := false
		for d := tf.file; !done; d = path.Dir(d) {
			for _, sp := range x.spaces[d] {
				if done || tf.s == sp.p || tf.s.IsBelow(sp.p) || !under("file:"+tf.file, sp.space) {
					continue
				}
				done = x.tryFilesWay(tf, sp.p, srv)
			}
			if d == "/" || d == "." {
				break
			}
		}
	}
}

// tryFilesWay looks for an anonymous request that tf serves from the
// protected file; it reports whether it found one.
func (x *exposer) tryFilesWay(tf tryFileArg, p, srv *Scope) bool {
	base := "/"
	if tf.s.Kind == "location" {
		base = slashed(tf.s.Pattern)
		if tf.s.IsRegex() {
			base = slashed(literalPrefix(tf.s.Pattern))
		}
	}
	var uris []string
	if tf.s.Modifier == "=" {
		uris = append(uris, tf.s.Pattern)
	} else {
		for _, n := range x.suffixes(srv) {
			uris = append(uris, base+n)
		}
	}
	for _, uri := range uris {
		if sel := srv.Select(uri); sel.Redirect != nil || sel.Loc != tf.s && (sel.Loc != nil || tf.s != srv) {
			continue
		}
		rc, t, status, ok := x.follow(srv, "GET", uri, true)
		if !ok || status != 200 || rc.server != srv || rc.tryFile != tf.file || rc.tryLoc != rc.loc || rc.found != tf.s && tf.s.Kind == "location" {
			continue
		}
		x.out = append(x.out, t.exposure(Exposure{Protected: p, Via: rc.loc, Server: srv, Method: "GET",
			URI: uri, Content: tf.file, Kind: "tryfiles", At: tf.d, Explicit: explicitOff(rc.loc)}))
		return true
	}
	return false
}

// namedWays checks the named locations that try_files and error_page send
// requests to: a request the referring block takes (a file that does not
// exist) goes to the named location, whose own access phase lets it
// through, and whose root or alias serves it from a guarded directory.
func (x *exposer) namedWays() {
	for _, ref := range x.namedRefs {
		srv := ref.s.Server
		if ref.s.Kind == "server" {
			srv = ref.s
		}
		n := srv.Named(ref.d.Args[len(ref.d.Args)-1].Value)
		if n == nil || x.seen[[2]*Scope{n, srv}] {
			continue
		}
		base := "/"
		if ref.s.Kind == "location" {
			base = slashed(ref.s.Pattern)
			if ref.s.IsRegex() {
				base = slashed(literalPrefix(ref.s.Pattern))
			}
		}
		for _, name := range x.suffixes(srv) {
			uri := base + name
			if ref.s.Modifier == "=" {
				uri = ref.s.Pattern
			}
			if sel := srv.Select(uri); sel.Redirect != nil || sel.Loc != ref.s && ref.s.Kind == "location" {
				continue
			}
			content := servedBy(n, n, uri, nil)
			p := x.guardOf(content, srv)
			if p == nil || p == n {
				continue
			}
			// The probe file need not exist: what counts is that the
			// last access phase the request passed is the named
			// location's, with the URI unchanged.
			rc, t, _, ok := x.follow(srv, "GET", uri, true)
			if !ok || rc.server != srv || rc.loc != n || rc.uri != uri {
				continue
			}
			x.seen[[2]*Scope{n, srv}] = true
			x.out = append(x.out, t.exposure(Exposure{Protected: p, Via: n, Server: srv, Method: "GET",
				URI: uri, Content: showContent(content), Kind: "named", At: ref.d, Explicit: explicitOff(n)}))
			break
		}
	}
}

// guardOf is the guarded block whose directory holds a file content
// ("file:PATH"): the innermost one, one of server srv's when there is
// one; nil when none does.
func (x *exposer) guardOf(content string, srv *Scope) *Scope {
	f, ok := strings.CutPrefix(content, "file:")
	if !ok {
		return nil
	}
	var first *Scope
	for d := f; ; d = path.Dir(d) {
		for _, sp := range x.spaces[d] {
			if !under(content, sp.space) || x.absent(sp.p, strings.TrimPrefix(sp.space, "file:")) {
				continue
			}
			if sp.p == srv || sp.p.Server == srv {
				return sp.p
			}
			if first == nil {
				first = sp.p
			}
		}
		if d == "/" || d == "." {
			return first
		}
	}
}

// server looks for the ways to the content of each guarded block of srv.
func (x *exposer) server(srv *Scope) {
	var guarded []*Scope
	for _, l := range x.locs[srv] {
		if x.guards(l) {
			guarded = append(guarded, l)
		}
	}
	if x.guards(srv) {
		guarded = append(guarded, srv)
	}
	if len(guarded) == 0 {
		return
	}
	names := x.suffixes(srv)
	for _, p := range guarded {
		clear(x.tried)
		space, lit := x.space(p)
		if space == "" || x.realmOff(srv, p, lit, names[0]) {
			continue
		}
		// URIs of the protected URL space, and of the longer locations
		// under it, in this server.
		if p.Kind == "location" {
			for _, u := range x.urlProbes(srv, p, lit, names) {
				x.try(p, space, srv, u, "location", nil)
				x.tryRewrite(p, srv, u)
			}
			x.tryMethods(p, srv, lit, names)
			for _, d := range p.Own {
				if d.Name == "rewrite" {
					if b := literalPrefix(d.Arg(0)); strings.HasPrefix(b, lit) && len(b) > len(lit) {
						for _, n := range names {
							x.tryRewrite(p, srv, slashed(b)+n)
						}
					}
				}
			}
		}
		// The same files under other URLs: roots and aliases of every
		// server whose directory holds the protected one.
		if strings.HasPrefix(space, "file:") {
			file := strings.TrimPrefix(space, "file:")
			if len(x.spaces[file]) < maxPerDir {
				x.spaces[file] = append(x.spaces[file], guardedSpace{p, space})
			}
			for d := file; ; d = path.Dir(d) {
				for _, e := range x.dirs[d] {
					rel := strings.TrimPrefix(strings.TrimPrefix(file, d), "/")
					base := e.base
					if rel != "" {
						base += rel + "/"
					}
					for _, n := range names {
						x.try(p, space, e.server, base+n, e.kind, e.at)
					}
				}
				if d == "/" || d == "." {
					break
				}
			}
		}
		if hp, bpath, ok := strings.Cut(strings.TrimPrefix(space, "backend:"), "|"); ok && strings.HasPrefix(space, "backend:") {
			for _, l := range x.backends[hp] {
				_, lpath, _ := backendParts(UpstreamHandler(l).Arg(0))
				u := bpath
				if lpath != "" && !l.IsRegex() {
					if !strings.HasPrefix(bpath, lpath) {
						continue
					}
					u = l.Pattern + bpath[len(lpath):]
				}
				for _, n := range names {
					x.try(p, space, l.Server, slashed(u)+n, "server", nil)
				}
			}
		}
	}
}

// realmOff reports whether a block guarded only by a realm with variables
// (auth_basic $realm, from a map) lets an anonymous request for a URI of
// its own through: the realm is "off" there, so it protects nothing.
func (x *exposer) realmOff(srv, p *Scope, lit, name string) bool {
	if !p.Protected() || !strings.Contains(p.EffRealm.Arg(0), "$") {
		return false
	}
	uri := slashed(lit) + name
	if sel := srv.Select(uri); sel.Loc != p && (p.Kind == "location" || sel.Loc != nil) {
		return false
	}
	rc, _, ok := x.anonymous(srv, "GET", uri)
	return ok && rc.loc == p
}

// lookup is Scope.Lookup with the answer of the http and main blocks
// cached: with every server included, they hold thousands of directives.
func (x *exposer) lookup(s *Scope, name string) *nginxconf.Directive {
	for c := s; c != nil; c = c.Parent {
		if c.Kind == "http" || c.Kind == "main" {
			key := topKey{c, name}
			d, ok := x.top[key]
			if !ok {
				d = c.Lookup(name)
				x.top[key] = d
			}
			return d
		}
		for _, d := range c.Own {
			if d.Name == name {
				return d
			}
		}
	}
	return nil
}

type triedKey struct {
	srv *Scope
	uri string
}

type topKey struct {
	s    *Scope
	name string
}

// regularFile reports whether a protected space is one file (nothing
// lies below it).
func (x *exposer) regularFile(space string) bool {
	f, ok := strings.CutPrefix(space, "file:")
	if !ok {
		return false
	}
	st, err := x.fsys.Stat(f)
	return err == nil && st.Mode().IsRegular()
}

// absent reports whether a protected directory under a root does not
// exist while the root does: the configuration guards nothing there (a
// root the location never really serves from, say), so no way to it is
// reported. A root this run cannot see, and an alias, count as present.
func (x *exposer) absent(p *Scope, file string) bool {
	key := topKey{p, file}
	if v, ok := x.absentCache[key]; ok {
		return v
	}
	v := x.absentNow(p, file)
	x.absentCache[key] = v
	return v
}

func (x *exposer) absentNow(p *Scope, file string) bool {
	var root string
	for c := p; c != nil && root == ""; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "alias" {
				return false
			}
			if d.Name == "root" {
				root = path.Clean(d.Arg(0))
				break
			}
		}
		if c.Kind == "server" {
			break
		}
	}
	if root == "" || root == file || x.fsys.Unchecked(file) != "" {
		return false
	}
	if _, err := x.fsys.Stat(file); err == nil {
		return false
	}
	return x.fsys.IsDir(root)
}

// guards reports whether a block keeps anonymous clients out: a password
// (auth_basic with a user file), auth_request, or deny all.
func (x *exposer) guards(s *Scope) bool {
	if s.Protected() {
		return true
	}
	for _, a := range s.EffAccess {
		if a.Name == "allow" {
			break
		}
		if a.Name == "deny" && a.Arg(0) == "all" {
			return true
		}
	}
	if !x.authRequest {
		return false
	}
	d := x.lookup(s, "auth_request")
	return d != nil && d.Arg(0) != "off"
}

// space is what a guarded block serves, as a file path or backend URL
// prefix ("file:/srv/www/admin", "backend:http://app/admin/"), and the
// literal URL prefix of its pattern; "" when it cannot be known.
func (x *exposer) space(p *Scope) (space, lit string) {
	if p.Kind == "server" {
		lit = "/"
	} else {
		lit = p.Pattern
		if p.IsRegex() {
			lit = literalPrefix(p.Pattern)
			if !strings.HasPrefix(lit, "/") {
				return "", ""
			}
			if d := x.lookup(p, "alias"); d != nil && strings.Contains(d.Arg(0), "$") && UpstreamHandler(p) == nil {
				a := d.Arg(0)[:strings.Index(d.Arg(0), "$")]
				if !strings.HasPrefix(a, "/") {
					return "", ""
				}
				return "file:" + path.Clean(a), lit
			}
		}
	}
	return servedBy(p, p, lit, nil), lit
}

// urlProbes are URIs under a protected location's literal prefix: file
// names directly under it, and under every longer location of the server
// that starts with it.
func (x *exposer) urlProbes(srv, p *Scope, lit string, names []string) []string {
	var bases []string
	bases = append(bases, slashed(lit))
	var exact []string
	for _, l := range x.locs[srv] {
		ll := l.Pattern
		if l.IsRegex() {
			ll = literalPrefix(l.Pattern)
		}
		if l == p || len(ll) <= len(lit) || !strings.HasPrefix(ll, lit) {
			continue
		}
		if l.Modifier == "=" {
			exact = append(exact, ll)
			continue
		}
		bases = append(bases, slashed(ll))
		if !strings.HasSuffix(ll, "/") {
			exact = append(exact, ll)
		}
	}
	var out []string
	for _, b := range bases {
		for _, n := range names {
			out = append(out, b+n)
		}
	}
	return append(out, exact...)
}

// try checks one candidate request: srv takes uri in a configuration that
// is not the protected one, serves it from the protected content, and its
// access phase lets an anonymous client through.
func (x *exposer) try(p *Scope, space string, srv *Scope, uri, kind string, at *nginxconf.Directive) {
	k := triedKey{srv, uri}
	if x.tried[k] {
		return
	}
	x.tried[k] = true
	sel := srv.Select(uri)
	if sel.Redirect != nil {
		return
	}
	l := sel.Loc
	if l == nil {
		l = srv
	}
	if l == p || l.IsBelow(p) || p.Kind == "server" && srv == p || x.seen[[2]*Scope{l, srv}] {
		return
	}
	if kind == "server" && (srv == p || srv == p.Server) {
		kind = "location"
	}
	content := servedBy(l, sel.Loc, uri, sel.Captures)
	if !under(content, space) || content != space && x.regularFile(space) {
		return
	}
	if f, ok := strings.CutPrefix(space, "file:"); ok && x.absent(p, f) {
		return
	}
	if l.Protected() && (l.EffSatisfy == nil || l.EffSatisfy.Arg(0) != "any") && x.lookup(l, "rewrite") == nil && x.lookup(l, "return") == nil {
		return // asks for a password (no shortcut before it)
	}
	rc, t, ok := x.anonymous(srv, "GET", uri)
	if !ok || rc.server != srv || rc.found != sel.Loc || rc.internal {
		return
	}
	x.seen[[2]*Scope{l, srv}] = true
	x.out = append(x.out, t.exposure(Exposure{Protected: p, Via: rc.loc, Server: srv, Method: "GET",
		URI: uri, Content: showContent(servedBy(l, sel.Loc, uri, sel.Captures)), Kind: kind, At: at,
		Explicit: explicitOff(rc.loc)}))
}

// tryRewrite checks a URI the protected location itself takes: a rewrite
// that moves it elsewhere before the access phase lets it out.
func (x *exposer) tryRewrite(p, srv *Scope, uri string) {
	var rw *nginxconf.Directive
	for c := p; c != nil && c != srv; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "rewrite" && d.Arg(2) != "break" && d.Arg(2) != "redirect" && d.Arg(2) != "permanent" && rw == nil {
				rw = d
			}
		}
	}
	if rw == nil {
		return
	}
	sel := srv.Select(uri)
	if sel.Loc != p && (sel.Loc == nil || !sel.Loc.IsBelow(p)) {
		return
	}
	rc, t, ok := x.anonymous(srv, "GET", uri)
	if !ok || rc.server != srv || rc.found == nil || rc.found == p || rc.found.IsBelow(p) || x.seen[[2]*Scope{p, rc.found}] {
		return
	}
	x.seen[[2]*Scope{p, rc.found}] = true
	x.out = append(x.out, t.exposure(Exposure{Protected: p, Via: rc.loc, Server: srv, Method: "GET",
		URI: uri, Content: rc.uri, Kind: "rewrite", At: rw, Explicit: explicitOff(rc.loc)}))
}

// tryMethods checks the limit_except blocks of a protected location that
// turn its guard off: they apply to every method they do not name.
func (x *exposer) tryMethods(p, srv *Scope, lit string, names []string) {
	for _, le := range p.LimitExcept {
		if x.guards(le) || x.seen[[2]*Scope{le, srv}] {
			continue
		}
		for _, method := range [...]string{"POST", "PUT", "DELETE", "PATCH"} {
			if limitAllows(le.D, method) {
				continue
			}
			uri := slashed(lit) + names[0]
			if sel := srv.Select(uri); sel.Loc != p {
				continue
			}
			rc, t, ok := x.anonymous(srv, method, uri)
			if !ok || rc.loc != le {
				continue
			}
			x.seen[[2]*Scope{le, srv}] = true
			x.out = append(x.out, t.exposure(Exposure{Protected: p, Via: le, Server: srv, Method: method,
				URI: uri, Content: showContent(servedBy(le, p, uri, nil)), Kind: "methods", At: le.D}))
			break
		}
	}
}

// target is where the request that proves a way is sent.
type target struct {
	scheme, host string
	port         int
	def          bool
	// srv is the server block that takes it.
	srv *Scope
}

// exposure fills in the request's target and whether it is on another
// socket than the protected block's server.
func (t target) exposure(e Exposure) Exposure {
	e.Scheme, e.Host, e.Port, e.Default = t.scheme, t.host, t.port, t.def
	e.OtherSocket = !shareSocket(t.srv, e.Protected.Server)
	if e.Protected.Kind == "server" {
		e.OtherSocket = !shareSocket(t.srv, e.Protected)
	}
	return e
}

// shareSocket reports whether two server blocks listen on a common socket
// (address and port).
func shareSocket(a, b *Scope) bool {
	if a == nil || b == nil {
		return true
	}
	if a == b {
		return true
	}
	keys := map[string]bool{}
	for _, l := range a.Listens() {
		keys[l.key()] = true
	}
	for _, l := range b.Listens() {
		if keys[l.key()] {
			return true
		}
	}
	return false
}

// anonymous follows an anonymous GET for uri to server srv through nginx's
// phases and reports where it passed the access phase (ok false: it was
// refused, redirected or answered before), and where the request went.
func (x *exposer) anonymous(srv *Scope, method, uri string) (rc reached, t target, ok bool) {
	rc, t, _, ok = x.follow(srv, method, uri, false)
	return rc, t, ok
}

// follow sends an anonymous request for uri to server srv through nginx's
// phases: to the access phase, or to its answer when full is set (status
// is then the answer's).
func (x *exposer) follow(srv *Scope, method, uri string, full bool) (rc reached, t target, status int, ok bool) {
	rc.full = full
	var l Listen
	found := false
	for _, c := range srv.Listens() {
		if !c.Unix() {
			l, found = c, true
			break
		}
	}
	if !found {
		return rc, t, 0, false
	}
	addr := l.Addr
	if addr == "" {
		addr = "127.0.0.1"
		if l.IPv6 {
			addr = "::1"
		}
	}
	t = target{scheme: "http", host: addr, port: l.Port, srv: srv}
	names, _ := srv.ServerNames()
	for _, n := range names {
		if n != "" && n != "_" && !strings.ContainsAny(n, "~*") && !strings.HasPrefix(n, ".") {
			t.host = n
			break
		}
	}
	t.def = t.host == addr
	if l.SSL {
		t.scheme = "https"
	}
	client, _ := netip.ParseAddr("127.0.0.1")
	req := why.Request{Method: method, Scheme: t.scheme, Port: l.Port, Addr: addr, Host: t.host, Path: uri, Client: client}
	e := &evaluator{m: x.m, fsys: x.fsys, p: &why.Prediction{Certain: true}, assumed: map[string]string{}, reach: &rc}
	status = e.request(req, 0, nil, nil)
	return rc, t, status, rc.ok && e.p.Certain
}

// servedBy is what configuration s (found by the location search as
// found) serves for uri: "file:PATH" or "backend:URL"; "" when it cannot
// be known (a variable, a relative root, a FastCGI backend).
func servedBy(s, found *Scope, uri string, caps []string) string {
	if d := UpstreamHandler(s); d != nil {
		if d.Name == "fastcgi_pass" {
			return fastcgiScript(s, uri)
		}
		if d.Name != "proxy_pass" || strings.Contains(d.Arg(0), "$") {
			return ""
		}
		hp, p, ok := backendParts(d.Arg(0))
		if !ok {
			return ""
		}
		if p == "" || found == nil || found.IsRegex() {
			return "backend:" + hp + "|" + uri
		}
		if !strings.HasPrefix(uri, found.Pattern) {
			return ""
		}
		return "backend:" + hp + "|" + p + uri[len(found.Pattern):]
	}
	for c := s; c != nil; c = c.Parent {
		for _, d := range c.Own {
			switch d.Name {
			case "root":
				if !constPath(d.Arg(0)) {
					return ""
				}
				return "file:" + path.Clean(strings.TrimSuffix(d.Arg(0), "/")+uri)
			case "alias":
				a := d.Arg(0)
				if c.IsRegex() {
					a = substCaptures(a, caps)
					if !constPath(a) {
						return ""
					}
					return "file:" + path.Clean(a)
				}
				if !constPath(a) || !strings.HasPrefix(uri, c.Pattern) {
					return ""
				}
				return "file:" + path.Clean(a+uri[len(c.Pattern):])
			}
		}
	}
	return ""
}

// showContent is a servedBy result as a path or URL.
func showContent(c string) string {
	kind, v, _ := strings.Cut(c, ":")
	if kind == "file" {
		return v
	}
	hp, p, _ := strings.Cut(v, "|")
	if strings.Contains(hp, "://unix:") {
		return hp + ":" + p
	}
	return hp + p
}

// fastcgiScript is the script a FastCGI location runs for uri, when its
// SCRIPT_FILENAME is the usual $document_root$fastcgi_script_name (with
// fastcgi_split_path_info cutting the path info off: the first capture) or
// $request_filename.
func fastcgiScript(s *Scope, uri string) string {
	var param string
	for _, d := range s.LookupAll("fastcgi_param") {
		if d.Arg(0) == "SCRIPT_FILENAME" {
			param = d.Arg(1)
		}
	}
	script := uri
	switch param {
	case "$document_root$fastcgi_script_name":
		if d := s.Lookup("fastcgi_split_path_info"); d != nil {
			re, err := regexp.Compile(d.Arg(0))
			if err != nil {
				return ""
			}
			if m := re.FindStringSubmatch(uri); len(m) > 1 {
				script = m[1]
			}
		}
	case "$request_filename":
	default:
		return ""
	}
	d := s.Lookup("root")
	if d == nil || !constPath(d.Arg(0)) {
		return ""
	}
	return "file:" + path.Clean(strings.TrimSuffix(d.Arg(0), "/")+script)
}

// under reports whether content lies in space (the same file or backend
// URL, or one below it).
func under(content, space string) bool {
	if content == "" || space == "" {
		return false
	}
	if content == space || strings.HasSuffix(space, "/") && strings.HasPrefix(content, space) {
		return true
	}
	return strings.HasPrefix(content, space+"/")
}

// explicitOff reports whether auth_basic off is in effect, written in a
// location or server (an exception in words).
func explicitOff(s *Scope) bool {
	return s.EffRealm != nil && s.EffRealm.Arg(0) == "off"
}

// constPath reports whether p is an absolute path without variables.
func constPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.Contains(p, "$")
}

// substCaptures replaces $1…$9 in s with the regex captures.
func substCaptures(s string, caps []string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			n := int(s[i+1] - '0')
			if n < len(caps) {
				b.WriteString(caps[n])
			}
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// backendParts splits a proxy_pass URL into scheme://host and its URI
// part ("" when it has none).
func backendParts(t string) (hostPart, uri string, ok bool) {
	scheme, rest, found := strings.Cut(t, "://")
	if !found {
		return "", "", false
	}
	host, p, hasPath := strings.Cut(rest, "/")
	if strings.HasPrefix(rest, "unix:") {
		// http://unix:/path/to.sock:/uri
		host, p, hasPath = strings.Cut(rest, ":/")
		if i := strings.Index(rest[len("unix:"):], ":"); i >= 0 {
			host, p, hasPath = rest[:len("unix:")+i], strings.TrimPrefix(rest[len("unix:")+i+1:], "/"), rest[len("unix:")+i+1:] != ""
		} else {
			host, p, hasPath = rest, "", false
		}
	}
	if hasPath {
		uri = "/" + p
	}
	return strings.ToLower(scheme) + "://" + strings.ToLower(host), uri, true
}

// literalPrefix is the literal start of an anchored regex ("^/admin/(.*)"
// gives "/admin/"); "" when the regex is not anchored.
func literalPrefix(re string) string {
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

// slashed returns u with a trailing slash.
func slashed(u string) string {
	if strings.HasSuffix(u, "/") {
		return u
	}
	return u + "/"
}

// suffixes are the probe file names for a server: x.html, and the
// extensions its regex locations name (or a few usual ones for a regex
// whose extensions cannot be read off).
func (x *exposer) suffixes(srv *Scope) []string {
	if out, ok := x.names[srv]; ok {
		return out
	}
	out := []string{probeNames[0]}
	seen := map[string]bool{probeNames[0]: true}
	add := func(n string) {
		if !seen[n] && len(out) < 12 {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, l := range x.locs[srv] {
		if !l.IsRegex() {
			continue
		}
		exts := regexExtensions(l.Pattern)
		for _, ext := range exts {
			add("x." + ext)
		}
		if len(exts) == 0 {
			for _, n := range probeNames[1:] {
				add(n)
			}
		}
	}
	x.names[srv] = out
	return out
}

// regexExtensions are the file extensions a regex location names
// (`\.(css|js)$`, `\.php$`).
func regexExtensions(pattern string) []string {
	i := strings.Index(pattern, `\.`)
	if i < 0 {
		return nil
	}
	rest := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(pattern[i+2:], "("), "?:"), "$")
	rest = strings.TrimSuffix(rest, ")")
	var out []string
	for _, e := range strings.Split(rest, "|") {
		e = strings.ToLower(e)
		if e != "" && strings.Trim(e, "abcdefghijklmnopqrstuvwxyz0123456789") == "" {
			out = append(out, e)
		}
	}
	return out
}

// URL is the absolute URL of the request that proves the way: the Host it
// sends (the listen address when the server takes it as the default), the
// port unless it is the scheme's default, and the URI.
func (e Exposure) URL() string {
	host := e.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if e.Port != 0 && !(e.Scheme == "http" && e.Port == 80 || e.Scheme == "https" && e.Port == 443) {
		host += ":" + strconv.Itoa(e.Port)
	}
	scheme := e.Scheme
	if scheme == "" {
		scheme = "http"
	}
	return scheme + "://" + host + e.URI
}
