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
	var seeds []string
	for _, pat := range []string{
		filepath.Join("testdata", "*.conf"),
		filepath.Join(corpusDir(f), "apache", "augeas", "*.conf"),
		filepath.Join(corpusDir(f), "apache", "augeas", "derived", "*.conf"),
		filepath.Join(corpusDir(f), "apache", "debian-etc-apache2", "etc-apache2", "*.conf"),
		filepath.Join(corpusDir(f), "apache", "debian-etc-apache2", "etc-apache2", "*", "*.conf"),
	} {
		ms, _ := filepath.Glob(pat)
		seeds = append(seeds, ms...)
	}
	if len(seeds) < 50 {
		f.Fatalf("only %d seeds", len(seeds))
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

// lineCol computes the position of offset in src.
func lineCol(src []byte, off int32) (line, col int32) {
	line = 1 + int32(bytes.Count(src[:off], []byte{'\n'}))
	nl := int32(bytes.LastIndexByte(src[:off], '\n'))
	return line, off - nl
}

func checkSpan(t *testing.T, what string, sp Span, src []byte) {
	t.Helper()
	s, e := sp.Start, sp.End
	if s.Line < 1 || s.Col < 1 || e.Line < s.Line || s.Offset < 0 || e.Offset < s.Offset || int(e.Offset) > len(src) {
		t.Fatalf("%s: bad span %s offsets %d-%d (len %d)", what, sp, s.Offset, e.Offset, len(src))
	}
	if l, c := lineCol(src, s.Offset); l != s.Line || c != s.Col {
		t.Fatalf("%s: start %s but offset %d is %d:%d", what, s, s.Offset, l, c)
	}
	if e.Offset > s.Offset {
		if l, c := lineCol(src, e.Offset-1); l != e.Line || c+1 != e.Col {
			t.Fatalf("%s: end %s but offset %d-1 is %d:%d", what, e, e.Offset, l, c)
		}
	}
}

func checkFile(t *testing.T, f *File, src []byte) {
	t.Helper()
	Walk(f, func(n *Node, _ []*Node) bool {
		checkSpan(t, "node "+n.Name, n.Span, src)
		checkSpan(t, "name "+n.Name, n.NameSpan, src)
		if n.EndSpan.Start.IsValid() {
			checkSpan(t, "end "+n.Name, n.EndSpan, src)
			if n.EndSpan.Start.Offset < n.Span.End.Offset {
				t.Fatalf("section %s ends before its opener", n.Name)
			}
		}
		last := n.NameSpan.End.Offset
		for _, a := range n.Args {
			checkSpan(t, "arg "+a.Raw, a.Span, src)
			if a.Span.Start.Offset < last {
				t.Fatalf("arg %q out of order", a.Raw)
			}
			last = a.Span.End.Offset
			if a.Span.Start.Line == a.Span.End.Line && string(src[a.Span.Start.Offset:a.Span.End.Offset]) != a.Raw {
				t.Fatalf("arg raw %q != source %q", a.Raw, src[a.Span.Start.Offset:a.Span.End.Offset])
			}
		}
		if n.Trailing != nil {
			checkSpan(t, "trailing", n.Trailing.Span, src)
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
