package apachemodel

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htaccess"
)

// Model is the auth-relevant view of one loaded Apache configuration:
// its servers, every per-directory section with the auth directives it sets,
// and the .htaccess files that apply (merged in the order of
// `ap_process_request_internal`).
type Model struct {
	Conf *htaccess.Config
	// ServerRoot resolves relative AuthUserFile/AuthGroupFile paths, also in
	// .htaccess files (`ap_server_root_relative`; scenario
	// `apache-htaccess-relative`).
	ServerRoot string
	// ServerRootDefault is set when ServerRoot is httpd's compiled-in
	// default (DefaultServerRoot) because the input is a .htaccess linted
	// alone: relative AuthUserFile/AuthGroupFile paths resolve against it,
	// as httpd does when no ServerRoot is given.
	ServerRootDefault bool
	// Fragment is set when the input is not a whole server configuration (a
	// vhost file or a .htaccess linted alone): ServerRoot, the loaded modules
	// and the inherited sections are unknown, so rules that need them stay
	// quiet.
	Fragment bool
	// Modules holds the identifiers ("auth_basic_module") and source names
	// ("mod_auth_basic.c") of loaded modules; nil when unknown.
	Modules map[string]bool
	Main    *Server
	VHosts  []*Server
	// Sections lists every section of the configuration files in file order
	// (not .htaccess files).
	Sections []*Section
	// HtAccess lists the .htaccess files found, in path order.
	HtAccess []*Htaccess
	// SearchStops are the directories where the .htaccess search stopped
	// at its bounds (HtaccessMaxDepth, HtaccessMaxDirs).
	SearchStops []SearchStop
	// User and Group are the worker account (User/Group directives).
	User, Group string
	// UserNode is the User directive, if any.
	UserNode *htaccess.Node
	// AccessFileNames are the AccessFileName values (default .htaccess).
	AccessFileNames []string
	// Skipped lists <IfModule> sections for modules that are not loaded
	// whose bodies hold auth directives httpd never reads.
	Skipped []Skipped
	// ProviderAliases are the names <AuthnProviderAlias> defines.
	ProviderAliases map[string]bool
	// htByDir indexes HtAccess by directory; byRoot indexes the serving
	// servers by DocumentRoot and Alias target (built on first use).
	htByDir  map[string]*Htaccess
	htDepths depthSet // the depths of htByDir's directories
	// resolved holds ResolveFile's answer for every AuthUserFile and
	// AuthGroupFile, computed as the model is built.
	resolved map[*htaccess.Node]string
	// derived holds lists the rules ask for repeatedly; adding a .htaccess
	// file resets it.
	derived apDerived
	// effects memoises Effect (every rule asks about the same probes), in
	// shards by server so that rules running in parallel seldom wait on
	// each other; userMu guards userFiles (what the user files hold, by
	// path).
	effects   [32]effectShard
	userMu    sync.Mutex
	userFiles map[string]*UserData
	// onRead is LoadOptions.OnRead, told the size of each .htaccess the
	// search reads (countRead).
	onRead func(n int) error
}

type effectShard struct {
	mu sync.Mutex
	m  map[Request]*Effect
}

// Skipped is an <IfModule> whose body httpd skips, and the section it is in.
type Skipped struct {
	Node *htaccess.Node
	Sec  *Section
	// Auth are the auth directives inside.
	Auth []*htaccess.Node
}

// Server is the main server or one <VirtualHost>.
type Server struct {
	Node        *htaccess.Node // nil for the main server
	DocRoot     string         // resolved; "" when unset
	DocRootNode *htaccess.Node
	// Sections are the per-directory sections of this server alone, in file
	// order; a virtual host also inherits the main server's (Effective).
	Sections []*Section
	Aliases  []Alias
	// MoreAliases are the ScriptAlias, AliasMatch and ScriptAliasMatch
	// directives, which mod_alias tries in one list with the Alias ones
	// (by Seq); they are kept apart because they serve no static tree
	// the .htaccess search or the rules would look into.
	MoreAliases []Alias
	// Proxies are the server's own <Proxy> and <ProxyMatch> sections, in
	// file order; a virtual host merges the main server's first.
	Proxies []*Section
	// Directives lists the server's own directives outside every section,
	// in httpd's order (Listen, ServerAlias, RewriteRule, Redirect...).
	Directives []*htaccess.Node
	// ServerName and Certs (SSLCertificateFile paths) tell whether the
	// server renews certificates through ACME.
	ServerName string
	Certs      []string
	// ErrorDocs are server-level ErrorDocument directives.
	ErrorDocs []*htaccess.Node

	// idx is the server's place: 0 for the main server, i+1 for VHosts[i];
	// one is the list of just this server (shared, read-only).
	idx int
	one []*Server
	// ix is the server's index for Effect, built on first use.
	ix atomic.Pointer[apIndex]
}

