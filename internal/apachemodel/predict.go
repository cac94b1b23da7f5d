package apachemodel

import (
	"fmt"
	"net/netip"
	"net/url"
	"path"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
)

// Predict tells what Apache httpd 2.4 does with req on the configuration
// m, step by step, each step citing the directive (file:line) that
// decided it, in the order of ap_process_request_internal: the virtual
// host (SelectServer), translate_name (Translate: mod_rewrite's server
// rules, Redirect, Alias, DocumentRoot), the walks that merge the
// per-directory configuration (Model.Effect, with the .htaccess files it
// reads: CheckHtaccess), mod_access_compat and Satisfy, mod_authz_core
// without a user (Authz.Evaluate), authentication (mod_auth_basic,
// mod_auth_digest with mod_authn_file), mod_authz_core with the user, the
// content handler (a static file, mod_dir's index and trailing-slash
// redirect), and ErrorDocument. fsys reads the files the server would
// (user files, the served tree). Where the model cannot decide, a step
// says so and the prediction is the likely status with Certain false.
func Predict(m *Model, fsys serverfs.FS, req why.Request, opts why.Options) why.Prediction {
	p := &predictor{m: m, fsys: fsys, req: req, opts: opts, out: why.Prediction{Certain: true, Steps: []why.Step{}}}
	p.method = strings.ToUpper(req.Method)
	p.out.Status = p.run()
	return p.out
}

type predictor struct {
	m      *Model
	fsys   serverfs.FS
	req    why.Request
	opts   why.Options
	method string
	out    why.Prediction
	server *Server
	groups map[string]groupsResult // by group file path
	// acc is the workers' account once workerKnown.
	acc         *serverfs.Account
	workerKnown bool
}

type groupsResult struct {
	data []byte
	err  error
}

// place returns where a node is written.
func (p *predictor) place(n *htaccess.Node) why.Place {
	if n == nil {
		return why.Place{}
	}
	return why.Place{File: p.fsys.Display(n.File), Line: int(n.Span.Start.Line)}
}

// secPlace returns where a section is written (a .htaccess file: the file).
func (p *predictor) secPlace(s *Section) why.Place {
	if s.Node == nil {
		return why.Place{File: p.fsys.Display(s.File)}
	}
	return p.place(s.Node)
}

func (p *predictor) add(phase string, n *htaccess.Node, format string, a ...any) {
	p.out.Add(phase, p.place(n), fmt.Sprintf(format, a...))
}

func (p *predictor) unsure(phase string, n *htaccess.Node, format string, a ...any) {
	p.out.Uncertain(phase, p.place(n), fmt.Sprintf(format, a...))
}

func (p *predictor) run() int {
	m := p.m
	if m.Fragment {
		p.unsure("server", nil, "the input is not a whole server configuration: the modules, ServerRoot and the inherited sections are unknown")
	}
	if m.Conf != nil {
		for _, e := range m.Conf.Errors {
			if e.Severity == htaccess.SeverityError {
				p.out.Uncertain("server", why.Place{File: p.fsys.Display(e.File), Line: int(e.Span.Start.Line)},
					"apache2 -t would refuse the configuration ("+e.Msg+"): the server would not start with it")
				break
			}
		}
	}
	tr, e, status, answered := p.untilHandler()
	if answered {
		return status
	}
	return p.errorDocument(e, p.content(tr, e))
}

// untilHandler follows the request up to its handler: the path's
// normalisation, the virtual host, translate_name, the walks and the
// access, authentication and authorization hooks. answered is set when
// the request is answered before the handler, with status (0 when no
// server takes the connection); else tr and e are where the handler
// starts.
func (p *predictor) untilHandler() (tr Translation, e *Effect, status int, answered bool) {
	m := p.m
	uri, status := p.requestPath()
	if status != 0 {
		return tr, nil, status, true
	}
	// why.Request does not say which local address the client connects
	// to: SelectServer takes it from the Listen directive or the Host.
	ch := m.SelectServer(p.req.Port, p.req.Host, netip.Addr{})
	if ch.Server == nil {
		if !ch.Sure {
			p.out.Certain = false
		}
		p.add("vhost", nil, "%s", ch.Why)
		return tr, nil, 0, true
	}
	p.server = ch.Server
	if ch.Server.Node != nil {
		pl := p.place(ch.Server.Node)
		p.out.Server = &pl
	} else if m.Conf != nil && m.Conf.Main != nil {
		p.out.Server = &why.Place{File: p.fsys.Display(m.Conf.Main.Path)}
	}
	by := ch.By
	if by == nil {
		by = ch.Listen
	}
	if ch.Sure {
		p.add("vhost", by, "%s: %s", ch.Server.Name(), ch.Why)
	} else {
		p.unsure("vhost", by, "%s: %s (a <VirtualHost> address the model cannot resolve, or an unknown local address, might change this)", ch.Server.Name(), ch.Why)
	}
	tr = p.translate(uri)
	if tr.Status != 0 {
		return tr, nil, p.errorDocument(nil, tr.Status), true
	}
	status, e = p.access(tr, false)
	if status != 0 {
		return tr, e, p.errorDocument(e, status), true
	}
	return tr, e, 0, false
}

