package apachemodel

import (
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// TranslateInput is what the translate_name phase sees of a request.
type TranslateInput struct {
	Server *Server
	URI    string // decoded and normalised
	Method string
	Query  string
	Host   string // the Host header as sent
	Scheme string
	Port   int
	Header http.Header
	Client string
	// DocRoot is the server's DocumentRoot (Translate sets it).
	DocRoot string
}

// Translation is where translate_name maps a request.
type Translation struct {
	// Status, when not 0, answers the request before any authorization:
	// a RewriteRule's F (403), G (410) or R, a Redirect.
	Status int
	// URI is the URL path the location walk sees (a RewriteRule with PT
	// changes it).
	URI string
	// File is the filesystem path; "" with NoFile for a proxied request.
	File   string
	NoFile bool
	// ProxyURL is the backend URL of a proxied request, as mod_proxy's
	// <Proxy> sections see it (r->filename after "proxy:", a UNIX-socket
	// prefix "unix:PATH|" taken off); "" when unknown.
	ProxyURL string
	// Script is set for a ScriptAlias target.
	Script bool
	Steps  []TranslateStep
	// Uncertain is set when a rule could not be evaluated.
	Uncertain bool
}

// TranslateStep is one decision of the translate phase.
type TranslateStep struct {
	Phase string // "rewrite", "alias"
	Node  *htaccess.Node
	Text  string
}

func (t *Translation) add(phase string, n *htaccess.Node, text string) {
	t.Steps = append(t.Steps, TranslateStep{Phase: phase, Node: n, Text: text})
}

func (t *Translation) unsure(phase string, n *htaccess.Node, text string) {
	t.Uncertain = true
	t.add(phase, n, text)
}

// Translate runs the translate_name hooks httpd runs before the
// directory walk, in their order: mod_rewrite's server-context rules
// (hook_uri2file, first), mod_proxy's ProxyPass, mod_alias's Redirect then
// Alias-family directives (translate_alias_redir), and the core's
// DocumentRoot. fsys answers mod_rewrite's file tests and its check of a
// substitution's first path segment.
func (m *Model) Translate(fsys serverfs.FS, in TranslateInput) Translation {
	t := Translation{URI: in.URI}
	in.DocRoot = m.DocRoot(in.Server)
	if m.ModuleLoaded("rewrite_module") {
		if done := m.rewrite(fsys, in, &t); done {
			return t
		}
	}
	if m.ModuleLoaded("proxy_module") {
		if proxied := m.proxyTrans(in.Server, &t); proxied {
			return t
		}
	}
	if m.ModuleLoaded("alias_module") {
		for _, srv := range in.Server.withMain(m) {
			for _, n := range srv.Directives {
				if st, ok := redirectMatches(n, t.URI); ok {
					t.Status = st
					t.add("alias", n, n.Name+" answers "+strconv.Itoa(st)+" before any authorization")
					return t
				}
			}
		}
	}
	return m.aliasOrRoot(in.Server, t)
}

// proxyTrans is mod_proxy's proxy_trans: the ProxyPass of the <Location>
// sections that match the URL first (a "!" there keeps the URL local;
// scenario `apache-proxypass-main-first`), then
// the server's ProxyPass and ProxyPassMatch lines, the main server's before
// a virtual host's, the first that matches deciding ("!" keeps it local).
// It reports whether the request is proxied.
func (m *Model) proxyTrans(srv *Server, t *Translation) bool {
	if n, loc := m.locationProxyPass(srv, t.URI); n != nil {
		if n.Args[0].Expanded == "!" {
			return false
		}
		t.NoFile = true
		t.ProxyURL = proxyTarget(n.Args[0].Expanded, t.URI, loc)
		t.add("alias", n, "ProxyPass in <Location> hands "+t.URI+" to "+n.Args[0].Expanded+proxiedNote(t.ProxyURL))
		return true
	}
	// mod_proxy appends a virtual host's ProxyPass list to the main
	// server's (merge_proxy_config): the main server's are tried first
	// (scenario `apache-proxypass-main-first`).
	for _, s := range mainFirst(m, srv) {
		for _, n := range s.Directives {
			if n.Lower != "proxypass" && n.Lower != "proxypassmatch" || len(n.Args) < 2 || !proxyMatches(n, t.URI) {
				continue
			}
			if n.Args[1].Expanded == "!" {
				return false
			}
			t.NoFile = true
			t.ProxyURL = proxyTarget(n.Args[1].Expanded, t.URI, n)
			t.add("alias", n, n.Name+" hands "+t.URI+" to "+n.Args[1].Expanded+proxiedNote(t.ProxyURL))
			return true
		}
	}
	return false
}

// locationProxyPass returns the one-argument ProxyPass of the last
// <Location> or <LocationMatch> that matches uri: httpd 2.4 runs the
// location walk before translate_name, and mod_proxy's proxy_trans tries
// the merged location's ProxyPass (dconf->alias) before the server's. nil
// when none has one; its argument is "!" when the location is kept local.
func (m *Model) locationProxyPass(srv *Server, uri string) (pass, loc *htaccess.Node) {
	var found, at *htaccess.Node
	for _, s := range m.index(srv).locations {
		if s.Regex != nil && !s.Regex.MatchString(uri) {
			continue
		}
		if _, ok := CutURLPrefix(uri, s.Pattern); s.Regex == nil && !ok && s.Pattern != "/" {
			continue
		}
		for _, n := range s.Conf.Directives {
			if n.Lower == "proxypass" && len(n.Args) == 1 {
				found, at = n, s.Node
			}
		}
	}
	return found, at
}

// proxyTarget is the backend URL mod_proxy's ap_proxy_trans_match makes of
// uri for a ProxyPass or ProxyPassMatch (n; for a ProxyPass in a
// <Location>, the section's node, whose path is the prefix) to target: the
// target plus what follows the prefix, or the regex's substitution ($N), or
// the target plus the whole path when it has no $N.
func proxyTarget(target, uri string, n *htaccess.Node) string {
	if len(n.Args) == 0 {
		return ""
	}
	pat := n.Args[0].Expanded
	if len(n.Args) == 2 && pat == "~" {
		pat = n.Args[1].Expanded
	}
	regex := n.Lower == "proxypassmatch" || n.Lower == htaccess.SecLocationMatch || n.Lower == htaccess.SecLocation && len(n.Args) == 2
	if regex {
		re, err := regexp.Compile(pat)
		if err != nil {
			return ""
		}
		sub := re.FindStringSubmatchIndex(uri)
		if sub == nil {
			return ""
		}
		if strings.Contains(target, "$") {
			return stripUDS(string(re.ExpandString(nil, regexDollars(target), uri, sub)))
		}
		return stripUDS(target + uri)
	}
	rest := strings.TrimPrefix(uri, pat)
	if pat == "/" && !strings.HasPrefix(uri, "/") {
		rest = uri
	}
	return stripUDS(target + rest)
}

// mainFirst returns the main server, then s when it is a virtual host.
func mainFirst(m *Model, s *Server) []*Server {
	if s == m.Main {
		return s.one
	}
	return []*Server{m.Main, s}
}

// proxiedNote says what a proxied request's walks see.
func proxiedNote(backend string) string {
	if backend == "" {
		return ": no <Directory> or <Files> section applies to a proxied request"
	}
	return " (backend URL " + backend + "): no <Directory> or <Files> section applies to it, <Proxy> sections are matched against that URL"
}

// stripUDS takes the "unix:PATH|" prefix off a backend URL: mod_proxy
// matches <Proxy> sections against the URL after it.
func stripUDS(u string) string {
	if len(u) > 5 && strings.EqualFold(u[:5], "unix:") {
		if _, after, ok := strings.Cut(u, "|"); ok {
			return after
		}
	}
	return u
}

// proxyMatches applies a ProxyPass prefix (at a path-segment boundary, as
// CutURLPrefix) or a ProxyPassMatch regex to uri, as mod_proxy's
// ap_proxy_trans_match does.
func proxyMatches(n *htaccess.Node, uri string) bool {
	pat := n.Args[0].Expanded
	if n.Lower == "proxypassmatch" {
		re, err := regexp.Compile(pat)
		return err == nil && re.MatchString(uri)
	}
	_, ok := CutURLPrefix(uri, pat)
	return ok || pat == "/"
}

// aliasOrRoot maps t.URI through the Alias family, else under the
// DocumentRoot.
func (m *Model) aliasOrRoot(s *Server, t Translation) Translation {
	if m.ModuleLoaded("alias_module") {
		if p, a, ok := m.AliasFor(s, t.URI); ok {
			t.File, t.Script = p, a.Script
			t.add("alias", a.Node, a.Node.Name+" maps "+t.URI+" to "+p)
			return t
		}
	}
	root := m.DocRoot(s)
	switch {
	case root == "":
		t.unsure("alias", nil, "no DocumentRoot is set: httpd's compiled-in default applies, which the model does not know")
	case root == "/":
		t.File = t.URI
	default:
		t.File = root + t.URI
	}
	if root != "" {
		n := s.DocRootNode
		if n == nil {
			n = m.Main.DocRootNode
		}
		t.add("alias", n, "DocumentRoot maps "+t.URI+" to "+t.File)
	}
	return t
}

// redirectMatches applies a Redirect, RedirectMatch, RedirectPermanent
// or RedirectTemp directive to uri.
func redirectMatches(n *htaccess.Node, uri string) (int, bool) {
	var args []string
	switch n.Lower {
	case "redirect", "redirectmatch", "redirectpermanent", "redirecttemp":
		args = argValues(n)
	default:
		return 0, false
	}
	status := 302
	switch n.Lower {
	case "redirectpermanent":
		status = 301
	case "redirect", "redirectmatch":
		if len(args) > 0 {
			switch strings.ToLower(args[0]) {
			case "permanent":
				status, args = 301, args[1:]
			case "temp":
				status, args = 302, args[1:]
			case "seeother":
				status, args = 303, args[1:]
			case "gone":
				status, args = 410, args[1:]
			default:
				if c, err := strconv.Atoi(args[0]); err == nil {
					status, args = c, args[1:]
				}
			}
		}
	}
	if len(args) == 0 {
		return 0, false
	}
	if n.Lower == "redirectmatch" {
		re, err := regexp.Compile(args[0])
		if err != nil || !re.MatchString(uri) {
			return 0, false
		}
		return status, true
	}
	if _, ok := CutURLPrefix(uri, args[0]); ok {
		return status, true
	}
	return 0, false
}

// rewriteRule is one RewriteRule with the RewriteCond lines before it.
type rewriteRule struct {
	node  *htaccess.Node
	conds []*htaccess.Node
}

// rewriteRules returns the server-context rules mod_rewrite applies on s:
// its own, with the main server's after them (RewriteOptions Inherit) or
// before (InheritBefore); and whether RewriteEngine is on (a virtual host
// inherits the main server's setting).
func (m *Model) rewriteRules(s *Server) (rules []rewriteRule, on bool, engine *htaccess.Node) {
	read := func(srv *Server) (rs []rewriteRule, state, inherit string, eng *htaccess.Node) {
		var conds []*htaccess.Node
		for _, n := range srv.Directives {
			switch n.Lower {
			case "rewriteengine":
				state, eng = strings.ToLower(ArgExpanded(n, 0)), n
			case "rewriteoptions":
				for _, a := range argValues(n) {
					switch strings.ToLower(a) {
					case "inherit":
						inherit = "after"
					case "inheritbefore":
						inherit = "before"
					}
				}
			case "rewritecond":
				conds = append(conds, n)
			case "rewriterule":
				rs = append(rs, rewriteRule{node: n, conds: conds})
				conds = nil
			}
		}
		return rs, state, inherit, eng
	}
	rules, state, inherit, engine := read(s)
	if s != m.Main {
		mainRules, mainState, _, mainEngine := read(m.Main)
		if state == "" {
			state, engine = mainState, mainEngine
		}
		switch inherit {
		case "after":
			rules = append(rules, mainRules...)
		case "before":
			rules = append(mainRules, rules...)
		}
	}
	return rules, state == "on", engine
}

// rewrite applies the server-context RewriteRules (hook_uri2file); done
// is set when they decided the request's mapping or status.
func (m *Model) rewrite(fsys serverfs.FS, in TranslateInput, t *Translation) (done bool) {
	rules, on, engine := m.rewriteRules(in.Server)
	if !on || len(rules) == 0 {
		return false
	}
	uri := t.URI
	file := ""
	pt := false
	redirect := 0
	skip := 0
	chainFailed := false
	for _, r := range rules {
		if skip > 0 {
			skip--
			continue
		}
		args := argValues(r.node)
		if len(args) < 2 {
			continue
		}
		flags := rewriteFlags(args)
		if chainFailed {
			chainFailed = flags.chain
			continue
		}
		pat, neg := args[0], false
		if strings.HasPrefix(pat, "!") {
			pat, neg = pat[1:], true
		}
		if flags.nocase {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			t.unsure("rewrite", r.node, "the model cannot read this RewriteRule's pattern (PCRE): its effect is unknown")
			continue
		}
		match := re.FindStringSubmatch(uri)
		if (match != nil) == neg {
			chainFailed = flags.chain
			continue
		}
		if neg {
			match = nil
		}
		ok, condMatch, known := m.rewriteConds(fsys, in, r.conds, match, uri)
		if !known {
			t.unsure("rewrite", r.node, "a RewriteCond of this rule needs what the model does not evaluate: assumed not to match")
		}
		if !ok {
			chainFailed = flags.chain
			continue
		}
		sub, subKnown := expandRewrite(args[1], match, condMatch, in, uri)
		if !subKnown {
			t.unsure("rewrite", r.node, "the substitution uses a variable or map the model does not evaluate")
		}
		switch {
		case flags.forbidden:
			t.Status = 403
			t.add("rewrite", r.node, "RewriteRule with F answers 403 before any authorization")
			return true
		case flags.gone:
			t.Status = 410
			t.add("rewrite", r.node, "RewriteRule with G answers 410 before any authorization")
			return true
		case flags.proxy:
			t.NoFile = true
			if subKnown {
				t.ProxyURL = stripUDS(sub)
			}
			t.add("rewrite", r.node, "RewriteRule with P proxies the request"+proxiedNote(t.ProxyURL))
			return true
		}
		if q := strings.IndexByte(sub, '?'); q >= 0 {
			sub = sub[:q]
		}
		abs := strings.HasPrefix(sub, "http://") || strings.HasPrefix(sub, "https://")
		switch {
		case flags.redirect != 0 && (flags.redirect < 300 || flags.redirect > 399):
			t.Status = flags.redirect
			t.add("rewrite", r.node, "RewriteRule answers "+strconv.Itoa(flags.redirect)+" before any authorization")
			return true
		case flags.redirect != 0 || abs:
			redirect = flags.redirect
			if redirect == 0 {
				redirect = 302
			}
			t.add("rewrite", r.node, "RewriteRule redirects ("+strconv.Itoa(redirect)+") before any authorization")
		case args[1] == "-":
			t.add("rewrite", r.node, "RewriteRule matches; its substitution is - (no change)")
		case flags.passThrough:
			uri, pt = sub, true
			t.add("rewrite", r.node, "RewriteRule rewrites the URL to "+sub+" (PT: mapped again as a URL)")
		default:
			uri, file = sub, sub
			t.add("rewrite", r.node, "RewriteRule rewrites to "+sub)
		}
		if flags.last || flags.end {
			break
		}
		if flags.next {
			t.unsure("rewrite", r.node, "RewriteRule with N restarts the rules: not modelled")
			break
		}
		skip = flags.skip
	}
	switch {
	case redirect != 0:
		t.Status = redirect
		return true
	case pt:
		t.URI = uri
		*t = m.aliasOrRoot(in.Server, *t)
		return true
	case file != "":
		t.File = file
		if !strings.HasPrefix(file, "/") || !prefixExists(fsys, file) {
			root := m.DocRoot(in.Server)
			t.File = strings.TrimSuffix(root, "/") + "/" + strings.TrimPrefix(file, "/")
			t.add("rewrite", engine, "the rewritten path's first segment is no directory at the filesystem root: DocumentRoot is put before it")
		}
		return true
	}
	return false
}

// prefixExists is mod_rewrite's prefix_stat: whether the first segment of
// a path exists at the filesystem root.
func prefixExists(fsys serverfs.FS, p string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if first == "" {
		return false
	}
	_, err := fsys.Stat("/" + first)
	return err == nil
}

type rwFlags struct {
	last, end, chain, nocase, forbidden, gone, proxy, passThrough, next bool
	redirect, skip                                                      int
}

// rewriteFlags reads the [flags] of a RewriteRule (its third argument).
func rewriteFlags(args []string) rwFlags {
	var f rwFlags
	if len(args) < 3 {
		return f
	}
	for _, fl := range strings.Split(strings.Trim(args[2], "[]"), ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(fl), "=")
		switch strings.ToLower(name) {
		case "l", "last":
			f.last = true
		case "end":
			f.end = true
		case "c", "chain":
			f.chain = true
		case "nc", "nocase":
			f.nocase = true
		case "f", "forbidden":
			f.forbidden = true
		case "g", "gone":
			f.gone = true
		case "p", "proxy":
			f.proxy = true
		case "pt", "passthrough":
			f.passThrough = true
		case "n", "next":
			f.next = true
		case "s", "skip":
			f.skip, _ = strconv.Atoi(val)
		case "r", "redirect":
			f.redirect = 302
			switch strings.ToLower(val) {
			case "", "temp":
			case "permanent":
				f.redirect = 301
			case "seeother":
				f.redirect = 303
			default:
				if c, err := strconv.Atoi(val); err == nil {
					f.redirect = c
				}
			}
		}
	}
	return f
}

