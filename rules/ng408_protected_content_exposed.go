package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/nginxconf"
)

// NginxContentExposed reports every anonymous way to the files or backend a
// guarded location or server serves: another location or server block that
// maps a URL onto the same file, a prefix alias that climbs out with "..",
// a rewrite out of the protected location, a try_files file argument (not
// the last) in the protected directory. Each way is confirmed by
// following an anonymous request through nginx's phases
// (`ngx_http_core_find_location`, `ngx_http_map_uri_to_path`,
// `ngx_http_find_virtual_server`; scenarios `nginx-regex-shadow-open`,
// `nginx-server-default-open`, `nginx-rewrite-last-open`).
var NginxContentExposed = &Rule{
	ID: "NG408", Name: "protected-content-exposed", Severity: Error,
	Summary: "a request reaches what a protected location serves through another location, server or alias without a password",
	Nginx: func(p *NginxPass) {
		for _, x := range p.Model.Exposures(p.FS) {
			if reportedElsewhere(p, x) {
				continue
			}
			at := x.Via.D
			switch {
			case x.At != nil:
				at = x.At
			case x.Protected.Modifier == "=" && x.Server == x.Protected.Server:
				at = x.Protected.D // the exact match is the cause
			}
			if at == nil {
				continue
			}
			req := x.Method + " " + x.URI
			if x.Server != x.Protected.Server && x.Protected.Kind != "server" || x.Protected.Kind == "server" && x.Server != x.Protected {
				// Another server block: the whole URL, port included.
				req = x.Method + " " + x.URL()
				if x.Default {
					req += " (any Host that no server_name names)"
				}
			}
			what := "the file " + x.Content
			if strings.Contains(x.Content, "://") {
				what = "the backend URL " + x.Content
			}
			prot := x.Protected.Name()
			switch {
			case x.Protected.Kind == "server" && x.Server != x.Protected:
				prot = "the other server block"
			case x.Protected.Kind == "server":
				prot = "the server block"
			}
			how := howExposed(x)
			if x.Kind == "methods" {
				guard := x.Protected.D
				if x.Protected.EffRealm != nil {
					guard = x.Protected.EffRealm
				}
				p.At(at, "%s is served without a password: `limit_except %s` applies its block (%s) to every method it does NOT name, so the methods it names keep the guard of %s (%s) and all others lose it; to leave only reads public, put auth_basic inside limit_except and none in the location", req, joinArgValues(x.Via.D), offWhat(x.Via), prot, p.LineRef(at, guard))
				continue
			}
			if x.Kind == "rewrite" {
				msg := fmt.Sprintf("%s, which the protected %s (%s) takes, is rewritten to %s and served by %s without a password: a rewrite without break starts the location search again before the access phase; use `break`, or protect the target", req, prot, p.LineRef(at, x.Protected.D), x.Content, x.Via.Name())
				if x.Explicit {
					p.ReportSeverityf(Info, at.File, at.Span, "public by design: %s", msg)
					continue
				}
				p.At(at, "%s", msg)
				continue
			}
			via := x.Via.Name()
			if x.Via.Kind == "server" {
				via = "this server block's own configuration"
			}
			if x.Explicit {
				p.ReportSeverityf(Info, at.File, at.Span, "public by design: %s is served without a password by %s (auth_basic off) from %s, which %s protects (%s)", req, via, what, prot, p.LineRef(at, x.Protected.D))
				continue
			}
			if rel := traversalUserFile(p, x); rel != "" {
				how += fmt.Sprintf("; the user file is downloadable the same way (GET %s%s)", strings.TrimSuffix(x.Via.Pattern, "/")+"../", filepath.ToSlash(rel))
			}
			p.At(at, "%s is served without a password by %s from %s, which %s protects (%s): %s", req, via, what, prot, p.LineRef(at, x.Protected.D), how)
		}
	},
}

