package nginxmodel

import (
	"strings"

	"github.com/authlint/authlint/internal/why"
)

// RealmOff evaluates the auth_basic realm in effect in s for an anonymous
// request (method, uri, Host host) that server srv takes, the way the
// evaluator does: a realm with variables (set by a map on $uri, say) may
// turn auth off per request. known is false when a variable cannot be
// evaluated without the request's other details.
func (m *Model) RealmOff(srv, s *Scope, method, uri, host string) (off, known bool) {
	if s.EffRealm == nil {
		return false, true
	}
	arg := s.EffRealm.Arg(0)
	if !strings.Contains(arg, "$") {
		return arg == "off", true
	}
	e := &evaluator{m: m, p: &why.Prediction{}, assumed: map[string]string{}}
	in := why.Request{Method: method, Path: uri, Host: host}
	r := &request{in: in, method: strings.ToUpper(method), host: host, server: srv, loc: s, uri: uri, vars: map[string]string{}}
	v, bad := e.eval(r, arg)
	if bad != "" {
		return false, false
	}
	return v == "off", true
}
