package sniff

import (
	"strings"
	"testing"
)

func TestBinary(t *testing.T) {
	tests := []struct {
		name, src string
		off       int
		what      string
	}{
		{"text", "server {\n\tlisten 80;\r\n}\n", -1, ""},
		{"latin-1 comment", "# caf\xe9\nListen 80\n", -1, ""},
		{"one stray NUL", "Listen 80\x00\n" + strings.Repeat("x", 200), -1, ""},
		{"urandom-like", "ab\x00\x01\x02\x03", 2, "binary data"},
		{"utf-16", "\xff\xfeL\x00", 0, "UTF-16 text (save it as UTF-8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off, what := Binary([]byte(tt.src))
			if off != tt.off || what != tt.what {
				t.Errorf("Binary = %d %q, want %d %q", off, what, tt.off, tt.what)
			}
		})
	}
}
