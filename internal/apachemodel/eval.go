package apachemodel

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// Request is a request whose handling the model predicts.
type Request struct {
	Server *Server
	URI    string // normalised URL path
	Method string
	// File, when set, is the filesystem path the translate phase mapped
	// URI to instead of Resolve's answer (a RewriteRule did); NoFile marks
	// a request mapped to no file at all (proxied): only the location and
	// if walks apply.
	File   string
	NoFile bool
	// ProxyURL is a proxied request's backend URL, which mod_proxy's
	// proxy_walk matches the <Proxy> sections against.
	ProxyURL string
}

// Setting is a directive in effect and the section that set it.
type Setting struct {
	Node *htaccess.Node
	Sec  *Section
}

// Value returns the directive's first argument, "" when unset.
func (s Setting) Value() string {
	if s.Node == nil || len(s.Node.Args) == 0 {
		return ""
	}
	return s.Node.Args[0].Expanded
}

// Effect is the per-directory configuration Apache merges for a request
// (`ap_process_request_internal`; scenario `apache-htaccess-opens`):
// <Directory> sections shortest first, each directory's
// .htaccess after them, regex directories, <Files>, <Location> in file order,
// then <If>.
type Effect struct {
	Req     Request
	FSPath  string // "" when the URI maps to no file (no DocumentRoot)
	Applied []*Section
	// Directives in effect (the last section that set each wins).
	AuthType, AuthName, AuthUserFile, AuthGroupFile Setting
	AuthBasicProvider, AuthDigestProvider           Setting
	UseDigestAlgorithm, Satisfy                     Setting
	Order                                           Setting
	Allow, Deny                                     []*htaccess.Node
	Authz                                           *Authz
	// Uncertain is set when an <If> whose condition the model cannot
	// evaluate was left out.
	Uncertain bool
}

// Authz is the effective authorization: the Require lines of one section
// (an implicit RequireAny), or two of them merged by AuthMerging And/Or.
type Authz struct {
	Sec  *Section
	Reqs []*Req
	// Op is "and" or "or" when this merges Subs (parent first, then own).
	Op   string
	Subs []*Authz
}

// Decision is what authorization decides for an anonymous request.
type Decision int

// The decisions.
const (
	Neutral  Decision = iota // no requirement applies
	Granted                  // served without a password
	Denied                   // 403
	NeedUser                 // 401: the client must log in
	Depends                  // depends on the client (ip, host, env, expr)
)

func (d Decision) String() string {
	return [...]string{"neutral", "granted", "denied", "needs a user", "depends on the client"}[d]
}

// Own returns the section whose own Require lines are in effect last (the
// one that replaced the inherited ones, or merged onto them).
func (a *Authz) Own() *Section {
	if a == nil {
		return nil
	}
	if a.Op != "" {
		return a.Subs[len(a.Subs)-1].Own()
	}
	return a.Sec
}

// NeedsUser reports whether any requirement in effect names users.
func (a *Authz) NeedsUser() bool {
	if a == nil {
		return false
	}
	for _, s := range a.Subs {
		if s.NeedsUser() {
			return true
		}
	}
	for _, r := range a.Reqs {
		if r.NeedsUser() {
			return true
		}
	}
	return false
}

// Decide evaluates the authorization for an anonymous request with method,
// like mod_authz_core's `apply_authz_sections` (scenario
// `apache-limit-get-post`): a rule set limited to other methods
// is neutral, and neutral at the top is granted.
func (a *Authz) Decide(method string) Decision {
	if a == nil {
		return Granted
	}
	d := a.decide(method)
	if d == Neutral {
		return Granted
	}
	return d
}

func (a *Authz) decide(method string) Decision {
	if a.Op != "" {
		x, y := a.Subs[0].decide(method), a.Subs[1].decide(method)
		if a.Op == "and" {
			return decideAll(x, y)
		}
		return decideAny(x, y)
	}
	d := Neutral
	for _, r := range a.Reqs {
		d = decideAny(d, r.Decide(method))
	}
	return d
}

