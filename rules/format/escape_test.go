package format

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/rules"
)

func TestSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain users.htpasswd", "plain users.htpasswd"},
		{"tab\there", `tab\there`},
		{"a\nb\r\nc", `a\nb\r\nc`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"nul\x00bel\abs\bvt\vff\f", `nul\x00bel\abs\bvt\vff\f`},
		{"del\x7f", `del\x7f`},
		{"\x1f\x01", `\x1f\x01`},
		{"c1 \u009b31m \u0085", `c1 \u009b31m \u0085`},
		{"lone \x9b byte", `lone \x9b byte`},
		{"latin-1 j\xfcrgen", `latin-1 j\xfcrgen`},
		{"bidi \u202eevil\u202c", `bidi \u202eevil\u202c`},
		{"bom \ufeffalice", `bom \ufeffalice`},
		{"sep \u2028\u2029", `sep \u2028\u2029`},
		{"tag \U000e0041", `tag \U000e0041`},
		{`back\slash "quotes" 'and' %25`, `back\slash "quotes" 'and' %25`},
		{"ünïcödé 日本 \u00a0nbsp ✓ \ufffd", "ünïcödé 日本 \u00a0nbsp ✓ \ufffd"},
	} {
		if got := safe(tc.in); got != tc.want {
			t.Errorf("safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestXMLUnsafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"tab\tlf\ncr\r", "tab\tlf\ncr\r"},
		{"ff\x0c esc\x1b nul\x00", `ff\f esc\x1b nul\x00`},
		{"bad \xff byte", `bad \xff byte`},
		{"nonchar \ufffe\uffff", `nonchar \ufffe\uffff`},
		{"del\x7f c1\u0085 bidi\u202e", "del\x7f c1\u0085 bidi\u202e"}, // XML 1.0 characters
	} {
		if got := escapeString(tc.in, xmlUnsafe); got != tc.want {
			t.Errorf("escapeString(%q, xmlUnsafe) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSafeSnippet checks that the caret lines up with the escaped line:
// pad and width count printed cells, not source bytes.
func TestSafeSnippet(t *testing.T) {
	for _, tc := range []struct {
		name       string
		src        string
		start, end int
		line       string
		pad, width int
		span       string // the printed text under the marker
	}{
		{"plain", "alice:x", 0, 5, "alice:x", 0, 5, "alice"},
		{"no end", "alice:x", 6, 6, "alice:x", 6, 1, "x"},
		{"tab is one space", "\talice:x", 1, 6, " alice:x", 1, 5, "alice"},
		{"escape before", "\x1b[2Jalice:x", 4, 9, `\x1b[2Jalice:x`, 7, 5, "alice"},
		{"escape inside", "a\rb:x", 0, 3, `a\rb:x`, 0, 4, `a\rb`},
		{"CR-only endings", "alice:h1\rbob:h2", 9, 12, `alice:h1\rbob:h2`, 10, 3, "bob"},
		{"multi-byte before", "jürgen:x", 7, 8, "jürgen:x", 6, 1, ":"},
		{"start inside a rune", "ü:x", 1, 2, "ü:x", 0, 1, "ü"},
		{"invalid byte", "j\xfcrgen:x", 0, 6, `j\xfcrgen:x`, 0, 9, `j\xfcrgen`},
		{"bom", "\ufeffalice:x", 0, 3, `\ufeffalice:x`, 0, 6, `\ufeff`},
		{"past the end", "abc", 3, 3, "abc", 3, 1, ""},
		{"bidi", "a\u202eb", 2, 4, `a\u202eb`, 1, 6, `\u202e`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, pad, width := safeSnippet(tc.src, tc.start, tc.end)
			if line != tc.line || pad != tc.pad || width != tc.width {
				t.Fatalf("safeSnippet(%q, %d, %d) = %q, %d, %d; want %q, %d, %d",
					tc.src, tc.start, tc.end, line, pad, width, tc.line, tc.pad, tc.width)
			}
			cells := []rune(line)
			under := string(cells[min(pad, len(cells)):min(pad+width, len(cells))])
			if under != tc.span {
				t.Errorf("marker under %q, want %q", under, tc.span)
			}
		})
	}
}

// hostileFindings have control characters, escape sequences, invalid UTF-8
// and bidi overrides wherever a finding holds text from the linted files.
func hostileFindings() []rules.Finding {
	return []rules.Finding{
		{
			RuleID: "PW111", RuleName: "bad-username", Severity: rules.Warning,
			File: "evil\x1b[2J\rdir/\x00a\u202e.htpasswd", Span: position.Span{Start: position.Pos{Line: 1, Col: 8}, End: position.Pos{Line: 1, Col: 14}},
			Message: "user \"a\x07b\x1b]0;pwned\x07\" \u009b31m \x9b \x7f\tdone\nnext line\r\nlast",
			Source:  "\tx:y\x1b[1m \x00alice\x0c:hash\r\n",
		},
		{
			RuleID: "NG101", RuleName: "auth-basic-without-user-file", Severity: rules.Error,
			File: "conf/nginx\x0c.conf", Span: position.Span{Start: position.Pos{Line: 2, Col: 1}},
			Message: "plain message, with: a comma and 100%",
			Source:  "auth_basic \"\u202egnp.exe\u202c\";",
		},
	}
}

func TestTextHostile(t *testing.T) {
	got := render(t, "text", hostileFindings(), Options{})
	want := `evil\x1b[2J\rdir/\x00a\u202e.htpasswd:1:8: warning: user "a\ab\x1b]0;pwned\a" \u009b31m \x9b \x7f\tdone\nnext line\r\nlast [PW111]
    1 |  x:y\x1b[1m \x00alice\f:hash
                  ^~~~~~~~~
conf/nginx\f.conf:2:1: error: plain message, with: a comma and 100% [NG101]
    2 | auth_basic "\u202egnp.exe\u202c";
        ^
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestGitHubHostile(t *testing.T) {
	got := render(t, "github", hostileFindings(), Options{})
	want := `::warning file=evil\x1b[2J%0Ddir/\x00a\u202e.htpasswd,line=1,col=8,endLine=1,endColumn=14,title=PW111 bad-username::user "a\ab\x1b]0;pwned\a" \u009b31m \x9b \x7f\tdone%0Anext line%0D%0Alast
::error file=conf/nginx\f.conf,line=2,col=1,title=NG101 auth-basic-without-user-file::plain message, with: a comma and 100%25
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// sgr matches the colour sequences the text printer writes itself.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkTerminalSafe fails when out holds a byte a terminal acts on (a C0
// control but LF, DEL), invalid UTF-8, a C1 control or a format character.
func checkTerminalSafe(t *testing.T, what string, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Errorf("%s: output is not valid UTF-8: %q", what, out)
	}
	for i, c := range out {
		if (c < 0x20 && c != '\n') || c == 0x7f {
			t.Errorf("%s: byte %#02x at %d reaches the output: %q", what, c, i, out)
			return
		}
	}
	for _, r := range string(out) {
		if (r >= 0x80 && r <= 0x9f) || r == '\u202e' || r == '\ufeff' || r == '\u2028' {
			t.Errorf("%s: %U reaches the output: %q", what, r, out)
			return
		}
	}
}

// TestTerminalSafe renders the hostile findings, and the sample ones, in
// the two formats meant for terminals and logs.
func TestTerminalSafe(t *testing.T) {
	findings := append(hostileFindings(), sampleFindings()...)
	for _, format := range []string{"text", "github"} {
		out := render(t, format, findings, Options{})
		checkTerminalSafe(t, format, []byte(out))
	}
	// With colour the only escape sequences are the printer's own.
	out := render(t, "text", findings, Options{Color: true})
	if !strings.Contains(out, "\x1b[31m") {
		t.Fatalf("no colour in %q", out)
	}
	checkTerminalSafe(t, "text --color", sgr.ReplaceAll([]byte(out), nil))
}

// FuzzTerminalSafe: whatever a file name, message or source line holds, the
// text and github outputs stay terminal-safe and the caret stays on its line.
func FuzzTerminalSafe(f *testing.F) {
	for _, h := range hostileFindings() {
		f.Add(h.File, h.Message, h.Source, int(h.Span.Start.Col), int(h.Span.End.Col))
	}
	f.Add("a", "b", "\xff\xfe\t\x1b", 2, 1)
	f.Fuzz(func(t *testing.T, file, msg, src string, col, endCol int) {
		fd := rules.Finding{
			RuleID: "PW111", Severity: rules.Error, File: file, Message: msg, Source: src,
			Span: position.Span{Start: position.Pos{Line: 1, Col: int32(col % 1000)}, End: position.Pos{Line: 1, Col: int32(endCol % 1000)}},
		}
		for _, format := range []string{"text", "github"} {
			out := render(t, format, []rules.Finding{fd}, Options{})
			checkTerminalSafe(t, format, []byte(out))
			if want := 1 + min(len(src), 1)*2; format == "text" && strings.Count(out, "\n") != want {
				t.Errorf("text: %d lines, want %d: %q", strings.Count(out, "\n"), want, out)
			}
		}
	})
}

// TestStructuredHostile checks that the JSON, SARIF and checkstyle outputs
// stay valid documents for hostile text, keeping it (JSON escapes controls
// as \u00XX; XML 1.0 cannot hold most C0 controls at all).
func TestStructuredHostile(t *testing.T) {
	findings := hostileFindings()
	opts := Options{ToolVersion: "1.2.3", Rules: rules.All()}
	for _, format := range []string{"json", "sarif"} {
		out := render(t, format, findings, opts)
		if !json.Valid([]byte(out)) || !utf8.ValidString(out) {
			t.Fatalf("%s: invalid JSON:\n%s", format, out)
		}
		// Go's encoder escapes every control below 0x20 and replaces invalid
		// UTF-8 with U+FFFD: no raw control reaches the document.
		for i, c := range []byte(out) {
			if c < 0x20 && c != '\n' {
				t.Errorf("%s: raw byte %#02x at %d", format, c, i)
			}
		}
	}
	var rep struct {
		Findings []struct{ File, Message string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", findings, opts)), &rep); err != nil {
		t.Fatal(err)
	}
	if got, want := rep.Findings[1].File, findings[1].File; got != want {
		t.Errorf("json file %q, want %q", got, want)
	}
	if got, want := rep.Findings[0].Message, strings.ToValidUTF8(findings[0].Message, "\ufffd"); got != want {
		t.Errorf("json message %q, want %q", got, want)
	}

	out := render(t, "checkstyle", findings, opts)
	for _, r := range out {
		if xmlUnsafe(r, utf8.RuneLen(r)) || r == utf8.RuneError {
			t.Fatalf("checkstyle holds %U, which XML 1.0 cannot:\n%q", r, out)
		}
	}
	var cs struct {
		Files []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	dec := xml.NewDecoder(bytes.NewReader([]byte(out)))
	dec.Strict = true
	if err := dec.Decode(&cs); err != nil {
		t.Fatalf("checkstyle does not parse: %v\n%s", err, out)
	}
	wantFiles := []string{`conf/nginx\f.conf`, `evil\x1b[2J` + "\r" + `dir/\x00a` + "\u202e.htpasswd"}
	if len(cs.Files) != 2 || cs.Files[0].Name != wantFiles[0] || cs.Files[1].Name != wantFiles[1] {
		t.Errorf("checkstyle files %q, want %q", cs.Files, wantFiles)
	}
	wantMsg := `user "a\ab\x1b]0;pwned\a" ` + "\u009b31m " + `\x9b ` + "\x7f\tdone\nnext line\r\nlast"
	if len(cs.Files) == 2 && cs.Files[1].Errors[0].Message != wantMsg {
		t.Errorf("checkstyle message %q, want %q", cs.Files[1].Errors[0].Message, wantMsg)
	}
}
