package main

import (
	"math"
	"runtime/debug"
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

// TestSetupCollector checks the choice of collector setting: GOGC set
// leaves the runtime alone; otherwise the collector is off up to
// GOMEMLIMIT when set (as the runtime read it), else up to a quarter of
// what the process may use, the cgroup's memory.max when that is less than
// the RAM.
func TestSetupCollector(t *testing.T) {
	gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	})
	const runtimeLimit = 300 << 20 // what the runtime read from GOMEMLIMIT
	for _, tt := range []struct {
		name      string
		env       map[string]string
		info      sysmem.Info
		wantGC    int
		wantLimit int64
	}{
		{"GOGC set", map[string]string{"GOGC": "50"}, sysmem.Info{Total: 8 << 30}, 100, math.MaxInt64},
		{"GOGC and GOMEMLIMIT set", map[string]string{"GOGC": "50", "GOMEMLIMIT": "300MiB"}, sysmem.Info{Total: 8 << 30}, 100, runtimeLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "300MiB"}, sysmem.Info{Total: 8 << 30}, -1, runtimeLimit},
		{"RAM", nil, sysmem.Info{Total: 2 << 30}, -1, 512 << 20},
		{"cgroup below the RAM", nil, sysmem.Info{Total: 8 << 30, Cgroup: 256 << 20, CgroupFile: "/sys/fs/cgroup/memory.max"}, -1, 64 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			if _, ok := tt.env["GOMEMLIMIT"]; ok {
				debug.SetMemoryLimit(runtimeLimit)
			}
			setupCollector(func(k string) string { return tt.env[k] }, tt.info)
			gotGC, gotLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
			if gotGC != tt.wantGC || gotLimit != tt.wantLimit {
				t.Errorf("GC percent %d, memory limit %d MiB; want %d, %d MiB", gotGC, gotLimit>>20, tt.wantGC, tt.wantLimit>>20)
			}
		})
	}
}
