package nginxmodel

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
)

// maxURIChanges is NGX_HTTP_MAX_URI_CHANGES: internal redirects and rewrite
// cycles allowed before nginx answers 500.
const maxURIChanges = 10

// maxHops bounds proxy_pass to servers of the same configuration.
const maxHops = 4

// evaluator predicts one request (and the requests it proxies to servers of
// the same configuration).
type evaluator struct {
	m    *Model
	fsys serverfs.FS
	opts why.Options
	p    *why.Prediction
	// worker is the account nginx's workers read files with; without one
	// (not root, no such user) only the file structure is checked.
	worker     serverfs.Account
	haveWorker bool
	// assumed maps a user whose password was assumed right to the user
	// file it was assumed for.
	assumed map[string]string
	// reach, when set, stops the request where it passed the access phase
	// and records there (the exposure analysis).
	reach *reached
}

// outcome is how a phase ended the request.
type outcome struct {
	status int
	// special is set for an answer nginx makes itself through
	// ngx_http_special_response_handler (an error, a rewrite redirect):
	// error_page applies to it.
	special bool
}

// Predict is what nginx does with req on the model m, reading user files and
// document roots through fsys, as a list of steps that cite the
// configuration and user-file lines that decided it.
func Predict(m *Model, fsys serverfs.FS, req why.Request, opts why.Options) why.Prediction {
	p := &why.Prediction{Certain: true}
	if fsys == nil {
		fsys = serverfs.OSFS{}
	}
	e := &evaluator{m: m, fsys: fsys, opts: opts, p: p, assumed: map[string]string{}}
	if m.Conf != nil {
		e.worker, e.haveWorker = Worker(m.Conf)
	}
	var creds *credentials
	if (req.User != "" || req.Password != nil) && !req.Digest {
		creds = &credentials{user: req.User, password: req.Password}
	}
	p.Status = e.request(req, 0, nil, creds)
	if p.Steps == nil {
		p.Steps = []why.Step{}
	}
	return *p
}

// place is a directive's position.
func place(d *nginxconf.Directive) why.Place {
	if d == nil {
		return why.Place{}
	}
	return why.Place{File: d.File, Line: int(d.Span.Start.Line)}
}

// scopePlace is a scope's position (the server or location line).
func scopePlace(s *Scope) why.Place {
	if s == nil {
		return why.Place{}
	}
	return place(s.D)
}

func (e *evaluator) add(phase string, at why.Place, format string, args ...any) {
	e.p.Add(phase, at, fmt.Sprintf(format, args...))
}

func (e *evaluator) uncertain(phase string, at why.Place, format string, args ...any) {
	e.p.Uncertain(phase, at, fmt.Sprintf(format, args...))
}

// request processes one request that arrives at a server of the
// configuration: hop 0 is the client's, later hops are proxied from a
// location of the same configuration (via is that proxy_pass). creds are
// the Basic credentials the request carries.
func (e *evaluator) request(in why.Request, hop int, via *nginxconf.Directive, creds *credentials) int {
	first := why.Place{}
	if len(e.m.Servers) > 0 {
		first = scopePlace(e.m.Servers[0])
	}
	host, ok := ValidHost(in.Host)
	if !ok {
		e.add("server", first, "the Host header %q is invalid (a '/', '\\' or '..'): nginx answers 400 before choosing a server", in.Host)
		return 400
	}
	addr, port := in.Addr, in.Port
	ch, ok := e.m.SelectServer(addr, port, host)
	if !ok {
		where := fmt.Sprintf("%s:%d", addr, port)
		if strings.HasPrefix(addr, "unix:") {
			where = addr
		}
		if hop > 0 {
			e.uncertain("content", place(via), "no server of this configuration listens on %s: the backend is another program, and the answer depends on it (502 if nothing listens)", where)
			return 502
		}
		e.add("server", first, "no server block listens on %s: the connection is refused (no HTTP answer)", where)
		return 0
	}
	r := &request{in: in, method: strings.ToUpper(in.Method), args: in.Query, host: host, server: ch.Server, choice: ch,
		vars: map[string]string{}, uriChanges: maxURIChanges, client: in.Client, creds: creds, hop: hop}
	if hop == 0 {
		sp := scopePlace(ch.Server)
		e.p.Server = &sp
	}
	e.add("server", scopePlace(ch.Server), "%s", describeChoice(ch, in, host))
	for _, u := range ch.Undecided {
		e.uncertain("server", scopePlace(ch.Server), "%s cannot be evaluated here: another server block may take the request", u)
	}
	switch {
	case ch.Listen.SSL && in.Scheme == "http":
		e.add("server", place(ch.Listen.D), "the socket expects TLS (listen … ssl) and the request is plain HTTP: nginx answers 400 (\"The plain HTTP request was sent to HTTPS port\")")
		if len(ch.Server.LookupAll("error_page")) > 0 {
			e.uncertain("server", scopePlace(ch.Server), "an error_page for 497 would change that answer; error pages are not followed here")
		}
		return 400
	case !ch.Listen.SSL && in.Scheme == "https" && !ch.Listen.Unix():
		e.add("server", scopePlace(ch.Server), "the socket speaks plain HTTP (no ssl on its listen) and the client starts TLS: the handshake fails, no HTTP answer")
		return 0
	}
	if in.Digest && hop == 0 {
		e.add("server", scopePlace(ch.Server), "nginx has no Digest authentication: the client finds no Digest challenge to answer and sends no credentials")
	}
	uri, ok := NormalizeURI(in.Path)
	if !ok {
		e.add("server", scopePlace(ch.Server), "the path %q cannot be normalised (a bad %%-escape, a NUL, or '..' above the root): 400", in.Path)
		return 400
	}
	r.uri = uri
	e.realIP(r, ch.Server, "post-read")
	return e.final(r, e.run(r, phaseServerRewrite))
}

