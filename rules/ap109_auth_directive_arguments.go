package rules

// take1 lists the auth directives that take exactly one argument, with the
// usage text httpd prints when they do not.
var take1 = map[string]string{
	"authtype":      "an HTTP authorization type (e.g., \"Basic\")",
	"authname":      "the authentication realm (e.g. \"Members Only\")",
	"authuserfile":  "text file containing user IDs and passwords",
	"authgroupfile": "text file containing group names and member user IDs",
	"authmerging":   "Off, And or Or",
	"satisfy":       "any or all",
}

// ApacheDirectiveArguments reports an auth directive that takes one argument
// but has several: an unquoted realm or path with spaces, or a trailing
// "# comment" (Apache has none). In the main configuration apache2 -t fails;
// in a .htaccess every request to the directory gets 500 (`invoke_cmd` in
// server/config.c; scenarios `apache-startup-arguments`,
// `apache-htaccess-arguments`).
var ApacheDirectiveArguments = &Rule{
	ID: "AP109", Name: "auth-directive-arguments", Severity: Error,
	Summary: "an auth directive that takes one argument has several (unquoted spaces, a trailing # comment)",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			for _, n := range s.Conf.Directives {
				if len(n.Args) == 1 {
					continue // the common case, without a map lookup
				}
				usage, ok := take1[n.Lower]
				if !ok {
					continue
				}
				why := "it has no argument"
				if len(n.Args) > 1 {
					why = "the words after the first are extra arguments: quote a value with spaces, and put comments on their own line (Apache has no trailing comments)"
				}
				effect := "apache2 -t fails and the server does not start"
				if s.Htaccess != nil {
					effect = "every request to this directory gets 500, anonymous ones too, while apache2 -t passes"
				}
				p.At(n, "%s takes one argument, %s; %s: %s", n.Name, usage, why, effect)
			}
		}
	},
}
