package htaccess

import (
	"runtime"
	"testing"
)

func TestZZMem(t *testing.T) {
	src := chain(24, 2)
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	c := Load(src, "/srv/f0.conf", LoadOptions{})
	runtime.GC()
	runtime.ReadMemStats(&b)
	t.Logf("live %d MB, alloc %d MB, files %d", (b.HeapAlloc-a.HeapAlloc)>>20, (b.TotalAlloc-a.TotalAlloc)>>20, len(c.Files))
	runtime.KeepAlive(c)
}
