package rules

// nginxRules are the NG rules, in ID order.
func nginxRules() []*Rule {
	return []*Rule{}
}
