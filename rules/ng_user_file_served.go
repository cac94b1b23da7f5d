package rules

import (
	"path/filepath"
	"strings"
)

// NginxUserFileServed reports a user file under a server's root that nginx
// would serve: nginx has no built-in .ht* guard (facts #69, #70).
var NginxUserFileServed = &Rule{
	ID: "NG403", Name: "user-file-downloadable", Severity: Error,
	Summary: "the user file lies under a server's root and nginx serves it: the hashes can be downloaded",
	Nginx: func(p *NginxPass) {
		for _, uf := range p.Model.UserFiles() {
			if uf.Path == "" || strings.Contains(uf.Path, "$") || !exists(p.FS, uf.Path) {
				continue
			}
			for _, srv := range p.Model.Servers {
				root := rootOf(srv, p.Model)
				if root == "" {
					continue
				}
				rel, err := filepath.Rel(root, uf.Path)
				if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
					continue
				}
				uri := "/" + filepath.ToSlash(rel)
				eff := srv.Effective(uri)
				if denies(eff) || rootOf(eff, p.Model) != root {
					continue
				}
				who := "anyone"
				if eff.Protected() {
					who = "any logged-in user"
				}
				p.At(uf.Directive, "user file %s is inside the root %s of a server and %s serves it at %s: %s can download the hashes; move the file out of the document root or add `location ~ /\\.ht { deny all; }`",
					uf.Path, root, eff.Name(), uri, who)
				break
			}
		}
	},
}

// rootOf returns the root in effect for a scope (nginx's default is the
// html directory under the install prefix, which the model cannot know).
func rootOf(s *NgScope, m *NginxModel) string {
	for c := s; c != nil; c = c.Parent {
		for _, d := range c.Own {
			if d.Name == "root" {
				return m.ResolvePath(d.Arg(0))
			}
			if d.Name == "alias" {
				return ""
			}
		}
	}
	return ""
}

// denies reports whether a scope refuses every request: deny all without
// an allow, `return 4xx`, or `internal`.
func denies(s *NgScope) bool {
	for _, d := range s.Own {
		switch d.Name {
		case "internal":
			return true
		case "return":
			if strings.HasPrefix(d.Arg(0), "4") {
				return true
			}
		}
	}
	for _, a := range s.EffAccess {
		if a.Name == "allow" {
			return false
		}
		if a.Name == "deny" && a.Arg(0) == "all" {
			return true
		}
	}
	return false
}
