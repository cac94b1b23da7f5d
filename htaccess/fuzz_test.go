package htaccess

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
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

// splitFiles reads a FuzzLoad input: the main file /n/httpd.conf, then
// files each introduced by a line "-- NAME --" (NAME relative to /n unless
// absolute), as in txtar.
func splitFiles(data []byte) map[string]string {
	files := map[string]string{}
	name, start := "/n/httpd.conf", 0
	add := func(end int) {
		if _, dup := files[name]; !dup {
			files[name] = string(data[start:end])
		}
	}
	for off := 0; off < len(data); {
		end := len(data)
		if nl := bytes.IndexByte(data[off:], '\n'); nl >= 0 {
			end = off + nl + 1
		}
		line := strings.TrimSpace(string(data[off:end]))
		if n, ok := strings.CutPrefix(line, "-- "); ok && strings.HasSuffix(n, " --") && len(n) > 3 {
			add(off)
			n = strings.TrimSuffix(n, " --")
			name, start = path.Join("/n", n), end
			if strings.HasPrefix(n, "/") {
				name = path.Clean(n)
			}
		}
		off = end
	}
	add(len(data))
	return files
}

// describe renders what a load made of a configuration, in walk order:
// every node httpd reads, as it reads it in its place (expanded arguments,
// whether an <IfDefine> holds, the files an Include pulled in), then the
// files, the errors, the modules and the defines.
func describe(c *Config) string {
	var b strings.Builder
	Walk(c.Main, func(n *Node, parents []*Node) bool {
		fmt.Fprintf(&b, "%d %s:%d %s", len(parents), n.File, n.Span.Start.Line, n.Name)
		for _, a := range n.Args {
			fmt.Fprintf(&b, " %q", a.Expanded)
		}
		holds, evaluated := c.IfDefineHolds(n)
		if evaluated {
			fmt.Fprintf(&b, " holds=%v", holds)
		}
		for _, f := range n.Includes() {
			fmt.Fprintf(&b, " <%s>", f.Path)
		}
		b.WriteByte('\n')
		// httpd skips what an <IfDefine> that does not hold encloses: the
		// loader leaves it unexpanded there.
		return holds || !evaluated
	})
	for _, f := range c.Files {
		fmt.Fprintf(&b, "file %s\n", f.Path)
	}
	for _, e := range c.Errors {
		fmt.Fprintf(&b, "error %s %s %v\n", e.Severity, e.Kind, e)
	}
	for _, m := range c.Modules {
		fmt.Fprintf(&b, "module %s %s\n", m.Name, m.Path)
	}
	fmt.Fprintf(&b, "root %s defines %v\n", c.ServerRoot, c.Defines)
	return b.String()
}

// FuzzLoad checks that loading files that include each other (wildcards,
// directories, cycles, a file included in many places, ${VAR} and
// <IfDefine> that read differently in each) never panics, stays within
// the expansion cap, and reads the same as a load that copies every tree
// whole, Visit calls included: what places share never differs between
// them.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.txtar"))
	if len(seeds) == 0 {
		f.Fatal("no fuzz seeds in testdata/seeds")
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		files := splitFiles(data)
		const limit = 2000
		var visits [2]strings.Builder
		load := func(i int, copyAll bool) *Config {
			visit := func(n *Node, root string) {
				fmt.Fprintf(&visits[i], "%s:%d %s %q %s\n", n.File, n.Span.Start.Line, n.Name, n.ArgValues(), root)
			}
			return Load(mapSource(files), "/n/httpd.conf", LoadOptions{maxExpansion: limit, Defines: map[string]string{"A": ""}, Visit: visit, copyAll: copyAll})
		}
		shared, whole := load(0, false), load(1, true)
		got, want := describe(shared)+visits[0].String(), describe(whole)+visits[1].String()
		if got != want {
			t.Fatalf("the load with shared trees differs from whole copies:\n%s\nwant:\n%s", got, want)
		}
		own := 0
		for _, p := range files {
			own += strings.Count(p, "\n") + 1
		}
		n := 0
		Walk(shared.Main, func(*Node, []*Node) bool {
			n++
			return n <= own+limit
		})
		if n > own+limit {
			t.Fatalf("walk visits more than %d nodes", own+limit)
		}
	})
}
