package rules

import (
	"path"
	"regexp/syntax"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheProxySkipsDirectoryAuth reports a URL that ProxyPass (also in a
// <Location>), ProxyPassMatch or a server-context RewriteRule with [P]
// hands to a backend while the password for it sits in a <Directory>
// section: mod_proxy's translate hook
// (proxy_trans, ap_proxy_trans_match) sets r->filename to "proxy:…" and its
// map_to_storage hook skips the directory walk, so no <Directory>,
// <DirectoryMatch> or .htaccess applies to the proxied request and it is
// answered without a password (scenario `apache-proxy-directory-auth-open`);
// <Location> and <Proxy> sections do apply (the evaluator merges them).
var ApacheProxySkipsDirectoryAuth = &Rule{
	ID: "AP308", Name: "proxy-skips-directory-auth", Severity: Error,
	Summary: "a proxied URL is guarded only by <Directory> auth, which never applies to proxied requests",
	Apache: func(p *ApachePass) {
		m := p.Model
		if !m.ModuleLoaded("proxy_module") {
			return
		}
		for _, srv := range m.ServingServers() {
			for _, c := range proxyCandidates(m, srv) {
				tr := m.Translate(p.FS, apachemodel.TranslateInput{Server: srv, URI: c.uri, Method: "GET"})
				if !tr.NoFile || tr.Status != 0 || tr.Uncertain || !decidedBy(tr, c.node) {
					continue // not proxied, or by another directive (reported as its own candidate)
				}
				proxied := m.Effect(apachemodel.Request{Server: srv, URI: tr.URI, Method: "GET", NoFile: true, ProxyURL: tr.ProxyURL})
				if !proxied.Open() {
					continue
				}
				auth := proxyMeantAuth(m, srv, c.uri)
				if auth == nil {
					continue
				}
				loc := strings.TrimSuffix(c.uri, "/")
				if loc == "" {
					loc = "/"
				}
				p.At(c.node, "%s hands %s to a backend: a proxied request maps to no file and walks no <Directory>, so the password of %s does not apply and GET %s is served without a password; put the auth in `<Location \"%s\">`",
					c.what, c.uri, p.WhereSec(auth), c.uri, loc)
			}
		}
	},
}

// decidedBy reports whether n is the directive that proxied the request.
func decidedBy(tr apachemodel.Translation, n *htaccess.Node) bool {
	for _, st := range tr.Steps {
		if st.Node == n {
			return true
		}
	}
	return false
}

// proxyCandidate is a URL a proxy directive may hand to a backend.
type proxyCandidate struct {
	node *htaccess.Node
	uri  string
	what string // "ProxyPass", "RewriteRule [P]"
}

// proxyCandidates returns, for each ProxyPass (in a <Location> or at server
// level), ProxyPassMatch and server-context RewriteRule with the P flag
// that applies on srv (its own, then the main server's), a URL under it:
// the prefix, with a slash; the literal start of a regex.
func proxyCandidates(m *apachemodel.Model, srv *apachemodel.Server) []proxyCandidate {
	var out []proxyCandidate
	servers := []*apachemodel.Server{srv}
	if srv != m.Main {
		servers = append(servers, m.Main)
	}
	for _, s := range m.EffectiveSections(srv) {
		if s.Kind != htaccess.SecLocation && s.Kind != htaccess.SecLocationMatch {
			continue
		}
		for _, n := range s.Conf.Directives {
			if n.Lower != "proxypass" || len(n.Args) != 1 || n.Args[0].Expanded == "!" {
				continue
			}
			uri := s.Pattern
			if s.Regex != nil {
				uri = regexLiteralPrefix(s.Pattern)
			} else if !strings.HasSuffix(uri, "/") {
				uri += "/"
			}
			if strings.HasPrefix(uri, "/") {
				out = append(out, proxyCandidate{n, uri, "ProxyPass in " + s.Describe()})
			}
		}
	}
	for _, s := range servers {
		for _, n := range s.Directives {
			switch n.Lower {
			case "proxypass":
				if len(n.Args) < 2 || n.Args[1].Expanded == "!" {
					continue
				}
				uri := n.Args[0].Expanded
				if !strings.HasPrefix(uri, "/") {
					continue
				}
				if !strings.HasSuffix(uri, "/") {
					uri += "/"
				}
				out = append(out, proxyCandidate{n, uri, "ProxyPass"})
			case "proxypassmatch":
				if len(n.Args) < 2 || n.Args[1].Expanded == "!" {
					continue
				}
				if uri := regexLiteralPrefix(n.Args[0].Expanded); uri != "" {
					out = append(out, proxyCandidate{n, uri, "ProxyPassMatch"})
				}
			case "rewriterule":
				if len(n.Args) < 3 || !rewriteProxyFlag(n.Args[2].Expanded) {
					continue
				}
				if uri := regexLiteralPrefix(n.Args[0].Expanded); uri != "" {
					out = append(out, proxyCandidate{n, uri, "RewriteRule [P]"})
				}
			}
		}
	}
	return out
}

// rewriteProxyFlag reports whether RewriteRule flags hold P (proxy).
func rewriteProxyFlag(flags string) bool {
	for _, f := range strings.Split(strings.Trim(flags, "[]"), ",") {
		switch strings.ToLower(strings.TrimSpace(f)) {
		case "p", "proxy":
			return true
		}
	}
	return false
}

// regexLiteralPrefix returns the URL path every match of an anchored regex
// starts with, up to its last '/' ("^/app/(.*)$" gives /app/), or "" when
// the regex is not anchored or starts with no literal path.
func regexLiteralPrefix(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText && re.Sub[0].Op != syntax.OpBeginLine {
		return ""
	}
	var lit []rune
	for _, s := range re.Sub[1:] {
		if s.Op != syntax.OpLiteral || s.Flags&syntax.FoldCase != 0 {
			break
		}
		lit = append(lit, s.Rune...)
	}
	prefix := string(lit)
	i := strings.LastIndexByte(prefix, '/')
	if !strings.HasPrefix(prefix, "/") || i < 0 {
		return ""
	}
	return prefix[:i+1]
}

// proxyMeantAuth returns the <Directory>-family section whose password the
// admin meant for the proxied URL: the one that would decide the URL were it
// not proxied (its file under the DocumentRoot or an Alias), else a literal
// <Directory> with a password whose last name is the URL's first segment
// (`<Directory /var/www/app>` for /app/) and that no URL serves. nil when
// there is none.
func proxyMeantAuth(m *apachemodel.Model, srv *apachemodel.Server, uri string) *apachemodel.Section {
	if f := m.Resolve(srv, uri); f != "" {
		e := m.Effect(apachemodel.Request{Server: srv, URI: uri, Method: "GET", File: f})
		if own := e.Authz.Own(); own != nil && e.Decide() == apachemodel.NeedUser && directoryKind(own) {
			return own
		}
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(uri, "/"), "/")
	if first == "" {
		return nil
	}
	for _, s := range m.EffectiveSections(srv) {
		if s.Kind == htaccess.SecDirectory && s.Regex == nil && path.Base(s.Pattern) == first &&
			s.OwnAuthz() != nil && s.OwnAuthz().Decide("GET") == apachemodel.NeedUser &&
			m.URIFor(srv, s.Pattern) == "" { // served at another URL: its password is for that one
			return s
		}
	}
	return nil
}

// directoryKind reports whether a section applies through the directory or
// file walk (a <Files> inside a <Directory> counts: it needs a file).
func directoryKind(s *apachemodel.Section) bool {
	switch s.Kind {
	case htaccess.SecDirectory, htaccess.SecDirectoryMatch, htaccess.SecFiles, htaccess.SecFilesMatch, "htaccess":
		return true
	}
	return false
}