// Decide evaluates one requirement for an anonymous request.
func (r *Req) Decide(method string) Decision {
	if !r.AppliesTo(method) {
		return Neutral
	}
	if r.Container != "" {
		all := r.Container == htaccess.SecRequireAll
		d := Neutral
		for _, c := range r.Children {
			if all {
				d = decideAll(d, c.Decide(method))
			} else {
				d = decideAny(d, c.Decide(method))
			}
		}
		if r.Container == htaccess.SecRequireNone {
			switch d {
			case Granted:
				return Denied
			case Denied:
				return Neutral
			}
		}
		return d
	}
	var d Decision
	switch {
	case r.Provider == "all" && len(r.Args) > 0 && strings.EqualFold(r.Args[0], "granted"):
		d = Granted
	case r.Provider == "all":
		d = Denied
	case r.Provider == "method":
		d = Denied
		for _, m := range r.Args {
			if strings.EqualFold(m, method) {
				d = Granted
			}
		}
	case userProvider(r.Provider):
		d = NeedUser
	default:
		d = Depends
	}
	if r.Negated {
		switch d {
		case Granted:
			return Denied
		case Denied:
			return Neutral
		}
	}
	return d
}

// decideAny and decideAll combine decisions one at a time, the way
// <RequireAny> and <RequireAll> do: any lets the most permissive decision
// win (granted, then depends, needs a user, denied), all the least
// (denied, then needs a user, depends, granted); neutral never wins.
func decideAny(x, y Decision) Decision {
	if anyRank[y] > anyRank[x] {
		return y
	}
	return x
}

func decideAll(x, y Decision) Decision {
	if allRank[y] > allRank[x] {
		return y
	}
	return x
}

var (
	anyRank = [...]int8{Neutral: 0, Denied: 1, NeedUser: 2, Depends: 3, Granted: 4}
	allRank = [...]int8{Neutral: 0, Granted: 1, Depends: 2, NeedUser: 3, Denied: 4}
)

// Decide is the outcome for an anonymous request: authorization, unless
// `Satisfy Any` and mod_access_compat let everyone in first
// (`ap_process_request_internal`; scenario `apache-satisfy-any`).
func (e *Effect) Decide() Decision {
	if strings.EqualFold(e.Satisfy.Value(), "any") && e.AccessAllowsAll() {
		return Granted
	}
	return e.Authz.Decide(e.Req.Method)
}

// Open reports whether anonymous requests are served for sure: granted, and
// no <If> the model cannot evaluate was left out of the merge (it might
// carry a Require).
func (e *Effect) Open() bool { return e.Decide() == Granted && !e.Uncertain }

// AccessAllowsAll reports whether Order/Allow/Deny admit every client, as
// mod_access_compat's `check_dir_access` decides: under the default
// `Order deny,allow` a client passes unless a Deny matches it, so no Deny
// line at all (or `Allow from all`) admits everyone, also when no
// Order/Allow/Deny line is in effect (scenario `apache-satisfy-any-require-ip`);
// `Order allow,deny` and mutual-failure need `Allow from all` and no Deny.
func (e *Effect) AccessAllowsAll() bool {
	fromAll := func(ns []*htaccess.Node) bool {
		for _, n := range ns {
			v := n.ArgValues()
			if len(v) >= 2 && strings.EqualFold(v[0], "from") && strings.EqualFold(v[1], "all") {
				return true
			}
		}
		return false
	}
	order := strings.ToLower(strings.ReplaceAll(e.Order.Value(), " ", ""))
	if order == "allow,deny" || order == "mutual-failure" {
		return fromAll(e.Allow) && len(e.Deny) == 0
	}
	return fromAll(e.Allow) || len(e.Deny) == 0
}

// Resolve maps a request to the filesystem (Alias, then DocumentRoot).
func (m *Model) Resolve(s *Server, uri string) string {
	if p, _, ok := m.AliasFor(s, uri); ok {
		return p
	}
	root := m.DocRoot(s)
	if root == "" {
		return ""
	}
	if root == "/" {
		return uri
	}
	return root + uri
}

