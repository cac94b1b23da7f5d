package rules

import (
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// NginxUserFileVariable reports variables in auth_basic_user_file that pick a
// file that does not exist: `$host` chooses a file per request from the Host
// header, so a host without its file gets 403 on every login, and the
// server that catches unknown hosts answers 403 to all of them; a
// `$server_name` file that does not exist is NG401's case per server
// (`ngx_http_auth_basic_handler` resolves the path per request, relative to
// the conf prefix; scenario `nginx-user-file-variable`).
var NginxUserFileVariable = &Rule{
	ID: "NG405", Name: "user-file-variable", Severity: Error,
	Summary: "a $host/$server_name user file that does not exist for a server name: every login there gets 403",
	Nginx: func(p *NginxPass) {
		for _, s := range p.Model.All {
			d := s.UserFile
			if d == nil || !strings.Contains(d.Arg(0), "$") {
				continue
			}
			arg := d.Arg(0)
			servers := []*nginxmodel.Scope{s.Server}
			if s.Server == nil {
				servers = p.Model.Servers
			}
			for _, srv := range servers {
				if srv == nil {
					continue
				}
				names := serverNames(srv)
				switch {
				case usesVar(arg, "server_name"):
					first := ""
					if len(names) > 0 {
						first = names[0]
					}
					path := p.Model.ResolvePath(replaceVar(arg, "server_name", first))
					if strings.Contains(path, "$") || exists(p.FS, path) || p.FS.Unchecked(path) != "" {
						continue
					}
					p.Reportf(d.File, d.Args[0].Span, "$server_name is %s in the server at %s, so the user file is %s, which does not exist: anonymous requests get 401, every login gets 403", quote(first), p.LineRef(d, srv.D), path)
				case usesVar(arg, "host") || usesVar(arg, "http_host"):
					v := "host"
					if usesVar(arg, "http_host") {
						v = "http_host"
					}
					for _, n := range names {
						if n == "" || n == "_" || strings.ContainsAny(n, "*~") {
							continue
						}
						path := p.Model.ResolvePath(replaceVar(arg, v, strings.ToLower(n)))
						if strings.Contains(path, "$") || exists(p.FS, path) || p.FS.Unchecked(path) != "" {
							continue
						}
						p.Reportf(d.File, d.Args[0].Span, "requests for %s look for the user file %s, which does not exist: every login there gets 403", n, path)
					}
					if catchesOtherHosts(p.Model, srv) {
						p.ReportSeverityf(Warning, d.File, d.Args[0].Span, "$%s picks the user file from the Host header and the server at %s also answers hosts it does not name: for each of them nginx looks for a file named after the host, and every login gets 403; use $server_name or a map with a default", v, p.LineRef(d, srv.D))
					}
				}
			}
		}
	},
}

// usesVar reports whether s references $name (or ${name}) as a whole name.
func usesVar(s, name string) bool {
	return replaceVar(s, name, "\x00") != s
}

// replaceVar substitutes $name and ${name}, not $name_more.
func replaceVar(s, name, val string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' {
			if strings.HasPrefix(s[i+1:], "{"+name+"}") {
				b.WriteString(val)
				i += len(name) + 2
				continue
			}
			if strings.HasPrefix(s[i+1:], name) {
				end := i + 1 + len(name)
				if end == len(s) || !isVarChar(s[end]) {
					b.WriteString(val)
					i = end - 1
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isVarChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// serverNames returns a server's server_name values in order.
func serverNames(srv *nginxmodel.Scope) []string {
	var out []string
	for _, d := range srv.Own {
		if d.Name == "server_name" {
			out = append(out, argValues(d.Args)...)
		}
	}
	return out
}

// catchesOtherHosts reports whether a server answers Host values it does
// not name: it is a default_server, names nothing literal, or is the first
// server for one of its listen addresses (nginx's implicit default).
func catchesOtherHosts(m *nginxmodel.Model, srv *nginxmodel.Scope) bool {
	names := serverNames(srv)
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if n == "_" || n == "" || strings.HasPrefix(n, "~") || strings.Contains(n, "*") {
			return true
		}
	}
	first := map[string]*nginxmodel.Scope{}
	for _, s := range m.Servers {
		for _, l := range listens(s) {
			if _, ok := first[l]; !ok {
				first[l] = s
			}
		}
	}
	for _, d := range srv.Own {
		if d.Name != "listen" {
			continue
		}
		for _, a := range d.Args[1:] {
			if a.Value == "default_server" || a.Value == "default" {
				return true
			}
		}
	}
	for _, l := range listens(srv) {
		if first[l] == srv {
			return true
		}
	}
	return false
}

// listens returns a server's listen addresses ("*:80" when it has none).
func listens(srv *nginxmodel.Scope) []string {
	var out []string
	for _, d := range srv.Own {
		if d.Name == "listen" && len(d.Args) > 0 {
			out = append(out, d.Args[0].Value)
		}
	}
	if len(out) == 0 {
		out = []string{"*:80"}
	}
	return out
}
