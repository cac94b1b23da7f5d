package nginxmodel

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strings"
	"syscall"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
)

// handlerResult is what one access-phase handler returns.
type handlerResult int

const (
	declined handlerResult = iota
	granted
	refused // with a status
)

// access is the access phase (ngx_http_core_access_phase): allow/deny, then
// auth_basic, then auth_request, combined by satisfy.
func (e *evaluator) access(r *request) (outcome, bool) {
	s := r.loc
	e.realIP(r, s, "preaccess")
	satisfyAny := s.EffSatisfy != nil && s.EffSatisfy.Arg(0) == "any"
	if satisfyAny {
		e.add("access", place(s.EffSatisfy), "satisfy any: one handler that grants access is enough")
	}
	if s.EffRealm == nil && s.EffUserFile == nil && len(s.EffAccess) == 0 && s.Lookup("auth_request") == nil {
		e.add("access", scopePlace(s), "no auth_basic, allow/deny or auth_request is in effect in %s: no password is asked", s.Name())
	}
	type handler func() (handlerResult, int)
	handlers := []handler{
		func() (handlerResult, int) { return e.accessModule(r, s) },
		func() (handlerResult, int) { return e.authBasic(r, s) },
		func() (handlerResult, int) { return e.authRequest(r, s) },
	}
	accessCode := 0
	for _, h := range handlers {
		res, code := h()
		switch {
		case res == declined:
			continue
		case res == granted && satisfyAny:
			return outcome{}, false
		case res == granted:
			continue
		case satisfyAny && (code == 403 || code == 401):
			if accessCode != 401 {
				accessCode = code
			}
			continue
		}
		return outcome{code, true}, true
	}
	if accessCode != 0 {
		e.add("access", scopePlace(s), "satisfy any: no handler granted access: %d", accessCode)
		return outcome{accessCode, true}, true
	}
	return outcome{}, false
}

// accessModule is ngx_http_access_module: the first allow or deny rule that
// matches the client decides.
func (e *evaluator) accessModule(r *request, s *Scope) (handlerResult, int) {
	if len(s.EffAccess) == 0 {
		return declined, 0
	}
	for _, d := range s.EffAccess {
		m, decided := ruleMatches(d.Arg(0), r.client)
		if !decided {
			e.uncertain("access", place(d), "%s %s: the client address is not known here; assuming it does not match", d.Name, d.Arg(0))
			continue
		}
		if !m {
			continue
		}
		client := "the client"
		if r.client.IsValid() {
			client = r.client.String()
		}
		if d.Name == "allow" {
			e.add("access", place(d), "allow %s matches %s: the access module grants", d.Arg(0), client)
			return granted, 0
		}
		e.add("access", place(d), "deny %s matches %s: 403 (\"access forbidden by rule\")", d.Arg(0), client)
		return refused, 403
	}
	e.add("access", place(s.EffAccess[0]), "no allow/deny rule matches the client: the access module declines")
	return declined, 0
}

// ruleMatches reports whether an allow/deny argument matches a client.
func ruleMatches(arg string, client netip.Addr) (matched, decided bool) {
	switch {
	case arg == "all":
		return true, true
	case arg == "unix:":
		return !client.IsValid(), true
	case !client.IsValid():
		return false, true // a UNIX-socket client has no address
	}
	if strings.Contains(arg, "/") {
		p, err := netip.ParsePrefix(arg)
		if err != nil {
			return false, false
		}
		return p.Masked().Contains(client.Unmap()), true
	}
	a, err := netip.ParseAddr(arg)
	if err != nil {
		return false, false
	}
	return a == client.Unmap(), true
}

