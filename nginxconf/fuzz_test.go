package nginxconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addSeeds adds the files of testdata/seeds and, when the shared corpus is
// beside the repository (or at $AUTHLINT_CORPUS), its nginx configs. It
// fails when the package's own seeds are missing.
func addSeeds(f *testing.F) {
	var own []string
	for _, pat := range []string{"*.conf", "*.txtar", "*.nginx-T"} {
		m, _ := filepath.Glob(filepath.Join("testdata", "seeds", pat))
		own = append(own, m...)
	}
	if len(own) == 0 {
		f.Fatal("no fuzz seeds in testdata/seeds")
	}
	base := os.Getenv("AUTHLINT_CORPUS")
	if base == "" {
		base = filepath.Join("..", "..", "shared", "corpus")
	}
	more, _ := filepath.Glob(filepath.Join(base, "nginx", "*", "*.conf"))
	deep, _ := filepath.Glob(filepath.Join(base, "nginx", "crossplane", "tests", "configs", "*", "*.conf"))
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
	if sp.Start.Offset < 0 || sp.Start.Offset > sp.End.Offset || sp.End.Offset > len(src) || sp.Start.Line < 1 || sp.End.Line < sp.Start.Line {
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
