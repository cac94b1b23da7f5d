package apachemodel

import (
	"regexp"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// setEnvIf is mod_setenvif's match_headers: it runs twice, in
// post_read_request with the server's lines (the main server's, then the
// virtual host's, as merge_setenvif_config appends them), where Request_URI
// is the path as sent (not %-decoded, dot segments kept; consecutive slashes
// merged), and in the header_parser hook with the lines of the merged
// per-directory configuration, on the normalised path (scenarios
// apache-setenvif-header, apache-setenvif-request-uri). It returns the
// variables set; unknown is set when a line tests something the model
// cannot read (Remote_Host, a regex Go cannot compile).
func (p *predictor) setEnvIf(e *Effect, uri string) (env map[string]string, unknown bool) {
	env = map[string]string{}
	var server []*htaccess.Node
	if p.m.Main != nil {
		server = append(server, p.m.Main.Directives...)
	}
	if p.server != nil && p.server != p.m.Main {
		server = append(server, p.server.Directives...)
	}
	raw := mergeSlashes(p.req.Path)
	for _, n := range server {
		unknown = p.applySetEnvIf(n, raw, env) || unknown
	}
	if e != nil {
		for _, s := range e.Applied {
			for _, n := range s.Conf.Directives {
				unknown = p.applySetEnvIf(n, uri, env) || unknown
			}
		}
	}
	return env, unknown
}

// applySetEnvIf applies one SetEnvIf, SetEnvIfNoCase, BrowserMatch or
// BrowserMatchNoCase line; it reports whether the line could not be
// evaluated.
func (p *predictor) applySetEnvIf(n *htaccess.Node, uri string, env map[string]string) (unknown bool) {
	var attr, pattern string
	var actions []string
	nocase := false
	args := n.ArgValues()
	switch n.Lower {
	case "setenvif", "setenvifnocase":
		if len(args) < 3 {
			return false
		}
		attr, pattern, actions = args[0], args[1], args[2:]
		nocase = n.Lower == "setenvifnocase"
	case "browsermatch", "browsermatchnocase":
		if len(args) < 2 {
			return false
		}
		attr, pattern, actions = "User-Agent", args[0], args[1:]
		nocase = n.Lower == "browsermatchnocase"
	default:
		return false
	}
	value, known := p.setEnvIfAttr(attr, uri, env)
	if !known {
		p.unsure("access", n, "%s tests %s, which the model cannot read for this request: assumed not to match", n.Name, attr)
		return true
	}
	if nocase {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		p.unsure("access", n, "%s: the regex %q has no Go equivalent: assumed not to match", n.Name, pattern)
		return true
	}
	if !re.MatchString(value) {
		return false
	}
	var set []string
	for _, a := range actions {
		switch {
		case strings.HasPrefix(a, "!"):
			delete(env, a[1:])
		case strings.Contains(a, "="):
			k, v, _ := strings.Cut(a, "=")
			env[k] = v
			set = append(set, k)
		default:
			env[a] = "1"
			set = append(set, a)
		}
	}
	p.add("access", n, "%s: %s %q matches %s: sets %s", n.Name, attr, value, pattern, strings.Join(set, ", "))
	return false
}

// setEnvIfAttr is the value a SetEnvIf line tests: one of mod_setenvif's
// special names, else a request header (else a variable set before).
func (p *predictor) setEnvIfAttr(attr, uri string, env map[string]string) (string, bool) {
	switch strings.ToLower(attr) {
	case "request_uri":
		return uri, true
	case "request_method":
		return p.method, true
	case "request_protocol":
		return "HTTP/1.1", true
	case "remote_addr":
		return p.clientString(), p.req.Client.IsValid()
	case "remote_host", "server_addr":
		return "", false
	}
	if v := p.req.Header.Get(attr); v != "" || p.req.Header == nil {
		return v, true
	}
	if v, ok := env[attr]; ok {
		return v, true
	}
	return "", true
}

// mergeSlashes merges runs of '/' as httpd does when it reads the request
// line (MergeSlashes On).
func mergeSlashes(s string) string {
	for strings.Contains(s, "//") {
		s = strings.ReplaceAll(s, "//", "/")
	}
	return s
}
