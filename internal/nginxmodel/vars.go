package nginxmodel

import (
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
)

// request is one request as nginx holds it while it processes it
// (ngx_http_request_t, as far as the model goes).
type request struct {
	in     why.Request
	method string
	// uri is the normalised, decoded URI; args the query string.
	uri, args string
	// host is the Host as nginx validated it; server the server block and
	// choice how it was chosen.
	host   string
	server *Scope
	choice ServerChoice
	// loc is the configuration in effect: a location, the if block or
	// limit_except block that replaced it, or the server block when no
	// location matched. found is the location the search found (the one
	// an alias or proxy_pass URI is relative to).
	loc, found *Scope
	// captures are the submatches of the last regex that matched ($1…).
	captures []string
	// vars holds the variables set so far (set, map results).
	vars map[string]string
	// internal is set by an internal redirect (error_page, index,
	// try_files, rewrite): `internal` locations take it.
	internal bool
	// uriChanges counts down the internal redirects and rewrite cycles
	// nginx allows (10) before it answers 500.
	uriChanges int
	// errorPage is set once an error_page redirect happened; errStatus is
	// the status it answers with (0: the new request's own).
	errorPage bool
	errStatus int
	// rewritten is set when a rewrite changed the URI (proxy_pass then
	// passes the whole URI).
	rewritten bool
	// client is the client address (invalid for a UNIX socket client).
	client netip.Addr
	// realIPDone is set once the realip module replaced client.
	realIPDone bool
	// creds are the Basic credentials the request carries (nil: none).
	creds *credentials
	// hop counts the proxy_pass hops through this configuration.
	hop int
}

// credentials are the Basic credentials of a request.
type credentials struct {
	user string
	// password nil means "the right one" (why.Request.Password).
	password *string
	// via says where they come from, for messages ("" for the client).
	via string
}

// undecidable names what the model cannot evaluate ("$foo").
type undecidable string

// eval evaluates a complex value (text with $variables); when a variable
// cannot be evaluated it returns the name in bad.
func (e *evaluator) eval(r *request, s string) (val string, bad undecidable) {
	if !strings.Contains(s, "$") {
		return s, ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		var name string
		if s[j] == '{' {
			end := strings.IndexByte(s[j:], '}')
			if end < 0 {
				b.WriteByte(s[i])
				continue
			}
			name, i = s[j+1:j+end], j+end
		} else {
			k := j
			if s[k] >= '0' && s[k] <= '9' {
				k++
			} else {
				for k < len(s) && (s[k] == '_' || s[k] >= '0' && s[k] <= '9' || s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z') {
					k++
				}
			}
			if k == j {
				b.WriteByte(s[i])
				continue
			}
			name, i = s[j:k], k-1
		}
		v, ok := e.variable(r, strings.ToLower(name))
		if !ok {
			return "", undecidable("$" + name)
		}
		b.WriteString(v)
	}
	return b.String(), ""
}

