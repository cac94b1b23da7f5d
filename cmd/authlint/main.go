package main

import (
	"os"
	"runtime/debug"
)

func main() {
	// A run is short and its heap is mostly the parsed configuration, live
	// until the end (password files are streamed: they allocate almost
	// nothing). Collecting only near a memory limit saves the collections
	// a 10,000-server configuration would otherwise go through, for the
	// same peak memory. GOGC or GOMEMLIMIT in the environment win.
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(memoryLimit())
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// hugeHeapSize is how much heap a large run asks huge pages for: 128 MiB
// (10,000 virtual hosts need about 75), or a quarter of the memory limit
// when that is less, since freed heap counts against the limit.
func hugeHeapSize() int {
	return int(min(128<<20, debug.SetMemoryLimit(-1)/4))
}
