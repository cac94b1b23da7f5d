package servertest

import "path/filepath"

// RenderScenario renders a scenario's tree as Run does before it lints
// or starts anything: the files with their placeholders replaced (the
// port is free but nothing listens on it), conf/base.conf for an Apache
// tree that ships none, and the setup steps. Tests that evaluate a
// scenario's configuration in-process (the request evaluators) use it.
func RenderScenario(tb TB, sc *Scenario) *Tree {
	tb.Helper()
	tr := Render(tb, filepath.Join(sc.Dir, "tree"))
	if err := writeBase(tr, sc.Server); err != nil {
		tb.Fatalf("%s: %v", sc.Name, err)
	}
	for _, step := range sc.Setup {
		if err := tr.Setup(step); err != nil {
			tb.Fatalf("%s: %v", sc.Name, err)
		}
	}
	return tr
}

// IsRoot reports whether the tests run as root (the `requires root`
// scenarios need it).
func IsRoot() bool { return isRoot() }
