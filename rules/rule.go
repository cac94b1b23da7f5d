package rules

import (
	"embed"
	"strings"
)

//go:embed docs/*.md
var docsFS embed.FS

// Rule is one check. It is a value: its functions keep their state in local
// variables (or in the closure they return), never in the Rule.
type Rule struct {
	// ID is stable forever: PW (password files), NG (nginx), AP (Apache),
	// AU (server-neutral) followed by three digits.
	ID string
	// Name is the kebab-case name, also accepted by --enable/--disable.
	Name string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// Summary is the one-line description shown by `authlint rules`.
	Summary string
	// UserFile, when set, inspects password, digest and group files one line
	// at a time. It is called once per file and returns the visitor for it.
	UserFile func(p *UserFilePass) LineVisitor
	// Nginx, when set, inspects a loaded nginx configuration.
	Nginx func(p *NginxPass)
	// Apache, when set, inspects a loaded Apache configuration.
	Apache func(p *ApachePass)
	// Engine is set for rules whose findings the engine itself produces
	// (syntax errors, inline-ignore problems); they have no inspect function.
	Engine bool
}

// Doc returns the rule's documentation, the Markdown text of docs/<ID>.md.
func (r *Rule) Doc() string {
	b, err := docsFS.ReadFile("docs/" + r.ID + ".md")
	if err != nil {
		return ""
	}
	return string(b)
}

// Title returns the first heading of the rule's doc without the leading "# ".
func (r *Rule) Title() string {
	first, _, _ := strings.Cut(r.Doc(), "\n")
	return strings.TrimPrefix(first, "# ")
}
