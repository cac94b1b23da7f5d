package rules_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/rules"
)

// writeBigFile writes n structurally valid entries of mixed schemes (made of
// repeated alphabet characters: nothing is hashed).
func writeBigFile(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "big.htpasswd")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	d22 := "abcdefghijklmnopqrstuv"
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(w, "user%d:$2y$10$%s%sABCDEFGHI\n", i, d22, d22)
		case 1:
			fmt.Fprintf(w, "user%d:$6$saltsaltsaltsalt$%s%s%s%s\n", i, d22, d22, d22, d22[:20])
		default:
			fmt.Fprintf(w, "user%d:$y$j9T$saltsaltsalt$%s%s\n", i, d22, d22[:21])
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkLint1M lints a 1,000,000-line password file with every rule and
// reports the live heap after the run (it must stay flat: findings only).
func BenchmarkLint1M(b *testing.B) {
	path := writeBigFile(b, 1_000_000)
	cfg := rules.Config{Paths: []string{path}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt, Rules: rules.All()}
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		res, err := rules.Lint(cfg)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) != 0 {
			b.Fatalf("clean file drew %d findings, first: %s", len(res.Findings), res.Findings[0].Message)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.ReportMetric(float64(peak)/(1<<20), "MiB-heap")
}
