package nginxconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that parsing never panics and every span is in bounds.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../shared/corpus/nginx/*/*")
	more, _ := filepath.Glob("../../shared/corpus/nginx/crossplane/tests/configs/*/*.conf")
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Add([]byte("a \"b\\\"c\" 'd' ${e}f { g; } # h\nx_by_lua_block { '}' }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse("f", src)
		check := func(sp Span, what string) {
			if sp.Start.Offset < 0 || sp.Start.Offset > sp.End.Offset || sp.End.Offset > len(src) || sp.Start.Line < 1 || sp.End.Line < sp.Start.Line {
				t.Fatalf("%s span %+v out of bounds (%d bytes)", what, sp, len(src))
			}
		}
		Walk(file, func(d *Directive, _ []*Directive) bool {
			check(d.Span, "directive")
			check(d.NameSpan, "name")
			for _, a := range d.Args {
				check(a.Span, "arg")
				if string(src[a.Span.Start.Offset:a.Span.End.Offset]) != a.Raw {
					t.Fatalf("arg raw %q != source %q", a.Raw, src[a.Span.Start.Offset:a.Span.End.Offset])
				}
			}
			return true
		})
		for _, c := range file.Comments {
			check(c.Span, "comment")
			if !strings.HasPrefix(c.Text, "#") {
				t.Fatalf("comment %q", c.Text)
			}
		}
		for _, e := range file.Errors {
			check(e.Span, "error")
			_ = e.Error()
		}
	})
}
