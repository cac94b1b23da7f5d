package rules

// apacheRules are the AP rules, in ID order.
func apacheRules() []*Rule {
	return []*Rule{}
}
