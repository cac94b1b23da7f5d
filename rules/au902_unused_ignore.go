package rules

// UnusedIgnore reports an inline ignore that silenced nothing.
var UnusedIgnore = &Rule{
	ID: "AU902", Name: "unused-ignore", Severity: Warning, Engine: true,
	Summary: "inline ignore comment that matches no finding",
}
