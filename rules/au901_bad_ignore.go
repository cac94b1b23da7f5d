package rules

// BadIgnore reports a malformed inline ignore comment.
var BadIgnore = &Rule{
	ID: "AU901", Name: "bad-ignore", Severity: Warning, Engine: true,
	Summary: "inline ignore comment without a rule, without a reason, or naming an unknown rule",
}
