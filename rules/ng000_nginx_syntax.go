package rules

// NginxSyntax reports what nginx -t would refuse: syntax and include errors.
var NginxSyntax = &Rule{
	ID: "NG000", Name: "nginx-syntax", Severity: Error, Engine: true,
	Summary: "nginx syntax or include error: nginx -t fails and the reload is refused",
}
