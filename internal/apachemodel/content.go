package apachemodel

import (
	"errors"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
)

func placeIn(file string, line int) why.Place { return why.Place{File: file, Line: line} }

// filePlace cites a served file.
func (p *predictor) filePlace(fsPath string) why.Place {
	return why.Place{File: p.fsys.Display(path.Clean(fsPath))}
}

// worker returns the workers' account, looked up once (nil when the run
// cannot check permissions for it: not root, or no such account here).
func (p *predictor) worker() *serverfs.Account {
	if !p.workerKnown {
		if acc, ok := Worker(p.m); ok {
			p.acc = &acc
		}
		p.workerKnown = true
	}
	return p.acc
}

// fileKind is what the directory walk finds at a request's path.
type fileKind int

const (
	fileMissing   fileKind = iota // APR_NOFILE, or path info after a file
	fileRegular                   // a regular file
	fileDir                       // a directory
	fileForbidden                 // a directory on the way the workers cannot search
)

// statServed tells what the workers (acc, nil when unknown) find at p.
func statServed(fsys serverfs.FS, acc *serverfs.Account, p string) fileKind {
	clean := path.Clean(p)
	st, err := fsys.Stat(clean)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrPermission):
		return fileForbidden
	default:
		return fileMissing
	}
	if acc != nil {
		if prob := serverfs.CheckReadable(fsys, clean, *acc); prob != nil && prob.Errno == syscall.EACCES && prob.Path != clean {
			return fileForbidden
		}
	}
	switch {
	case st.IsDir():
		return fileDir
	case st.Mode().IsRegular():
		return fileRegular
	}
	return fileMissing
}

// content runs the fixups and the handler for a request that passed
// authorization: mod_dir's trailing-slash redirect and DirectoryIndex,
// mod_dav where `Dav On` holds (dav), then the default handler (a static
// file for GET and POST, OPTIONS answered, 405 for other methods, 404 for
// what does not exist).
func (p *predictor) content(tr Translation, e *Effect) int {
	if tr.NoFile {
		p.unsure("content", nil, "the request is proxied: the backend answers (assumed 200)")
		return 200
	}
	if h := lastDirective(e, "sethandler"); h != nil && !strings.EqualFold(ArgExpanded(h, 0), "none") && !strings.EqualFold(ArgExpanded(h, 0), "default-handler") {
		p.unsure("content", h, "SetHandler %s: the handler is not modelled (assumed 200)", ArgExpanded(h, 0))
		return 200
	}
	if status, n := perDirRedirect(e); status != 0 {
		p.add("content", n, "%s in a per-directory section redirects in the fixups, after authorization: %d", n.Name, status)
		return status
	}
	if n := perDirRewrite(e); n != nil {
		p.unsure("rewrite", n, "a per-directory RewriteRule runs in the fixups, after authorization: not modelled")
	}
	if e.FSPath == "" {
		p.unsure("content", nil, "the request maps to no file the model knows: assumed 404")
		return 404
	}
	if on := p.davOn(e); on != nil && davMethods[p.method] {
		return p.dav(on, e.FSPath)
	}
	kind := statServed(p.fsys, p.worker(), e.FSPath)
	if tr.Script && kind == fileRegular {
		p.unsure("content", nil, "%s is a CGI script (ScriptAlias): its answer is not modelled (assumed 200)", p.fsys.Display(e.FSPath))
		return 200
	}
	switch kind {
	case fileForbidden:
		p.out.Add("content", p.filePlace(e.FSPath), "the workers cannot search a directory on the way to this file: 403")
		return 403
	case fileDir:
		return p.directory(tr, e, e.FSPath)
	}
	return p.handler(kind, e.FSPath)
}

// handler is the core's default_handler on the file at fsPath.
func (p *predictor) handler(kind fileKind, fsPath string) int {
	switch p.method {
	case "GET", "HEAD", "POST":
		switch kind {
		case fileRegular:
			if acc := p.worker(); acc != nil {
				if prob := serverfs.CheckReadable(p.fsys, fsPath, *acc); prob != nil && prob.Errno == syscall.EACCES {
					p.out.Add("content", p.filePlace(fsPath), "the workers cannot read the file ("+prob.Reason+"): 403")
					return 403
				}
			}
			p.out.Add("content", p.filePlace(fsPath), "the default handler serves the file: 200")
			return 200
		case fileDir:
			p.out.Add("content", p.filePlace(fsPath), "a directory with no index and no mod_autoindex: 404 (AH00129)")
			return 404
		}
		p.out.Add("content", p.filePlace(fsPath), "no such file: 404")
		return 404
	case "OPTIONS":
		p.out.Add("content", why.Place{}, "the default handler answers OPTIONS: 200")
		return 200
	}
	p.out.Add("content", why.Place{}, "the default handler serves only GET, HEAD, POST and OPTIONS: "+p.method+" gets 405")
	return 405
}