// Alias is an Alias directive: URL prefix → filesystem path; or, in
// MoreAliases, a ScriptAlias (Script) or an AliasMatch/ScriptAliasMatch
// (Regex, and Path holds the $N substitution).
type Alias struct {
	URL, Path string
	Node      *htaccess.Node
	// Seq orders the server's Alias-family directives as mod_alias tries
	// them (configuration order).
	Seq    int
	Regex  *regexp.Regexp
	Script bool
}

// Name describes the server for messages.
func (s *Server) Name() string {
	if s.Node == nil {
		return "the main server"
	}
	name := "<VirtualHost " + strings.Join(s.Node.ArgValues(), " ") + ">"
	for _, c := range s.Node.Children {
		if c.Lower == "servername" && len(c.Args) > 0 {
			name += " (" + c.Args[0].Expanded + ")"
		}
	}
	return name
}

// Section is one per-directory configuration: a <Directory>, <Files>,
// <Location> or <If> section, or a .htaccess file.
type Section struct {
	// Kind is the lower-case section name (htaccess.SecDirectory, ...) or
	// "htaccess".
	Kind string
	// Node is the opening directive; nil for a .htaccess file.
	Node *htaccess.Node
	// File is the file the section is in.
	File string
	// Pattern is the section's argument: a resolved directory, a URL path, a
	// file name pattern, or an <If> expression.
	Pattern string
	Regex   *regexp.Regexp
	// Parent is the enclosing section (a <Files> or <If> inside a
	// <Directory>), nil at server level.
	Parent *Section
	Server *Server
	Conf   DirConf
	// Order is the position in the configuration (file order).
	Order int
	// Htaccess is set for .htaccess sections.
	Htaccess *Htaccess
	// Children are the sections nested in this one.
	Children []*Section
	// authz is the section's own Require lines (nil without any); userReq
	// the first of them that names users, once userKnown.
	authz     *Authz
	userReq   *Req
	userKnown bool
	// probes memoises Probes.
	probes atomic.Pointer[[]Probe]
}

// Describe names the section for messages: `<Directory "/srv/www/private">`.
func (s *Section) Describe() string {
	if s.Node == nil {
		return s.File
	}
	return "<" + s.Node.Name + " " + strings.Join(quoteArgs(s.Node), " ") + ">"
}

func quoteArgs(n *htaccess.Node) []string {
	var out []string
	for _, a := range n.Args {
		if a.Quote != 0 {
			out = append(out, string(a.Quote)+a.Value+string(a.Quote))
		} else {
			out = append(out, a.Value)
		}
	}
	return out
}

// IsRegex reports whether the section matches by regular expression.
func (s *Section) IsRegex() bool { return s.Regex != nil }

// DirConf holds the auth directives one section sets itself.
type DirConf struct {
	AuthType, AuthName, AuthUserFile, AuthGroupFile            *htaccess.Node
	AuthBasicProvider, AuthDigestProvider, AuthMerging         *htaccess.Node
	Satisfy, AllowOverride, UseDigestAlgorithm, AuthzForbidden *htaccess.Node
	// Requires are the top-level requirements: several form an implicit
	// <RequireAny> (mod_authz_core; scenario `apache-granted-beside-user`).
	Requires []*Req
	// Order, Allow and Deny are mod_access_compat's directives.
	Order       *htaccess.Node
	Allow, Deny []*htaccess.Node
	ErrorDocs   []*htaccess.Node
	// CORS lists Header directives that set Access-Control-Allow-*.
	CORS []*htaccess.Node
	// Directives lists every directive of the section (not of nested
	// sections), for the .htaccess and argument checks.
	Directives []*htaccess.Node
	// Limits lists the <Limit>/<LimitExcept> sections.
	Limits []*htaccess.Node
	// overrideClasses is AllowOverride's value in lower case; overrideList
	// the lower-case names of the last AllowOverrideList, if any
	// (overrideListSet).
	overrideClasses string
	overrideList    []string
	overrideListSet bool
}