// authBasic is ngx_http_auth_basic_handler: realm and user file both needed, credentials before the file is opened, the file read on every request (scenarios nginx-realm-without-file, nginx-user-file-missing).
func (e *evaluator) authBasic(r *request, s *Scope) (handlerResult, int) {
	realmD, fileD := s.EffRealm, s.EffUserFile
	switch {
	case realmD == nil && fileD == nil:
		return declined, 0
	case realmD == nil:
		e.add("auth", place(fileD), "auth_basic_user_file is set but no auth_basic is in effect: nginx does not ask for a password")
		return declined, 0
	case fileD == nil:
		e.add("auth", place(realmD), "auth_basic is set but no auth_basic_user_file is in effect: nginx does not ask for a password")
		return declined, 0
	}
	realm, bad := e.eval(r, realmD.Arg(0))
	if bad != "" {
		e.uncertain("auth", place(realmD), "auth_basic %s: %s cannot be evaluated here; assuming the realm is not \"off\"", realmD.Arg(0), bad)
		realm = realmD.Arg(0)
	} else if realm == "off" {
		e.add("auth", place(realmD), "auth_basic off: no password is asked")
		return declined, 0
	}
	if r.creds == nil {
		e.add("auth", place(realmD), "auth_basic %q asks for a password and the request carries none: 401 (before the user file is opened)", realm)
		return refused, 401
	}
	if r.creds.user == "" {
		e.add("auth", place(realmD), "auth_basic %q: the credentials have an empty user name: 401", realm)
		return refused, 401
	}
	who := r.creds.user
	if r.creds.via != "" {
		who += " (" + r.creds.via + ")"
	}
	e.add("auth", place(realmD), "auth_basic %q asks for a password; the request sends credentials for %s", realm, who)
	path, bad := e.eval(r, fileD.Arg(0))
	if bad != "" {
		e.uncertain("user-file", place(fileD), "auth_basic_user_file %s: %s cannot be evaluated here; assuming the login works", fileD.Arg(0), bad)
		return granted, 0
	}
	if strings.Contains(fileD.Arg(0), "$") {
		e.add("user-file", place(fileD), "auth_basic_user_file %s is %s for this request", fileD.Arg(0), path)
	}
	path = e.m.ResolvePath(path)
	if path == "" {
		e.uncertain("user-file", place(fileD), "auth_basic_user_file %s is relative to the directory of nginx.conf, which is not known here (a server file linted alone)", fileD.Arg(0))
		return granted, 0
	}
	return e.checkUserFile(r, fileD, path)
}