// directory is mod_dir's fixup_dir, then mod_autoindex or the default
// handler on a directory.
func (p *predictor) directory(tr Translation, e *Effect, fsPath string) int {
	m := p.m
	file := p.fsys.Display(fsPath)
	if m.ModuleLoaded("dir_module") {
		if !strings.HasSuffix(tr.URI, "/") {
			if n := lastDirective(e, "directoryslash"); n != nil && strings.EqualFold(ArgExpanded(n, 0), "off") {
				p.add("content", n, "DirectorySlash Off: no redirect to %s/", tr.URI)
			} else {
				p.out.Add("content", p.filePlace(fsPath), "a directory, and the URL lacks the trailing slash: mod_dir redirects to "+tr.URI+"/ (301)")
				return 301
			}
		} else {
			names, by := p.indexNames(e)
			errStatus := 0
			for _, name := range names {
				sub := tr.URI + name
				if strings.HasPrefix(name, "/") {
					sub = name
				}
				status, kind, subFile := p.subrequest(sub, e)
				switch {
				case status == 0 && kind == fileRegular:
					p.add("content", by, "mod_dir serves the index %s", sub)
					return p.handler(fileRegular, subFile)
				case status >= 300 && status < 400 || status == 401 && len(names) == 1:
					p.add("content", by, "the index lookup %s answers %d, which mod_dir passes on", sub, status)
					return status
				case status != 0 && status != 404:
					errStatus = status
				}
			}
			if errStatus != 0 {
				p.add("content", by, "no index found; an index lookup answered %d, which mod_dir passes on", errStatus)
				return errStatus
			}
			if len(names) > 0 {
				p.add("content", by, "none of the DirectoryIndex files (%s) exists in %s", strings.Join(names, ", "), file)
			}
		}
	}
	if m.ModuleLoaded("autoindex_module") {
		if p.optionSet(e, "indexes") {
			p.out.Add("content", p.filePlace(fsPath), "mod_autoindex lists the directory: 200")
			return 200
		}
		p.out.Add("content", p.filePlace(fsPath), "no index in the directory and Options lacks Indexes: 403 (AH01276)")
		return 403
	}
	return p.handler(fileDir, fsPath)
}

// indexNames is the DirectoryIndex in effect (mod_dir's default is
// index.html); the directive is nil for the default.
func (p *predictor) indexNames(e *Effect) ([]string, *htaccess.Node) {
	n := lastDirective(e, "directoryindex")
	if n == nil {
		for _, s := range p.server.withMain(p.m) {
			for _, d := range s.Directives {
				if d.Lower == "directoryindex" && n == nil {
					n = d
				}
			}
			if n != nil {
				break
			}
		}
	}
	if n == nil {
		return []string{"index.html"}, nil
	}
	names := argValues(n)
	if len(names) == 1 && strings.EqualFold(names[0], "disabled") {
		return nil, n
	}
	return names, n
}

// subrequest is mod_dir's ap_sub_req_lookup_uri for an index: the same
// translation, walks and, unless the merged configuration is the main
// request's, authorization (a GET); it answers the lookup's status (0
// when it passed), what the file is and its path.
func (p *predictor) subrequest(uri string, main *Effect) (int, fileKind, string) {
	clean, ok := cleanURLPath(uri)
	if !ok {
		return 400, fileMissing, ""
	}
	saved := p.method
	p.method = "GET"
	defer func() { p.method = saved }()
	tr := p.m.Translate(p.fsys, TranslateInput{
		Server: p.server, URI: clean, Method: "GET", Query: p.req.Query, Host: p.req.Host,
		Scheme: p.req.Scheme, Port: p.req.Port, Header: p.req.Header, Client: p.clientString(),
	})
	if tr.Uncertain {
		p.out.Certain = false
	}
	if tr.Status != 0 {
		return tr.Status, fileMissing, ""
	}
	e := p.m.Effect(Request{Server: p.server, URI: tr.URI, Method: "GET", File: tr.File, NoFile: tr.NoFile, ProxyURL: tr.ProxyURL})
	if sameSections(e.Applied, main.Applied) {
		p.out.Add("content", why.Place{}, "the index lookup "+clean+" merges the same sections as the directory: authorization is not repeated")
	} else {
		p.out.Add("content", why.Place{}, "the index lookup "+clean+" merges other sections than the directory: it runs authorization again")
		if status, _ := p.access(tr, true); status != 0 {
			return status, fileMissing, ""
		}
	}
	if tr.NoFile {
		return 0, fileRegular, ""
	}
	return 0, statServed(p.fsys, p.worker(), e.FSPath), e.FSPath
}

