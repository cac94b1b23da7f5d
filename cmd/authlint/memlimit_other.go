//go:build !linux

package main

// memoryLimit is where the collector starts working when it is otherwise
// off.
func memoryLimit() int64 { return 512 << 20 }