// rewriteConds evaluates a rule's RewriteCond lines as apply_rewrite_rule
// does: all must match, but a condition with [OR] that fails lets the next
// one decide, and one that matches skips the rest of its [OR] chain. known
// is false when one needs what the model does not evaluate (it then counts
// as not matching).
func (m *Model) rewriteConds(fsys serverfs.FS, in TranslateInput, conds []*htaccess.Node, ruleMatch []string, uri string) (ok bool, last []string, known bool) {
	known = true
	or := func(c *htaccess.Node) (or, nocase bool) {
		args := argValues(c)
		if len(args) > 2 {
			for _, fl := range strings.Split(strings.Trim(args[2], "[]"), ",") {
				switch strings.ToLower(strings.TrimSpace(fl)) {
				case "nc", "nocase":
					nocase = true
				case "or", "ornext":
					or = true
				}
			}
		}
		return or, nocase
	}
	for i := 0; i < len(conds); i++ {
		c := conds[i]
		args := argValues(c)
		if len(args) < 2 {
			continue
		}
		isOr, nocase := or(c)
		test, tKnown := expandRewrite(args[0], ruleMatch, last, in, uri)
		hit, groups, cKnown := m.condMatch(fsys, test, args[1], nocase)
		if !tKnown || !cKnown {
			known, hit = false, false
		}
		if hit && groups != nil {
			last = groups
		}
		switch {
		case isOr && !hit:
			continue
		case isOr:
			for i < len(conds) {
				if o, _ := or(conds[i]); !o {
					break
				}
				i++
			}
		case !hit:
			return false, last, known
		}
	}
	return true, last, known
}