// HasAuthn reports whether the section sets any authentication directive.
func (c *DirConf) HasAuthn() bool {
	return c.AuthType != nil || c.AuthName != nil || c.AuthUserFile != nil
}

// Req is one requirement: a Require line or a Require container.
type Req struct {
	Node *htaccess.Node
	// Container is "" for a Require line, else requireall/requireany/requirenone.
	Container string
	Children  []*Req
	// Negated is "Require not …".
	Negated bool
	// Provider is the lower-case provider name: all, valid-user, user, ip…
	Provider string
	Args     []string
	// Limit is the enclosing <Limit>/<LimitExcept>, nil for all methods.
	Limit *htaccess.Node
}

// NeedsUser reports whether the requirement names users (valid-user, user,
// group and the like), anywhere inside it.
func (r *Req) NeedsUser() bool {
	if r.Container != "" {
		for _, c := range r.Children {
			if c.NeedsUser() {
				return true
			}
		}
		return false
	}
	return userProvider(r.Provider)
}

// userProvider reports whether an authz provider needs an authenticated user.
func userProvider(p string) bool {
	switch p {
	case "valid-user", "user", "group", "file-owner", "file-group", "dbd-group",
		"ldap-user", "ldap-group", "ldap-dn", "ldap-attribute", "ldap-filter", "dbm-group":
		return true
	}
	return false
}

// AppliesTo reports whether a requirement limited by <Limit>/<LimitExcept>
// applies to method.
func (r *Req) AppliesTo(method string) bool {
	if r.Limit == nil {
		return true
	}
	in := false
	for _, m := range r.Limit.ArgValues() {
		if strings.EqualFold(m, method) || (strings.EqualFold(m, "GET") && method == "HEAD") {
			in = true
		}
	}
	if r.Limit.Lower == htaccess.SecLimitExcept {
		return !in
	}
	return in
}

// Htaccess is a .htaccess file found under a directory the server serves.
type Htaccess struct {
	Path, Dir string
	File      *htaccess.File
	Section   *Section
	// ReadErr is set when the file exists but cannot be read.
	ReadErr error
	// nested are the <Files> and <If> sections inside the file.
	nested []*Section
	// openers are its sections that could open a protected one (AP302).
	openers []apOpener
	// local is what building it adds to the model, until it is linked.
	local *apLocal
	// data is the file's content, for snippets.
	Data []byte
	// ID is the file's identity (serverfs.FileID) when the directory
	// scan read it itself, without a symlink; "" otherwise.
	ID string
}

// staticModules are compiled into Debian's apache2 binary.
var staticModules = []string{"core", "so", "watchdog", "http", "log_config", "logio", "version", "unixd"}

// ModuleLoaded reports whether <IfModule name> holds; unknown (true) when the
// configuration loads no module at all (a fragment).
func (m *Model) ModuleLoaded(name string) bool {
	if m.Modules == nil {
		return true
	}
	return m.Modules[strings.ToLower(name)]
}

// resolve is ap_server_root_relative.
func (m *Model) resolve(p string) string {
	if path.IsAbs(p) || m.ServerRoot == "" {
		return path.Clean(p)
	}
	return path.Join(m.ServerRoot, p)
}

// build builds the model of a loaded configuration. fragment is
// set when the main file is not a whole server configuration.
func build(conf *htaccess.Config, fragment bool) *Model {
	m := &Model{Conf: conf, ServerRoot: conf.ServerRoot, Fragment: fragment}
	if len(conf.Modules) > 0 {
		m.Modules = map[string]bool{}
		for _, s := range staticModules {
			m.Modules[s+"_module"] = true
			m.Modules["mod_"+s+".c"] = true
		}
		m.Modules["core.c"] = true
		for _, mod := range conf.Modules {
			m.Modules[strings.ToLower(mod.Name)] = true
			base := strings.TrimSuffix(path.Base(mod.Path), ".so")
			m.Modules[strings.ToLower(base)+".c"] = true
		}
	}
	m.Main = &Server{}
	m.Main.one = []*Server{m.Main}
	if conf.Main != nil {
		b := &apBuilder{m: m}
		b.server(m.Main, conf.Main.Nodes, nil)
	}
	if len(m.AccessFileNames) == 0 {
		m.AccessFileNames = []string{".htaccess"}
	}
	return m
}

