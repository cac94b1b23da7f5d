package filekind

import (
	"bytes"
	"path"
	"regexp"
	"strings"
)

// A Name is one entry of the list of file names a directory walk lints and
// the pre-commit hook passes to authlint (.pre-commit-hooks.yaml `files:`
// is FilesPattern, built from this list; a test keeps them equal).
type Name struct {
	// Pattern matches the end of a slash path: the last component, or the
	// last two for a directory's files (sites-available/[^/]+). It is both
	// RE2 and Python syntax, so that pre-commit reads the same pattern.
	Pattern string
	// Kind is the kind the name says; Unknown for a server configuration
	// whose content tells Apache from nginx.
	Kind Kind
	// Confirm is set when the name alone is not enough: the content must
	// confirm the kind (Confirm), or, for Kind Unknown, be a server
	// configuration (SniffConfig). Other files under such a name are not
	// inputs (htpasswd-notes: prose).
	Confirm bool
}

// Names returns the list, most specific first.
func Names() []Name {
	return []Name{
		// Password, digest and group files by their usual names.
		{`\.?htpasswd`, Htpasswd, false},
		{`[^/]*\.htpasswd`, Htpasswd, false},
		{`\.?htusers`, Htpasswd, false},
		{`[^/]*\.htusers`, Htpasswd, false},
		{`\.?htdigest`, Htdigest, false},
		{`[^/]*\.htdigest`, Htdigest, false},
		{`\.?htgroups?`, Htgroup, false},
		{`[^/]*\.htgroup`, Htgroup, false},
		// Variants: htpasswd-admin, .htpasswd_ops, .htpasswd.prod. A name
		// with an extension after a dash (htpasswd-rotation.md,
		// htpasswd_test.go) is not one; htpasswd.py is not either.
		{`\.?htpasswd[-_][^/.]*`, Htpasswd, true},
		{`\.htpasswd\.[^/]*`, Htpasswd, true},
		{`\.?htdigest[-_][^/.]*`, Htdigest, true},
		{`\.htdigest\.[^/]*`, Htdigest, true},
		{`\.?htgroups?[-_][^/.]*`, Htgroup, true},
		{`\.htgroups?\.[^/]*`, Htgroup, true},
		// Server configurations by name.
		{`nginx\.conf`, Nginx, false},
		{`[^/]*\.nginx\.conf`, Nginx, false},
		{`httpd\.conf`, Apache, false},
		{`apache2\.conf`, Apache, false},
		{`[^/]*\.apache\.conf`, Apache, false},
		{`[^/]*\.htaccess`, Apache, false},
		// Virtual host and snippet files of the Debian and RHEL layouts, with
		// or without an extension, and *.conf anywhere: the content decides.
		{`sites-(available|enabled)/[^/]+`, Unknown, true},
		{`conf\.d/[^/]+`, Unknown, true},
		{`conf-(available|enabled)/[^/]+`, Unknown, true},
		{`[^/]*\.conf`, Unknown, true},
	}
}

// FilesPattern is the pre-commit hook's `files:` regular expression: a
// path matches when it ends with one of the Names (case-insensitively).
func FilesPattern() string {
	alts := make([]string, 0, 32)
	for _, n := range Names() {
		alts = append(alts, n.Pattern)
	}
	return `(?i)(^|/)(` + strings.Join(alts, "|") + `)$`
}

// compiled holds each Name's pattern, anchored; read-only after package
// initialisation.
var compiled = func() []*regexp.Regexp {
	out := []*regexp.Regexp{}
	for _, n := range Names() {
		out = append(out, regexp.MustCompile(`(?i)(^|/)(`+n.Pattern+`)$`))
	}
	return out
}()

// Listed returns the first Name the slash path p ends with.
func Listed(p string) (Name, bool) {
	p = strings.ReplaceAll(p, `\`, "/")
	if strings.HasSuffix(p, "/") {
		return Name{}, false
	}
	for i, re := range compiled {
		if re.MatchString(p) {
			return Names()[i], true
		}
	}
	return Name{}, false
}

// Confirm reports whether head, the first bytes of a file, reads as a file
// of kind k: every entry line before the cut is user:hash (htpasswd),
// user:realm:hash (htdigest) or group: members (htgroup), and there is at
// least one. Program text and prose fail it (a line with a blank in the
// user name, or no colon).
func Confirm(k Kind, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	lines := bytes.Split(head, []byte("\n"))
	if len(head) == 4096 || len(head) == 8192 {
		lines = lines[:len(lines)-1] // the last line may be cut
	}
	entries := 0
	for _, line := range lines {
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		user, rest, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(user) == 0 || bytes.ContainsAny(user, " \t\"'(){}[]<>=;,") {
			return false
		}
		switch k {
		case Htdigest:
			realm, hash, ok := bytes.Cut(rest, []byte(":"))
			if !ok || len(realm) == 0 || len(bytes.TrimSpace(hash)) != 32 || !isHex(bytes.TrimSpace(hash)) {
				return false
			}
		case Htgroup:
			if bytes.ContainsAny(rest, ":$/{") {
				return false
			}
		default:
			if bytes.ContainsAny(bytes.TrimSpace(rest), " \t") {
				return false
			}
		}
		entries++
	}
	return entries > 0
}

// nonConfigExt are extensions of program text and documents: a file named
// on the command line with one of them is never sniffed as a password
// file or a configuration (htpasswd.py, README.md).
func nonConfigExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".rst", ".adoc", ".txt", ".html", ".htm", ".pdf",
		".py", ".go", ".rb", ".pl", ".pm", ".php", ".js", ".mjs", ".ts", ".java", ".c", ".h", ".cc", ".cpp", ".rs",
		".sh", ".bash", ".zsh", ".ps1", ".bat",
		".json", ".yaml", ".yml", ".toml", ".xml", ".ini", ".j2", ".jinja", ".tmpl", ".tpl", ".erb",
		".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".gz", ".zip", ".tar", ".tgz":
		return true
	}
	return false
}

// SniffConfig tells an Apache vhost or conf snippet (a <VirtualHost>, or
// auth directives) from an nginx server file (a server block, or auth_basic)
// by content; anything else is Unknown (a .conf of another program, a
// snippet with nothing about auth).
func SniffConfig(head []byte) Kind {
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("<virtualhost")) || bytes.Contains(lower, []byte("authuserfile")) ||
		bytes.Contains(lower, []byte("authtype")):
		return Apache
	case nginxServer.Match(lower) || bytes.Contains(lower, []byte("auth_basic")):
		return Nginx
	}
	return Unknown
}

// nginxServer finds a server block's opening: "server {" at the start of a
// line, blanks around.
var nginxServer = regexp.MustCompile(`(?m)^[ \t]*server[ \t\r\n]*\{`)
