package main

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePageSize is the size of a transparent huge page on amd64 and arm64
// with 4 KiB base pages.
const hugePageSize = 2 << 20

// hugePageHeap asks the kernel for transparent huge pages under the next
// size bytes the Go heap hands out. A large configuration fills tens of
// megabytes of fresh heap one 4 KiB page fault at a time (18,000 faults for
// 10,000 virtual hosts, most of the run's system time); with huge pages a
// fault maps 2 MiB.
//
// The runtime maps heap memory without advice (since Go 1.21.1), and the
// kernel's default THP mode, "madvise", only gives huge pages to advised
// ranges. So one block of size bytes is allocated and left untouched, its
// range is advised, and it is freed: the page allocator hands out the
// lowest free addresses first, so the objects allocated next land in the
// advised range. Nothing is done when THP is "always" (the heap already
// gets huge pages) or "never", or when GODEBUG=disablethp=1 asks the
// runtime to keep the heap off huge pages. It reports whether the advice
// was taken; either way only the speed of the run changes.
func hugePageHeap(size int) bool {
	if size < 2*hugePageSize || strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") || thpMode() != "madvise" {
		return false
	}
	block := make([]byte, size)
	base := uintptr(unsafe.Pointer(&block[0]))
	lo := int((base+hugePageSize-1)&^(hugePageSize-1) - base) // the first whole huge page
	hi := lo + (size-lo)&^(hugePageSize-1)
	ok := unix.Madvise(block[lo:hi], unix.MADV_HUGEPAGE) == nil
	block = nil
	runtime.GC() // frees the block's pages for the objects that follow
	return ok
}

// thpMode returns the kernel's transparent huge page mode (the bracketed
// word of /sys/kernel/mm/transparent_hugepage/enabled), or "" when the
// kernel has none.
func thpMode() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	if _, rest, ok := bytes.Cut(b, []byte("[")); ok {
		if mode, _, ok := bytes.Cut(rest, []byte("]")); ok {
			return string(mode)
		}
	}
	return ""
}
