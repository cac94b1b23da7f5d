package main

import (
	"os"
	"runtime/debug"

	"github.com/authlint/authlint/internal/sysmem"
)

// The collector and the run's heap. A run is short and its heap is mostly
// the parsed configuration, live until the end (password files are
// streamed: they keep about 40 bytes a line for PW108, and allocate little
// else; 1.5 million duplicate users peak at 190 MB with the collector off,
// 130 MB with it on). So the collector is off until
// the heap reaches a memory limit: the run skips the collections it would
// otherwise go through, and pays in peak memory. Measured with
// /usr/bin/time -v on scripts/bench-nginx.sh's 10,000 servers (2026-12-03,
// 2 cores): collector off 100 MB peak RSS and 0.11-0.12 s, collector on
// (GOGC=100) 62-66 MB and 0.12-0.13 s; on a large Apache tree the saving is
// larger. The memory spent is garbage the collector would have freed; the
// limit bounds it.

// setupCollector turns the collector off up to memoryLimit, unless GOGC
// says otherwise. GOMEMLIMIT, when set, is the limit itself; else the limit
// is a quarter of the memory this process may use (the RAM, or its
// cgroup's memory.max, which is what a container or CI job gets), at most
// 1 GiB.
func setupCollector(getenv func(string) string, info sysmem.Info) {
	if getenv("GOGC") != "" {
		return // the user chose
	}
	limit := memoryLimit(info.Available())
	if getenv("GOMEMLIMIT") != "" {
		limit = debug.SetMemoryLimit(-1) // as the runtime read it
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limit)
}

// memoryLimit is where the collector starts working when it is otherwise
// off: a quarter of the available memory (0: unknown), between 16 MiB and
// 1 GiB.
func memoryLimit(available int64) int64 {
	limit := int64(1 << 30)
	if available > 0 {
		limit = min(limit, max(available/4, 16<<20))
	}
	return limit
}

// systemMemory reads the memory this process may use.
func systemMemory() sysmem.Info { return sysmem.Read(os.DirFS("/")) }

// memoryBudget is the lint's memory budget: what the process may use, and
// where that limit comes from.
func memoryBudget(info sysmem.Info) (int64, string) {
	if info.Cgroup > 0 && info.Cgroup == info.Available() {
		return info.Cgroup, "the limit in " + info.CgroupFile
	}
	return info.Available(), "the machine's memory"
}
