package htaccess

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, that every span lies inside
// the input with consistent offsets, lines and columns, and that loading
// the input as a main file and printing its errors never panics.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.conf"))
	if len(seeds) == 0 {
		f.Fatal("no fuzz seeds in testdata")
	}
	// The shared corpus adds more when $AUTHLINT_CORPUS names it; set
	// but holding none, the test fails rather than seed less. Without it
	// every checkout fuzzes from the same seeds, the package's testdata.
	if base := os.Getenv("AUTHLINT_CORPUS"); base != "" {
		n := len(seeds)
		for _, pat := range []string{
			filepath.Join(base, "apache", "augeas", "*.conf"),
			filepath.Join(base, "apache", "augeas", "derived", "*.conf"),
			filepath.Join(base, "apache", "debian-etc-apache2", "etc-apache2", "*.conf"),
			filepath.Join(base, "apache", "debian-etc-apache2", "etc-apache2", "*", "*.conf"),
		} {
			ms, _ := filepath.Glob(pat)
			seeds = append(seeds, ms...)
		}
		if len(seeds) == n {
			f.Fatalf("AUTHLINT_CORPUS=%s holds no apache/augeas or apache/debian-etc-apache2 configs", base)
		}
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("A \\\r\n\\\n\"x\\\"y\x00z\n<a>\n</a b>\n<b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Parse("f.conf", data)
		checkFile(t, file, data)
		c := Load(mapSource(map[string]string{"/f.conf": string(data)}), "/f.conf", LoadOptions{})
		for _, e := range c.Errors {
			if e.Error() == "" {
				t.Errorf("empty error text")
			}
		}
	})
}

// offsetOf returns the byte offset of p in src: the start of line p.Line
// plus p.Col-1, which may be the line's end (an end position); ok is false
// when p is not in src.
func offsetOf(src []byte, p Pos) (off int, ok bool) {
	if p.Line < 1 || p.Col < 1 {
		return 0, false
	}
	start := 0
	for line := int32(1); line < p.Line; line++ {
		nl := bytes.IndexByte(src[start:], '\n')
		if nl < 0 {
			return 0, false
		}
		start += nl + 1
	}
	end := len(src)
	if nl := bytes.IndexByte(src[start:], '\n'); nl >= 0 {
		end = start + nl
	}
	off = start + int(p.Col) - 1
	return off, off <= end
}

// checkSpan checks that a span lies in src, start before end, and returns
// its offsets.
func checkSpan(t *testing.T, what string, sp Span, src []byte) (start, end int) {
	t.Helper()
	start, ok1 := offsetOf(src, sp.Start)
	end, ok2 := offsetOf(src, sp.End)
	if !ok1 || !ok2 || end < start {
		t.Fatalf("%s: bad span %s in %d bytes", what, sp, len(src))
	}
	return start, end
}

func checkFile(t *testing.T, f *File, src []byte) {
	t.Helper()
	Walk(f, func(n *Node, _ []*Node) bool {
		_, lineEnd := checkSpan(t, "node "+n.Name, n.Span, src)
		_, last := checkSpan(t, "name "+n.Name, n.NameSpan, src)
		if n.EndSpan().Start.IsValid() {
			if endStart, _ := checkSpan(t, "end "+n.Name, n.EndSpan(), src); endStart < lineEnd {
				t.Fatalf("section %s ends before its opener", n.Name)
			}
		}
		for _, a := range n.Args {
			start, end := checkSpan(t, "arg "+a.Raw, a.Span, src)
			if start < last {
				t.Fatalf("arg %q out of order", a.Raw)
			}
			last = end
			if a.Span.Start.Line == a.Span.End.Line && string(src[start:end]) != a.Raw {
				t.Fatalf("arg raw %q != source %q", a.Raw, src[start:end])
			}
		}
		if n.Trailing() != nil {
			checkSpan(t, "trailing", n.Trailing().Span, src)
		}
		return true
	})
	for _, c := range f.Comments {
		checkSpan(t, "comment", c.Span, src)
		if c.Line != int(c.Span.Start.Line) {
			t.Fatalf("comment line %d != span %s", c.Line, c.Span)
		}
	}
	for _, e := range f.Errors {
		checkSpan(t, "error "+e.Msg, e.Span, src)
		if e.Error() == "" {
			t.Fatalf("empty error text")
		}
	}
}