// variable returns the value of one variable, when the model knows it.
func (e *evaluator) variable(r *request, name string) (string, bool) {
	if v, ok := r.vars[name]; ok {
		return v, true
	}
	if n, err := strconv.Atoi(name); err == nil {
		if n < len(r.captures) {
			return r.captures[n], true
		}
		return "", true
	}
	switch name {
	case "request_method":
		return r.method, true
	case "uri", "document_uri":
		return r.uri, true
	case "request_uri":
		if r.in.Query != "" {
			return r.in.Path + "?" + r.in.Query, true
		}
		return r.in.Path, true
	case "args", "query_string":
		return r.args, true
	case "is_args":
		if r.args != "" {
			return "?", true
		}
		return "", true
	case "host":
		if r.host != "" {
			return r.host, true
		}
		return r.serverName(), true
	case "scheme":
		return r.in.Scheme, true
	case "https":
		if r.in.Scheme == "https" {
			return "on", true
		}
		return "", true
	case "server_port":
		return strconv.Itoa(r.in.Port), true
	case "server_protocol":
		return "HTTP/1.1", true
	case "server_name":
		return r.serverName(), true
	case "remote_addr":
		if !r.client.IsValid() {
			return "unix:", true
		}
		return r.client.String(), true
	case "remote_user":
		if r.creds != nil {
			return r.creds.user, true
		}
		return "", true
	case "content_type", "content_length":
		return r.in.Header.Get(strings.ReplaceAll(name, "_", "-")), true
	case "proxy_add_x_forwarded_for":
		addr, _ := e.variable(r, "remote_addr")
		if xff := r.in.Header.Get("X-Forwarded-For"); xff != "" {
			return xff + ", " + addr, true
		}
		return addr, true
	case "document_root":
		root, _, ok := e.docRoot(r)
		return root, ok
	case "request_filename":
		p, _, why := e.mapPath(r, r.uri)
		return p, why == ""
	}
	switch {
	case name == "http_host":
		return r.in.Host, true
	case name == "http_authorization":
		// The credentials are never a value the model works with (or
		// prints): only whether there are any.
		if r.creds != nil {
			return "", false
		}
		return "", true
	case strings.HasPrefix(name, "http_"):
		return r.in.Header.Get(strings.ReplaceAll(name[5:], "_", "-")), true
	case strings.HasPrefix(name, "arg_"):
		q, err := url.ParseQuery(r.args)
		if err != nil {
			return "", false
		}
		return q.Get(name[4:]), true
	case strings.HasPrefix(name, "cookie_"):
		for _, c := range (&httpCookies{r.in.Header.Values("Cookie")}).all() {
			if c[0] == name[7:] {
				return c[1], true
			}
		}
		return "", true
	}
	if d := e.mapOf(r, name); d != nil {
		return e.mapValue(r, d)
	}
	return "", false
}

type httpCookies struct{ lines []string }

func (h *httpCookies) all() [][2]string {
	var out [][2]string
	for _, l := range h.lines {
		for _, part := range strings.Split(l, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// serverName is $server_name: the first name of the server block.
func (r *request) serverName() string {
	names, _ := r.server.ServerNames()
	return names[0]
}

// mapOf returns the map block (http level) that defines $name.
func (e *evaluator) mapOf(r *request, name string) *nginxconf.Directive {
	for c := r.server; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "map" && d.HasBlock && strings.EqualFold(d.Arg(1), "$"+name) {
				return d
			}
		}
	}
	return nil
}

// mapValue evaluates a map as ngx_http_map_find does: exact strings
// (ignoring case), then with hostnames the longest leading and trailing
// wildcards, then the regexes in order, else the default.
func (e *evaluator) mapValue(r *request, d *nginxconf.Directive) (string, bool) {
	src, bad := e.eval(r, d.Arg(0))
	if bad != "" {
		return "", false
	}
	var def *nginxconf.Directive
	hostnames := false
	type entry struct {
		key string
		d   *nginxconf.Directive
	}
	var exact, wild, regexes []entry
	for _, en := range flattenIncludes(d.Block) {
		switch en.Name {
		case "default":
			def = en
			continue
		case "hostnames":
			hostnames = true
			continue
		case "volatile":
			continue
		}
		key := strings.TrimPrefix(en.Name, "\\")
		switch {
		case strings.HasPrefix(en.Name, "~"):
			regexes = append(regexes, entry{en.Name, en})
		case hostnames && (strings.HasPrefix(key, "*.") || strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".*")):
			wild = append(wild, entry{strings.ToLower(key), en})
		default:
			exact = append(exact, entry{strings.ToLower(key), en})
		}
	}
	value := func(en *nginxconf.Directive) (string, bool) {
		v, bad := e.eval(r, en.Arg(0))
		return v, bad == ""
	}
	low := strings.ToLower(src)
	if hostnames {
		low = strings.TrimSuffix(low, ".")
	}
	for _, en := range exact {
		if en.key == low {
			return value(en.d)
		}
	}
	var best *entry
	for i, en := range wild {
		var ok bool
		switch {
		case strings.HasPrefix(en.key, "."):
			ok = low == en.key[1:] || strings.HasSuffix(low, en.key)
		case strings.HasPrefix(en.key, "*."):
			ok = strings.HasSuffix(low, en.key[1:]) && len(low) > len(en.key)-1
		default:
			ok = strings.HasPrefix(low, strings.TrimSuffix(en.key, "*")) && len(low) > len(en.key)-1
		}
		if ok && (best == nil || len(en.key) > len(best.key)) {
			best = &wild[i]
		}
	}
	if best != nil {
		return value(best.d)
	}
	for _, en := range regexes {
		pat := strings.TrimPrefix(en.key, "~")
		if strings.HasPrefix(pat, "*") {
			pat = "(?i)" + pat[1:]
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return "", false
		}
		if m := re.FindStringSubmatch(src); m != nil {
			r.captures = m
			return value(en.d)
		}
	}
	if def != nil {
		return value(def)
	}
	return "", true
}

