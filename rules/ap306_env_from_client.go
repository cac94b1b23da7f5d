package rules

import (
	"fmt"
	"regexp/syntax"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// envSetter is a SetEnvIf, SetEnvIfNoCase, BrowserMatch or
// BrowserMatchNoCase line that sets an environment variable.
type envSetter struct {
	node  *htaccess.Node
	attr  string // as written: "X-Forwarded-For", "Request_URI"
	regex string
	// rawURI is set for Request_URI matched at server level, in
	// post_read_request: before httpd decodes and normalises the path.
	rawURI bool
}

// ApacheEnvFromClient reports access granted or refused through an
// environment variable that the client controls: `Require env` (or `Allow
// from env=`) after a SetEnvIf on a request header (X-Forwarded-For,
// X-Real-IP, User-Agent, Referer, any header: every client writes its own),
// and a server-level `SetEnvIf Request_URI`, which mod_setenvif's
// `match_headers` runs in the post_read_request hook on the raw request
// path, before `ap_process_request_internal` decodes %-escapes and resolves
// dot segments: /public/../private/ carries a grant meant for /public/ and
// /%61dmin/ dodges a `Require not env` meant for /admin (scenarios
// `apache-setenvif-header`, `apache-setenvif-request-uri`).
var ApacheEnvFromClient = &Rule{
	ID: "AP306", Name: "env-from-client", Severity: Error,
	Summary: "Require env/Allow from env= trusts a variable SetEnvIf sets from a request header or the raw URL: any client sets or dodges it",
	Apache: func(p *ApachePass) {
		setters := envSetters(p)
		if len(setters) == 0 {
			return
		}
		for _, s := range p.Model.AllSections() {
			for _, r := range grantingReqs(s.Conf.Requires) {
				if r.Provider != "env" {
					continue
				}
				for _, v := range r.Args {
					reportEnvGrant(p, s, r.Node, "`Require env "+strings.Join(r.Args, " ")+"`", v, setters[v])
				}
			}
			visitReqs(s.Conf.Requires, func(r *apachemodel.Req) {
				if r.Container == "" && r.Negated && r.Provider == "env" {
					for _, v := range r.Args {
						reportEnvDodge(p, s, r.Node, "`Require not env "+strings.Join(r.Args, " ")+"`", v, setters[v])
					}
				}
			})
			for _, n := range s.Conf.Allow {
				if v, ok := envArg(n); ok && allowGrants(p, s) {
					reportEnvGrant(p, s, n, "`Allow from env="+v+"`", v, setters[v])
				}
			}
			for _, n := range s.Conf.Deny {
				if v, ok := envArg(n); ok {
					reportEnvDodge(p, s, n, "`Deny from env="+v+"`", v, setters[v])
				}
			}
		}
	},
}

func reportEnvGrant(p *ApachePass, s *apachemodel.Section, at *htaccess.Node, what, v string, sets []envSetter) {
	for _, st := range sets {
		switch {
		case !st.rawURI && !trustedAttr(st.attr):
			p.At(st.node, "%s sets %s from the %s request header, which every client writes itself, and %s (%s) grants access with it: anyone who sends a matching %s gets into %s without a password; match Remote_Addr instead (with mod_remoteip behind a proxy) or use `Require ip`",
				setterName(st), v, st.attr, what, p.LineRef(st.node, at), st.attr, sectionURL(p, s))
			return
		case st.rawURI:
			example := "a path with `..` in it"
			if pre := literalPrefix(st.regex); len(pre) > 1 && strings.HasSuffix(pre, "/") {
				if u := sectionURL(p, s); strings.HasPrefix(u, "/") && !strings.HasPrefix(u, pre) {
					example = pre + ".." + u
				}
			}
			p.At(st.node, "`%s Request_URI` at server level matches the raw request path, before httpd decodes %%-escapes and resolves `..`: %s sets %s, and %s (%s) then lets it into %s without a password; match URLs with <Location> or <If>, or move this line into a <Location \"/\"> section (matched after normalisation)",
				st.node.Name, example, v, what, p.LineRef(st.node, at), sectionURL(p, s))
			return
		}
	}
}

func reportEnvDodge(p *ApachePass, s *apachemodel.Section, at *htaccess.Node, what, v string, sets []envSetter) {
	for _, st := range sets {
		if !st.rawURI {
			continue
		}
		example := "an escaped path such as /%61dmin/"
		if pre := literalPrefix(st.regex); len(pre) > 1 && pre[0] == '/' && isAlnum(pre[1]) {
			example = fmt.Sprintf("/%%%02x%s", pre[1], pre[2:]) + " (served as " + pre + ")"
		}
		p.At(st.node, "`%s Request_URI` at server level matches the raw request path, before httpd decodes %%-escapes and resolves `.` and `..`: %s does not match %s, so %s (%s) does not keep it out; match URLs with <Location> or <If>, or move this line into a <Location \"/\"> section (matched after normalisation)",
			st.node.Name, example, quote(st.regex), what, p.LineRef(st.node, at))
		return
	}
}

// envSetters indexes the lines that set variables from what the client
// sends, by variable name.
func envSetters(p *ApachePass) map[string][]envSetter {
	out := map[string][]envSetter{}
	setVars := map[string]bool{} // by any setter, trusted ones too
	add := func(n *htaccess.Node, parents []*htaccess.Node, htaccessFile bool) {
		var attr, re string
		var vars []*htaccess.Arg
		switch n.Lower {
		case "setenvif", "setenvifnocase":
			if len(n.Args) < 3 {
				return
			}
			attr, re, vars = n.Args[0].Expanded, n.Args[1].Expanded, n.Args[2:]
		case "browsermatch", "browsermatchnocase":
			if len(n.Args) < 2 {
				return
			}
			attr, re, vars = "User-Agent", n.Args[0].Expanded, n.Args[1:]
		default:
			return
		}
		perDir := htaccessFile
		for _, a := range parents {
			if a.Section && (a.Lower == htaccess.SecDirectory || a.Lower == htaccess.SecDirectoryMatch ||
				a.Lower == htaccess.SecLocation || a.Lower == htaccess.SecLocationMatch || a.Lower == htaccess.SecFiles ||
				a.Lower == htaccess.SecFilesMatch || a.Lower == htaccess.SecIf || a.Lower == htaccess.SecElseIf || a.Lower == htaccess.SecElse) {
				perDir = true
			}
		}
		for _, v := range vars {
			if name, _, _ := strings.Cut(v.Expanded, "="); name != "" && name[0] != '!' {
				setVars[name] = true
			}
		}
		st := envSetter{node: n, attr: attr, regex: re}
		switch {
		case strings.EqualFold(attr, "request_uri"):
			if !perDir {
				st.rawURI = true
			} else {
				return // matched after normalisation
			}
		case trustedAttr(attr):
			return
		}
		for _, v := range vars {
			name := v.Expanded
			if name == "" || name[0] == '!' {
				continue
			}
			name, _, _ = strings.Cut(name, "=")
			out[name] = append(out[name], st)
		}
	}
	walk := func(f *htaccess.File, htaccessFile bool) {
		htaccess.Walk(f, func(n *htaccess.Node, parents []*htaccess.Node) bool {
			if n.Section && !conditionHolds(p, n) {
				return false
			}
			if !n.Section {
				add(n, parents, htaccessFile)
			}
			return true
		})
	}
	if p.Conf != nil {
		walk(p.Conf.Main, len(p.Model.HtAccess) == 1 && p.Model.HtAccess[0].File == p.Conf.Main)
	}
	for _, ht := range p.Model.HtAccess {
		if ht.File != nil && (p.Conf == nil || ht.File != p.Conf.Main) {
			walk(ht.File, true)
		}
	}
	// A variable tested as the attribute of another SetEnvIf is derived:
	// leave the chain alone (its first link is what the client controls).
	for name, sets := range out {
		kept := sets[:0]
		for _, st := range sets {
			if !setVars[st.attr] || st.rawURI {
				kept = append(kept, st)
			}
		}
		out[name] = kept
	}
	return out
}

// conditionHolds reports whether httpd reads an <IfModule>/<IfDefine>
// body (true for other sections).
func conditionHolds(p *ApachePass, n *htaccess.Node) bool {
	switch n.Lower {
	case htaccess.SecIfModule:
		if len(n.Args) == 0 {
			return true
		}
		name := n.Args[0].Expanded
		neg := strings.HasPrefix(name, "!")
		return p.Model.ModuleLoaded(strings.TrimPrefix(name, "!")) != neg
	case htaccess.SecIfDefine:
		if p.Conf == nil {
			return true
		}
		holds, evaluated := p.Conf.IfDefineHolds(n)
		return holds || !evaluated
	}
	return true
}

// trustedAttr reports whether a SetEnvIf attribute is something the client
// does not write freely in the request (its address, the server's) or
// that grants nothing a URL section would not (method, protocol).
func trustedAttr(attr string) bool {
	switch strings.ToLower(attr) {
	case "remote_addr", "server_addr", "remote_host", "request_method", "request_protocol":
		return true
	}
	return false
}

func setterName(st envSetter) string {
	if st.node.Lower == "browsermatch" || st.node.Lower == "browsermatchnocase" {
		return "`" + st.node.Name + "`"
	}
	return "`" + st.node.Name + " " + st.attr + "`"
}

// grantingReqs returns the Require lines that admit a client on their own:
// the section's top-level lines (an implicit <RequireAny>), the lines of a
// <RequireAny> among them, and a line of a <RequireAll> whose other
// members only grant or exclude (`Require all granted`, `Require not …`).
func grantingReqs(reqs []*apachemodel.Req) []*apachemodel.Req {
	var out []*apachemodel.Req
	for _, r := range reqs {
		switch r.Container {
		case "":
			if !r.Negated {
				out = append(out, r)
			}
		case htaccess.SecRequireAny:
			out = append(out, grantingReqs(r.Children)...)
		case htaccess.SecRequireAll:
			for _, c := range r.Children {
				others := true
				for _, o := range r.Children {
					if o != c && !isAllGranted(o) && !(o.Container == "" && o.Negated) {
						others = false
					}
				}
				if others {
					out = append(out, grantingReqs([]*apachemodel.Req{c})...)
				}
			}
		}
	}
	return out
}

func visitReqs(reqs []*apachemodel.Req, fn func(*apachemodel.Req)) {
	for _, r := range reqs {
		fn(r)
		visitReqs(r.Children, fn)
	}
}

// envArg returns V of `Allow from env=V` / `Deny from env=V`.
func envArg(n *htaccess.Node) (string, bool) {
	v := n.ArgValues()
	if len(v) < 2 || !strings.EqualFold(v[0], "from") {
		return "", false
	}
	name, ok := strings.CutPrefix(v[1], "env=")
	if !ok || name == "" || name[0] == '!' {
		return "", false
	}
	return name, true
}

// allowGrants reports whether mod_access_compat's host check alone admits
// a client in s: under `Satisfy Any`, or where no user is required.
func allowGrants(p *ApachePass, s *apachemodel.Section) bool {
	for _, e := range p.Model.Effects(s, "GET") {
		if strings.EqualFold(e.Satisfy.Value(), "any") || !e.Authz.NeedsUser() {
			return true
		}
	}
	return len(p.Model.Probes(s)) == 0
}

// sectionURL names what a section serves: its URL, else the section.
func sectionURL(p *ApachePass, s *apachemodel.Section) string {
	if pr := p.Model.Probes(s); len(pr) > 0 {
		return pr[0].URI
	}
	return s.Describe()
}

// literalPrefix returns the literal text a regex must start with ("^/admin"
// gives "/admin"); "" when it is not anchored or starts with a class.
func literalPrefix(re string) string {
	rx, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return ""
	}
	rx = rx.Simplify()
	if rx.Op != syntax.OpConcat || len(rx.Sub) < 2 || rx.Sub[0].Op != syntax.OpBeginText && rx.Sub[0].Op != syntax.OpBeginLine {
		return ""
	}
	var b strings.Builder
	for _, sub := range rx.Sub[1:] {
		if sub.Op != syntax.OpLiteral || sub.Flags&syntax.FoldCase != 0 {
			break
		}
		b.WriteString(string(sub.Rune))
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
