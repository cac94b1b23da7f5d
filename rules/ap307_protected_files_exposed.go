package rules

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheFilesExposed reports every anonymous way to the files that a
// URL- or vhost-scoped protected section guards: a second Alias for the
// directory behind a <Location>, a RewriteRule without PT into it, another
// URL beside an <If> on REQUEST_URI, another virtual host with the same
// DocumentRoot. Each way is confirmed by following an anonymous request
// through httpd's phases (`ap_location_walk`, `ap_if_walk`,
// `translate_alias_redir`, mod_rewrite's `hook_uri2file`,
// `ap_update_vhost_from_headers`; scenarios `apache-alias-second-url-open`,
// `apache-rewrite-no-pt-open`, `apache-if-uri-rewrite-open`,
// `apache-vhost-same-root-open`).
var ApacheFilesExposed = &Rule{
	ID: "AP307", Name: "protected-files-exposed", Severity: Error,
	Summary: "a request reaches the files a <Location>, <If> or virtual host's section protects through another URL or virtual host without a password",
	Apache: func(p *ApachePass) {
		names := exposureNames(p.Model)
		for _, x := range p.Model.Exposures(p.FS, names) {
			req := x.Method + " " + x.URI
			if x.Server != x.ProtServer {
				switch {
				case x.Server.Node == nil:
					req += fmt.Sprintf(" on port %d with any Host (no <VirtualHost> is defined for the address the request comes in on: the main server answers)", x.Port)
				case x.Default:
					req += fmt.Sprintf(" on port %d with any Host no ServerName names", x.Port)
				default:
					req += fmt.Sprintf(" with Host %s on port %d", x.Host, x.Port)
					if x.AnyHost {
						req += " (or any Host no ServerName names)"
					}
				}
			}
			prot := x.Protected.Describe() + " (" + p.LineRef(x.At, x.Protected.Node) + ")"
			served, guards := "is served without a password", "protects"
			if x.Denied {
				served, guards = "is served to anyone", "refuses to everyone (Require all denied)"
			}
			if x.Explicit {
				p.ReportSeverityf(Info, x.At.File, nodeSpan(x.At), "public by design: %s %s from the files that %s %s: %s opens it in words",
					req, served, prot, guards, x.Grant.Describe())
				continue
			}
			p.At(x.At, "%s %s from the files that %s %s: %s", req, served, prot, guards, exposureHow(p, x))
		}
	},
}

// exposureHow says why the way exists and how to close it.
func exposureHow(p *ApachePass, x apachemodel.Exposure) string {
	dir := p.display(x.Dir)
	fix := fmt.Sprintf("guard the files with `<Directory \"%s\">` at server level (ap_directory_walk merges it for every URL and virtual host)", dir)
	prot := x.Protected
	switch {
	case prot.Kind == htaccess.SecDirectory, prot.Kind == htaccess.SecFiles:
		return fmt.Sprintf("a %s inside a <VirtualHost> holds only for that virtual host's requests, and %s serves the same files; move the section out of the virtual host, or protect this one too", sectionWord(prot), x.Server.Name())
	case x.Server != x.ProtServer:
		return fmt.Sprintf("the sections of a <VirtualHost> hold only for its own requests, and %s serves the same directory (%s); %s, or give that server a DocumentRoot that does not hold them", x.Server.Name(), dir, fix)
	case x.Kind == "rewrite" && !rewritePT(x.At):
		return fmt.Sprintf("a RewriteRule without PT maps the request to a file and leaves its URL as sent, so %s never matches it; add the PT flag, or %s", sectionWord(prot), fix)
	case x.Kind == "rewrite":
		return fmt.Sprintf("the rewritten URL is another way to the same directory (%s), which %s does not match; %s", dir, sectionWord(prot), fix)
	case x.Kind == "alias":
		return fmt.Sprintf("%s guards URLs, not files, and this %s maps another URL onto the same directory (%s); %s", sectionWord(prot), x.At.Name, dir, fix)
	}
	return fmt.Sprintf("%s guards URLs, not files, and the DocumentRoot maps another URL onto the same directory (%s); %s", sectionWord(prot), dir, fix)
}

// sectionWord names a section's kind for messages: "<Location>".
func sectionWord(s *apachemodel.Section) string {
	if s.Node == nil {
		return "the section"
	}
	return "<" + s.Node.Name + ">"
}

// rewritePT reports whether a RewriteRule has the PT (passthrough) flag.
func rewritePT(n *htaccess.Node) bool {
	args := n.ArgValues()
	if len(args) < 3 || !strings.HasPrefix(args[len(args)-1], "[") {
		return false
	}
	for _, f := range strings.Split(strings.Trim(args[len(args)-1], "[]"), ",") {
		switch strings.ToLower(strings.TrimSpace(f)) {
		case "pt", "passthrough":
			return true
		}
	}
	return false
}

// exposureNames are the file names tried under a protected URL: x.html,
// then one per extension a <FilesMatch> names and the files literal
// <Files> sections name (a few at most).
func exposureNames(m *apachemodel.Model) []string {
	out := []string{"x.html"}
	for _, n := range apacheProbeNames(m) {
		if n == "" || n == "index.html" || n == "x.html" || strings.HasPrefix(n, ".") {
			continue
		}
		out = append(out, n)
		if len(out) == 6 {
			break
		}
	}
	return out
}
