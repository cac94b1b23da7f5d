package rules

import (
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/nginxmodel"
)

// NginxUserFileServed reports a user file under a server's root that nginx
// would serve: nginx has no built-in .ht* guard, `ngx_http_static_handler`
// serves any file (scenario `nginx-user-file-served`).
var NginxUserFileServed = &Rule{
	ID: "NG403", Name: "user-file-downloadable", Severity: Error,
	Summary: "the user file lies under a server's root and nginx serves it: the hashes can be downloaded",
	Nginx: func(p *NginxPass) {
		// Roots are computed once per server, and each distinct path is
		// checked once: a large tree references the same few files from
		// thousands of locations.
		roots := make([]string, len(p.Model.Servers))
		for i, srv := range p.Model.Servers {
			roots[i] = p.Model.RootOf(srv)
		}
		type verdict struct {
			msg string
			ok  bool
		}
		done := map[string]verdict{}
		for _, uf := range p.Model.UserFiles() {
			if uf.Path == "" || strings.Contains(uf.Path, "$") {
				continue
			}
			v, seen := done[uf.Path]
			if !seen {
				v = servedVerdict(p, uf.Path, roots)
				done[uf.Path] = v
			}
			if v.ok {
				p.At(uf.Directive, "%s", v.msg)
			}
		}
	},
}

// servedVerdict finds the first server that serves path from its root.
func servedVerdict(p *NginxPass, path string, roots []string) (v struct {
	msg string
	ok  bool
}) {
	if !exists(p.FS, path) {
		return v
	}
	for i, srv := range p.Model.Servers {
		root := roots[i]
		if root == "" || !strings.HasPrefix(path, strings.TrimSuffix(root, "/")+"/") {
			continue
		}
		rel, err := filepath.Rel(root, path)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		uri := "/" + filepath.ToSlash(rel)
		guard, note := denyGuard(uri)
		eff := srv.Effective(uri)
		if eff.DeniesAll() || p.Model.RootOf(eff) != root {
			continue
		}
		v.msg = sprintf("user file %s is inside the root %s of a server and %s serves it at %s: %s can download the hashes; move the file out of the document root or add %s%s",
			path, root, eff.Name(), uri, downloader(eff), guard, note)
		v.ok = true
		return v
	}
	// A prefix location with an alias serves the files under its target.
	for _, l := range p.Model.All {
		if l.Kind != "location" || l.Server == nil || l.IsRegex() || l.Modifier == "=" {
			continue
		}
		alias := ""
		for _, d := range l.Own {
			if d.Name == "alias" && len(d.Args) == 1 {
				alias = d.Arg(0)
			}
		}
		if alias == "" || strings.Contains(alias, "$") {
			continue
		}
		rel, err := filepath.Rel(p.Model.ResolvePath(alias), path)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		uri := strings.TrimSuffix(l.Pattern, "/") + "/" + filepath.ToSlash(rel)
		guard, note := denyGuard(uri)
		eff := l.Server.Effective(uri)
		if eff != l || eff.DeniesAll() {
			continue
		}
		v.msg = sprintf("user file %s is under the alias %s of %s, which serves it at %s: %s can download the hashes; move the file out of the aliased directory or add %s inside it%s",
			path, alias, l.Name(), uri, downloader(eff), guard, note)
		v.ok = true
		return v
	}
	return v
}

// denyGuard is the location that refuses the URI of a user file: the
// usual `/\.ht` regex for a name that starts with .ht, else an exact
// location for that URI, with a note that the regex would not match it.
func denyGuard(uri string) (guard, note string) {
	if strings.HasPrefix(filepath.Base(uri), ".ht") {
		return "`location ~ /\\.ht { deny all; }`", ""
	}
	return "`location = " + uri + " { deny all; }`", "; the name does not start with .ht, so the usual `location ~ /\\.ht` guard does not cover it"
}

// downloader says who can fetch a file the scope serves.
func downloader(eff *nginxmodel.Scope) string {
	if eff.Protected() {
		return "any logged-in user"
	}
	return "anyone"
}