// requestPath decodes and normalises the path the way
// ap_process_request_internal does before the walks: %-decoding (an
// encoded '/' or NUL gives 404 under the default AllowEncodedSlashes Off,
// a bad escape 400), dot segments removed (400 above the root), slashes
// merged.
func (p *predictor) requestPath() (string, int) {
	raw := p.req.Path
	if raw == "" {
		raw = "/"
	}
	if !strings.HasPrefix(raw, "/") {
		p.add("server", nil, "the request path %q does not start with '/': 400", raw)
		return "", 400
	}
	if strings.Contains(strings.ToLower(raw), "%2f") || strings.Contains(raw, "%00") {
		p.add("server", nil, "the path holds an encoded '/' or NUL: 404 (AllowEncodedSlashes Off)")
		return "", 404
	}
	dec, err := url.PathUnescape(raw)
	if err != nil {
		p.add("server", nil, "the path has a bad %%-escape: 400")
		return "", 400
	}
	clean, ok := cleanURLPath(dec)
	if !ok {
		p.add("server", nil, "the path climbs above / with '..': 400")
		return "", 400
	}
	return clean, 0
}

// translate runs translate_name for the main request.
func (p *predictor) translate(uri string) Translation {
	tr := p.m.Translate(p.fsys, TranslateInput{
		Server: p.server, URI: uri, Method: p.method, Query: p.req.Query, Host: p.req.Host,
		Scheme: p.req.Scheme, Port: p.req.Port, Header: p.req.Header, Client: p.clientString(),
	})
	for _, s := range tr.Steps {
		p.add(s.Phase, s.Node, "%s", s.Text)
	}
	if tr.Uncertain {
		p.out.Certain = false
	}
	return tr
}

func (p *predictor) clientString() string {
	if p.req.Client.IsValid() {
		return p.req.Client.String()
	}
	return ""
}

// walkPhase names the walk that merges a section.
func walkPhase(s *Section) string {
	switch s.Kind {
	case htaccess.SecFiles, htaccess.SecFilesMatch:
		return "file-walk"
	case htaccess.SecLocation, htaccess.SecLocationMatch:
		return "location-walk"
	case htaccess.SecIf, htaccess.SecElseIf, htaccess.SecElse:
		return "if-walk"
	case "proxy", "proxymatch":
		return "proxy-walk"
	}
	return "directory-walk"
}

// access merges the per-directory configuration for the translated
// request and runs the access, authentication and authorization phases
// on it; status is 0 when the request may proceed to its handler. sub is
// set for mod_dir's index lookups (quieter steps).
func (p *predictor) access(tr Translation, sub bool) (status int, e *Effect) {
	m := p.m
	e = m.Effect(Request{Server: p.server, URI: tr.URI, Method: p.method, File: tr.File, NoFile: tr.NoFile, ProxyURL: tr.ProxyURL})
	for _, s := range e.Applied {
		if !sub {
			p.out.Add(walkPhase(s), p.secPlace(s), "merges "+s.Describe())
		}
		if s.Htaccess == nil {
			continue
		}
		prob := m.CheckHtaccess(s.Htaccess, m.OverridesAt(p.server, s.Htaccess.Dir))
		if prob == nil {
			continue
		}
		for _, n := range prob.Uncertain {
			p.unsure("directory-walk", n, "the model does not know the directive %s: assumed allowed here (httpd answers 500 if no loaded module registers it)", n.Name)
		}
		if prob.Status != 0 {
			at := p.place(prob.Node)
			if prob.Node == nil {
				at = why.Place{File: p.fsys.Display(s.Htaccess.Path), Line: prob.Line}
			}
			p.out.Add("directory-walk", at, prob.Text)
			return prob.Status, e
		}
	}
	if !sub {
		p.regexDirsMissed(e)
	}
	if e.Uncertain {
		p.out.Uncertain("if-walk", why.Place{}, "an <If> whose condition the model cannot evaluate was left out of the merge")
	}
	return p.authorize(e), e
}

// regexDirsMissed explains a regex <Directory> section that matches a
// directory on the request's path but was not merged: ap_directory_walk
// matches regex sections once, against the whole path (scenario
// `apache-directorymatch-anchor-open`).
func (p *predictor) regexDirsMissed(e *Effect) {
	if e.FSPath == "" {
		return
	}
	for _, s := range p.m.index(p.server).regexDirs {
		if e.Merged(s) {
			continue
		}
		for d := path.Dir(strings.TrimSuffix(e.FSPath, "/")); d != "/" && d != "." && d != ""; d = path.Dir(d) {
			if s.Regex.MatchString(d) {
				p.out.Add("directory-walk", p.secPlace(s), "does not merge "+s.Describe()+": it matches the directory "+d+
					", but regex sections are matched once, against the whole path "+e.FSPath)
				break
			}
		}
	}
}
