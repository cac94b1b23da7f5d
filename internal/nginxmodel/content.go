package nginxmodel

import (
	"encoding/base64"
	"errors"
	"io/fs"
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
)

// content is the precontent phase (try_files) and the content phase.
func (e *evaluator) content(r *request) outcome {
	s := r.loc
	if tf := e.has(s, "try_files"); tf != nil {
		if o, done := e.tryFiles(r, tf); done {
			return o
		}
	}
	if d := UpstreamHandler(s); d != nil {
		if d.Name == "proxy_pass" {
			return e.proxy(r, d)
		}
		e.uncertain("content", place(d), "%s %s hands the request to a backend: the status depends on it (assuming 200)", d.Name, d.Arg(0))
		return outcome{200, false}
	}
	for _, d := range s.Own {
		switch d.Name {
		case "stub_status":
			if r.method != "GET" && r.method != "HEAD" {
				e.add("content", place(d), "stub_status answers only GET and HEAD: 405")
				return outcome{405, true}
			}
			e.add("content", place(d), "stub_status answers with the server's counters: 200")
			return outcome{200, false}
		case "empty_gif":
			e.add("content", place(d), "empty_gif answers with a 1x1 GIF: 200")
			return outcome{200, false}
		case "content_by_lua", "content_by_lua_block", "content_by_lua_file", "js_content", "perl":
			e.uncertain("content", place(d), "%s runs code the model cannot follow (assuming 200)", d.Name)
			return outcome{200, false}
		}
	}
	if d := s.Lookup("dav_methods"); d != nil && d.Arg(0) != "off" {
		for _, a := range d.Args {
			if strings.EqualFold(a.Value, r.method) {
				e.uncertain("content", place(d), "the WebDAV module handles %s: its answer depends on the files (assuming 204)", r.method)
				return outcome{204, false}
			}
		}
	}
	return e.static(r)
}

// tryFiles is ngx_http_try_files: the first file (or directory, with a
// trailing slash) that exists serves the request in this location;
// otherwise the last argument redirects, names a location or a status.
func (e *evaluator) tryFiles(r *request, d *nginxconf.Directive) (outcome, bool) {
	args := d.Args
	if len(args) < 2 {
		return outcome{}, false
	}
	for _, a := range args[:len(args)-1] {
		name, bad := e.eval(r, a.Value)
		if bad != "" {
			e.uncertain("content", place(d), "try_files %s: %s cannot be evaluated here; skipping it", a.Value, bad)
			continue
		}
		testDir := strings.HasSuffix(name, "/")
		p, _, why := e.mapPath(r, strings.TrimSuffix(name, "/"))
		if why != "" {
			e.uncertain("content", place(d), "try_files %s: %s; skipping it", a.Value, why)
			continue
		}
		if u := e.fsys.Unchecked(p); u != "" {
			e.uncertain("content", place(d), "try_files %s: cannot check %s (%s); skipping it", a.Value, p, u)
			continue
		}
		st, err := e.fsys.Stat(p)
		if err != nil || st.IsDir() != testDir {
			e.add("content", place(d), "try_files %s: %s is not there", a.Value, p)
			continue
		}
		e.add("content", place(d), "try_files %s: %s exists and serves the request here", a.Value, p)
		if e.reach != nil {
			e.reach.tryFile, e.reach.tryLoc = p, r.loc
		}
		path, query, hasQuery := strings.Cut(name, "?")
		r.uri = path
		if hasQuery {
			r.args = query
		}
		return outcome{}, false
	}
	last := args[len(args)-1].Value
	switch {
	case strings.HasPrefix(last, "="):
		code, err := strconv.Atoi(last[1:])
		if err != nil {
			return outcome{}, false
		}
		e.add("content", place(d), "try_files found nothing: %s answers %d", last, code)
		return outcome{code, true}, true
	case strings.HasPrefix(last, "@"):
		if r.uriChanges--; r.uriChanges == 0 {
			return outcome{500, true}, true
		}
		e.add("content", place(d), "try_files found nothing: the request goes to the named location %s, whose access phase runs too", last)
		return e.named(r, last, d), true
	}
	target, bad := e.eval(r, last)
	if bad != "" {
		e.uncertain("content", place(d), "try_files fallback %s: %s cannot be evaluated here", last, bad)
		return outcome{200, false}, true
	}
	return e.internalRedirect(r, target, place(d), "try_files found nothing"), true
}