type apBuilder struct {
	m     *Model
	order int
	// local, when set, collects what the builder would add to the model
	// (buildHtaccess), so that .htaccess files can be built concurrently.
	local *apLocal
}

// apLocal is what building one .htaccess file adds to the model.
type apLocal struct {
	resolved map[*htaccess.Node]string
	skipped  []Skipped
}

// active reports whether a conditional section's body is read by httpd.
func (b *apBuilder) active(n *htaccess.Node) bool {
	switch n.Lower {
	case htaccess.SecIfDefine:
		holds, evaluated := b.m.Conf.IfDefineHolds(n)
		return holds || !evaluated
	case htaccess.SecIfModule:
		if len(n.Args) == 0 {
			return true
		}
		name := n.Args[0].Expanded
		neg := strings.HasPrefix(name, "!")
		return b.m.ModuleLoaded(strings.TrimPrefix(name, "!")) != neg
	}
	return true
}

// skipped records an inactive <IfModule> that holds auth directives.
func (b *apBuilder) skipped(n *htaccess.Node, sec *Section) {
	if n.Lower != htaccess.SecIfModule {
		return
	}
	var auth []*htaccess.Node
	var walk func(ns []*htaccess.Node)
	walk = func(ns []*htaccess.Node) {
		for _, c := range children(ns) {
			if !c.Section && AuthDirective(c.Lower) {
				auth = append(auth, c)
			}
			walk(c.Children)
		}
	}
	walk(n.Children)
	if len(auth) > 0 {
		if b.local != nil {
			b.local.skipped = append(b.local.skipped, Skipped{Node: n, Sec: sec, Auth: auth})
		} else {
			b.m.Skipped = append(b.m.Skipped, Skipped{Node: n, Sec: sec, Auth: auth})
		}
	}
}

// children returns a node's children followed by the nodes of the files an
// Include pulled in, in httpd's order.
func children(ns []*htaccess.Node) []*htaccess.Node {
	included := false
	for _, n := range ns {
		if len(n.Includes()) > 0 {
			included = true
			break
		}
	}
	if !included {
		return ns
	}
	return appendChildren(nil, ns)
}

// appendChildren appends ns to out with the nodes of included files in
// their place, into the one slice: includes nested 25 deep are copied once,
// not once per level.
func appendChildren(out, ns []*htaccess.Node) []*htaccess.Node {
	for _, n := range ns {
		if len(n.Includes()) > 0 {
			for _, f := range n.Includes() {
				out = appendChildren(out, f.Nodes)
			}
			continue
		}
		out = append(out, n)
	}
	return out
}

// server reads server-level nodes (main server or a VirtualHost body).
func (b *apBuilder) server(s *Server, ns []*htaccess.Node, conds []*htaccess.Node) {
	for _, n := range children(ns) {
		switch {
		case n.Section && htaccess.IsConditional(n.Lower):
			if b.active(n) {
				b.server(s, n.Children, conds)
			} else {
				b.skipped(n, nil)
			}
		case n.Section && n.Lower == "authnprovideralias":
			if len(n.Args) == 2 {
				if b.m.ProviderAliases == nil {
					b.m.ProviderAliases = map[string]bool{}
				}
				b.m.ProviderAliases[strings.ToLower(n.Args[1].Expanded)] = true
			}
		case n.Section && n.Lower == htaccess.SecVirtualHost && s == b.m.Main:
			vh := &Server{Node: n, idx: len(b.m.VHosts) + 1}
			vh.one = []*Server{vh}
			b.m.VHosts = append(b.m.VHosts, vh)
			b.server(vh, n.Children, conds)
		case n.Section && isPerDirSection(n.Lower):
			b.section(s, nil, n, nil)
		case n.Section && (n.Lower == "proxy" || n.Lower == "proxymatch"):
			b.proxySection(s, n)
		case n.Section:
			// Unknown sections carry no auth for served paths.
		default:
			b.serverDirective(s, n)
		}
	}
}

func isPerDirSection(lower string) bool {
	switch lower {
	case htaccess.SecDirectory, htaccess.SecDirectoryMatch, htaccess.SecFiles, htaccess.SecFilesMatch,
		htaccess.SecLocation, htaccess.SecLocationMatch, htaccess.SecIf, htaccess.SecElseIf, htaccess.SecElse:
		return true
	}
	return false
}

