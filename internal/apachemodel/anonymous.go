package apachemodel

import (
	"net/http"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
)

// Anonymous predicts, as `authlint why` does, what an anonymous request
// (method, uri, header) gets from srv, sent to a port and with a Host that
// select srv (its ServerName, an alias, or a name no server has when srv is
// the default of its address); ok is false when the model finds no such
// way to reach srv, or the configuration is a fragment.
func (m *Model) Anonymous(fsys serverfs.FS, srv *Server, method, uri string, header http.Header) (p why.Prediction, ok bool) {
	if m.Fragment || len(m.Listeners()) == 0 {
		return why.Prediction{}, false
	}
	if fsys == nil {
		fsys = serverfs.OSFS{}
	}
	x := &exposer{m: m, fsys: fsys, routes: map[*Server]route{}, port: m.Listeners()[0].Port}
	rt := x.confirmRoute(srv)
	if !rt.ok {
		return why.Prediction{}, false
	}
	req := why.Request{Method: method, Scheme: rt.scheme, Port: rt.port, Host: rt.host, Path: uri, Header: header,
		Client: exposureClient}
	return Predict(m, fsys, req, why.Options{}), true
}