// condMatch applies a RewriteCond's CondPattern to the expanded test
// string.
func (m *Model) condMatch(fsys serverfs.FS, test, pat string, nocase bool) (hit bool, groups []string, known bool) {
	neg := strings.HasPrefix(pat, "!")
	pat = strings.TrimPrefix(pat, "!")
	res := func(h bool) (bool, []string, bool) { return h != neg, nil, true }
	cmp := func(a, b string) int {
		if nocase {
			a, b = strings.ToLower(a), strings.ToLower(b)
		}
		return strings.Compare(a, b)
	}
	switch {
	case strings.HasPrefix(pat, "="):
		return res(cmp(test, pat[1:]) == 0)
	case strings.HasPrefix(pat, "<="):
		return res(cmp(test, pat[2:]) <= 0)
	case strings.HasPrefix(pat, ">="):
		return res(cmp(test, pat[2:]) >= 0)
	case strings.HasPrefix(pat, "<"):
		return res(cmp(test, pat[1:]) < 0)
	case strings.HasPrefix(pat, ">"):
		return res(cmp(test, pat[1:]) > 0)
	case pat == "-f" || pat == "-F":
		st, err := fsys.Stat(test)
		return res(err == nil && st.Mode().IsRegular())
	case pat == "-d":
		st, err := fsys.Stat(test)
		return res(err == nil && st.IsDir())
	case pat == "-s":
		st, err := fsys.Stat(test)
		return res(err == nil && st.Mode().IsRegular() && st.Size() > 0)
	case pat == "-l" || pat == "-L" || pat == "-h":
		st, err := fsys.Lstat(test)
		return res(err == nil && st.Mode()&0o170000 == 0o120000)
	case strings.HasPrefix(pat, "-"):
		return false, nil, false // -U, -x, -eq... and expr
	}
	if nocase {
		pat = "(?i)" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return false, nil, false
	}
	g := re.FindStringSubmatch(test)
	if neg {
		return g == nil, nil, true
	}
	return g != nil, g, true
}