// AliasFor maps a URL path through the server's Alias-family directives
// the way mod_alias's translate_name does: the virtual host's in
// configuration order, then the main server's; the first that matches
// wins.
func (m *Model) AliasFor(s *Server, uri string) (file string, by *Alias, ok bool) {
	if file, by, ok = s.aliasFor(uri); ok || s == m.Main {
		return file, by, ok
	}
	return m.Main.aliasFor(uri)
}

// aliasFor tries the server's own Alias-family directives in order.
func (s *Server) aliasFor(uri string) (string, *Alias, bool) {
	if len(s.MoreAliases) == 0 {
		for i := range s.Aliases {
			if p, ok := s.Aliases[i].Map(uri); ok {
				return p, &s.Aliases[i], true
			}
		}
		return "", nil, false
	}
	i, j := 0, 0
	for i < len(s.Aliases) || j < len(s.MoreAliases) {
		var a *Alias
		if j == len(s.MoreAliases) || i < len(s.Aliases) && s.Aliases[i].Seq < s.MoreAliases[j].Seq {
			a, i = &s.Aliases[i], i+1
		} else {
			a, j = &s.MoreAliases[j], j+1
		}
		if p, ok := a.Map(uri); ok {
			return p, a, true
		}
	}
	return "", nil, false
}

// withMain returns the server followed by the main server, whose
// Alias-family directives a virtual host inherits after its own.
func (s *Server) withMain(m *Model) []*Server {
	if s == m.Main {
		return s.one
	}
	return []*Server{s, m.Main}
}

// Map applies the alias to a URL path.
func (a *Alias) Map(uri string) (string, bool) {
	if a.Regex != nil {
		sub := a.Regex.FindStringSubmatchIndex(uri)
		if sub == nil {
			return "", false
		}
		return string(a.Regex.ExpandString(nil, regexDollars(a.Path), uri, sub)), true
	}
	rest, ok := CutURLPrefix(uri, a.URL)
	if !ok {
		return "", false
	}
	// The model keeps the target clean: "Alias /icons/ /usr/share/icons/"
	// gives /usr/share/icons/a.gif for /icons/a.gif, as mod_alias's
	// real-path-plus-rest does.
	p := strings.TrimSuffix(a.Path, "/")
	if rest != "" && rest[0] != '/' {
		p += "/"
	}
	return p + rest, true
}