// static is the content phase without a content handler: index,
// autoindex, the static module, and the core's last word.
func (e *evaluator) static(r *request) outcome {
	getHeadPost := r.method == "GET" || r.method == "HEAD" || r.method == "POST"
	at := scopePlace(r.loc)
	if strings.HasSuffix(r.uri, "/") {
		dir, rootD, why := e.mapPath(r, r.uri)
		if why != "" {
			e.uncertain("content", at, "%s: whether %s has an index file is not known (assuming 200)", why, r.uri)
			return outcome{200, false}
		}
		if rootD != nil {
			at = place(rootD)
		}
		if getHeadPost {
			if o, done := e.index(r, dir, at); done {
				return o
			}
		}
		if d := r.loc.Lookup("autoindex"); d != nil && d.Arg(0) == "on" && (r.method == "GET" || r.method == "HEAD") {
			e.add("content", place(d), "autoindex on: nginx lists %s: 200", dir)
			return outcome{200, false}
		}
		if !getHeadPost {
			e.add("content", at, "the static module answers %s with 405 (it serves GET, HEAD and POST)", r.method)
			return outcome{405, true}
		}
		e.add("content", at, "%s has no index file and autoindex is off: 403 (\"directory index … is forbidden\")", dir)
		return outcome{403, true}
	}
	if !getHeadPost {
		e.add("content", at, "the static module answers %s with 405 (it serves GET, HEAD and POST)", r.method)
		return outcome{405, true}
	}
	p, rootD, why := e.mapPath(r, r.uri)
	if why != "" {
		e.uncertain("content", at, "%s: whether %s exists is not known (assuming 200)", why, r.uri)
		return outcome{200, false}
	}
	if rootD != nil {
		at = place(rootD)
	}
	if u := e.fsys.Unchecked(p); u != "" {
		e.uncertain("content", at, "cannot check %s (%s): whether it exists is not known (assuming 200)", p, u)
		return outcome{200, false}
	}
	st, err := e.fsys.Stat(p)
	switch {
	case err != nil && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)):
		e.add("content", at, "%s does not exist: 404", p)
		return outcome{404, true}
	case err != nil:
		e.add("content", at, "%s cannot be opened (%v): 403", p, err)
		return outcome{403, true}
	case st.IsDir():
		e.add("content", at, "%s is a directory: nginx redirects to %s/ (301)", p, r.uri)
		return outcome{301, true}
	}
	if prob := serverfs.CheckReadable(e.fsys, p, e.account()); prob != nil && prob.Errno == syscall.EACCES {
		e.add("content", at, "%s cannot be opened by the workers (%s): 403", p, prob.Reason)
		return outcome{403, true}
	}
	if r.method == "POST" {
		e.add("content", at, "the static module refuses POST to the file %s: 405", p)
		return outcome{405, true}
	}
	e.add("content", at, "the static module serves %s: 200", p)
	return outcome{200, false}
}

// index is ngx_http_index_handler: the first index file that exists is an
// internal redirect.
func (e *evaluator) index(r *request, dir string, at why.Place) (outcome, bool) {
	var names []string
	var from *nginxconf.Directive
	for _, d := range r.loc.LookupAll("index") {
		from = d
		for _, a := range d.Args {
			names = append(names, a.Value)
		}
	}
	if names == nil {
		names = []string{"index.html"}
	}
	idxAt := at
	if from != nil {
		idxAt = place(from)
	}
	if u := e.fsys.Unchecked(dir); u != "" {
		e.uncertain("content", idxAt, "cannot check %s (%s): its index files are not known (assuming 200)", dir, u)
		return outcome{200, false}, true
	}
	tested := false
	for i, n := range names {
		name, bad := e.eval(r, n)
		if bad != "" {
			e.uncertain("content", idxAt, "index %s: %s cannot be evaluated here; skipping it", n, bad)
			continue
		}
		if strings.HasPrefix(name, "/") {
			if i == len(names)-1 {
				return e.internalRedirect(r, name, idxAt, "index "+name), true
			}
			continue
		}
		p := dir + name
		st, err := e.fsys.Stat(p)
		if err == nil && !st.IsDir() {
			if prob := serverfs.CheckReadable(e.fsys, p, e.account()); prob != nil && prob.Errno == syscall.EACCES {
				e.add("content", idxAt, "the index file %s cannot be opened by the workers: 403", p)
				return outcome{403, true}, true
			}
			return e.internalRedirect(r, r.uri+name, idxAt, "index: "+p+" exists"), true
		}
		if err != nil && errors.Is(err, syscall.ENOTDIR) {
			e.add("content", idxAt, "%s is not a directory: 404", dir)
			return outcome{404, true}, true
		}
		if !tested {
			tested = true
			dst, derr := e.fsys.Stat(strings.TrimSuffix(dir, "/"))
			switch {
			case derr != nil:
				e.add("content", at, "the directory %s does not exist: 404", dir)
				return outcome{404, true}, true
			case !dst.IsDir():
				e.add("content", at, "%s is not a directory: 500", dir)
				return outcome{500, true}, true
			}
		}
	}
	return outcome{}, false
}

