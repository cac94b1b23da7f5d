package apachemodel

import (
	"errors"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// authType is the AuthType in effect; "" when unset or None.
func authType(e *Effect) string {
	v := e.AuthType.Value()
	if strings.EqualFold(v, "none") {
		return ""
	}
	return v
}

// authorize runs the access, authentication and authorization hooks of
// ap_process_request_internal on a merged configuration: 0 when the
// request may proceed to its handler.
func (p *predictor) authorize(e *Effect) int {
	m := p.m
	satisfyAny := strings.EqualFold(e.Satisfy.Value(), "any")
	accessOK := true
	if m.ModuleLoaded("access_compat_module") && (satisfyAny || e.Order.Node != nil || len(e.Allow) > 0 || len(e.Deny) > 0) {
		ac := e.CheckAccess(p.req.Client)
		by := ac.By
		if by == nil {
			by = e.Order.Node
		}
		if ac.Known {
			p.add("access", by, "mod_access_compat: %s", ac.Why)
		} else {
			p.unsure("access", by, "mod_access_compat: %s (an Allow or Deny line names a host or variable the model cannot check)", ac.Why)
		}
		accessOK = ac.Allowed
	}
	switch {
	case satisfyAny && accessOK:
		p.add("access", e.Satisfy.Node, "Satisfy Any: the access check admits the client, so no password is asked and no Require is evaluated")
		return 0
	case !satisfyAny && !accessOK:
		p.add("access", e.Satisfy.Node, "the access check refuses the client: 403")
		return 403
	}
	if e.Authz == nil {
		if t := authType(e); t != "" {
			p.add("authz", e.AuthType.Node, "AuthType %s is set but no Require is in effect: 500 (AH01627)", t)
			return 500
		}
		p.add("authz", nil, "no Require is in effect: granted (no directives)")
		return 0
	}
	env, envUnknown := p.setEnvIf(e, e.Req.URI)
	if envUnknown {
		env = nil
	}
	in := &AuthzInput{Method: p.method, URI: e.Req.URI, Client: p.req.Client, Env: env, Trace: p.authzTrace("before authentication")}
	switch st := e.Authz.Evaluate(in); st {
	case AuthzGranted:
		p.add("authz", nil, "authorization grants the request without a user: no password is asked (credentials sent are not even checked)")
		return 0
	case AuthzDenied, AuthzNeutral:
		p.add("authz", nil, "authorization is %s without a user and no user could change it: 403", st)
		return 403
	case AuthzGeneralError:
		return 500
	}
	user, status := p.authenticate(e)
	if status != 0 {
		return status
	}
	in = &AuthzInput{Method: p.method, URI: e.Req.URI, Client: p.req.Client, User: &user, Env: env, Groups: p.groupLookup(e),
		Trace: p.authzTrace("for user " + user)}
	switch st := e.Authz.Evaluate(in); st {
	case AuthzGranted:
		p.add("authz", nil, "authorization grants the request to user %s", user)
		return 0
	case AuthzDenied, AuthzNeutral, AuthzDeniedNoUser:
		if n := lastDirective(e, "authzsendforbiddenonfailure"); n != nil && strings.EqualFold(ArgExpanded(n, 0), "on") {
			p.add("authz", n, "authorization is %s for user %s; AuthzSendForbiddenOnFailure On: 403", st, user)
			return 403
		}
		p.add("authz", nil, "authorization is %s for user %s: 401 (AH01631), not 403, so the browser asks again", st, user)
		return 401
	}
	return 500
}

// authzTrace reports every Require line's answer as a step.
func (p *predictor) authzTrace(when string) func(r *Req, st AuthzStatus, why string, uncertain bool) {
	return func(r *Req, st AuthzStatus, why string, uncertain bool) {
		text := "Require " + strings.Join(r.Node.ArgValues(), " ") + " " + when + ": " + st.String() + " (" + why + ")"
		if uncertain {
			p.unsure("authz", r.Node, "%s", text)
		} else {
			p.add("authz", r.Node, "%s", text)
		}
	}
}

// lastDirective returns the last directive named lower among the merged
// sections (the per-directory value in effect for an override-style
// directive).
func lastDirective(e *Effect, lower string) *htaccess.Node {
	var out *htaccess.Node
	for _, s := range e.Applied {
		for _, n := range s.Conf.Directives {
			if n.Lower == lower {
				out = n
			}
		}
	}
	return out
}

// groupLookup reads the AuthGroupFile in effect for `Require group`
// (mod_authz_groupfile: no file or one that cannot be opened is denied,
// not an error).
func (p *predictor) groupLookup(e *Effect) func(user string) (map[string]bool, string) {
	return func(user string) (map[string]bool, string) {
		n := e.AuthGroupFile.Node
		if n == nil {
			return nil, "no AuthGroupFile is in effect (AH01664)"
		}
		path := p.m.ResolveFile(n)
		if path == "" {
			p.unsure("user-file", n, "the group file's path cannot be resolved here")
			return nil, "the group file cannot be resolved"
		}
		if p.groups == nil {
			p.groups = map[string]groupsResult{}
		}
		g, ok := p.groups[path]
		if !ok {
			g.data, g.err = ReadUserFile(p.fsys, p.worker(), path)
			p.groups[path] = g
		}
		if g.err != nil {
			p.add("user-file", n, "the group file cannot be opened: %v (AH01665)", g.err)
			return nil, "the group file cannot be opened"
		}
		groups, stop := GroupsOf(g.data, user)
		if stop != nil {
			p.add("user-file", n, "line %d of the group file is longer than httpd's 8190-byte line buffer: httpd stops reading there", stop.Line)
		}
		return groups, ""
	}
}

// authenticate runs the check_user_id hooks: mod_auth_basic or
// mod_auth_digest for their AuthType, else mod_authn_core's 500. It
// returns the authenticated user, or the status that ends the request.
func (p *predictor) authenticate(e *Effect) (user string, status int) {
	t := authType(e)
	switch {
	case t == "":
		p.add("credentials", nil, "a user is required but no AuthType is in effect: 500 (AH00027, \"No authentication done but request not allowed without authentication\")")
		return "", 500
	case strings.EqualFold(t, "basic") && p.m.ModuleLoaded("auth_basic_module"):
		return p.basic(e)
	case strings.EqualFold(t, "digest") && p.m.ModuleLoaded("auth_digest_module"):
		return p.digest(e)
	case strings.EqualFold(t, "form") && p.m.ModuleLoaded("auth_form_module"):
		p.unsure("credentials", e.AuthType.Node, "mod_auth_form's login is not modelled: assumed to ask for a login")
		return "", 401
	}
	p.add("credentials", e.AuthType.Node, "AuthType %s has no loaded module that handles it: 500 for every request (AH01796)", t)
	return "", 500
}

// providers returns the authentication providers in effect (the default
// is file); explicit is false for the default.
func providers(s Setting) (names []string, explicit bool) {
	if s.Node == nil {
		return []string{"file"}, false
	}
	for _, a := range s.Node.Args {
		names = append(names, strings.ToLower(a.Expanded))
	}
	return names, true
}

// basic is mod_auth_basic's authenticate_basic_user.
func (p *predictor) basic(e *Effect) (string, int) {
	if e.AuthName.Node == nil {
		p.add("credentials", e.AuthType.Node, "AuthType Basic without an AuthName: 500 for every request (AH01615)")
		return "", 500
	}
	realm := e.AuthName.Value()
	if p.req.User == "" {
		p.add("credentials", e.AuthName.Node, "no credentials: 401 with the challenge Basic realm=%q", realm)
		return "", 401
	}
	if p.req.Digest {
		p.add("credentials", e.AuthType.Node, "the area asks for Basic credentials (realm %q); a client that only answers Digest challenges gets 401", realm)
		return "", 401
	}
	md5 := strings.EqualFold(e.UseDigestAlgorithm.Value(), "md5")
	names, explicit := providers(e.AuthBasicProvider)
	if user, status, done := p.tryProviders(e, names, explicit, md5, realm); done {
		return user, status
	}
	p.add("credentials", e.AuthUserFile.Node, "user %s not found by any provider: 401 (AH01618)", p.req.User)
	return "", 401
}

// digest is mod_auth_digest's authenticate_digest_user.
func (p *predictor) digest(e *Effect) (string, int) {
	if e.AuthName.Node == nil {
		p.add("credentials", e.AuthType.Node, "AuthType Digest without an AuthName: 500 for every request (AH01780)")
		return "", 500
	}
	realm := e.AuthName.Value()
	if p.req.User == "" {
		p.add("credentials", e.AuthName.Node, "no credentials: 401 with the challenge Digest realm=%q", realm)
		return "", 401
	}
	if !p.req.Digest {
		p.add("credentials", e.AuthType.Node, "Basic credentials sent to a Digest area: 401 (the client used the wrong scheme)")
		return "", 401
	}
	names, explicit := providers(e.AuthDigestProvider)
	if user, status, done := p.tryProviders(e, names, explicit, true, realm); done {
		return user, status
	}
	p.add("credentials", e.AuthUserFile.Node, "user %s in realm %q not found by any provider: 401 (AH01790)", p.req.User, realm)
	return "", 401
}

// tryProviders asks the authn providers in turn, as mod_auth_basic and
// mod_auth_digest do: the first that knows the user decides; with an
// explicit provider list a provider that does not know the user passes to
// the next. done is false when none decided (the user is not found).
func (p *predictor) tryProviders(e *Effect, names []string, explicit, md5 bool, realm string) (user string, status int, done bool) {
	for _, prov := range names {
		res, status := p.provider(e, prov, explicit, md5, realm)
		switch res {
		case authnGranted:
			return p.req.User, 0, true
		case authnUserNotFound:
			if explicit {
				continue
			}
		}
		if status != 0 {
			return "", status, true
		}
	}
	return "", 0, false
}

type authnResult int

const (
	authnGranted authnResult = iota
	authnDenied
	authnUserNotFound
	authnError
)

// provider asks one authentication provider about the request's
// credentials: check_password, or get_realm_hash when byRealm (Digest,
// and Basic with AuthBasicUseDigestAlgorithm MD5).
func (p *predictor) provider(e *Effect, prov string, explicit, byRealm bool, realm string) (authnResult, int) {
	user := p.req.User
	if prov != "file" {
		if _, known := AuthnProviderModule(prov); known || p.m.ProviderAliases[prov] {
			p.unsure("credentials", e.AuthBasicProvider.Node, "the %s provider is not modelled: assumed to accept user %s", prov, user)
			return authnGranted, 0
		}
		p.add("credentials", e.AuthBasicProvider.Node, "no module registers the provider %s: apache2 -t refuses it", prov)
		return authnError, 500
	}
	if !p.m.ModuleLoaded("authn_file_module") {
		p.add("credentials", e.AuthType.Node, "the file provider's module (mod_authn_file) is not loaded: 500 for requests with credentials (AH01616)")
		return authnError, 500
	}
	n := e.AuthUserFile.Node
	if n == nil {
		p.add("credentials", e.AuthType.Node, "no AuthUserFile is in effect: 500 for requests with credentials (AH01619); anonymous ones still get 401")
		return authnError, 500
	}
	path := p.m.ResolveFile(n)
	if path == "" {
		p.unsure("user-file", n, "the user file's path cannot be resolved here (unknown ServerRoot or a variable): assumed to accept user %s", user)
		return authnGranted, 0
	}
	data, err := ReadUserFile(p.fsys, p.worker(), path)
	if err != nil {
		var prob *UserFileProblem
		if errors.As(err, &prob) {
			p.add("user-file", n, "httpd cannot open the user file %s: %s: 500 for requests with credentials (AH01620); anonymous ones still get 401", p.fsys.Display(prob.Path), prob.Reason)
		} else {
			p.add("user-file", n, "httpd cannot open the user file: %v: 500 (AH01620)", err)
		}
		return authnError, 500
	}
	var look UserLookup
	if byRealm {
		look = LookupRealmHash(data, user, realm)
	} else {
		look = LookupPassword(data, user)
	}
	file := p.fsys.Display(path)
	if look.Stop != nil && look.Line == 0 {
		p.out.Add("user-file", placeIn(file, look.Stop.Line), "this line is longer than httpd's 8190-byte line buffer: httpd stops reading the file here, and every user after it is lost")
	}
	if look.Line == 0 {
		if byRealm {
			p.add("user-file", n, "no line of %s is for user %s in realm %q: 401", file, user, realm)
		} else {
			p.add("user-file", n, "no line of %s is for user %s (text before the first ':' of a trimmed line): 401 (AH01618)", file, user)
		}
		return authnUserNotFound, 401
	}
	at := placeIn(file, look.Line)
	if byRealm {
		if p.req.Password == nil {
			p.out.Add("credentials", at, "user "+user+" in realm "+realm+" is on this line; the right password is assumed")
			return authnGranted, 0
		}
		if DigestHA1(user, realm, *p.req.Password) == look.Hash {
			p.out.Add("credentials", at, "user "+user+" in realm "+realm+" is on this line and md5(user:realm:password) matches its hash")
			return authnGranted, 0
		}
		p.out.Add("credentials", at, "user "+user+" in realm "+realm+" is on this line, but md5(user:realm:password) does not match its hash: 401")
		return authnDenied, 401
	}
	chk := CheckPassword(look.Hash, p.req.Password, p.opts.Platform)
	text := "user " + user + " is on this line (the first that names it): " + chk.Why
	switch {
	case !chk.Known:
		p.out.Uncertain("credentials", at, text)
	default:
		p.out.Add("credentials", at, text)
	}
	if chk.Match {
		return authnGranted, 0
	}
	p.add("credentials", nil, "password mismatch: 401 (AH01617)")
	return authnDenied, 401
}
