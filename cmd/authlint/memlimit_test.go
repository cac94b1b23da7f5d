package main

import "testing"

// TestMemoryLimit checks the collector's limit when GOGC is off: positive,
// at most 1 GiB, so that a run never holds more than that in garbage.
func TestMemoryLimit(t *testing.T) {
	if l := memoryLimit(); l < 64<<20 || l > 1<<30 {
		t.Errorf("memoryLimit() = %d MiB, want 64 MiB to 1 GiB", l>>20)
	}
}