// ArgExpanded returns the i-th argument of n after ${VAR} expansion; "" when
// n is nil or has fewer arguments.
func ArgExpanded(n *htaccess.Node, i int) string {
	if n != nil && i < len(n.Args) {
		return n.Args[i].Expanded
	}
	return ""
}

func (b *apBuilder) serverDirective(s *Server, n *htaccess.Node) {
	s.Directives = append(s.Directives, n)
	switch n.Lower {
	case "documentroot":
		if len(n.Args) == 1 {
			s.DocRoot = strings.TrimSuffix(b.m.resolve(n.Args[0].Expanded), "/")
			if s.DocRoot == "" {
				s.DocRoot = "/"
			}
			s.DocRootNode = n
		}
	case "alias":
		if len(n.Args) == 2 {
			s.Aliases = append(s.Aliases, Alias{URL: n.Args[0].Expanded, Path: b.m.resolve(n.Args[1].Expanded), Node: n, Seq: b.aliasSeq(s)})
		}
	case "scriptalias", "aliasmatch", "scriptaliasmatch":
		if len(n.Args) == 2 {
			a := Alias{URL: n.Args[0].Expanded, Path: n.Args[1].Expanded, Node: n, Seq: b.aliasSeq(s), Script: n.Lower != "aliasmatch"}
			if n.Lower == "scriptalias" {
				a.Path = b.m.resolve(a.Path)
			} else if re, err := regexp.Compile(a.URL); err == nil {
				a.Regex = re
			} else {
				break // httpd refuses the configuration
			}
			s.MoreAliases = append(s.MoreAliases, a)
		}
	case "servername":
		if len(n.Args) > 0 {
			s.ServerName = strings.ToLower(n.Args[0].Expanded)
		}
	case "errordocument":
		s.ErrorDocs = append(s.ErrorDocs, n)
	case "sslcertificatefile":
		if len(n.Args) > 0 {
			s.Certs = append(s.Certs, n.Args[0].Expanded)
		}
	case "user":
		if s == b.m.Main && len(n.Args) == 1 {
			b.m.User, b.m.UserNode = n.Args[0].Expanded, n
		}
	case "group":
		if s == b.m.Main && len(n.Args) == 1 {
			b.m.Group = n.Args[0].Expanded
		}
	case "accessfilename":
		if s == b.m.Main {
			b.m.AccessFileNames = nil
			for _, a := range n.Args {
				b.m.AccessFileNames = append(b.m.AccessFileNames, a.Expanded)
			}
		}
	}
}

// aliasSeq numbers the Alias-family directives of a server.
func (b *apBuilder) aliasSeq(s *Server) int {
	return len(s.Aliases) + len(s.MoreAliases)
}

// proxySection reads a <Proxy> or <ProxyMatch> section: kept apart from
// the per-directory sections (Server.Proxies), since only proxied requests
// merge them (mod_proxy's proxy_walk, in place of the directory walk).
func (b *apBuilder) proxySection(s *Server, n *htaccess.Node) {
	if len(n.Args) == 0 {
		return
	}
	b.order++
	sec := &Section{Kind: n.Lower, Node: n, File: n.File, Server: s, Order: b.order}
	arg := n.Args[len(n.Args)-1].Expanded
	sec.Pattern = arg
	if n.Lower == "proxymatch" || len(n.Args) == 2 && n.Args[0].Expanded == "~" {
		if re, err := regexp.Compile(arg); err == nil {
			sec.Regex = re
		} else {
			sec.Regex = regexp.MustCompile(`\A\z.`) // never matches
		}
	} else if strings.ContainsAny(arg, "*?[") {
		sec.Regex = fnmatchRegexp(arg)
	}
	b.dirConf(sec, &sec.Conf, n.Children, nil)
	sec.setAuthz()
	s.Proxies = append(s.Proxies, sec)
}

// fnmatchRegexp turns an apr_fnmatch pattern without APR_FNM_PATHNAME
// (`*` and `?` also match '/') into a regexp of the whole string.
func fnmatchRegexp(pat string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`\A`)
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			end := strings.IndexByte(pat[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pat[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		case '\\':
			if i+1 < len(pat) {
				i++
				b.WriteString(regexp.QuoteMeta(pat[i : i+1]))
			}
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`\A\z.`)
	}
	return re
}