// howExposed says why the way exists and how to close it.
func howExposed(x nginxmodel.Exposure) string {
	switch {
	case x.Kind == "named":
		return x.At.Name + " sends the request to the named location " + x.Via.Pattern + ", whose access phase runs on its own configuration (no password there) and whose root or alias holds the protected files; protect the named location too, or give it another root"
	case x.Kind == "tryfiles":
		return "try_files serves a file argument that is not its last from this location itself, under this location's access rules (only the last argument is an internal redirect, after which the protected location asks for the password); make it the last argument, or protect this location too"
	case x.Via.Lookup("fastcgi_split_path_info") != nil && strings.HasSuffix(x.Content, ".php") && !strings.HasSuffix(x.URI, x.Content[strings.LastIndex(x.Content, "/"):]):
		return "fastcgi_split_path_info runs the script before the path info, so the protected script runs under a longer URL that this location takes; protect it with a prefix location that stops the regex search (`location ^~ " + x.Protected.Pattern + "`)"
	case x.Kind == "traversal":
		return "the location has no trailing slash and its alias has one, so \"..\" after the prefix climbs out of the alias; end both with a slash"
	case x.Kind == "server" && x.OtherSocket && strings.Contains(x.Content, "://"):
		return "auth guards URLs of one server block, not backends, and a server block on another port or address is configured on its own; protect this location too, or let only the protected server block pass to that backend"
	case x.Kind == "server" && x.OtherSocket:
		return "auth guards URLs of one server block, not files, and a server block on another port or address is configured on its own; protect this server block too (or move its listen into the protected one), or give it another root"
	case x.Kind == "server" && strings.Contains(x.Content, "://"):
		return "auth guards URLs of one server block, not backends; protect this location too, or let only the protected server block pass to that backend"
	case x.Kind == "server" && x.Default:
		return "auth guards URLs of one server block, not files; protect this server too, give it another root, or make a default_server that refuses unknown Hosts"
	case x.Kind == "server":
		return "auth guards URLs of one server block, not files; protect this server too, or give it another root"
	case x.Protected.Modifier == "=":
		return "an exact location protects that one URI only; use a prefix location (`location ^~ " + x.Protected.Pattern + "`)"
	case hasAlias(x.Via):
		return "its alias maps these URLs onto the directory the protected location serves; point the alias elsewhere, or protect this location too"
	case x.Via.IsRegex() && x.Protected.Kind == "location" && x.Protected.Modifier == "" && x.Via.Server == x.Protected.Server:
		return "a regex location beats a prefix location without ^~; write `location ^~ " + x.Protected.Pattern + "`, or nest this one inside it"
	case x.Via.IsRegex() && x.Protected.IsRegex():
		return "nginx takes the first regex location that matches, in file order; put the protected one first or nest this one inside it"
	}
	return "another location takes these URIs; nest it inside the protected one or protect it too"
}

// joinArgValues joins a directive's arguments.
func joinArgValues(d *nginxconf.Directive) string {
	return strings.Join(argValues(d.Args), " ")
}

// offWhat names what turns the guard off in a limit_except block.
func offWhat(le *nginxmodel.Scope) string {
	if le.Realm != nil {
		return "auth_basic " + le.Realm.Arg(0)
	}
	for _, d := range le.Own {
		if d.Name == "auth_request" || d.Name == "allow" {
			return d.Name + " " + d.Arg(0)
		}
	}
	return "its own access rules"
}

// hasAlias reports whether a location sets its own alias.
func hasAlias(s *nginxmodel.Scope) bool {
	for _, d := range s.Own {
		if d.Name == "alias" {
			return true
		}
	}
	return false
}

// traversalUserFile is the protected block's user file when the ".." of
// a traversal reaches it too ("" otherwise).
func traversalUserFile(p *NginxPass, x nginxmodel.Exposure) string {
	if x.Kind != "traversal" || x.Protected.EffUserFile == nil {
		return ""
	}
	uf := p.Model.ResolvePath(x.Protected.EffUserFile.Arg(0))
	top := filepath.Dir(filepath.Clean(x.At.Arg(0)))
	if uf == "" || strings.Contains(uf, "$") {
		return ""
	}
	if rel, err := filepath.Rel(top, uf); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return ""
}

// reportedElsewhere reports whether a way is one an older rule reports
// already: a regex beating a protected prefix (NG301), an alias into the
// root below a protected location (NG407), a constant rewrite … last
// (NG302).
func reportedElsewhere(p *NginxPass, x nginxmodel.Exposure) bool {
	prot := x.Protected
	switch x.Kind {
	case "location":
		if prot.Kind == "location" && prot.Modifier == "" && prot.Protected() && x.Via.IsRegex() && !x.Via.Protected() {
			return true
		}
		l := x.Via
		if l.Kind != "location" || l.IsRegex() || l.Server != prot.Server {
			return false
		}
		for _, d := range l.Own {
			if d.Name == "alias" && filepath.IsAbs(d.Arg(0)) && !strings.Contains(d.Arg(0), "$") {
				root := p.Model.RootOf(l.Server)
				rel, err := filepath.Rel(root, filepath.Clean(d.Arg(0)))
				return root != "" && err == nil && !strings.HasPrefix(rel, "..")
			}
		}
	case "rewrite":
		return prot.Protected() && x.At.Arg(2) == "last" && !strings.Contains(x.At.Arg(1), "$")
	}
	return false
}