// describeChoice says why a server block took the request.
func describeChoice(ch ServerChoice, in why.Request, host string) string {
	sock := "listen"
	if ch.Listen.D != nil {
		sock = "listen " + joinArgs(ch.Listen.D)
	} else {
		sock = "no listen directive (listen *:80)"
	}
	switch ch.How {
	case "exact", "wildcard", "regex":
		return fmt.Sprintf("this server takes the request: %s, and its server_name %s matches the Host %q (%s name, %s:%d)",
			sock, ch.Name, host, ch.How, ch.NameDirective.File, ch.NameDirective.Span.Start.Line)
	case "default_server":
		return fmt.Sprintf("no server_name on this socket matches the Host %q: the default_server (%s) takes the request", host, sock)
	}
	return fmt.Sprintf("no server_name on this socket matches the Host %q: the first server listening there (%s) is the default and takes the request", host, sock)
}

// joinArgs shows a directive's arguments, with the credentials an argument
// may carry ("Basic dXNlcjpwdw==") hidden.
func joinArgs(d *nginxconf.Directive) string {
	parts := make([]string, 0, len(d.Args))
	for _, a := range d.Args {
		parts = append(parts, redactCredentials(a.Value))
	}
	return strings.Join(parts, " ")
}

// redactCredentials cuts an Authorization value after its scheme.
func redactCredentials(s string) string {
	lower := strings.ToLower(s)
	for _, scheme := range []string{"basic ", "bearer ", "digest "} {
		if i := strings.Index(lower, scheme); i >= 0 {
			return s[:i+len(scheme)] + "…"
		}
	}
	return s
}

type phase int

const (
	phaseServerRewrite phase = iota
	phaseFindConfig
	phaseLocationRewrite
)

// run processes the request from a phase to its end, as the phase engine
// of ngx_http_core_module does: server rewrite, location search, location
// rewrite (again after a changed URI), access, precontent (try_files),
// content.
func (e *evaluator) run(r *request, from phase) outcome {
	if from == phaseServerRewrite {
		r.loc = r.server
		if o, done, _ := e.rewrite(r, r.server, true); done {
			return o
		}
		from = phaseFindConfig
	}
	for {
		if from == phaseFindConfig {
			if o, done := e.findConfig(r); done {
				return o
			}
		}
		from = phaseFindConfig
		o, done, again := e.rewrite(r, r.loc, false)
		if done {
			return o
		}
		if !again {
			break
		}
		if r.uriChanges--; r.uriChanges == 0 {
			e.add("rewrite", scopePlace(r.loc), "the URI changed %d times: nginx stops with \"rewrite or internal redirection cycle\" and answers 500", maxURIChanges)
			return outcome{500, true}
		}
		r.internal = true
	}
	if o, done := e.access(r); done {
		return o
	}
	if e.reach != nil {
		if o := e.reach.record(r); !e.reach.full {
			return o
		}
	}
	return e.content(r)
}

