package apachemodel

import (
	"path"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// davMethods are the methods mod_dav's handler answers itself; GET, HEAD
// and POST on a file fall through to the default handler.
var davMethods = map[string]bool{"OPTIONS": true, "PUT": true, "DELETE": true, "MKCOL": true, "PROPFIND": true,
	"PROPPATCH": true, "COPY": true, "MOVE": true, "LOCK": true, "UNLOCK": true}

// davOn returns the `Dav On` (or `Dav PROVIDER`) in effect when mod_dav is
// loaded, else nil.
func (p *predictor) davOn(e *Effect) *htaccess.Node {
	n := lastDirective(e, "dav")
	if n == nil || !p.m.ModuleLoaded("dav_module") || strings.EqualFold(ArgExpanded(n, 0), "off") {
		return nil
	}
	return n
}

// dav is mod_dav's handler (dav_handler in modules/dav/main/mod_dav.c) with
// the filesystem provider (mod_dav_fs) on the file at fsPath, for the
// methods whose answer depends only on what exists there: PUT 201 for a new
// file and 204 for a replaced one (dav_method_put), DELETE 204 or 404
// (dav_method_delete), MKCOL 201, 405 on an existing resource and 409
// without a parent collection (dav_method_mkcol), PROPFIND 207 on a file or
// 404 (dav_method_propfind), OPTIONS 200. It assumes the workers may write
// the directory (mod_dav_fs answers 403 or 500 otherwise) and that no lock
// is held. The scenario apache-limit-webdav checks each of these statuses.
func (p *predictor) dav(n *htaccess.Node, fsPath string) int {
	kind := statServed(p.fsys, p.worker(), fsPath)
	parent := statServed(p.fsys, p.worker(), path.Dir(path.Clean(fsPath)))
	say := func(status int, what string) int {
		p.add("content", n, "mod_dav answers %s: %s", p.method, what)
		return status
	}
	assume := func(status int, what string) int {
		p.unsure("content", n, "mod_dav answers %s: %s if the workers may write the directory (assumed)", p.method, what)
		return status
	}
	if kind == fileForbidden {
		return say(403, "the workers cannot search a directory on the way: 403")
	}
	switch p.method {
	case "OPTIONS":
		return say(200, "200 with its DAV headers")
	case "PUT":
		switch {
		case kind == fileRegular:
			return assume(204, "the file is replaced: 204")
		case kind == fileMissing && parent == fileDir:
			return assume(201, "the file is created: 201")
		case kind == fileMissing:
			return say(409, "the parent collection does not exist: 409")
		}
	case "MKCOL":
		switch {
		case kind != fileMissing:
			return say(405, "the resource exists: 405")
		case parent == fileDir:
			return assume(201, "the collection is created: 201")
		}
		return say(409, "the parent collection does not exist: 409")
	case "DELETE":
		if kind == fileMissing {
			return say(404, "no such resource: 404")
		}
		return assume(204, "the resource is deleted: 204")
	case "PROPFIND":
		switch kind {
		case fileMissing:
			return say(404, "no such resource: 404")
		case fileRegular:
			return say(207, "the file's properties: 207 Multi-Status")
		}
	}
	p.unsure("content", n, "mod_dav answers %s here in a way the model does not follow (assumed 207)", p.method)
	return 207
}
