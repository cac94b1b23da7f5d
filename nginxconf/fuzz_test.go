package nginxconf

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// addSeeds adds the files of testdata/seeds, so that fuzzing starts from
// the same seeds in every checkout, and fails when they are missing. With
// $AUTHLINT_CORPUS set (the shared corpus), its nginx configs are added
// too; set but holding none, the test fails rather than seed less.
func addSeeds(f *testing.F) {
	var own []string
	for _, pat := range []string{"*.conf", "*.txtar", "*.nginx-T"} {
		m, _ := filepath.Glob(filepath.Join("testdata", "seeds", pat))
		own = append(own, m...)
	}
	if len(own) == 0 {
		f.Fatal("no fuzz seeds in testdata/seeds")
	}
	var more, deep []string
	if base := os.Getenv("AUTHLINT_CORPUS"); base != "" {
		more, _ = filepath.Glob(filepath.Join(base, "nginx", "*", "*.conf"))
		deep, _ = filepath.Glob(filepath.Join(base, "nginx", "crossplane", "tests", "configs", "*", "*.conf"))
		if len(more)+len(deep) == 0 {
			f.Fatalf("AUTHLINT_CORPUS=%s holds no nginx/*/*.conf files", base)
		}
	}
	for _, p := range append(own, append(more, deep...)...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Add([]byte("a \"b\\\"c\" 'd' ${e}f { g; } # h\nx_by_lua_block { '}' }"))
}

// checkSpan fails when sp is not inside src.
func checkSpan(t *testing.T, sp Span, src []byte, what string) {
	t.Helper()
	if sp.Start.Offset < 0 || sp.Start.Offset > sp.End.Offset || int(sp.End.Offset) > len(src) || sp.Start.Line < 1 || sp.End.Line < sp.Start.Line {
		t.Fatalf("%s span %+v out of bounds (%d bytes)", what, sp, len(src))
	}
}

// checkFile checks every position of f, a parse of src, without following
// includes.
func checkFile(t *testing.T, f *File, src []byte) {
	t.Helper()
	var check func(ds []*Directive)
	check = func(ds []*Directive) {
		for _, d := range ds {
			if d.File != f.Path {
				t.Fatalf("directive of %s in %s", d.File, f.Path)
			}
			checkSpan(t, d.Span, src, "directive")
			checkSpan(t, d.NameSpan, src, "name")
			for _, a := range d.Args {
				checkSpan(t, a.Span, src, "arg")
				if string(src[a.Span.Start.Offset:a.Span.End.Offset]) != a.Raw {
					t.Fatalf("arg raw %q != source %q", a.Raw, src[a.Span.Start.Offset:a.Span.End.Offset])
				}
			}
			check(d.Block)
		}
	}
	check(f.Directives)
	for _, c := range f.Comments {
		checkSpan(t, c.Span, src, "comment")
		if !strings.HasPrefix(c.Text, "#") {
			t.Fatalf("comment %q", c.Text)
		}
	}
	for _, e := range f.Errors {
		checkSpan(t, e.Span, src, "error")
		_ = e.Error()
	}
}

// FuzzParse checks that parsing never panics and every span is in bounds.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFile(t, Parse("f", src), src)
	})
}

// splitFiles reads a FuzzLoad input that is not `nginx -T` output: the
// main file /n/nginx.conf, then files each introduced by a line
// "-- NAME --" (NAME relative to /n unless absolute), as in txtar.
func splitFiles(data []byte) map[string][]byte {
	files := map[string][]byte{}
	name, start := "/n/nginx.conf", 0
	add := func(end int) {
		if _, dup := files[name]; !dup {
			files[name] = data[start:end]
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
			name, start = path.Clean(path.Join("/n", strings.TrimSuffix(n, " --"))), end
			if strings.HasPrefix(n, "/") {
				name = path.Clean(strings.TrimSuffix(n, " --"))
			}
		}
		off = end
	}
	add(len(data))
	return files
}

// FuzzLoad checks that loading files that include each other (globs,
// cycles, a file included many times, `nginx -T` output) never panics,
// terminates, keeps every position inside its own file and reads each
// file once, and that the expansion stays within the cap.
func FuzzLoad(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var src Source
		var main string
		files := map[string][]byte{}
		if IsDump(data) {
			d, err := ParseDump(data)
			if err != nil {
				return
			}
			for _, p := range d.Paths() {
				files[p], _ = d.ReadFile(p)
			}
			src, main = d, d.Main()
		} else {
			ms := mapSource{}
			for p, b := range splitFiles(data) {
				ms[p] = string(b)
				files[p] = b
			}
			src, main = ms, "/n/nginx.conf"
		}
		reads := countingSource{src, map[string]int{}}
		const limit = 2000
		c := Load(reads, main, LoadOptions{maxExpansion: limit})
		own := 0
		for _, file := range c.Files {
			b, ok := files[file.Path]
			if !ok {
				b, ok = files[filepath.Clean(file.Path)]
			}
			if !ok {
				t.Fatalf("loaded %s, which is not an input file", file.Path)
			}
			checkFile(t, file, b)
			own += file.ndirs
		}
		for p, n := range reads.reads {
			if n > 1 {
				t.Fatalf("%s read %d times", p, n)
			}
		}
		if n := expansions(c, own+limit+1); n > own+limit {
			t.Fatalf("walk visits more than %d directives", own+limit)
		}
		for _, e := range c.Errors {
			_ = e.Error()
		}
	})
}
