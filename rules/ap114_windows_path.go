package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/authlint/authlint/htaccess"
)

// windowsPathRe matches a drive-letter path (C:/…, C:\…) or a UNC path
// (\\server\share).
var windowsPathRe = regexp.MustCompile(`^(?:[A-Za-z]:[\\/]|\\\\)`)

// isWindowsPath reports whether a path argument is written the Windows way:
// a drive letter, a UNC share, or backslashes as separators.
func isWindowsPath(v string) bool {
	return windowsPathRe.MatchString(v) || strings.Contains(v, `\`) && !strings.Contains(v, "/")
}

// windowsPathEffect says, per directive that takes a path, what the wrong
// file means.
var windowsPathEffect = map[string]string{
	"authuserfile":     "anonymous requests still get 401, but every login gets 500 (AH01620) unless that file exists",
	"authgroupfile":    "no group can be read, so every `Require group` refuses its members (401)",
	"authdbmuserfile":  "every login fails unless that file exists",
	"authdbmgroupfile": "no group can be read, so every `Require group` refuses its members",
	"documentroot":     "the site is served from there (AH00112 DocumentRoot does not exist), and sections for the intended directory never apply",
	"alias":            "the URL is served from there, and sections for the intended directory never apply",
	"scriptalias":      "the URL is served from there, and sections for the intended directory never apply",
}

// ApacheWindowsPath reports Windows paths (C:/…, C:\…, \\server\share) in
// the directives that name files for auth and serving. On Linux such a path
// is not absolute: httpd resolves it against ServerRoot
// (`ap_server_root_relative` in server/config.c), so it names another file,
// and backslashes are ordinary characters of a file name (scenario
// `apache-windows-path`).
var ApacheWindowsPath = &Rule{
	ID: "AP114", Name: "windows-path", Severity: Error,
	Summary: "a Windows path (C:/…, C:\\…) in AuthUserFile/AuthGroupFile/DocumentRoot/Alias: on Linux it resolves under ServerRoot, another file",
	Apache: func(p *ApachePass) {
		visit := func(f *htaccess.File) {
			htaccess.Walk(f, func(n *htaccess.Node, _ []*htaccess.Node) bool {
				if n.Section {
					return !htaccess.IsConditional(n.Lower) || conditionHolds(p, n)
				}
				effect, ok := windowsPathEffect[n.Lower]
				if !ok {
					return true
				}
				i := 0
				if n.Lower == "alias" || n.Lower == "scriptalias" {
					i = 1
				}
				if len(n.Args) <= i || !isWindowsPath(n.Args[i].Expanded) {
					return true
				}
				v := n.Args[i].Expanded
				root := p.Model.ServerRoot
				opened := "ServerRoot/" + v
				if root != "" && !p.Model.Fragment || p.Model.ServerRootDefault {
					opened = path.Join(root, v)
				}
				if strings.Contains(v, `\`) {
					opened += " (a backslash is an ordinary character in a Linux file name)"
				}
				p.Reportf(n.File, n.Args[i].Span, "%s `%s` is a Windows path: on a Linux server it is not absolute, so httpd resolves it against ServerRoot and uses %s; %s; write the Linux path",
					n.Name, v, opened, effect)
				return true
			})
		}
		if p.Conf != nil {
			visit(p.Conf.Main)
		}
		for _, ht := range p.Model.HtAccess {
			if ht.File != nil && (p.Conf == nil || ht.File != p.Conf.Main) {
				visit(ht.File)
			}
		}
	},
}