// condition evaluates the condition of an `if` block as
// ngx_http_rewrite_if compiles it. decided is false when a variable, a
// file test or a regex cannot be evaluated here; why then says which.
func (e *evaluator) condition(r *request, d *nginxconf.Directive) (result, decided bool, why string) {
	args := make([]string, 0, len(d.Args))
	for _, a := range d.Args {
		args = append(args, a.Value)
	}
	if len(args) > 0 {
		args[0] = strings.TrimPrefix(args[0], "(")
		last := args[len(args)-1]
		args[len(args)-1] = strings.TrimSuffix(last, ")")
		if args[len(args)-1] == "" {
			args = args[:len(args)-1]
		}
		if len(args) > 0 && args[0] == "" {
			args = args[1:]
		}
	}
	if len(args) == 0 {
		return false, false, "an empty condition"
	}
	// File tests: -f -d -e -x and their negations.
	if op := args[0]; len(args) == 2 && (strings.HasPrefix(op, "-") || strings.HasPrefix(op, "!-")) {
		p, bad := e.eval(r, args[1])
		if bad != "" {
			return false, false, string(bad) + " cannot be evaluated here"
		}
		st, err := e.fsys.Stat(p)
		var res bool
		switch strings.TrimPrefix(op, "!") {
		case "-f":
			res = err == nil && st.Mode().IsRegular()
		case "-d":
			res = err == nil && st.IsDir()
		case "-e":
			res = err == nil
		case "-x":
			res = err == nil && st.Mode().Perm()&0o111 != 0
		default:
			return false, false, "the test " + op
		}
		if u := e.fsys.Unchecked(p); u != "" {
			return false, false, "cannot check " + p + " (" + u + ")"
		}
		return res != strings.HasPrefix(op, "!"), true, ""
	}
	left, bad := e.eval(r, args[0])
	if bad != "" {
		return false, false, string(bad) + " cannot be evaluated here"
	}
	if len(args) == 1 {
		return left != "" && left != "0", true, ""
	}
	if len(args) != 3 {
		return false, false, "a condition of this form"
	}
	op := args[1]
	switch op {
	case "=", "!=":
		right, bad := e.eval(r, args[2])
		if bad != "" {
			return false, false, string(bad) + " cannot be evaluated here"
		}
		return (left == right) == (op == "="), true, ""
	case "~", "~*", "!~", "!~*":
		pat := args[2]
		if strings.HasSuffix(op, "*") {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return false, false, "the regex " + args[2] + " (no Go equivalent)"
		}
		m := re.FindStringSubmatch(left)
		if m != nil && !strings.HasPrefix(op, "!") {
			r.captures = m
		}
		return (m != nil) != strings.HasPrefix(op, "!"), true, ""
	}
	return false, false, "the operator " + op
}