// section reads a per-directory section and the sections nested in it.
func (b *apBuilder) section(s *Server, parent *Section, n *htaccess.Node, ht *Htaccess) *Section {
	b.order++
	sec := &Section{Kind: n.Lower, Node: n, File: n.File, Parent: parent, Server: s, Order: b.order, Htaccess: ht}
	arg := ""
	if len(n.Args) > 0 {
		arg = n.Args[len(n.Args)-1].Expanded
	}
	isRe := len(n.Args) == 2 && n.Args[0].Expanded == "~"
	switch n.Lower {
	case htaccess.SecDirectoryMatch, htaccess.SecLocationMatch, htaccess.SecFilesMatch:
		isRe = true
	}
	switch n.Lower {
	case htaccess.SecIf, htaccess.SecElseIf:
		sec.Pattern = strings.Join(n.ArgValues(), " ")
	case htaccess.SecDirectory, htaccess.SecDirectoryMatch:
		if isRe {
			sec.Pattern = arg
		} else {
			sec.Pattern = b.m.resolve(arg)
			if sec.Pattern != "/" {
				sec.Pattern = strings.TrimSuffix(sec.Pattern, "/")
			}
		}
	default:
		sec.Pattern = arg
	}
	if isRe {
		if re, err := regexp.Compile(arg); err == nil {
			sec.Regex = re
		} else {
			sec.Regex = regexp.MustCompile(`\A\z.`) // never matches
		}
	}
	if parent != nil {
		parent.Children = append(parent.Children, sec)
	}
	if ht != nil {
		ht.nested = append(ht.nested, sec)
	} else {
		s.Sections = append(s.Sections, sec)
		b.m.Sections = append(b.m.Sections, sec)
	}
	b.dirConf(sec, &sec.Conf, n.Children, nil)
	sec.setAuthz()
	return sec
}

// setAuthz records the section's own Require lines as an authorization,
// once its directives are read.
// OwnAuthz returns the section's own Require lines as one requirement; nil
// when it has none.
func (s *Section) OwnAuthz() *Authz { return s.authz }

func (s *Section) setAuthz() {
	if len(s.Conf.Requires) > 0 {
		s.authz = &Authz{Sec: s, Reqs: s.Conf.Requires}
	}
	s.userReq, s.userKnown = firstUserRequire(s.Conf.Requires), true
}

// dirConf reads the directives of a per-directory context into c; nested
// per-directory sections become child sections.
func (b *apBuilder) dirConf(sec *Section, c *DirConf, ns []*htaccess.Node, limit *htaccess.Node) {
	ns = children(ns)
	if c.Directives == nil {
		c.Directives = make([]*htaccess.Node, 0, len(ns)) // one allocation for the usual case
	}
	for _, n := range ns {
		switch {
		case n.Section && htaccess.IsConditional(n.Lower):
			if b.active(n) {
				b.dirConf(sec, c, n.Children, limit)
			} else {
				b.skipped(n, sec)
			}
		case n.Section && (n.Lower == htaccess.SecLimit || n.Lower == htaccess.SecLimitExcept):
			c.Limits = append(c.Limits, n)
			b.dirConf(sec, c, n.Children, n)
		case n.Section && isRequireContainer(n.Lower):
			c.Requires = append(c.Requires, b.requireContainer(n, limit))
		case n.Section && isPerDirSection(n.Lower) && sec != nil:
			b.section(sec.Server, sec, n, sec.Htaccess)
		case n.Section:
		default:
			b.dirDirective(c, n, limit)
		}
	}
}

// resolveRef records where an AuthUserFile or AuthGroupFile points.
func (b *apBuilder) resolveRef(n *htaccess.Node) {
	dst := &b.m.resolved
	if b.local != nil {
		dst = &b.local.resolved
	}
	if *dst == nil {
		*dst = map[*htaccess.Node]string{}
	}
	(*dst)[n] = b.m.resolveFile(n)
}

func isRequireContainer(lower string) bool {
	return lower == htaccess.SecRequireAll || lower == htaccess.SecRequireAny || lower == htaccess.SecRequireNone
}

func (b *apBuilder) requireContainer(n *htaccess.Node, limit *htaccess.Node) *Req {
	r := &Req{Node: n, Container: n.Lower, Limit: limit}
	for _, c := range children(n.Children) {
		switch {
		case c.Section && isRequireContainer(c.Lower):
			r.Children = append(r.Children, b.requireContainer(c, limit))
		case c.Section && htaccess.IsConditional(c.Lower):
			if b.active(c) {
				sub := b.requireContainer(c, limit)
				r.Children = append(r.Children, sub.Children...)
			}
		case c.Lower == "require":
			r.Children = append(r.Children, requireLine(c, limit))
		}
	}
	return r
}

