package rules

import (
	"net/http"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApachePublicPathSwallowed reports auth over paths that must stay public:
// the ACME HTTP-01 challenge (renewal gets 401) and the CORS preflight
// (OPTIONS never carries credentials), and exceptions that cannot work: a
// <Location> exception placed before the <Location> auth, a <Directory>
// exception under <Location> auth (`ap_location_walk` runs after
// `ap_directory_walk`; scenario `apache-public-paths`; the <Directory> case
// observed by hand).
var ApachePublicPathSwallowed = &Rule{
	ID: "AP305", Name: "public-path-behind-auth", Severity: Error,
	Summary: "auth swallows a path that must stay public: ACME challenge, CORS preflight (OPTIONS)",
	Apache: func(p *ApachePass) {
		m := p.Model
		acme := acmeNames(m)
		for _, srv := range m.ServingServers() {
			ex := apacheACMEException(m, srv)
			if ex == nil && !apacheUsesACME(acme, srv) {
				continue // neither an exception to check nor renewals to break
			}
			e := m.Effect(apachemodel.Request{Server: srv, URI: acmeProbe, Method: "GET"})
			if e.Decide() != apachemodel.NeedUser {
				continue
			}
			auth := e.Authz.Own()
			at := auth.FirstUserRequire()
			if at == nil {
				continue
			}
			if ex != nil {
				why := "it is merged before " + auth.Describe() + ", whose Require wins"
				if !e.Merged(ex) {
					why = "it does not match " + acmeProbe
				} else if ex.Kind == htaccess.SecDirectory && (auth.Kind == htaccess.SecLocation || auth.Kind == htaccess.SecLocationMatch) {
					why = "a <Directory> section is merged before every <Location>, so it cannot override " + auth.Describe()
				} else if ex.Order < auth.Order && ex.Kind == auth.Kind {
					why = "it comes before " + auth.Describe() + " in the file, and the later section wins"
				}
				p.At(ex.Node, "this exception for the ACME challenge does not apply: %s; %s still gets 401 and certificate renewal (HTTP-01) fails; put `<Location \"/.well-known/acme-challenge/\"> Require all granted </Location>` after %s",
					why, acmeProbe, p.WhereSec(auth))
				continue
			}
			if apacheUsesACME(acme, srv) {
				p.ReportSeverityf(Warning, at.Node.File, nodeSpan(at.Node), "the ACME challenge %s is under this auth on %s, which uses ACME certificates: HTTP-01 renewal gets 401; add `<Location \"/.well-known/acme-challenge/\"> Require all granted </Location>` after %s",
					acmeProbe, srv.Name(), auth.Describe())
			}
		}
		for _, s := range m.AllSections() {
			if len(s.Conf.CORS) == 0 {
				continue
			}
			for _, e := range m.Effects(s, "OPTIONS") {
				if e.Decide() != apachemodel.NeedUser {
					if preflightIndex401(p, e) {
						p.ReportSeverityf(Warning, s.Conf.CORS[0].File, nodeSpan(s.Conf.CORS[0]), "%s sends CORS headers and lets OPTIONS through, but the preflight OPTIONS %s still gets 401: mod_dir looks up the directory's index with a GET subrequest, which runs authorization again as GET (an <If> on the method does not hold there); wrap the Require in `<LimitExcept OPTIONS>` instead",
							s.Describe(), e.Req.URI)
						break
					}
					continue
				}
				extra := ""
				for _, n := range s.Conf.Directives {
					if n.Lower == "rewriterule" || n.Lower == "rewritecond" && strings.Contains(strings.ToUpper(n.RawArgs), "OPTIONS") {
						extra = "; a per-directory RewriteRule runs after auth and cannot answer it"
						break
					}
				}
				p.ReportSeverityf(Warning, s.Conf.CORS[0].File, nodeSpan(s.Conf.CORS[0]), "%s sends CORS headers but requires a password: browsers send the preflight (OPTIONS %s) without credentials, it gets 401 and the cross-origin request fails%s; wrap the Require in `<LimitExcept OPTIONS>` (an <If> on the method fails where mod_dir serves an index)",
					s.Describe(), e.Req.URI, extra)
				break
			}
		}
	},
}

// apacheACMEException finds a section meant to free the ACME challenge.
func apacheACMEException(m *apachemodel.Model, srv *apachemodel.Server) *apachemodel.Section {
	var found *apachemodel.Section
	for _, secs := range [][]*apachemodel.Section{m.Main.Sections, srv.Sections} {
		for _, s := range secs {
			if found == nil && strings.Contains(s.Pattern, "acme-challenge") && s.OwnAuthz() != nil && s.OwnAuthz().Decide("GET") == apachemodel.Granted {
				found = s
			}
		}
		if srv == m.Main {
			break
		}
	}
	return found
}

// apacheUsesACME reports whether the server (or another virtual host with
// its name) has a certificate from an ACME client.
func apacheUsesACME(acme map[string]bool, srv *apachemodel.Server) bool {
	return acme[srv.ServerName] || hasACMECert(srv)
}

// acmeNames returns the server names that have an ACME certificate on
// some virtual host.
func acmeNames(m *apachemodel.Model) map[string]bool {
	names := map[string]bool{}
	for _, o := range m.Servers() {
		if o.ServerName != "" && hasACMECert(o) {
			names[o.ServerName] = true
		}
	}
	return names
}

func hasACMECert(s *apachemodel.Server) bool {
	for _, c := range s.Certs {
		if strings.Contains(c, "letsencrypt") || strings.Contains(c, "acme") {
			return true
		}
	}
	return false
}

// preflightIndex401 reports whether an anonymous preflight of e's URL, a
// directory URL that authorization lets through as OPTIONS, gets 401 all
// the same, as `authlint why` predicts it with certainty: the index lookup
// of mod_dir (a GET subrequest) asks for the password (scenario
// apache-public-paths-fixed).
func preflightIndex401(p *ApachePass, e *apachemodel.Effect) bool {
	if !strings.HasSuffix(e.Req.URI, "/") || e.Req.Server == nil {
		return false
	}
	h := http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"PUT"}}
	pred, ok := p.Model.Anonymous(p.FS, e.Req.Server, "OPTIONS", e.Req.URI, h)
	if !ok || !pred.Certain || pred.Status != 401 {
		return false
	}
	// The 401 must come from the index lookup (content.go's step), not
	// from something else the merged sections do not show.
	for _, st := range pred.Steps {
		if st.Phase == "content" && strings.HasPrefix(st.Text, "the index lookup ") && strings.Contains(st.Text, " answers 401") {
			return true
		}
	}
	return false
}
