package htpasswd

import (
	"bytes"
	"fmt"
	"testing"
)

// fakeFile builds n structurally valid lines of mixed schemes (no hashing:
// the hashes are made of repeated alphabet characters).
func fakeFile(n int) []byte {
	var b bytes.Buffer
	d22 := "abcdefghijklmnopqrstuv"
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "user%d:$2y$10$%s%s\n", i, d22, d22+"ABCDEFGHI")
		case 1:
			fmt.Fprintf(&b, "user%d:$apr1$saltsalt$%s\n", i, d22)
		case 2:
			fmt.Fprintf(&b, "user%d:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n", i)
		default:
			fmt.Fprintf(&b, "user%d:$6$saltsaltsaltsalt$%s%s%s%s\n", i, d22, d22, d22, d22[:20])
		}
	}
	return b.Bytes()
}

// BenchmarkScan1M scans and classifies a 1,000,000-line file.
func BenchmarkScan1M(b *testing.B) {
	data := fakeFile(1_000_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc := NewScanner(bytes.NewReader(data))
		n := 0
		for sc.Scan() {
			e := ParseUserLine(sc.Line())
			if Classify(e.Hash.Text).Problem != "" {
				b.Fatalf("line %d: %s", sc.Line().Num, Classify(e.Hash.Text).Problem)
			}
			n++
		}
		if n != 1_000_000 {
			b.Fatalf("%d lines", n)
		}
	}
}
