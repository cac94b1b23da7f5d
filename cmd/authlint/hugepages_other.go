//go:build !linux

package main

// hugePageHeap does nothing: transparent huge pages are a Linux feature.
func hugePageHeap(int) bool { return false }
