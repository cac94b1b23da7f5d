package main

import (
	"bytes"
	"fmt"
	"math/bits"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

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
// advised range. thpAdvice says when nothing is done. It reports whether
// the advice was taken; either way only the speed of the run changes.
//
// Kept because it pays on the benchmarks (2 cores, THP "madvise", measured
// 2026-12-03 with hyperfine, same run as the real server): the 10,000-vhost
// Apache tree of scripts/bench-apache.sh takes 87-94 ms with it and
// 113-116 ms with GODEBUG=disablethp=1 (ratio to apache2 -t 0.29-0.30 vs
// 0.37-0.39), the 10,000-server nginx tree 81 ms vs 122 ms; peak RSS grows
// by about 5 MB (86 vs 81 MB). Small inputs never call it (LargeInput).
func hugePageHeap(size int) bool {
	huge, why := thpAdvice(size)
	if why != "" {
		return false
	}
	block := make([]byte, size)
	base := uintptr(unsafe.Pointer(&block[0]))
	lo := int((base+uintptr(huge)-1)&^uintptr(huge-1) - base) // the first whole huge page
	hi := lo + (size-lo)&^(huge-1)
	ok := hi > lo && unix.Madvise(block[lo:hi], unix.MADV_HUGEPAGE) == nil
	block = nil
	runtime.GC() // frees the block's pages for the objects that follow
	return ok
}

// thpAdvice returns the huge page size, and why advising size bytes would
// do nothing or harm ("" when it helps): THP is "always" (the heap gets
// huge pages already) or "never", GODEBUG=disablethp=1 keeps the heap off
// huge pages, or the kernel has fewer free huge-page-sized blocks than
// size needs. In the default defrag mode a fault in an advised range that
// finds none compacts memory first, which on a busy server stalls more
// than huge pages save.
func thpAdvice(size int) (huge int, why string) {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return 0, "GODEBUG=disablethp=1"
	}
	if mode := sysfsWord("/sys/kernel/mm/transparent_hugepage/enabled"); mode != "madvise" {
		return 0, fmt.Sprintf("transparent huge pages are %q, not madvise", mode)
	}
	huge, err := strconv.Atoi(sysfsWord("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"))
	page := os.Getpagesize()
	if err != nil || huge < page || huge&(huge-1) != 0 {
		return 0, "no huge page size"
	}
	if size < 2*huge {
		return huge, fmt.Sprintf("%d bytes hold less than two %d-byte huge pages", size, huge)
	}
	buddy, err := os.ReadFile("/proc/buddyinfo")
	if err != nil {
		return huge, "no /proc/buddyinfo"
	}
	order := bits.TrailingZeros(uint(huge / page))
	if free, need := freeBlocks(buddy, order), size/huge; free < need {
		return huge, fmt.Sprintf("%d free huge pages, %d needed", free, need)
	}
	return huge, ""
}

// freeBlocks counts the free blocks of 2^order pages the buddy allocator
// holds, over every zone of /proc/buddyinfo ("Node 0, zone Normal" then
// the free block counts of orders 0, 1, ...); a larger free block counts
// for as many as it splits into.
func freeBlocks(buddyinfo []byte, order int) int {
	n := 0
	for line := range bytes.Lines(buddyinfo) {
		_, counts, ok := bytes.Cut(line, []byte("zone"))
		if !ok {
			continue
		}
		fields := strings.Fields(string(counts))
		if len(fields) == 0 {
			continue
		}
		for o, f := range fields[1:] { // fields[0] names the zone
			c, err := strconv.Atoi(f)
			if err != nil || o < order {
				continue
			}
			n += c << min(o-order, 20)
		}
	}
	return n
}

// sysfsWord returns the bracketed word of a sysfs choice file ("always
// [madvise] never"), or the whole trimmed content of a value file; "" when
// it cannot be read.
func sysfsWord(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if _, rest, ok := bytes.Cut(b, []byte("[")); ok {
		if word, _, ok := bytes.Cut(rest, []byte("]")); ok {
			return string(word)
		}
	}
	return string(bytes.TrimSpace(b))
}
