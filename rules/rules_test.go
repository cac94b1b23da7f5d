package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/authlint/authlint/rules"
	"github.com/authlint/authlint/rules/ruletest"
)

// TestRuleFixtures runs every rule over its fixtures in testdata/<ID>/.
func TestRuleFixtures(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			ruletest.Run(t, filepath.Join("testdata", r.ID), r)
		})
	}
}
