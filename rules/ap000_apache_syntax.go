package rules

// ApacheSyntax reports what apache2 -t refuses, and .htaccess parse errors.
var ApacheSyntax = &Rule{
	ID: "AP000", Name: "apache-syntax", Severity: Error, Engine: true,
	Summary: "Apache syntax or include error: apache2 -t fails, or every request to a .htaccess directory gets 500",
}
