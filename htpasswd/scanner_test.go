package htpasswd

import (
	"strings"
	"testing"
)

func scanAll(t *testing.T, src string) []Line {
	t.Helper()
	sc := NewScanner(strings.NewReader(src))
	var out []Line
	for sc.Scan() {
		l := *sc.Line()
		l.Raw = append([]byte(nil), l.Raw...)
		l.Fields = append([]Field(nil), l.Fields...)
		for i := range l.Fields {
			l.Fields[i].Text = strings.Clone(l.Fields[i].Text) // texts alias the buffer
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestScannerLines(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // per line: kind/term/flags/fields
	}{
		{"plain", "alice:h1\nbob:h2\n", []string{"entry LF [alice h1]", "entry LF [bob h2]"}},
		{"no final newline", "alice:h1", []string{"entry none [alice h1]"}},
		{"crlf", "alice:h1\r\n", []string{"entry CRLF [alice h1]"}},
		{"bare cr", "bob:h2\ralice:h1\r", []string{"entry none barecr [bob h2\ralice h1\r]"}},
		{"bom", "\ufeffalice:h1\n", []string{"entry LF bom [alice h1]"}},
		{"comments", "# c\n  # i\n\n \t\nx\n", []string{"comment LF []", "indented LF []", "blank LF []", "ws LF []", "entry LF [x]"}},
		{"extra fields", "a:b:c:d\n", []string{"entry LF [a b c d]"}},
	}
	kinds := map[LineKind]string{KindBlank: "blank", KindWhitespaceOnly: "ws", KindComment: "comment", KindIndentedComment: "indented", KindEntry: "entry"}
	terms := map[Term]string{TermNone: "none", TermLF: "LF", TermCRLF: "CRLF"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := scanAll(t, tc.src)
			if len(lines) != len(tc.want) {
				t.Fatalf("got %d lines, want %d", len(lines), len(tc.want))
			}
			for i, l := range lines {
				got := kinds[l.Kind] + " " + terms[l.Term]
				if l.BareCR {
					got += " barecr"
				}
				if l.BOM {
					got += " bom"
				}
				var fs []string
				for _, f := range l.Fields {
					fs = append(fs, f.Text)
				}
				got += " [" + strings.Join(fs, " ") + "]"
				if got != tc.want[i] {
					t.Errorf("line %d: got %q, want %q", i+1, got, tc.want[i])
				}
			}
		})
	}
}

func TestScannerPositions(t *testing.T) {
	src := "\ufeffalice:h1\n  bob:hash2 \nx\n"
	lines := scanAll(t, src)
	// BOM: alice starts at column 4, offset 3.
	if f := lines[0].Fields[0]; f.Span.Start.Col != 4 || f.Span.Start.Offset != 3 || f.Span.End.Col != 9 {
		t.Errorf("alice span %+v", f.Span)
	}
	if l := lines[1]; l.Leading != 2 || l.Trailing != 1 || l.Offset != len("\ufeffalice:h1\n") {
		t.Errorf("line 2: leading %d trailing %d offset %d", l.Leading, l.Trailing, l.Offset)
	}
	e := ParseUserLine(&lines[1])
	if e.User.Text != "bob" || e.User.Span.Start.Col != 3 || e.Hash.Text != "hash2" || e.Hash.Span.End.Col != 12 {
		t.Errorf("user entry %+v", e)
	}
	for _, l := range lines {
		for _, f := range l.Fields {
			if got := src[f.Span.Start.Offset:f.Span.End.Offset]; got != f.Text {
				t.Errorf("span text %q != field %q", got, f.Text)
			}
		}
	}
}

func TestScannerLongLine(t *testing.T) {
	long := strings.Repeat("x", MaxKept+5000)
	lines := scanAll(t, "a:b\n"+long+"\nc:d\r\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	if l := lines[1]; !l.Truncated || len(l.Raw) != MaxKept || l.Length != len(long)+1 || l.Term != TermLF {
		t.Errorf("long line: truncated=%v raw=%d length=%d term=%v", l.Truncated, len(l.Raw), l.Length, l.Term)
	}
	if l := lines[2]; l.Offset != 4+len(long)+1 || l.Term != TermCRLF || l.Fields[0].Text != "c" {
		t.Errorf("line after the long one: %+v", l)
	}
}

func TestParseGroupLine(t *testing.T) {
	lines := scanAll(t, "admins : alice  bob,carol \"d e\"\n")
	g := ParseGroupLine(&lines[0])
	var got []string
	for _, m := range g.Members {
		got = append(got, m.Text)
	}
	if g.Group.Text != "admins" || strings.Join(got, "|") != "alice|bob,carol|d e" {
		t.Errorf("group %q members %q", g.Group.Text, got)
	}
	if m := g.Members[1]; m.Span.Start.Col != 17 || m.Span.End.Col != 26 {
		t.Errorf("member span %+v", m.Span)
	}
}

func TestParseDigestLine(t *testing.T) {
	lines := scanAll(t, "alice:Restricted Area:f2f7bd7a58cf1e0c7e43e8dae3d15f3c\n")
	d := ParseDigestLine(&lines[0])
	if d.User.Text != "alice" || d.Realm.Text != "Restricted Area" || d.Fields != 3 || ClassifyDigest(d.Hash.Text) != "" {
		t.Errorf("digest %+v", d)
	}
}
