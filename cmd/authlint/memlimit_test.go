package main

import (
	"testing"

	"github.com/authlint/authlint/internal/sysmem"
)

// TestMemoryLimit checks the collector's limit when GOGC is off: a quarter
// of the available memory, at least 16 MiB, at most 1 GiB.
func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		available, want int64
	}{
		{0, 1 << 30},          // unknown
		{16 << 30, 1 << 30},   // a large machine
		{2 << 30, 512 << 20},  // a 2 GiB container
		{256 << 20, 64 << 20}, // a 256 MiB CI job
		{32 << 20, 16 << 20},  // tiny
	} {
		if got := memoryLimit(tt.available); got != tt.want {
			t.Errorf("memoryLimit(%d MiB) = %d MiB, want %d MiB", tt.available>>20, got>>20, tt.want>>20)
		}
	}
	if l := memoryLimit(systemMemory().Available()); l < 16<<20 || l > 1<<30 {
		t.Errorf("memoryLimit on this machine = %d MiB, want 16 MiB to 1 GiB", l>>20)
	}
}

func TestMemoryBudget(t *testing.T) {
	for _, tt := range []struct {
		info sysmem.Info
		want int64
		from string
	}{
		{sysmem.Info{Total: 8 << 30}, 8 << 30, "the machine's memory"},
		{sysmem.Info{Total: 8 << 30, Cgroup: 1 << 30, CgroupFile: "/sys/fs/cgroup/memory.max"}, 1 << 30, "the limit in /sys/fs/cgroup/memory.max"},
		{sysmem.Info{Total: 1 << 30, Cgroup: 8 << 30, CgroupFile: "/sys/fs/cgroup/memory.max"}, 1 << 30, "the machine's memory"},
	} {
		got, from := memoryBudget(tt.info)
		if got != tt.want || from != tt.from {
			t.Errorf("memoryBudget(%+v) = %d, %q; want %d, %q", tt.info, got, from, tt.want, tt.from)
		}
	}
}
