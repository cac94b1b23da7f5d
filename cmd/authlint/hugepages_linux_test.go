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
	if _, why := thpAdvice(64 << 20); why != "" {
		t.Skipf("hugePageHeap does nothing here, by design: %s", why)
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

// TestFreeBlocks reads /proc/buddyinfo the way thpAdvice does: free blocks
// of the huge page order and above, over every zone, a larger block
// counting for the blocks it splits into.
func TestFreeBlocks(t *testing.T) {
	const info = `Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3
Node 0, zone    DMA32      1      3      0      2      3      2      1      4      4      2    752
Node 0, zone   Normal   5160   5414   3035   1946   1550    797    451    383    227    165    175
`
	cases := []struct {
		order, want int
	}{
		{9, (1 + 3*2) + (2 + 752*2) + (165 + 175*2)},
		{10, 3 + 752 + 175},
		{0, 0 + 1 + 5160 + 2*(0+3+5414) + 4*(0+0+3035) + 8*(0+2+1946) + 16*(0+3+1550) + 32*(0+2+797) + 64*(0+1+451) + 128*(0+4+383) + 256*(1+4+227) + 512*(1+2+165) + 1024*(3+752+175)},
		{11, 0},
	}
	for _, c := range cases {
		if got := freeBlocks([]byte(info), c.order); got != c.want {
			t.Errorf("freeBlocks(order %d) = %d, want %d", c.order, got, c.want)
		}
	}
	if got := freeBlocks([]byte("garbage\nNode 0, zone\n"), 9); got != 0 {
		t.Errorf("freeBlocks(garbage) = %d, want 0", got)
	}
}

// TestSysfsWord reads a choice file's bracketed word and a value file.
func TestSysfsWord(t *testing.T) {
	dir := t.TempDir()
	for content, want := range map[string]string{
		"always [madvise] never\n": "madvise",
		"[always] madvise never\n": "always",
		"2097152\n":                "2097152",
	} {
		p := dir + "/f"
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := sysfsWord(p); got != want {
			t.Errorf("sysfsWord(%q) = %q, want %q", content, got, want)
		}
	}
	if got := sysfsWord(dir + "/missing"); got != "" {
		t.Errorf("sysfsWord(missing) = %q, want \"\"", got)
	}
}