func requireLine(n *htaccess.Node, limit *htaccess.Node) *Req {
	r := &Req{Node: n, Limit: limit}
	words := make([]string, 0, len(n.Args))
	for _, a := range n.Args {
		words = append(words, a.Expanded)
	}
	if len(words) > 0 && strings.EqualFold(words[0], "not") {
		r.Negated = true
		words = words[1:]
	}
	if len(words) > 0 {
		r.Provider = strings.ToLower(words[0])
		r.Args = words[1:]
	}
	return r
}

func (b *apBuilder) dirDirective(c *DirConf, n *htaccess.Node, limit *htaccess.Node) {
	c.Directives = append(c.Directives, n)
	switch n.Lower {
	case "authtype":
		c.AuthType = n
	case "authname":
		c.AuthName = n
	case "authuserfile":
		c.AuthUserFile = n
		b.resolveRef(n)
	case "authgroupfile":
		c.AuthGroupFile = n
		b.resolveRef(n)
	case "authbasicprovider":
		c.AuthBasicProvider = n
	case "authdigestprovider":
		c.AuthDigestProvider = n
	case "authmerging":
		c.AuthMerging = n
	case "satisfy":
		c.Satisfy = n
	case "allowoverride":
		c.AllowOverride = n
		c.overrideClasses = strings.ToLower(strings.Join(n.ArgValues(), " "))
	case "allowoverridelist":
		c.overrideListSet, c.overrideList = true, nil
		for _, v := range n.ArgValues() {
			if v = strings.ToLower(v); v != "none" && overrideListKeeps(v) {
				c.overrideList = append(c.overrideList, v)
			}
		}
	case "authbasicusedigestalgorithm":
		c.UseDigestAlgorithm = n
	case "authzsendforbiddenonfailure":
		c.AuthzForbidden = n
	case "require":
		c.Requires = append(c.Requires, requireLine(n, limit))
	case "order":
		c.Order = n
	case "allow":
		c.Allow = append(c.Allow, n)
	case "deny":
		c.Deny = append(c.Deny, n)
	case "errordocument":
		c.ErrorDocs = append(c.ErrorDocs, n)
	case "header":
		for _, a := range n.Args {
			if strings.HasPrefix(strings.ToLower(a.Expanded), "access-control-allow-") {
				c.CORS = append(c.CORS, n)
				break
			}
		}
	}
}

// EffectiveSections returns the sections that apply to a server: the main
// server's followed by its own (a virtual host merges onto the main server).
func (m *Model) EffectiveSections(s *Server) []*Section {
	if s == m.Main {
		return s.Sections
	}
	return append(slices.Clip(m.Main.Sections), s.Sections...)
}

// Servers returns the main server and every virtual host.
func (m *Model) Servers() []*Server {
	return append([]*Server{m.Main}, m.VHosts...)
}

// ServingServers returns the servers that answer requests: the virtual
// hosts when there are any (the first one on an address is its default, so
// the main server answers nothing), else the main server.
func (m *Model) ServingServers() []*Server {
	if len(m.VHosts) > 0 {
		return m.VHosts
	}
	return []*Server{m.Main}
}

