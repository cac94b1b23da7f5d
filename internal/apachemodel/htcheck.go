package apachemodel

import (
	"fmt"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// htDirective is what httpd's command table says of a directive that may
// stand in a .htaccess file: the module that registers it ("" for the
// core) and the AllowOverride classes that allow it ("all" for OR_ALL).
type htDirective struct {
	module  string
	classes string
}

// htDirectiveInfo tells what httpd's command tables say of the
// directives a .htaccess commonly holds; known is false for the others.
// A directive whose classes are "none" is not allowed in .htaccess files.
func htDirectiveInfo(lower string) (d htDirective, known bool) {
	switch lower {
	case "order", "allow", "deny":
		return htDirective{"access_compat_module", "limit"}, true
	case "satisfy":
		return htDirective{"access_compat_module", "authconfig"}, true
	case "limit", "limitexcept":
		return htDirective{"", "limit authconfig"}, true
	case "files", "filesmatch", "if", "elseif", "else", "ifmodule", "ifdefine", "ifdirective", "ifsection",
		"iffile", "serversignature", "limitrequestbody", "limitxmlrequestbody":
		return htDirective{"", "all"}, true
	case "ifversion":
		return htDirective{"version_module", "all"}, true
	case "options", "contentdigest":
		return htDirective{"", "options"}, true
	case "errordocument", "defaulttype", "forcetype", "sethandler", "setoutputfilter", "setinputfilter",
		"acceptpathinfo", "fileetag", "adddefaultcharset":
		return htDirective{"", "fileinfo"}, true
	case "cgipassauth":
		return htDirective{"", "authconfig"}, true
	case "header", "requestheader":
		return htDirective{"headers_module", "fileinfo"}, true
	case "rewriteengine", "rewriterule", "rewritecond", "rewritebase", "rewriteoptions":
		return htDirective{"rewrite_module", "fileinfo"}, true
	case "redirect", "redirectmatch", "redirectpermanent", "redirecttemp":
		return htDirective{"alias_module", "fileinfo"}, true
	case "directoryindex", "directoryslash", "fallbackresource", "directorycheckhandler":
		return htDirective{"dir_module", "indexes"}, true
	case "setenvif", "setenvifnocase", "browsermatch", "browsermatchnocase":
		return htDirective{"setenvif_module", "fileinfo"}, true
	case "setenv", "unsetenv", "passenv":
		return htDirective{"env_module", "fileinfo"}, true
	case "addtype", "addhandler", "removehandler", "addcharset", "addencoding", "addlanguage",
		"addoutputfilter", "defaultlanguage":
		return htDirective{"mime_module", "fileinfo"}, true
	case "expiresactive", "expiresdefault", "expiresbytype":
		return htDirective{"expires_module", "indexes"}, true
	case "indexoptions", "indexignore", "headername", "readmename":
		return htDirective{"autoindex_module", "indexes"}, true
	case "alias", "aliasmatch", "scriptalias", "scriptaliasmatch":
		return htDirective{"alias_module", "none"}, true
	case "proxypass":
		return htDirective{"proxy_module", "none"}, true
	case "directory", "directorymatch", "location", "locationmatch", "virtualhost", "documentroot",
		"servername", "serveralias", "allowoverride", "allowoverridelist", "listen", "loadmodule", "include",
		"includeoptional", "accessfilename", "user", "group", "define", "loglevel", "errorlog",
		"authnprovideralias", "authzprovideralias":
		return htDirective{"", "none"}, true
	}
	return htDirective{}, false
}

// authDirectiveModule names the module of an auth directive (AuthDirective).
func authDirectiveModule(lower string) string {
	switch {
	case lower == "authtype" || lower == "authname":
		return "authn_core_module"
	case lower == "authuserfile":
		return "authn_file_module"
	case lower == "authgroupfile":
		return "authz_groupfile_module"
	case strings.HasPrefix(lower, "authbasic"):
		return "auth_basic_module"
	case strings.HasPrefix(lower, "authdigest"):
		return "auth_digest_module"
	case lower == "require" || lower == "authmerging" || lower == "authzsendforbiddenonfailure" ||
		lower == htaccess.SecRequireAll || lower == htaccess.SecRequireAny || lower == htaccess.SecRequireNone:
		return "authz_core_module"
	}
	return "" // not checked
}

// AuthnProviderModule names the module that registers an authentication
// provider httpd ships.
func AuthnProviderModule(name string) (module string, known bool) {
	switch name {
	case "file", "dbm", "dbd", "socache", "anon":
		return "authn_" + name + "_module", true
	case "ldap":
		return "authnz_ldap_module", true
	}
	return "", false
}

// AuthzProviderModule names the module that registers an authorization
// provider httpd ships.
func AuthzProviderModule(name string) (module string, known bool) {
	switch name {
	case "all", "env", "method", "expr":
		return "authz_core_module", true
	case "valid-user", "user":
		return "authz_user_module", true
	case "group":
		return "authz_groupfile_module", true
	case "ip", "host", "local", "forward-dns":
		return "authz_host_module", true
	case "file-owner", "file-group":
		return "authz_owner_module", true
	case "dbm-group":
		return "authz_dbm_module", true
	case "dbd-group":
		return "authz_dbd_module", true
	case "ldap-user", "ldap-group", "ldap-dn", "ldap-attribute", "ldap-filter":
		return "authnz_ldap_module", true
	case "ssl", "ssl-verify-client":
		return "ssl_module", true
	}
	return "", false
}

// takesOne reports whether an auth directive takes exactly one argument
// (TAKE1).
func takesOne(lower string) bool {
	switch lower {
	case "authtype", "authname", "authuserfile", "authgroupfile", "authmerging", "satisfy":
		return true
	}
	return false
}

// HtaccessProblem is why httpd refuses a .htaccess file: every request
// whose directory walk reads it gets Status.
type HtaccessProblem struct {
	Status int
	// Node is the directive at fault; nil for the file as a whole.
	Node *htaccess.Node
	// Line is the line of a parse error when Node is nil.
	Line int
	Text string
	// Uncertain lists directives the model does not know: httpd might
	// refuse them ("Invalid command") where their module is not loaded.
	Uncertain []*htaccess.Node
}

// CheckHtaccess tells what httpd does when a directory walk reads the
// .htaccess file ht under the overrides ov in effect for its directory
// (ap_parse_htaccess): 403 for a file it cannot open (not readable by the
// workers, not a regular file: AH00529), 500 for a syntax error, a
// directive AllowOverride does not allow or no loaded module registers,
// or arguments the directive refuses. nil when it reads the file fine.
func (m *Model) CheckHtaccess(ht *Htaccess, ov Overrides) *HtaccessProblem {
	if ht.ReadErr != nil {
		return &HtaccessProblem{Status: 403, Text: fmt.Sprintf("httpd cannot read it (%v): AH00529, 403 for the whole directory", ht.ReadErr)}
	}
	if ht.File == nil {
		return nil
	}
	for _, e := range ht.File.Errors {
		if e.Severity == htaccess.SeverityError {
			return &HtaccessProblem{Status: 500, Line: int(e.Span.Start.Line), Text: e.Msg + ": 500 for every request to the directory"}
		}
	}
	c := &htChecker{m: m, ov: ov, b: &apBuilder{m: m}}
	c.nodes(ht.File.Nodes, false, "")
	if c.prob != nil {
		c.prob.Uncertain = c.unknown
		return c.prob
	}
	if len(c.unknown) > 0 {
		return &HtaccessProblem{Uncertain: c.unknown}
	}
	return nil
}

type htChecker struct {
	m       *Model
	ov      Overrides
	b       *apBuilder
	prob    *HtaccessProblem
	unknown []*htaccess.Node
}

func (c *htChecker) fail(n *htaccess.Node, format string, a ...any) {
	if c.prob == nil {
		c.prob = &HtaccessProblem{Status: 500, Node: n, Text: fmt.Sprintf(format, a...) + ": 500 for every request to the directory"}
	}
}

// nodes checks a list of nodes; inRequire is set inside a Require
// container whose logic is "or" when orLogic.
func (c *htChecker) nodes(ns []*htaccess.Node, inRequire bool, container string) {
	for _, n := range ns {
		if c.prob != nil {
			return
		}
		if n.Section && htaccess.IsConditional(n.Lower) {
			if c.b.active(n) {
				c.nodes(n.Children, inRequire, container)
			}
			continue
		}
		if !c.allowed(n) {
			continue
		}
		switch {
		case n.Section && isRequireContainer(n.Lower):
			if len(n.Args) > 0 {
				c.fail(n, "<%s> directive doesn't take additional arguments", n.Name)
				return
			}
			if !hasRequire(n.Children) {
				c.fail(n, "<%s> directive contains no authorization directives", n.Name)
				return
			}
			if n.Lower == htaccess.SecRequireNone && container != htaccess.SecRequireAll {
				c.fail(n, "<RequireNone> directive has no effect in %s directive", containerName(container))
				return
			}
			c.nodes(n.Children, true, n.Lower)
		case n.Section:
			c.nodes(n.Children, inRequire, container)
		default:
			c.directive(n, container)
		}
	}
}

func hasRequire(ns []*htaccess.Node) bool {
	for _, n := range children(ns) {
		if n.Lower == "require" || n.Section && (isRequireContainer(n.Lower) || htaccess.IsConditional(n.Lower)) && hasRequire(n.Children) {
			return true
		}
	}
	return false
}

func containerName(container string) string {
	switch container {
	case htaccess.SecRequireAll:
		return "<RequireAll>"
	case htaccess.SecRequireNone:
		return "<RequireNone>"
	}
	return "<RequireAny>"
}

// allowed checks that the directive may stand here and that a loaded
// module registers it.
func (c *htChecker) allowed(n *htaccess.Node) bool {
	d, known := htDirectiveInfo(n.Lower)
	if !known && AuthDirective(n.Lower) || isRequireContainer(n.Lower) {
		d, known = htDirective{authDirectiveModule(n.Lower), "authconfig"}, true
	}
	if !known {
		c.unknown = append(c.unknown, n)
		return false
	}
	if d.module != "" && !c.m.ModuleLoaded(d.module) {
		c.fail(n, "Invalid command '%s', perhaps misspelled or defined by a module not included in the server configuration (%s is not loaded)", n.Name, d.module)
		return false
	}
	switch d.classes {
	case "all":
		return true
	case "none":
		c.fail(n, "%s not allowed here (not in a .htaccess file)", n.Name)
		return false
	}
	for _, class := range strings.Fields(d.classes) {
		if c.ov.Allows(class, n.Lower) {
			return true
		}
	}
	c.fail(n, "%s not allowed here: AllowOverride %s lacks %s", n.Name, c.ov.Classes, strings.Join(strings.Fields(d.classes), " or "))
	return false
}

// directive checks a directive's arguments the way its command handler
// does.
func (c *htChecker) directive(n *htaccess.Node, container string) {
	args := make([]string, len(n.Args))
	for i, a := range n.Args {
		args[i] = a.Expanded
	}
	if takesOne(n.Lower) && len(args) != 1 {
		c.fail(n, "%s takes one argument", n.Name)
		return
	}
	switch n.Lower {
	case "authmerging":
		if v := strings.ToLower(args[0]); v != "off" && v != "and" && v != "or" {
			c.fail(n, "AuthMerging must be one of: Off | And | Or")
		}
	case "satisfy":
		if v := strings.ToLower(args[0]); v != "any" && v != "all" {
			c.fail(n, "Satisfy either 'any' or 'all'.")
		}
	case "order":
		if len(args) != 1 {
			c.fail(n, "Order takes one argument")
			return
		}
		switch strings.ToLower(args[0]) {
		case "allow,deny", "deny,allow", "mutual-failure":
		default:
			c.fail(n, "unknown order %q", args[0])
		}
	case "allow", "deny":
		if len(args) < 2 || !strings.EqualFold(args[0], "from") {
			c.fail(n, "%s must be followed by 'from'", n.Name)
		}
	case "authbasicprovider", "authdigestprovider":
		for _, a := range args {
			v := strings.ToLower(a)
			if c.m.ProviderAliases[v] {
				continue
			}
			mod, ok := AuthnProviderModule(v)
			if !ok || !c.m.ModuleLoaded(mod) {
				c.fail(n, "Unknown Authn provider: %s", a)
				return
			}
		}
	case "require":
		c.require(n, args, container)
	}
}

// require checks a Require line as add_authz_provider and the provider's
// parser do.
func (c *htChecker) require(n *htaccess.Node, args []string, container string) {
	neg := len(args) > 0 && strings.EqualFold(args[0], "not")
	if neg {
		args = args[1:]
	}
	if len(args) == 0 {
		c.fail(n, "Unknown Authz provider: ")
		return
	}
	prov := strings.ToLower(args[0])
	mod, ok := AuthzProviderModule(prov)
	if !ok || !c.m.ModuleLoaded(mod) {
		c.fail(n, "Unknown Authz provider: %s", args[0])
		return
	}
	if neg && container != htaccess.SecRequireAll {
		c.fail(n, "negative Require directive has no effect in %s directive", containerName(container))
		return
	}
	rest := args[1:]
	switch prov {
	case "all":
		if len(rest) != 1 || !strings.EqualFold(rest[0], "granted") && !strings.EqualFold(rest[0], "denied") {
			c.fail(n, "Argument for 'Require all' must be 'granted' or 'denied'")
		}
	case "ip":
		if len(rest) == 0 {
			c.fail(n, "Require ip: no address given")
		}
		for _, w := range rest {
			if _, ok := parseIPRange(w); !ok {
				c.fail(n, "ip address '%s' appears to be invalid", w)
				return
			}
		}
	case "method":
		for _, w := range rest {
			if !knownMethod(w) {
				c.fail(n, "Invalid Method '%s'", w)
				return
			}
		}
	}
}

// knownMethod reports whether httpd knows a method name (ap_method_number_of).
func knownMethod(m string) bool {
	switch m {
	case "GET", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "PROPPATCH",
		"MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN",
		"UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "MERGE":
		return true
	}
	return false
}