func sameSections(a, b []*Section) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// optionSet tells whether an Options value is in effect (core's
// per-directory Options, with +/- merging; the default is FollowSymLinks).
func (p *predictor) optionSet(e *Effect, opt string) bool {
	set := map[string]bool{"followsymlinks": true}
	apply := func(n *htaccess.Node) {
		vals := argValues(n)
		relative := len(vals) > 0 && (strings.HasPrefix(vals[0], "+") || strings.HasPrefix(vals[0], "-"))
		if !relative {
			set = map[string]bool{}
		}
		for _, v := range vals {
			l := strings.ToLower(v)
			switch {
			case strings.HasPrefix(l, "-"):
				delete(set, l[1:])
			case strings.HasPrefix(l, "+"):
				set[l[1:]] = true
			case l == "all":
				for _, o := range []string{"indexes", "includes", "followsymlinks", "execcgi", "symlinksifownermatch"} {
					set[o] = true
				}
			case l == "none":
			default:
				set[l] = true
			}
		}
	}
	for _, s := range []*Server{p.m.Main, p.server} {
		for _, n := range s.Directives {
			if n.Lower == "options" {
				apply(n)
			}
		}
		if s == p.m.Main && p.server == p.m.Main {
			break
		}
	}
	for _, s := range e.Applied {
		for _, n := range s.Conf.Directives {
			if n.Lower == "options" {
				apply(n)
			}
		}
	}
	return set[opt]
}

// perDirRedirect is mod_alias's fixup_redir: a Redirect-family directive
// among the merged sections, the later sections' first, with a URL path to
// match or, in the one-URL form, for the whole section.
func perDirRedirect(e *Effect) (int, *htaccess.Node) {
	for i := len(e.Applied) - 1; i >= 0; i-- {
		for _, n := range e.Applied[i].Conf.Directives {
			switch n.Lower {
			case "redirect", "redirectmatch", "redirectpermanent", "redirecttemp":
			default:
				continue
			}
			if st, ok := redirectMatches(n, e.Req.URI); ok {
				return st, n
			}
			if st, ok := redirectWhole(n); ok && n.Lower != "redirectmatch" {
				return st, n
			}
		}
	}
	return 0, nil
}

// redirectWhole reads the one-URL form of Redirect (inside a <Location>
// or <Directory>: the whole section redirects).
func redirectWhole(n *htaccess.Node) (int, bool) {
	args := argValues(n)
	status := 302
	if n.Lower == "redirectpermanent" {
		status = 301
	}
	if len(args) == 2 {
		switch strings.ToLower(args[0]) {
		case "permanent":
			status = 301
		case "temp":
			status = 302
		case "seeother":
			status = 303
		default:
			c, err := strconv.Atoi(args[0])
			if err != nil {
				return 0, false
			}
			status = c
		}
		args = args[1:]
	}
	if len(args) == 1 && strings.Contains(args[0], "://") {
		return status, true
	}
	return 0, false
}

// perDirRewrite returns a RewriteRule among the merged sections (run in
// the fixups, after authorization), when RewriteEngine is on there.
func perDirRewrite(e *Effect) *htaccess.Node {
	eng := lastDirective(e, "rewriteengine")
	if eng == nil || !strings.EqualFold(ArgExpanded(eng, 0), "on") {
		return nil
	}
	return lastDirective(e, "rewriterule")
}

// errorDocument applies the ErrorDocument in effect for an error status:
// a local URL or a text keeps the status (the internal redirect answers
// with it); a full URL redirects (302), except for 401, where httpd drops
// it at start-up (AH00113). e is nil for an error before the walks (the
// server's own ErrorDocuments apply).
func (p *predictor) errorDocument(e *Effect, status int) int {
	if status < 400 {
		return status
	}
	code := strconv.Itoa(status)
	var doc *htaccess.Node
	consider := func(n *htaccess.Node) {
		if ArgExpanded(n, 0) == code && len(n.Args) >= 2 {
			doc = n
		}
	}
	servers := []*Server{p.m.Main}
	if p.server != nil && p.server != p.m.Main {
		servers = append(servers, p.server)
	}
	for _, s := range servers {
		for _, n := range s.ErrorDocs {
			consider(n)
		}
	}
	if e != nil {
		for _, sec := range e.Applied {
			for _, n := range sec.Conf.ErrorDocs {
				consider(n)
			}
		}
	}
	if doc == nil {
		return status
	}
	target := ArgExpanded(doc, 1)
	switch {
	case strings.EqualFold(target, "default"):
		p.add("content", doc, "ErrorDocument %s default: the built-in answer (%d)", code, status)
		return status
	case (strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://")) && status == 401:
		p.add("content", doc, "ErrorDocument 401 with a full URL is dropped at start-up (AH00113): the built-in 401 with its challenge")
		return status
	case strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://"):
		p.add("content", doc, "ErrorDocument %s redirects to %s: 302", code, target)
		return 302
	}
	p.add("content", doc, "ErrorDocument %s answers with %s, keeping the status %d", code, target, status)
	return status
}