// checkUserFile opens, scans and verifies on every request, as ngx_http_auth_basic_handler and ngx_http_auth_basic_crypt_handler do.
func (e *evaluator) checkUserFile(r *request, fileD *nginxconf.Directive, path string) (handlerResult, int) {
	at := place(fileD)
	if u := e.fsys.Unchecked(path); u != "" {
		e.uncertain("user-file", at, "cannot check %s (%s): its content is not known; assuming the login works", path, u)
		return granted, 0
	}
	acc := e.worker
	if !e.haveWorker {
		acc = serverfs.Account{UID: 0}
	}
	var data []byte
	prob := serverfs.CheckReadable(e.fsys, path, acc)
	if prob != nil && prob.Type != 0 && prob.Path == path {
		if st, err := e.fsys.Stat(path); err == nil && serverfs.IsDevNull(st) {
			// nginx reads the device until a read returns nothing: at once.
			e.add("user-file", at, "the user file %s is /dev/null: nginx reads it as an empty file", path)
			prob, data = nil, []byte{}
		}
	}
	if prob != nil {
		switch prob.Errno {
		case syscall.ENOENT:
			e.add("user-file", at, "the user file %s does not exist: nginx answers 403 to every request with credentials", path)
			return refused, 403
		case syscall.EACCES:
			e.add("user-file", at, "the user file %s cannot be opened by the workers (%s: %s): 500", path, prob.Path, prob.Reason)
		default:
			if prob.Type != 0 {
				// A FIFO or an endless device blocks the worker: no
				// answer at all; 500 stands for "no login works".
				e.add("user-file", at, "the user file %s %s: nginx's open or read of it blocks the worker, so no answer comes (500 stands for that here)", path, prob.Reason)
				return refused, 500
			}
			e.add("user-file", at, "the user file %s cannot be read (%s %s): 500", path, prob.Path, prob.Reason)
		}
		return refused, 500
	}
	var err error
	if data == nil {
		data, err = e.fsys.ReadFile(path)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			e.add("user-file", at, "the user file %s does not exist: 403", path)
			return refused, 403
		}
		e.add("user-file", at, "the user file %s cannot be read (%v): 500", path, errors.Unwrap(err))
		return refused, 500
	}
	filePlace := func(line int) why.Place { return why.Place{File: path, Line: line} }
	user := r.creds.user
	look := FindUser(data, user)
	for i, n := range look.Missed {
		e.add("user-file", filePlace(n), "line %d looks like %s's entry, but %s", n, user, look.Why[i])
	}
	if !look.Found {
		e.add("credentials", at, "%s is not found in %s: 401 (\"user %s was not found\")", user, path, user)
		return refused, 401
	}
	res := Crypt(look.Hash, r.creds.password, e.opts.Platform)
	if r.creds.password == nil {
		if prev, ok := e.assumed[user]; ok && prev != path && res.Status == 0 {
			e.uncertain("credentials", filePlace(look.Line), "%s's password in %s is assumed to be the one that works in %s", user, path, prev)
		}
		e.assumed[user] = path
	}
	text := fmt.Sprintf("%s is on line %d; %s", user, look.Line, res.Text)
	if len(look.Shadowed) > 0 {
		text = fmt.Sprintf("%s is on line %d (and again on line %s, which nginx never reads: the first line wins); %s", user, look.Line, joinInts(look.Shadowed), res.Text)
		if res.Status != 0 {
			text = fmt.Sprintf("%s is on line %s, but line %d defines %s first and wins; %s", user, joinInts(look.Shadowed), look.Line, user, res.Text)
			if n := shadowedMatch(data, user, look.Shadowed, r.creds.password); n > 0 {
				text = fmt.Sprintf("%s is on line %d, but line %d defines %s first and wins: the password sent is line %d's, which nginx never reads; %s",
					user, n, look.Line, user, n, res.Text)
			}
		}
	}
	step := why.Step{Phase: "credentials", Place: filePlace(look.Line), Text: text, Uncertain: !res.Certain}
	for _, n := range look.Shadowed {
		step.Also = append(step.Also, filePlace(n))
	}
	e.p.Steps = append(e.p.Steps, step)
	if !res.Certain {
		e.p.Certain = false
	}
	switch res.Status {
	case 0:
		return granted, 0
	case 500:
		return refused, 500
	}
	return refused, 401
}

// shadowedMatch returns the first shadowed line whose hash the password
// gives, or 0.
func shadowedMatch(data []byte, user string, lines []int, password *string) int {
	if password == nil {
		return 0
	}
	all := strings.Split(string(data), "\n")
	for _, n := range lines {
		if n > len(all) {
			continue
		}
		h := strings.TrimPrefix(all[n-1], user+":")
		if i := strings.IndexAny(h, ":\r"); i >= 0 {
			h = h[:i]
		}
		if htpasswd.Verify(h, *password) == htpasswd.Match {
			return n
		}
	}
	return 0
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}

// authRequest is ngx_http_auth_request_module: a subrequest decides.
func (e *evaluator) authRequest(r *request, s *Scope) (handlerResult, int) {
	d := s.Lookup("auth_request")
	if d == nil || d.Arg(0) == "off" {
		return declined, 0
	}
	if r.creds == nil {
		e.uncertain("access", place(d), "auth_request %s: a subrequest decides; assuming it refuses a request without credentials (401)", d.Arg(0))
		return refused, 401
	}
	e.uncertain("access", place(d), "auth_request %s: a subrequest decides; assuming it grants the request", d.Arg(0))
	return granted, 0
}

// realIP is ngx_http_realip_handler in the given phase: with the server
// block's settings in post-read, the location's in preaccess, where it does
// nothing once the address was replaced.
func (e *evaluator) realIP(r *request, s *Scope, phase string) {
	if r.realIPDone || r.hop > 0 {
		return
	}
	rip := s.RealIP()
	if rip.Header == "" {
		return
	}
	client, by, ok := rip.Client(r.client, r.in.Header.Get(rip.Header))
	if !ok {
		return
	}
	r.realIPDone = true
	e.add("access", place(by), "set_real_ip_from %s trusts %s (realip, %s phase): the client address becomes %s from the %s header", by.Arg(0), r.client, phase, client, rip.Header)
	r.client = client
}