// account is the worker account files are checked with (structure only
// when it is not known).
func (e *evaluator) account() serverfs.Account {
	if e.haveWorker {
		return e.worker
	}
	return serverfs.Account{UID: 0}
}

// mapPath maps a URI to a file as ngx_http_map_uri_to_path does: root + URI,
// or the alias in place of the location's prefix (the whole alias for a
// regex location). why is set when the path cannot be known.
func (e *evaluator) mapPath(r *request, uri string) (path string, d *nginxconf.Directive, why string) {
	for c := r.loc; c != nil; c = c.Parent {
		for _, d := range c.Own {
			switch d.Name {
			case "root":
				v, bad := e.eval(r, d.Arg(0))
				if bad != "" {
					return "", d, "root " + d.Arg(0) + ": " + string(bad) + " cannot be evaluated here"
				}
				if !filepath.IsAbs(v) {
					return "", d, "root " + v + " is relative to nginx's install prefix, which is not known here"
				}
				return strings.TrimSuffix(v, "/") + uri, d, ""
			case "alias":
				v, bad := e.eval(r, d.Arg(0))
				if bad != "" {
					return "", d, "alias " + d.Arg(0) + ": " + string(bad) + " cannot be evaluated here"
				}
				if c.IsRegex() {
					return v, d, ""
				}
				if strings.HasPrefix(uri, c.Pattern) {
					return v + uri[len(c.Pattern):], d, ""
				}
				return v + uri, d, ""
			}
		}
	}
	return "", nil, "no root is set: nginx's default root is html under its install prefix, which is not known here"
}

// docRoot is $document_root.
func (e *evaluator) docRoot(r *request) (string, *nginxconf.Directive, bool) {
	p, d, why := e.mapPath(r, "")
	return p, d, why == ""
}

// proxy follows proxy_pass to a server of the same configuration, or says
// that the backend decides.
func (e *evaluator) proxy(r *request, d *nginxconf.Directive) outcome {
	target, bad := e.eval(r, d.Arg(0))
	if bad != "" {
		e.uncertain("content", place(d), "proxy_pass %s: %s cannot be evaluated here; the backend decides (assuming 200)", d.Arg(0), bad)
		return outcome{200, false}
	}
	be, ok := e.backend(r, target)
	if !ok {
		e.uncertain("content", place(d), "proxy_pass %s: the backend is not a server of this configuration; the status depends on it (assuming 200)", target)
		return outcome{200, false}
	}
	// Build the request nginx sends.
	path := escapeURI(r.uri)
	switch {
	case be.uri != "" && !r.rewritten && r.found != nil && !r.found.IsRegex() && r.found.Modifier != "@" && strings.HasPrefix(r.uri, r.found.Pattern):
		path = be.uri + escapeURI(r.uri[len(r.found.Pattern):])
	case be.uri != "" && !r.rewritten:
		path = be.uri
	case !r.rewritten && !r.internal:
		path = r.in.Path
	}
	header := http.Header{}
	for k, vs := range r.in.Header {
		if k == "Connection" {
			continue
		}
		header[k] = append([]string(nil), vs...)
	}
	r.vars["proxy_host"] = be.hostHeader
	defer delete(r.vars, "proxy_host")
	host := be.hostHeader
	creds, credsText := r.creds, "the client's credentials"
	if creds != nil {
		credsText = "the client's credentials for " + creds.user
	} else {
		credsText = "no credentials"
	}
	for _, h := range r.loc.LookupAll("proxy_set_header") {
		v, bad := e.eval(r, h.Arg(1))
		if bad != "" {
			e.uncertain("content", place(h), "proxy_set_header %s: %s cannot be evaluated here", h.Arg(0), bad)
			continue
		}
		name := http.CanonicalHeaderKey(h.Arg(0))
		switch name {
		case "Host":
			host = v
		case "Authorization":
			creds, credsText = basicCredentials(v, h)
		default:
			if v == "" {
				header.Del(name)
			} else {
				header.Set(name, v)
			}
		}
	}
	method := r.method
	if pm := r.loc.Lookup("proxy_method"); pm != nil {
		method = strings.ToUpper(pm.Arg(0))
	}
	query := r.args
	e.add("content", place(d), "proxy_pass %s: the backend is a server of this configuration; nginx sends %s %s with Host %q and %s", target, method, path, host, credsText)
	if r.hop >= maxHops {
		e.uncertain("content", place(d), "proxy_pass: more than %d hops through this configuration; not followed further", maxHops)
		return outcome{200, false}
	}
	client := netip.Addr{}
	if !strings.HasPrefix(be.addr, "unix:") {
		if a, err := netip.ParseAddr(be.addr); err == nil && a.IsLoopback() {
			client = a
		}
	}
	sub := why.Request{Method: method, Scheme: "http", Port: be.port, Addr: be.addr, Host: host, Path: path, Query: query,
		Header: header, Client: client}
	status := e.request(sub, r.hop+1, d, creds)
	intercept := false
	if pi := r.loc.Lookup("proxy_intercept_errors"); pi != nil && pi.Arg(0) == "on" {
		intercept = true
	}
	e.add("content", place(d), "the backend answers %d, which nginx relays", status)
	return outcome{status, intercept && status >= 300}
}