// findConfig is the find-config phase: the location for the URI, the
// `internal` check, the redirect to the slash of a proxied prefix, and
// limit_except.
func (e *evaluator) findConfig(r *request) (outcome, bool) {
	sel := r.server.Select(r.uri)
	for _, u := range sel.Undecided {
		e.uncertain("location", scopePlace(u), "the regex of %s has no Go equivalent: whether it matches %s cannot be decided here", u.Name(), r.uri)
	}
	r.loc, r.found = r.server, sel.Loc
	if l := sel.Redirect; l != nil {
		e.add("location", scopePlace(l), "%s is %s without its slash, and that location passes requests to a backend: nginx redirects to %s/ (301)", r.uri, l.Name(), r.uri)
		return outcome{301, true}, true
	}
	if sel.Loc == nil {
		e.add("location", scopePlace(r.server), "no location matches %s: the server block's own configuration serves it", r.uri)
		return outcome{}, false
	}
	loc := sel.Loc
	r.loc = loc
	if loc.IsRegex() {
		r.captures = sel.Captures
	}
	e.add("location", scopePlace(loc), "%s", describeSelection(sel, r.uri))
	if d := loc.Lookup("internal"); d != nil && !r.internal {
		e.add("location", place(d), "%s is internal (%s:%d) and this is an outside request: 404", loc.Name(), d.File, d.Span.Start.Line)
		return outcome{404, true}, true
	}
	if le := limitExcept(loc); le != nil {
		allowed := limitAllows(le.D, r.method)
		if !allowed {
			r.loc = le
			e.add("location", scopePlace(le), "%s is not among the methods of limit_except %s: the limit_except block's configuration applies", r.method, joinArgs(le.D))
		} else {
			e.add("location", scopePlace(le), "%s is among the methods of limit_except %s: the block does not apply", r.method, joinArgs(le.D))
		}
	}
	return outcome{}, false
}

func describeSelection(sel Selection, uri string) string {
	loc := sel.Loc
	switch {
	case loc.Modifier == "=":
		return fmt.Sprintf("%s matches %s exactly", loc.Name(), uri)
	case loc.IsRegex():
		if sel.Prefix != nil && sel.Prefix != loc {
			return fmt.Sprintf("%s matches %s and beats the prefix %s (a regex wins over a prefix location without ^~)", loc.Name(), uri, sel.Prefix.Name())
		}
		return fmt.Sprintf("%s matches %s", loc.Name(), uri)
	case loc.Modifier == "^~":
		return fmt.Sprintf("%s is the longest prefix of %s, and ^~ stops the regex search", loc.Name(), uri)
	}
	return fmt.Sprintf("%s is the longest prefix of %s and no regex location matches", loc.Name(), uri)
}