// regexDollars rewrites an httpd substitution (ap_pregsub: $0-$9 and &
// for the match, a backslash quoting the next character) as a template
// for Regexp.Expand.
func regexDollars(s string) string {
	if !strings.ContainsAny(s, `$&\`) {
		return s
	}
	var b strings.Builder
	lit := func(c byte) {
		if c == '$' {
			b.WriteString("$$")
		} else {
			b.WriteByte(c)
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			lit(s[i+1])
			i++
		case c == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteString("${" + s[i+1:i+2] + "}")
			i++
		case c == '&':
			b.WriteString("${0}")
		default:
			lit(c)
		}
	}
	return b.String()
}

// CutURLPrefix matches an Alias or <Location> prefix the way httpd does:
// at a path-segment boundary ("/admin" matches /admin, /admin/ and
// /admin/x but not /adminx).
func CutURLPrefix(uri, prefix string) (rest string, ok bool) {
	if !strings.HasPrefix(uri, prefix) {
		return "", false
	}
	rest = uri[len(prefix):]
	if rest == "" || strings.HasSuffix(prefix, "/") || rest[0] == '/' {
		return rest, true
	}
	return "", false
}

// UnderDir reports whether p is dir or below it.
func UnderDir(p, dir string) bool {
	if dir == "/" {
		return strings.HasPrefix(p, "/")
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// dirMatches reports whether a non-regex <Directory> applies to p,
// including its shell wildcards (matched per path component); wild says
// whether the pattern has any.
func dirMatches(pattern, p string, wild bool) bool {
	if !wild {
		return UnderDir(p, pattern)
	}
	n := strings.Count(pattern, "/")
	parts := strings.Split(p, "/")
	if len(parts) <= n {
		return false
	}
	ok, _ := path.Match(pattern, strings.Join(parts[:n+1], "/"))
	return ok
}

func depth(p string) int {
	if p == "/" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(p, "/"), "/")
}

// ifMethodRe and ifURIRe match the <If> conditions the model evaluates:
// the method compared with a word, and REQUEST_URI (r->uri: the URL after
// translate_name, a PT rewrite's new URL, the sent one otherwise; scenario
// `apache-if-uri-rewrite-open`) compared with a string or a regex.
var (
	ifMethodRe = regexp.MustCompile(`^%\{REQUEST_METHOD\}\s*(==|!=|=)\s*['"]?([A-Za-z]+)['"]?$`)
	ifURIRe    = regexp.MustCompile(`^%\{REQUEST_URI\}\s*(==|!=|=~|!~)\s*(.+)$`)
)

// ifHolds evaluates an <If> expression for a request with method and URL
// path uri ("" when unknown); known is false when it cannot.
func ifHolds(expr, method, uri string) (holds, known bool) {
	expr = strings.TrimSpace(expr)
	if m := ifMethodRe.FindStringSubmatch(expr); m != nil {
		eq := strings.EqualFold(method, m[2])
		if m[1] == "!=" {
			return !eq, true
		}
		return eq, true
	}
	m := ifURIRe.FindStringSubmatch(expr)
	if m == nil || uri == "" {
		return false, false
	}
	op, operand := m[1], strings.TrimSpace(m[2])
	switch op {
	case "==", "!=":
		if len(operand) < 2 || operand[0] != '\'' && operand[0] != '"' || operand[len(operand)-1] != operand[0] {
			return false, false
		}
		lit := operand[1 : len(operand)-1]
		if strings.ContainsAny(lit, "%$\\") {
			return false, false // a variable or an escape in the string
		}
		return (uri == lit) == (op == "=="), true
	}
	re, ok := exprRegex(operand)
	if !ok {
		return false, false
	}
	return re.MatchString(uri) == (op == "=~"), true
}

// exprRegex reads an ap_expr regex operand: /re/ or m#re# (any
// delimiter), with an optional i flag; ok is false for what Go's regexp
// does not read the way PCRE would.
func exprRegex(s string) (*regexp.Regexp, bool) {
	var delim byte
	switch {
	case strings.HasPrefix(s, "/"):
		delim, s = '/', s[1:]
	case len(s) > 2 && s[0] == 'm' && !isWordByte(s[1]) && s[1] != ' ':
		delim, s = s[1], s[2:]
	default:
		return nil, false
	}
	end := strings.LastIndexByte(s, delim)
	if end < 0 {
		return nil, false
	}
	pat, flags := s[:end], s[end+1:]
	switch flags {
	case "":
	case "i":
		pat = "(?i)" + pat
	default:
		return nil, false
	}
	if delim != '/' {
		pat = strings.ReplaceAll(pat, "\\"+string(delim), string(delim))
	} else {
		pat = strings.ReplaceAll(pat, `\/`, "/")
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, false
	}
	return re, true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Effect merges the configuration for a request. The result is shared:
// callers must not modify it.
func (m *Model) Effect(req Request) *Effect {
	sh := &m.effects[req.Server.idx%len(m.effects)]
	sh.mu.Lock()
	e, ok := sh.m[req]
	sh.mu.Unlock()
	if ok {
		return e
	}
	e = m.effect(req)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if prev, ok := sh.m[req]; ok {
		return prev // computed meanwhile by another rule: one answer per request
	}
	if sh.m == nil {
		// Sized for about one request per section: most rules probe each
		// section once, on the same URL.
		sh.m = make(map[Request]*Effect, len(m.AllSections())/len(m.effects)+8)
	}
	sh.m[req] = e
	return e
}

// effect merges the sections that apply to req in httpd's order
// (ap_process_request_internal): the directory walk, the file walk, the
// location walk and the if walk, each named after the httpd function that
// does it (server/request.c), then merges them in that order.
func (m *Model) effect(req Request) *Effect {
	e := &Effect{Req: req, FSPath: req.File, Applied: make([]*Section, 0, 8)}
	if e.FSPath == "" && !req.NoFile {
		e.FSPath = m.Resolve(req.Server, req.URI)
	}
	ix := m.index(req.Server)
	var hts []apHtAt
	if e.FSPath != "" {
		hts = m.directoryWalk(e, ix)
		fileWalk(e, ix)
	} else if req.NoFile && req.ProxyURL != "" {
		m.proxyWalk(e)
	}
	locationWalk(e, ix)
	ifWalk(e, ix, hts)
	for _, s := range e.Applied {
		e.merge(s)
	}
	return e
}

// directoryWalk is ap_directory_walk: literal <Directory> sections by
// depth (in file order at a depth), each directory's .htaccess after the
// sections of its depth when the overrides in effect there let httpd read
// it, then <DirectoryMatch> and regex <Directory> sections, matched against
// the whole path. It returns the .htaccess files on the path, whose <If>
// sections the if walk needs.
func (m *Model) directoryWalk(e *Effect, ix *apIndex) []apHtAt {
	hts := m.htaccessOnPath(e.FSPath)
	ov := Overrides{Classes: "none"}
	fsDepth := depth(e.FSPath)
	i, h := 0, 0
	for d := 0; d <= fsDepth; d++ {
		for ; i < len(ix.dirs) && ix.dirs[i].depth <= d; i++ {
			if d := ix.dirs[i]; d.matches(e.FSPath) {
				e.Applied = append(e.Applied, d.sec)
				ov.fold(d.sec)
			}
		}
		for ; h < len(hts) && hts[h].depth <= d; h++ {
			if hts[h].depth == d && hts[h].ht.Section != nil && ov.Reads() {
				e.Applied = append(e.Applied, hts[h].ht.Section)
			}
		}
	}
	for ; i < len(ix.dirs); i++ {
		if d := ix.dirs[i]; d.matches(e.FSPath) {
			e.Applied = append(e.Applied, d.sec)
		}
	}
	// The regex sections are matched once, against the whole path the
	// request maps to (r->filename after the literal walk: the file, or
	// the directory with the request's trailing slash), not against each
	// directory on the way: `^/srv/private$` applies to the request for
	// /srv/private alone, not to the files in it (scenario
	// `apache-directorymatch-anchor-open`).
	for _, s := range ix.regexDirs {
		if s.Regex.MatchString(e.FSPath) {
			e.Applied = append(e.Applied, s)
		}
	}
	return hts
}

// fileWalk is ap_file_walk: server-level <Files>/<FilesMatch> first, then
// those inside the sections the directory walk applied, matched against
// the file's base name.
func fileWalk(e *Effect, ix *apIndex) {
	base := path.Base(e.FSPath)
	for _, s := range ix.files {
		if filesMatch(s, base) {
			e.Applied = append(e.Applied, s)
		}
	}
	for _, s := range e.Applied[:len(e.Applied):len(e.Applied)] {
		for _, c := range s.Children {
			if (c.Kind == htaccess.SecFiles || c.Kind == htaccess.SecFilesMatch) && filesMatch(c, base) {
				e.Applied = append(e.Applied, c)
			}
		}
	}
}

// proxyWalk is mod_proxy's proxy_walk, which its map_to_storage hook runs
// for a proxied request instead of the directory and file walks: the main
// server's <Proxy> and <ProxyMatch> sections, then the virtual host's, in
// file order, each matched against the backend URL (a prefix, a wildcard
// pattern where '*' also matches '/', or a regex; scenario
// `apache-proxy-directory-auth-closed`).
func (m *Model) proxyWalk(e *Effect) {
	servers := []*Server{m.Main}
	if e.Req.Server != m.Main {
		servers = append(servers, e.Req.Server)
	}
	for _, srv := range servers {
		for _, s := range srv.Proxies {
			if s.Regex != nil && s.Regex.MatchString(e.Req.ProxyURL) || s.Regex == nil && strings.HasPrefix(e.Req.ProxyURL, s.Pattern) {
				e.Applied = append(e.Applied, s)
			}
		}
	}
}

// locationWalk is ap_location_walk: <Location> and <LocationMatch>
// sections matched against the URI, in file order.
func locationWalk(e *Effect, ix *apIndex) {
	for _, s := range ix.locations {
		if s.Regex != nil {
			if s.Regex.MatchString(e.Req.URI) {
				e.Applied = append(e.Applied, s)
			}
		} else if _, ok := CutURLPrefix(e.Req.URI, s.Pattern); ok || s.Pattern == "/" {
			e.Applied = append(e.Applied, s)
		}
	}
}

// ifWalk is ap_if_walk: <If> sections of the server and of the .htaccess
// files on the path, each only where its enclosing section applied, with
// the <ElseIf> and <Else> after an <If> applying only when no earlier
// member of the chain did. An expression the model cannot evaluate marks
// the effect Uncertain (and the rest of its chain with it).
func ifWalk(e *Effect, ix *apIndex, hts []apHtAt) {
	ifs := ix.ifs
	for _, h := range hts {
		if len(h.ifs) > 0 {
			ifs = append(slices.Clip(ifs), h.ifs...)
		}
	}
	applied, unknown := false, false // of the current chain
	for _, s := range ifs {
		if s.Kind == htaccess.SecIf {
			applied, unknown = false, false
		}
		if s.Parent != nil && !e.Merged(s.Parent) || applied {
			continue
		}
		if unknown {
			e.Uncertain = true
			continue
		}
		holds, known := true, true
		if s.Kind != htaccess.SecElse {
			holds, known = ifHolds(s.Pattern, e.Req.Method, e.Req.URI)
		}
		if !known {
			e.Uncertain, unknown = true, true
			continue
		}
		if holds {
			e.Applied = append(e.Applied, s)
			applied = true
		}
	}
}

// isIfChain reports whether a section kind is <If>, <ElseIf> or <Else>.
func isIfChain(kind string) bool {
	return kind == htaccess.SecIf || kind == htaccess.SecElseIf || kind == htaccess.SecElse
}

// filesMatch reports whether a <Files>/<FilesMatch> section matches a file
// name.
func filesMatch(s *Section, base string) bool {
	if s.Regex != nil {
		return s.Regex.MatchString(base)
	}
	ok, _ := path.Match(s.Pattern, base)
	return ok
}

// apIndex sorts a server's sections (the main server's, then its own) for
// Effect, once per server.
type apIndex struct {
	all       []*Section // EffectiveSections
	dirs      []apDirAt  // literal and wildcard <Directory>, by depth, stable
	regexDirs []*Section // <Directory ~> and <DirectoryMatch>
	files     []*Section // server-level <Files> and <FilesMatch>
	locations []*Section // <Location> and <LocationMatch>, file order
	// ifs are the server-level <If> sections and those nested in sections,
	// in merge order.
	ifs []*Section
	// openers are the sections that could open a protected one (AP302).
	openers []apOpener
}

type apDirAt struct {
	sec   *Section
	depth int
	wild  bool // the pattern has shell wildcards
}

func (d apDirAt) matches(p string) bool { return dirMatches(d.sec.Pattern, p, d.wild) }

// apHtAt is a .htaccess file on a request's path, at its directory depth,
// with the <If> sections nested in it.
type apHtAt struct {
	ht    *Htaccess
	depth int
	ifs   []*Section
}

func (m *Model) index(srv *Server) *apIndex {
	if ix := srv.ix.Load(); ix != nil {
		return ix
	}
	var ix *apIndex
	if srv == m.Main {
		ix = indexSections(srv.Sections)
	} else {
		// EffectiveSections: the main server's, indexed once, then its own.
		ix = m.index(m.Main).with(indexSections(srv.Sections))
	}
	if !srv.ix.CompareAndSwap(nil, ix) {
		return srv.ix.Load() // built meanwhile by another rule
	}
	return ix
}

// indexSections indexes sections in their order.
func indexSections(secs []*Section) *apIndex {
	ix := &apIndex{all: secs}
	for _, s := range secs {
		switch {
		case s.Kind == htaccess.SecDirectory && s.Regex == nil:
			ix.dirs = append(ix.dirs, apDirAt{s, depth(s.Pattern), strings.ContainsAny(s.Pattern, "*?[")})
		case s.Kind == htaccess.SecDirectory || s.Kind == htaccess.SecDirectoryMatch:
			ix.regexDirs = append(ix.regexDirs, s)
		case (s.Kind == htaccess.SecFiles || s.Kind == htaccess.SecFilesMatch) && s.Parent == nil:
			ix.files = append(ix.files, s)
		case s.Kind == htaccess.SecLocation || s.Kind == htaccess.SecLocationMatch:
			ix.locations = append(ix.locations, s)
		}
		if isIfChain(s.Kind) {
			// secs holds the nested sections too, each after its parent.
			ix.ifs = append(ix.ifs, s)
		}
		ix.openers = openers(s, true, ix.openers)
	}
	slices.SortStableFunc(ix.dirs, func(a, b apDirAt) int { return a.depth - b.depth })
	return ix
}

// with returns the index of ix's sections followed by own's: what
// indexSections of both lists gives (at a depth, ix's <Directory>
// sections stay first), without indexing ix's again.
func (ix *apIndex) with(own *apIndex) *apIndex {
	dirs := make([]apDirAt, 0, len(ix.dirs)+len(own.dirs))
	i, j := 0, 0
	for i < len(ix.dirs) || j < len(own.dirs) {
		if j == len(own.dirs) || i < len(ix.dirs) && ix.dirs[i].depth <= own.dirs[j].depth {
			dirs = append(dirs, ix.dirs[i])
			i++
		} else {
			dirs = append(dirs, own.dirs[j])
			j++
		}
	}
	return &apIndex{
		all:       slices.Concat(ix.all, own.all),
		dirs:      dirs,
		regexDirs: slices.Concat(ix.regexDirs, own.regexDirs),
		files:     slices.Concat(ix.files, own.files),
		locations: slices.Concat(ix.locations, own.locations),
		ifs:       slices.Concat(ix.ifs, own.ifs),
		openers:   slices.Concat(ix.openers, own.openers),
	}
}

// depthSet records directory depths (the number of '/' in a clean path),
// so that a walk up a path looks up only the depths where something is.
type depthSet struct {
	small uint64 // depths 0-63
	deep  bool   // any depth from 64 on
}

func (s *depthSet) add(d int) {
	if d < 64 {
		s.small |= 1 << d
	} else {
		s.deep = true
	}
}

func (s depthSet) has(d int) bool {
	if d < 0 {
		return false
	}
	if d < 64 {
		return s.small&(1<<d) != 0
	}
	return s.deep
}

// cleanPath is path.Clean, without its work for the common path that is
// clean already (or clean but for a trailing slash).
func cleanPath(p string) string {
	if len(p) > 1 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	if p == "" || p[0] != '/' || strings.Contains(p, "//") || strings.Contains(p, "/.") || strings.HasSuffix(p, "/") {
		return path.Clean(p)
	}
	return p
}

// htaccessOnPath returns the .htaccess files on the way to p, by depth.
func (m *Model) htaccessOnPath(p string) []apHtAt {
	if len(m.htByDir) == 0 {
		return nil
	}
	p = cleanPath(p)
	var out []apHtAt
	dep := depth(p) // of p[:i], one less at each step up
	for i := len(p); ; {
		d := "/"
		if i > 0 {
			d = p[:i]
		}
		if !m.htDepths.has(dep) {
			// no .htaccess at this depth anywhere: skip the lookup
		} else if ht := m.htByDir[d]; ht != nil {
			at := apHtAt{ht: ht, depth: dep}
			for _, s := range ht.nested {
				if isIfChain(s.Kind) {
					at.ifs = append(at.ifs, s)
				}
			}
			out = append(out, at)
		}
		if d == "/" || i <= 0 {
			break // the root, or the top of a relative path
		}
		i, dep = strings.LastIndexByte(p[:i], '/'), dep-1
	}
	slices.Reverse(out)
	return out
}

// Overrides is what AllowOverride and AllowOverrideList say for a
// directory: whether httpd reads its .htaccess, and what the file may hold.
type Overrides struct {
	// Classes is the lower-case AllowOverride value: "none" (the 2.4
	// default), "all", or a list such as "authconfig limit".
	Classes string
	// Set is the AllowOverride directive in effect; nil for the default.
	Set *htaccess.Node
	// List holds the lower-case directive names of AllowOverrideList.
	List []string
}

// Reads reports whether httpd reads the .htaccess at all: AllowOverride
// None without an AllowOverrideList means it never opens the file.
func (o Overrides) Reads() bool { return o.Classes != "none" || len(o.List) > 0 }

// Allows reports whether a directive of an override class may stand in the
// .htaccess (by its class or by name in AllowOverrideList).
func (o Overrides) Allows(class, directive string) bool {
	for _, c := range strings.Fields(o.Classes) {
		if c == "all" || c == class {
			return true
		}
	}
	return slices.Contains(o.List, directive)
}

// overrides returns what s's own AllowOverride and AllowOverrideList say
// (httpd's default None where it says nothing).
func (s *Section) overrides() Overrides {
	o := Overrides{Classes: "none"}
	o.fold(s)
	return o
}

// fold applies a section's AllowOverride and AllowOverrideList, when it is
// a non-regex <Directory>.
func (o *Overrides) fold(s *Section) {
	if s.Kind != htaccess.SecDirectory || s.Regex != nil {
		return
	}
	if n := s.Conf.AllowOverride; n != nil {
		o.Classes, o.Set = s.Conf.overrideClasses, n
	}
	if s.Conf.overrideListSet {
		o.List = s.Conf.overrideList
	}
}

// OverridesAt returns the overrides in effect for a directory on server s.
func (m *Model) OverridesAt(s *Server, dir string) Overrides {
	o := Overrides{Classes: "none"}
	for _, d := range m.index(s).dirs { // literal <Directory> sections, by depth
		if d.matches(dir) {
			o.fold(d.sec)
		}
	}
	return o
}

func (e *Effect) merge(s *Section) {
	c := &s.Conf
	set := func(dst *Setting, n *htaccess.Node) {
		if n != nil {
			*dst = Setting{Node: n, Sec: s}
		}
	}
	set(&e.AuthType, c.AuthType)
	set(&e.AuthName, c.AuthName)
	set(&e.AuthUserFile, c.AuthUserFile)
	set(&e.AuthGroupFile, c.AuthGroupFile)
	set(&e.AuthBasicProvider, c.AuthBasicProvider)
	set(&e.AuthDigestProvider, c.AuthDigestProvider)
	set(&e.UseDigestAlgorithm, c.UseDigestAlgorithm)
	set(&e.Satisfy, c.Satisfy)
	if c.Order != nil || len(c.Allow) > 0 || len(c.Deny) > 0 {
		set(&e.Order, c.Order)
		e.Allow, e.Deny = c.Allow, c.Deny
	}
	if len(c.Requires) == 0 {
		return
	}
	own := s.authz
	if own == nil {
		own = &Authz{Sec: s, Reqs: c.Requires}
	}
	op := ""
	if c.AuthMerging != nil {
		op = strings.ToLower(ArgExpanded(c.AuthMerging, 0))
	}
	if e.Authz != nil && (op == "and" || op == "or") {
		e.Authz = &Authz{Op: op, Subs: []*Authz{e.Authz, own}}
		return
	}
	e.Authz = own
}

// URIFor returns a URL path that a <Directory> or .htaccess directory
// serves on s, or "" when it is outside the server's tree.
func (m *Model) URIFor(s *Server, dir string) string {
	for _, a := range append(slices.Clip(s.Aliases), m.Main.Aliases...) {
		if UnderDir(dir, strings.TrimSuffix(a.Path, "/")) {
			return strings.TrimSuffix(a.URL, "/") + strings.TrimPrefix(dir, strings.TrimSuffix(a.Path, "/")) + "/"
		}
	}
	root := m.DocRoot(s)
	if root == "" || !UnderDir(dir, root) {
		return ""
	}
	if root == "/" {
		return strings.TrimSuffix(dir, "/") + "/"
	}
	return strings.TrimPrefix(dir, root) + "/"
}
