package nginxconf

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// dump renders directives as "name[args]{children}" for table tests.
func dump(ds []*Directive) string {
	var parts []string
	for _, d := range ds {
		s := d.Name
		for _, a := range d.Args {
			s += fmt.Sprintf(" %q", a.Value)
		}
		if d.HasBlock {
			s += " {" + dump(d.Block) + "}"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, src, want, errs string
	}{
		{"simple", "user www-data;\nhttp { server { listen 80; } }\n", `user "www-data"; http {server {listen "80"}}`, ""},
		{"quotes", `a "x y" 'z' "q\"q" '\\t';`, `a "x y" "z" "q\"q" "\\t"`, ""},
		{"escapes unquoted", `a b\;c d\ e;`, `a "b\\;c" "d\\ e"`, ""}, // one word each; the backslash stays
		{"control escapes", `a "1\t2\n";`, `a "1\t2\n"`, ""},
		{"variable braces", `location ~ ^/a${b}c { return 200; }`, `location "~" "^/a${b}c" {return "200"}`, ""},
		{"brace inside word", `return 200 a}b;`, `return "200" "a}b"`, ""},
		{"hash inside word", "a b#c; # comment\n", `a "b#c"`, ""},
		{"comment after brace", "http { # c\n}\n", `http {}`, ""},
		{"lua block", "content_by_lua_block { ngx.say(\"}\") }\nx;", `content_by_lua_block {}; x`, ""},
		{"crlf", "a b;\r\nc d;\r\n", `a "b"; c "d"`, ""},
		{"unexpected close", "a b; }\nc;", `a "b"; c`, `1:6: unexpected "}"`},
		{"missing semicolon", "http {\n  a b\n}\n", `http {}`, `3:1: unexpected "}"`},
		{"eof expecting semicolon", "a b", `a "b"`, `1:1: unexpected end of file, expecting ";" or "}"`},
		{"eof expecting brace", "http {\n a;", `http {a}`, `1:6: unexpected end of file, expecting "}"`},
		{"quote then letter", `a "b"c;`, `a "b" "c"`, `1:6: unexpected "c"`},
		{"quote then paren", `if ($a = "b") { return 403; }`, `if "($a" "=" "b" ")" {return "403"}`, ""},
		{"empty semicolon", ";", ``, `1:1: unexpected ";"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse("t.conf", []byte(tc.src))
			if got := dump(f.Directives); got != tc.want {
				t.Errorf("tree:\n got %s\nwant %s", got, tc.want)
			}
			var errs []string
			for _, e := range f.Errors {
				errs = append(errs, fmt.Sprintf("%d:%d: %s", e.Span.Start.Line, e.Span.Start.Col, e.Msg))
			}
			if got := strings.Join(errs, " | "); got != tc.errs {
				t.Errorf("errors:\n got %s\nwant %s", got, tc.errs)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "http {\n    server {\n        listen 127.0.0.1:80;\n    }\n}\n"
	f := Parse("t", []byte(src))
	listen := f.Directives[0].Block[0].Block[0]
	if listen.NameSpan.Start.Line != 3 || listen.NameSpan.Start.Col != 9 {
		t.Errorf("listen at %+v", listen.NameSpan.Start)
	}
	a := listen.Args[0]
	if src[a.Span.Start.Offset:a.Span.End.Offset] != "127.0.0.1:80" || a.Span.Start.Col != 16 {
		t.Errorf("arg span %+v", a.Span)
	}
	if srv := f.Directives[0].Block[0]; src[srv.Span.Start.Offset:srv.Span.End.Offset] != "server {\n        listen 127.0.0.1:80;\n    }" {
		t.Errorf("server span %q", src[srv.Span.Start.Offset:srv.Span.End.Offset])
	}
}

// TestParseErrorsBounded: a hostile file gets one error per cause, not one
// per level of nesting or per repeated token.
func TestParseErrorsBounded(t *testing.T) {
	tests := []struct {
		name, src string
		errs      []string
	}{
		{"deep nesting", strings.Repeat("a {", 10000), []string{
			`1:303: blocks nested deeper than 100: the block is not checked`,
			`1:303: unexpected end of file, expecting "}"`,
		}},
		{"deep nesting closed", strings.Repeat("a {", 10000) + strings.Repeat("}", 10000) + "b;", []string{
			`1:303: blocks nested deeper than 100: the block is not checked`,
		}},
		{"braces without names", strings.Repeat("{", 10000), []string{
			`1:1: unexpected "{"`,
			`1:1: unexpected end of file, expecting "}"`,
		}},
		{"nested blocks at end of file", strings.Repeat("a {\n", 50), []string{
			`50:3: unexpected end of file, expecting "}"`,
		}},
		{"stray closers", "a;" + strings.Repeat("}", 10000) + "\nb;}", []string{
			`1:3: unexpected "}"`,
			`2:3: unexpected "}"`,
		}},
		{"stray semicolons", strings.Repeat(";", 10000), []string{`1:1: unexpected ";"`}},
		{"words then a stray closer", "a b }", []string{`1:5: unexpected "}"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse("t.conf", []byte(tc.src))
			var errs []string
			for _, e := range f.Errors {
				errs = append(errs, fmt.Sprintf("%d:%d: %s", e.Span.Start.Line, e.Span.Start.Col, e.Msg))
			}
			if !slices.Equal(errs, tc.errs) {
				t.Errorf("errors (%d):\n got %.400q\nwant %q", len(errs), errs, tc.errs)
			}
		})
	}
}

// TestParseBinary: binary data is one error and no directives; text with
// Latin-1 bytes or a stray NUL is parsed.
func TestParseBinary(t *testing.T) {
	random := make([]byte, 4096)
	r := rand.New(rand.NewPCG(16, 1))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	tests := []struct {
		name string
		src  []byte
		dirs int
		errs []string
	}{
		{"random bytes", random, 0, []string{"binary data, not an nginx configuration"}},
		{"NUL padded", []byte("server {\n" + strings.Repeat("\x00", 64) + "}\n"), 0, []string{"binary data, not an nginx configuration"}},
		{"UTF-16", []byte("\xff\xfes\x00e\x00r\x00"), 0, []string{"UTF-16 text (save it as UTF-8), not an nginx configuration"}},
		{"Latin-1 comment", []byte("# r\xe9pertoire \xe0 prot\xe9ger\nauth_basic \"Acc\xe8s\";\n"), 1, nil},
		{"one stray NUL", []byte("# a\x00b\nauth_basic off;\n" + strings.Repeat("# padding\n", 10)), 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse("t.conf", tc.src)
			var errs []string
			for _, e := range f.Errors {
				errs = append(errs, e.Msg)
				if int(e.Span.End.Offset) > len(tc.src) || e.Span.Start.Line < 1 {
					t.Errorf("span %+v out of bounds", e.Span)
				}
			}
			if len(f.Directives) != tc.dirs || !slices.Equal(errs, tc.errs) {
				t.Errorf("%d directives, errors %q; want %d, %q", len(f.Directives), errs, tc.dirs, tc.errs)
			}
		})
	}
}
