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