// ServersFor returns the serving servers whose DocumentRoot or an Alias
// target is dir or above it.
func (m *Model) ServersFor(dir string) []*Server {
	byRoot := m.serversByRoot()
	var out []*Server
	d := path.Clean(dir)
	dep := -1 // unknown for a relative path: look up every step
	if path.IsAbs(d) {
		dep = depth(d)
	}
	for ; ; d = PathParent(d) {
		if dep < 0 || m.derived.rootDepths.has(dep) {
			for _, s := range byRoot[d] {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		if d == "/" || d == "." || d == "" {
			break
		}
		if dep > 0 {
			dep--
		}
	}
	return out
}

// PathParent is path.Dir for a clean path, without allocating.
func PathParent(p string) string {
	i := strings.LastIndexByte(p, '/')
	switch {
	case i < 0:
		return "."
	case i == 0:
		return "/"
	}
	return p[:i]
}

// serversByRoot indexes the serving servers by DocumentRoot and Alias
// target (once).
func (m *Model) serversByRoot() map[string][]*Server {
	m.derived.byRootOnce.Do(func() { m.derived.byRoot = m.indexRoots() })
	return m.derived.byRoot
}

func (m *Model) indexRoots() map[string][]*Server {
	servers := m.ServingServers()
	byRoot := make(map[string][]*Server, len(servers))
	add := func(s *Server, r string) {
		if r == "" {
			return
		}
		if l := byRoot[r]; len(l) == 0 || l[len(l)-1] != s {
			if len(l) == 0 && s.one != nil {
				l = s.one // shared: the common root of a single server
			} else {
				l = append(slices.Clip(l), s)
			}
			byRoot[r] = l
		}
		if path.IsAbs(r) {
			m.derived.rootDepths.add(depth(cleanPath(r)))
		} else {
			m.derived.rootDepths.deep, m.derived.rootDepths.small = true, ^uint64(0) // anything may match
		}
	}
	for _, s := range servers {
		add(s, m.DocRoot(s))
		for _, a := range s.Aliases {
			add(s, strings.TrimSuffix(a.Path, "/"))
		}
		if s != m.Main {
			for _, a := range m.Main.Aliases {
				add(s, strings.TrimSuffix(a.Path, "/"))
			}
		}
	}
	return byRoot
}

// DocRoot returns the server's DocumentRoot, inheriting the main server's.
func (m *Model) DocRoot(s *Server) string {
	if s.DocRoot != "" {
		return s.DocRoot
	}
	return m.Main.DocRoot
}

// addHtaccess adds a parsed .htaccess file as the per-directory section of
// its directory.
func (m *Model) addHtaccess(ht *Htaccess) {
	m.buildHtaccess(ht)
	m.linkHtaccess(ht)
}

// buildHtaccess builds a .htaccess file's section and the sections nested
// in it, without changing the model: files can be built concurrently (the
// .htaccess search does) and are linked one by one, in path order.
func (m *Model) buildHtaccess(ht *Htaccess) {
	b := &apBuilder{m: m, local: &apLocal{}}
	sec := &Section{Kind: "htaccess", File: ht.Path, Pattern: ht.Dir, Htaccess: ht}
	ht.Section = sec
	if ht.File != nil {
		b.dirConf(sec, &sec.Conf, ht.File.Nodes, nil)
	}
	sec.setAuthz()
	// The file and its nested sections: openers walks Children, and
	// nested sections are the file's section's children or theirs.
	ht.openers = openers(sec, true, nil)
	ht.local = b.local
}

// linkHtaccess adds a built .htaccess file to the model: its sections take
// their place in the merge order after the configuration's and the files
// linked before.
func (m *Model) linkHtaccess(ht *Htaccess) {
	base := 1 << 20 * (len(m.HtAccess) + 1)
	ht.Section.Order += base
	for _, s := range ht.nested {
		s.Order += base
	}
	if l := ht.local; l != nil {
		for n, p := range l.resolved {
			if m.resolved == nil {
				m.resolved = map[*htaccess.Node]string{}
			}
			m.resolved[n] = p
		}
		m.Skipped = append(m.Skipped, l.skipped...)
		ht.local = nil
	}
	m.HtAccess = append(m.HtAccess, ht)
	if m.htByDir == nil {
		m.htByDir = map[string]*Htaccess{}
	}
	m.htByDir[ht.Dir] = ht
	m.htDepths.add(depth(ht.Dir))
	for i := range m.effects {
		m.effects[i].m = nil
	}
	m.derived = apDerived{}
}

// apDerived memoises lists derived from the whole model.
type apDerived struct {
	allSections []*Section
	haveAll     bool
	hasSatisfy  bool // a Satisfy directive anywhere (see MayOpenAfter)
	usersOnce   sync.Once
	userFiles   []UserFileRef
	byRootOnce  sync.Once
	byRoot      map[string][]*Server
	rootDepths  depthSet // the depths of byRoot's roots
	challOnce   sync.Once
	docRootOnce sync.Once
	byDocRoot   map[string][]*Server // ServersWithDocRootAbove's index
	challenges  []Challenge
}

// freeze computes what rules read of the model without a lock, so that
// they can share it while they run in parallel (what they compute on the
// way is memoised under mutexes or computed once).
func (m *Model) freeze() {
	for _, s := range m.AllSections() {
		m.derived.hasSatisfy = m.derived.hasSatisfy || s.Conf.Satisfy != nil
	}
}