// rewriteVarRe finds %{VAR}, $N, %N and ${map:...} in a test string or
// substitution.
var rewriteVarRe = regexp.MustCompile(`%\{[^}]*\}|\$\{[^}]*\}|\$[0-9]|%[0-9]`)

// expandRewrite expands a test string or substitution; known is false
// when it uses a variable or map the model does not know.
func expandRewrite(s string, ruleMatch, condMatch []string, in TranslateInput, uri string) (string, bool) {
	known := true
	out := rewriteVarRe.ReplaceAllStringFunc(s, func(v string) string {
		switch {
		case strings.HasPrefix(v, "${"):
			known = false
			return ""
		case v[0] == '$' || v[0] == '%' && v[1] != '{':
			i := int(v[1] - '0')
			src := ruleMatch
			if v[0] == '%' {
				src = condMatch
			}
			if i < len(src) {
				return src[i]
			}
			return ""
		}
		name := v[2 : len(v)-1]
		val, ok := rewriteVar(name, in, uri)
		known = known && ok
		return val
	})
	return out, known
}

// rewriteVar is one %{VAR} of mod_rewrite in server context.
func rewriteVar(name string, in TranslateInput, uri string) (string, bool) {
	if h, ok := strings.CutPrefix(name, "HTTP:"); ok {
		return in.Header.Get(h), true
	}
	switch strings.ToUpper(name) {
	case "REQUEST_METHOD":
		return in.Method, true
	case "REQUEST_URI", "REQUEST_FILENAME", "SCRIPT_FILENAME":
		return uri, true
	case "QUERY_STRING":
		return in.Query, true
	case "HTTP_HOST":
		return in.Host, true
	case "HTTPS":
		if in.Scheme == "https" {
			return "on", true
		}
		return "off", true
	case "REQUEST_SCHEME":
		return in.Scheme, true
	case "SERVER_PORT":
		return strconv.Itoa(in.Port), true
	case "REMOTE_ADDR":
		return in.Client, in.Client != ""
	case "DOCUMENT_ROOT":
		return in.DocRoot, in.DocRoot != ""
	}
	if h, ok := strings.CutPrefix(strings.ToUpper(name), "HTTP_"); ok {
		return in.Header.Get(strings.ReplaceAll(h, "_", "-")), true
	}
	return "", false
}

// cleanURLPath removes dot segments and merges slashes, keeping a
// trailing slash; ok is false when ".." climbs above the root.
func cleanURLPath(p string) (string, bool) {
	depth := 0
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return "", false
			}
		default:
			depth++
		}
	}
	c := path.Clean("/" + p)
	if c != "/" && (strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")) {
		c += "/"
	}
	return c, true
}
