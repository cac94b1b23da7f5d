package main

import (
	"os"
	"runtime/debug"
)

func main() {
	setupCollector(os.Getenv, systemMemory())
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// hugeHeapSize is how much heap a large run asks huge pages for: 128 MiB
// (10,000 virtual hosts need about 75), or a quarter of the memory limit
// when that is less, since freed heap counts against the limit.
func hugeHeapSize() int {
	return int(min(128<<20, debug.SetMemoryLimit(-1)/4))
}