// basicCredentials reads the credentials of an Authorization header a
// proxy_set_header sets. Only the user name is ever shown.
func basicCredentials(v string, h *nginxconf.Directive) (*credentials, string) {
	via := "the Authorization header set at " + h.File + ":" + strconv.Itoa(int(h.Span.Start.Line))
	if v == "" {
		return nil, "no credentials (proxy_set_header Authorization \"\" removes them)"
	}
	scheme, rest, _ := strings.Cut(v, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return nil, via + " (not Basic credentials)"
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if err != nil {
		return &credentials{via: via}, via + " (not valid base64)"
	}
	user, pw, ok := strings.Cut(string(raw), ":")
	if !ok {
		return &credentials{via: via}, via + " (no ':' in them)"
	}
	return &credentials{user: user, password: &pw, via: via}, via + " (user " + user + ")"
}

// backendAddr is where a proxy_pass sends requests.
type backendAddr struct {
	addr       string // IP, "localhost" or "unix:PATH"
	port       int
	uri        string // the URI part of proxy_pass ("" when none)
	hostHeader string // $proxy_host
}

// backend parses a proxy_pass URL into an address of this configuration's
// servers (an upstream block with one server counts).
func (e *evaluator) backend(r *request, target string) (backendAddr, bool) {
	var be backendAddr
	scheme, rest, ok := strings.Cut(target, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return be, false
	}
	be.port = 80
	if scheme == "https" {
		be.port = 443
	}
	if strings.HasPrefix(rest, "unix:") {
		sock := rest[len("unix:"):]
		if i := strings.IndexByte(sock, ':'); i >= 0 {
			sock, be.uri = sock[:i], sock[i+1:]
		}
		be.addr, be.port, be.hostHeader = "unix:"+sock, 0, "localhost"
		return be, true
	}
	hostport := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostport, be.uri = rest[:i], rest[i:]
	}
	be.hostHeader = hostport
	host, port, hasPort := strings.Cut(hostport, ":")
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil {
			return be, false
		}
		be.port = n
	}
	if up := e.upstream(r, host); up != nil {
		servers := []*nginxconf.Directive{}
		for _, d := range flattenIncludes(up.Block) {
			if d.Name == "server" {
				servers = append(servers, d)
			}
		}
		if len(servers) != 1 || hasPort {
			return be, false
		}
		l, ok := ParseListen(&nginxconf.Directive{Name: "listen", Args: servers[0].Args[:1]})
		if !ok {
			return be, false
		}
		be.addr, be.port = l.Addr, l.Port
		if l.Addr == "" {
			return be, false
		}
		return be, true
	}
	if host == "localhost" {
		be.addr = "127.0.0.1"
		return be, true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil || !a.IsLoopback() {
		return be, false
	}
	be.addr = a.String()
	return be, true
}

// upstream returns the upstream block called name.
func (e *evaluator) upstream(r *request, name string) *nginxconf.Directive {
	for c := r.server; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "upstream" && d.HasBlock && d.Arg(0) == name {
				return d
			}
		}
	}
	return nil
}
