package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// TestHugePageHeap checks that, where the kernel gives huge pages on
// advice, memory allocated after hugePageHeap lies in an advised mapping
// (VmFlags "hg" in /proc/self/smaps), and that GODEBUG=disablethp=1 turns
// it off.
func TestHugePageHeap(t *testing.T) {
	if mode := thpMode(); mode != "madvise" {
		t.Skipf("transparent huge pages are %q here, not madvise: hugePageHeap does nothing by design", mode)
	}
	t.Setenv("GODEBUG", "disablethp=1")
	if hugePageHeap(64 << 20) {
		t.Error("hugePageHeap advised the heap under GODEBUG=disablethp=1")
	}
	t.Setenv("GODEBUG", "")
	if !hugePageHeap(64 << 20) {
		t.Fatal("hugePageHeap: madvise refused")
	}
	// A block of several huge pages comes from the freed, advised range,
	// or starts in what the collection freed just below it (the test
	// binary's heap has no other free run that large): its end is advised.
	b := make([]byte, 16<<20)
	addr := uintptr(unsafe.Pointer(&b[len(b)-1]))
	flags, err := vmFlags(addr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("memory allocated after hugePageHeap at %#x has VmFlags %q, want hg", addr, flags)
	}
}

// vmFlags returns the VmFlags line of the mapping of this process that
// holds addr.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 {
			in = lo <= addr && addr < hi
			continue
		}
		if in {
			if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok {
				return strings.TrimSpace(flags), nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}