// has returns the scope's own directive called name.
func (e *evaluator) has(s *Scope, name string) *nginxconf.Directive {
	for _, d := range s.Own {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// limitExcept returns the limit_except block of a location: its own only,
// since ngx_http_core_merge_loc_conf does not pass it to nested locations.
func limitExcept(loc *Scope) *Scope {
	if len(loc.LimitExcept) > 0 {
		return loc.LimitExcept[0]
	}
	return nil
}

// limitAllows reports whether method is among the methods limit_except
// names (GET implies HEAD), so that its block does not apply.
func limitAllows(d *nginxconf.Directive, method string) bool {
	for _, a := range d.Args {
		m := strings.ToUpper(a.Value)
		if m == method || m == "GET" && method == "HEAD" {
			return true
		}
	}
	return false
}

// rewrite runs the rewrite module's directives of a server block or of the
// configuration in effect (ngx_http_rewrite_handler): return, rewrite,
// set, break and if in order. done: the request is answered; again: the
// URI changed and the location is searched again.
func (e *evaluator) rewrite(r *request, s *Scope, server bool) (o outcome, done, again bool) {
	phase := "rewrite"
	uriChanged := false // r->uri_changed: set by a rewrite, cleared by its break flag
	stop := false
	var exec func(ds []*nginxconf.Directive) (outcome, bool)
	exec = func(ds []*nginxconf.Directive) (outcome, bool) {
		for _, d := range ds {
			if stop {
				return outcome{}, false
			}
			switch d.Name {
			case "return":
				return e.doReturn(r, d), true
			case "rewrite":
				o, done, flag := e.doRewrite(r, d)
				if done {
					return o, true
				}
				switch flag {
				case "matched":
					uriChanged = true
				case "last":
					uriChanged, stop = true, true
				case "break":
					uriChanged, stop = false, true
				}
			case "set":
				name := strings.ToLower(strings.TrimPrefix(d.Arg(0), "$"))
				v, bad := e.eval(r, d.Arg(1))
				if bad != "" {
					e.uncertain(phase, place(d), "set $%s: %s cannot be evaluated here", name, bad)
					delete(r.vars, name)
					continue
				}
				r.vars[name] = v
			case "break":
				e.add(phase, place(d), "break: no further rewrite directives run here")
				stop = true
			case "if":
				cond := strings.TrimSuffix(strings.TrimPrefix(joinArgs(d), "("), ")")
				res, decided, why := e.condition(r, d)
				if !decided {
					e.uncertain(phase, place(d), "if (%s): %s; assuming the condition is false", cond, why)
					continue
				}
				if !res {
					e.add(phase, place(d), "if (%s) is false", cond)
					continue
				}
				e.add(phase, place(d), "if (%s) is true: its block applies", cond)
				if ifs := e.m.ScopeOf(d); ifs != nil && !server {
					r.loc = ifs
				}
				if o, done := exec(d.Block); done {
					return o, true
				}
			case "rewrite_by_lua", "rewrite_by_lua_block", "rewrite_by_lua_file", "perl", "js_set":
				e.uncertain(phase, place(d), "%s runs code the model cannot follow", d.Name)
			}
		}
		return outcome{}, false
	}
	if o, done := exec(s.Own); done {
		return o, true, false
	}
	if uriChanged && !server {
		e.add(phase, scopePlace(r.loc), "the URI is now %s: nginx searches the locations again", r.uri)
		return outcome{}, false, true
	}
	return outcome{}, false, false
}

// doReturn is the return directive (ngx_http_rewrite_return_code).
func (e *evaluator) doReturn(r *request, d *nginxconf.Directive) outcome {
	code, err := strconv.Atoi(d.Arg(0))
	if err != nil {
		// return URL: a 302 with the URL.
		e.add("rewrite", place(d), "return %s redirects with 302 (the rewrite phase runs before access: no password is asked)", d.Arg(0))
		return outcome{302, false}
	}
	if code == 444 {
		e.add("rewrite", place(d), "return 444 closes the connection without an answer")
		return outcome{444, false}
	}
	special := code >= 400 && len(d.Args) < 2
	e.add("rewrite", place(d), "return %d answers here, in the rewrite phase, before the access phase: no password is asked", code)
	return outcome{code, special}
}

// doRewrite is one rewrite directive. flag is "" (no match), "matched"
// (the URI changed, processing goes on), "last" or "break".
func (e *evaluator) doRewrite(r *request, d *nginxconf.Directive) (o outcome, done bool, flag string) {
	pat, repl, fl := d.Arg(0), d.Arg(1), d.Arg(2)
	re, err := regexp.Compile(pat)
	if err != nil {
		e.uncertain("rewrite", place(d), "rewrite %s: the regex has no Go equivalent; assuming it does not match", pat)
		return outcome{}, false, ""
	}
	m := re.FindStringSubmatch(r.uri)
	if m == nil {
		e.add("rewrite", place(d), "rewrite %s does not match %s", pat, r.uri)
		return outcome{}, false, ""
	}
	r.captures = m
	target, bad := e.eval(r, repl)
	if bad != "" {
		e.uncertain("rewrite", place(d), "rewrite %s matches, but %s in the replacement cannot be evaluated here", pat, bad)
		return outcome{200, false}, true, ""
	}
	external := strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") || strings.HasPrefix(repl, "$scheme")
	switch {
	case fl == "permanent":
		e.add("rewrite", place(d), "rewrite %s matches %s: permanent redirect (301) to %s, before the access phase", pat, r.uri, target)
		return outcome{301, true}, true, ""
	case fl == "redirect" || external:
		e.add("rewrite", place(d), "rewrite %s matches %s: redirect (302) to %s, before the access phase", pat, r.uri, target)
		return outcome{302, true}, true, ""
	}
	path, query, hasQuery := strings.Cut(target, "?")
	old := r.uri
	r.uri = path
	if hasQuery {
		if query != "" && r.args != "" && !strings.HasSuffix(repl, "?") {
			query += "&" + r.args
		}
		r.args = query
	}
	r.rewritten = true
	switch fl {
	case "last":
		e.add("rewrite", place(d), "rewrite %s changes %s to %s, last: the location is searched again", pat, old, r.uri)
		return outcome{}, false, "last"
	case "break":
		e.add("rewrite", place(d), "rewrite %s changes %s to %s, break: the request stays in this location", pat, old, r.uri)
		return outcome{}, false, "break"
	}
	e.add("rewrite", place(d), "rewrite %s changes %s to %s", pat, old, r.uri)
	return outcome{}, false, "matched"
}

// final applies error_page to a special answer (ngx_http_send_error_page)
// and the status an error_page redirect answers with.
func (e *evaluator) final(r *request, o outcome) int {
	if o.special && o.status >= 300 && r.uriChanges > 0 {
		recursive := false
		if d := r.loc.Lookup("recursive_error_pages"); d != nil && d.Arg(0) == "on" {
			recursive = true
		}
		if !r.errorPage || recursive {
			if status, ok := e.errorPage(r, o.status); ok {
				return status
			}
		}
	}
	if o.special && r.errorPage {
		e.add("content", scopePlace(r.loc), "after the error_page redirect nginx answers %d with its built-in page (recursive_error_pages is off)", o.status)
		return o.status
	}
	if !o.special && r.errorPage && r.errStatus != 0 {
		e.add("content", scopePlace(r.loc), "the error page is served with the status of the original error: %d", r.errStatus)
		return r.errStatus
	}
	return o.status
}

// errorPage redirects to the error_page for code in effect, if any.
func (e *evaluator) errorPage(r *request, code int) (int, bool) {
	for _, d := range r.loc.LookupAll("error_page") {
		args := d.Args
		if len(args) < 2 {
			continue
		}
		uri := args[len(args)-1].Value
		codes := args[:len(args)-1]
		overwrite := -1
		if last := codes[len(codes)-1].Value; strings.HasPrefix(last, "=") {
			codes = codes[:len(codes)-1]
			overwrite = 0
			if n, err := strconv.Atoi(last[1:]); err == nil {
				overwrite = n
			}
		}
		hit := false
		for _, c := range codes {
			if c.Value == strconv.Itoa(code) {
				hit = true
			}
		}
		if !hit {
			continue
		}
		r.errorPage = true
		target, bad := e.eval(r, uri)
		if bad != "" {
			e.uncertain("content", place(d), "error_page %d: %s in %s cannot be evaluated here", code, bad, uri)
			return code, true
		}
		r.errStatus = code
		if overwrite >= 0 {
			r.errStatus = overwrite
		}
		if !strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "@") {
			status := 302
			if overwrite == 301 || overwrite == 302 || overwrite == 303 || overwrite == 307 || overwrite == 308 {
				status = overwrite
			}
			e.add("content", place(d), "error_page %d redirects the client to %s (%d)", code, target, status)
			return status, true
		}
		if r.method != "HEAD" {
			r.method = "GET"
		}
		if r.uriChanges--; r.uriChanges == 0 {
			e.add("content", place(d), "error_page %d: too many internal redirects: 500", code)
			return 500, true
		}
		r.internal = true
		if strings.HasPrefix(target, "@") {
			e.add("content", place(d), "error_page %d: internal redirect to the named location %s", code, target)
			return e.final(r, e.named(r, target, d)), true
		}
		path, query, _ := strings.Cut(target, "?")
		r.uri, r.args = path, query
		e.add("content", place(d), "error_page %d: internal redirect to %s; the access phase runs again there", code, target)
		return e.final(r, e.run(r, phaseServerRewrite)), true
	}
	return 0, false
}

// named redirects to a named location (ngx_http_named_location): the
// location rewrite phase, access and content run there.
func (e *evaluator) named(r *request, name string, from *nginxconf.Directive) outcome {
	l := r.server.Named(name)
	if l == nil {
		e.add("content", place(from), "there is no location %s in this server: nginx answers 500", name)
		return outcome{500, true}
	}
	r.loc, r.found, r.internal = l, l, true
	e.add("location", scopePlace(l), "the named location %s takes the request", name)
	o, done, again := e.rewrite(r, l, false)
	if done {
		return o
	}
	if again {
		return e.run(r, phaseFindConfig)
	}
	if o, done := e.access(r); done {
		return o
	}
	if e.reach != nil {
		if o := e.reach.record(r); !e.reach.full {
			return o
		}
	}
	return e.content(r)
}

// internalRedirect restarts the request with a new URI (index, try_files).
func (e *evaluator) internalRedirect(r *request, target string, at why.Place, reason string) outcome {
	if r.uriChanges--; r.uriChanges == 0 {
		e.add("content", at, "too many internal redirects: nginx answers 500")
		return outcome{500, true}
	}
	path, query, hasQuery := strings.Cut(target, "?")
	r.uri = path
	if hasQuery {
		r.args = query
	}
	r.internal = true
	e.add("content", at, "%s: internal redirect to %s; nginx runs the access phase again there", reason, target)
	return e.run(r, phaseServerRewrite)
}
