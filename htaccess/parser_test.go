package htaccess

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// summary renders nodes, args, comments and problems of f compactly with
// their spans, one per line.
func summary(f *File) string {
	var b strings.Builder
	var node func(n *Node, depth int)
	node = func(n *Node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		if n.Section {
			b.WriteByte('<')
		}
		fmt.Fprintf(&b, "%s %s name=%s", n.Name, n.Span, n.NameSpan)
		for _, a := range n.Args {
			fmt.Fprintf(&b, " [%s=%q @%s]", a.Raw, a.Value, a.Span)
		}
		if n.Trailing() != nil {
			fmt.Fprintf(&b, " trailing=%q@%s", n.Trailing().Raw, n.Trailing().Span)
		}
		b.WriteByte('\n')
		for _, c := range n.Children {
			node(c, depth+1)
		}
		if n.Section {
			fmt.Fprintf(&b, "%s/%s %s\n", strings.Repeat("  ", depth), n.Name, n.EndSpan())
		}
	}
	for _, n := range f.Nodes {
		node(n, 0)
	}
	for _, c := range f.Comments {
		fmt.Fprintf(&b, "# %s %q\n", c.Span, c.Text)
	}
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "%s %s %s: %s\n", e.Severity, e.Kind, e.Span, e.Msg)
	}
	return b.String()
}

func TestParsePositions(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "continuation moves args to the next physical line",
			src:  "Options Indexes \\\n  FollowSymLinks\n",
			want: `Options 1:1-2:17 name=1:1-1:8 [Indexes="Indexes" @1:9-1:16] [FollowSymLinks="FollowSymLinks" @2:3-2:17]
`,
		},
		{
			name: "continuation glues words without a space",
			src:  "Require user al\\\nice bob\n",
			want: `Require 1:1-2:8 name=1:1-1:8 [user="user" @1:9-1:13] [alice="alice" @1:14-2:4] [bob="bob" @2:5-2:8]
`,
		},
		{
			name: "continuation with CRLF and offsets",
			src:  "A b\\\r\n c\r\nD\r\n",
			want: `A 1:1-2:3 name=1:1-1:2 [b="b" @1:3-1:4] [c="c" @2:2-2:3]
D 3:1-3:2 name=3:1-3:2
`,
		},
		{
			name: "comment continues onto the next line",
			src:  "# old: \\\nServerName x\nUser y\n",
			want: `User 3:1-3:7 name=3:1-3:5 [y="y" @3:6-3:7]
# 1:1-2:13 " old: ServerName x"
`,
		},
		{
			name: "backslash then blank is not a continuation",
			src:  "Redirect /old /new\\ \nUser y\n",
			want: `Redirect 1:1-1:20 name=1:1-1:9 [/old="/old" @1:10-1:14] [/new\="/new\\" @1:15-1:20]
User 2:1-2:7 name=2:1-2:5 [y="y" @2:6-2:7]
`,
		},
		{
			name: "continuation into a blank line ends the directive",
			src:  "Options Indexes \\\n\nUser y\n",
			want: `Options 1:1-1:16 name=1:1-1:8 [Indexes="Indexes" @1:9-1:16]
User 3:1-3:7 name=3:1-3:5 [y="y" @3:6-3:7]
`,
		},
		{
			name: "double backslash still continues and keeps one",
			src:  "A b\\\\\nc\n",
			want: `A 1:1-2:2 name=1:1-1:2 [b\c="b\\c" @1:3-2:2]
`,
		},
		{
			name: "backslash at end of file without newline stays",
			src:  "A b\\",
			want: `A 1:1-1:5 name=1:1-1:2 [b\="b\\" @1:3-1:5]
`,
		},
		{
			name: "continuation at end of file",
			src:  "A b \\\n",
			want: `A 1:1-1:4 name=1:1-1:2 [b="b" @1:3-1:4]
`,
		},
		{
			name: "trailing hash text becomes arguments",
			src:  "AuthType Basic # x\n",
			want: `AuthType 1:1-1:19 name=1:1-1:9 [Basic="Basic" @1:10-1:15] [#="#" @1:16-1:17] [x="x" @1:18-1:19]
`,
		},
		{
			name: "indented comment and tab columns count bytes",
			src:  "\t# c\n\tAuthName \"Private area\"\n",
			want: `AuthName 2:2-2:25 name=2:2-2:10 ["Private area"="Private area" @2:11-2:25]
# 1:2-1:5 " c"
`,
		},
		{
			name: "quotes: escapes, adjacent, unterminated, inside bare word",
			src:  `X "a\"b" 'c\'d' "e""f" g"h" i\\j 'k\"l' "tail` + "\n",
			want: `X 1:1-1:46 name=1:1-1:2 ["a\"b"="a\"b" @1:3-1:9] ['c\'d'="c'd" @1:10-1:16] ["e"="e" @1:17-1:20] ["f"="f" @1:20-1:23] [g"h"="g\"h\"" @1:24-1:28] [i\\j="i\\j" @1:29-1:33] ['k\"l'="k\\\"l" @1:34-1:40] ["tail="tail" @1:41-1:46]
`,
		},
		{
			name: "multibyte text counts bytes",
			src:  "AuthName \"Zoë's\" x\n",
			want: `AuthName 1:1-1:20 name=1:1-1:9 ["Zoë's"="Zoë's" @1:10-1:18] [x="x" @1:19-1:20]
`,
		},
		{
			name: "NUL ends the physical line",
			src:  "A b\x00c d\nE\n",
			want: `A 1:1-1:4 name=1:1-1:2 [b="b" @1:3-1:4]
E 2:1-2:2 name=2:1-2:2
`,
		},
		{
			name: "sections close case-insensitively, quoted and negated args",
			src:  "<Directory \"/var/www\">\n  <IfModule !mod_x.c>\n    Require all granted\n  </ifmodule>\n</DIRECTORY>\n",
			want: `<Directory 1:1-1:23 name=1:1-1:11 ["/var/www"="/var/www" @1:12-1:22]
  <IfModule 2:3-2:22 name=2:3-2:12 [!mod_x.c="!mod_x.c" @2:13-2:21]
    Require 3:5-3:24 name=3:5-3:12 [all="all" @3:13-3:16] [granted="granted" @3:17-3:24]
  /IfModule 4:3-4:14
/Directory 5:1-5:13
`,
		},
		{
			name: "text after the opener's last '>' is kept apart",
			src:  "<If \"%{X} > 5\"> # note\n</If>\n<Else>\n</Else>\n",
			want: `<If 1:1-1:23 name=1:1-1:4 ["%{X} > 5"="%{X} > 5" @1:5-1:15] trailing="# note"@1:17-1:23
/If 2:1-2:6
<Else 3:1-3:7 name=3:1-3:7
/Else 4:1-4:8
`,
		},
		{
			name: "opener over continuation lines",
			src:  "<VirtualHost \\\n  *:80 \\\n  >\n</VirtualHost>\n",
			want: `<VirtualHost 1:1-3:4 name=1:1-1:13 [*:80="*:80" @2:3-2:7]
/VirtualHost 4:1-4:15
`,
		},
		{
			name: "mismatched closer",
			src:  "<Directory /x>\nRequire all denied\n</Location>\nUser y\n",
			want: `<Directory 1:1-1:15 name=1:1-1:11 [/x="/x" @1:12-1:14]
  Require 2:1-2:19 name=2:1-2:8 [all="all" @2:9-2:12] [denied="denied" @2:13-2:19]
/Directory 3:1-3:12
User 4:1-4:7 name=4:1-4:5 [y="y" @4:6-4:7]
error syntax 3:1-3:12: Expected </Directory> but saw </Location>
`,
		},
		{
			name: "unclosed section reported at its opening line",
			src:  "User a\n<Location /admin>\nRequire valid-user\n\n\n",
			want: `User 1:1-1:7 name=1:1-1:5 [a="a" @1:6-1:7]
<Location 2:1-2:18 name=2:1-2:10 [/admin="/admin" @2:11-2:17]
  Require 3:1-3:19 name=3:1-3:8 [valid-user="valid-user" @3:9-3:19]
/Location 0:0-0:0
error syntax 2:1-2:18: <Location> was not closed.
`,
		},
		{
			name: "closer without opener and missing '>'",
			src:  "</Files>\n<Files x\n</Files\n",
			want: `<Files 2:1-2:9 name=2:1-2:7 [x="x" @2:8-2:9]
/Files 3:1-3:8
error syntax 1:1-1:9: </Files> without matching <Files> section
error syntax 2:1-2:9: <Files> directive missing closing '>'
error syntax 3:1-3:8: </Files> directive missing closing '>'
`,
		},
		{
			name: "conditional closer must be alone on its line",
			src:  "<IfModule a>\n<VirtualHost *:80>\n</VirtualHost> </IfModule>\n",
			want: `<IfModule 1:1-1:13 name=1:1-1:10 [a="a" @1:11-1:12]
  <VirtualHost 2:1-2:19 name=2:1-2:13 [*:80="*:80" @2:14-2:18]
  /VirtualHost 3:1-3:27
/IfModule 0:0-0:0
warning unclosed-section 1:1-1:13: <IfModule> was not closed; httpd accepts this only when the condition holds (otherwise: Expected </IfModule> before end of configuration)
warning ignored-text 3:16-3:27: text after </VirtualHost> is ignored by httpd
`,
		},
		{
			name: "section arguments required or forbidden",
			src:  "<IfModule>\n</IfModule>\n<RequireAll x>\n</RequireAll>\n",
			want: `<IfModule 1:1-1:11 name=1:1-1:11
/IfModule 2:1-2:12
<RequireAll 3:1-3:15 name=3:1-3:12 [x="x" @3:13-3:14]
/RequireAll 4:1-4:14
error syntax 1:1-1:11: <IfModule> directive requires additional arguments
error syntax 3:13-3:14: <RequireAll> directive does not take arguments
`,
		},
		{
			name: "opener without arguments needs no '>' (httpd supplies it)",
			src:  "<RequireAll\n</RequireAll>\n<IfModule\n</IfModule>\n",
			want: `<RequireAll 1:1-1:12 name=1:1-1:12
/RequireAll 2:1-2:14
<IfModule 3:1-3:10 name=3:1-3:10
/IfModule 4:1-4:12
error syntax 3:1-3:10: <IfModule> directive requires additional arguments
`,
		},
		{
			name: "unknown sections are generic",
			src:  "<Perl>\nfoo();\n</perl>\n",
			want: `<Perl 1:1-1:7 name=1:1-1:7
  foo(); 2:1-2:7 name=2:1-2:7
/Perl 3:1-3:8
`,
		},
		{
			name: "variables stay raw",
			src:  "ErrorLog ${APACHE_LOG_DIR}/error.log\n",
			want: `ErrorLog 1:1-1:37 name=1:1-1:9 [${APACHE_LOG_DIR}/error.log="${APACHE_LOG_DIR}/error.log" @1:10-1:37]
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(Parse("t.conf", []byte(tc.src)))
			if got != tc.want {
				t.Errorf("Parse(%q):\ngot:\n%s\nwant:\n%s", tc.src, got, tc.want)
			}
		})
	}
}

// depth returns how deep the sections of ns nest.
func depth(ns []*Node) int {
	d := 0
	for _, n := range ns {
		if n.Section {
			d = max(d, 1+depth(n.Children))
		}
	}
	return d
}

// TestParseErrorsBounded: a hostile file gets one problem per cause, not
// one per level of nesting, and no message repeats a long line.
func TestParseErrorsBounded(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantErrs  []string
		wantDepth int
	}{
		{
			name:      "unclosed sections",
			src:       strings.Repeat("<Location /a>\n", 50),
			wantErrs:  []string{"error syntax 50:1: <Location> was not closed. (and 49 sections around it)"},
			wantDepth: 50,
		},
		{
			name: "unclosed sections of each kind",
			src:  "<Location /a>\n<Location /b>\n<IfModule x>\n<IfModule y>\n<Location /c>\n<Files d>\n",
			wantErrs: []string{
				"error syntax 2:1: <Location> was not closed. (and 1 sections around it)",
				"warning unclosed-section 4:1: <IfModule> was not closed (and 1 sections around it); httpd accepts this only when the condition holds (otherwise: Expected </IfModule> before end of configuration)",
				"warning unclosed-section 6:1: <Files> was not closed (and 1 sections around it); httpd lets this pass inside a conditional section",
			},
			wantDepth: 6,
		},
		{
			name: "nesting past the depth limit",
			src:  strings.Repeat("<Directory /a>\n", 10000) + strings.Repeat("</Directory>\n", 10000) + "AuthType Basic\n",
			wantErrs: []string{
				"warning syntax 101:1: sections nested deeper than 100: this one and what it holds are not checked",
			},
			wantDepth: 100,
		},
		{
			name: "unclosed past the depth limit",
			src:  strings.Repeat("<Directory /a>\n", 10000),
			wantErrs: []string{
				"error syntax 100:1: <Directory> was not closed. (and 99 sections around it)",
				"warning syntax 101:1: sections nested deeper than 100: this one and what it holds are not checked",
			},
			wantDepth: 100,
		},
		{
			name:      "openers on one line",
			src:       strings.Repeat("<Directory>", 10000) + "\n",
			wantErrs:  []string{"error syntax 1:1: <Directory><Directory><Directory><Directory><Directory><Directory…> was not closed."},
			wantDepth: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse("t.conf", []byte(tc.src))
			var got []string
			for _, e := range f.Errors {
				got = append(got, fmt.Sprintf("%s %s %s: %s", e.Severity, e.Kind, e.Span.Start, e.Msg))
			}
			if !slices.Equal(got, tc.wantErrs) {
				t.Errorf("errors (%d):\n got %.600q\nwant %q", len(got), got, tc.wantErrs)
			}
			if d := depth(f.Nodes); d != tc.wantDepth {
				t.Errorf("sections nest %d deep, want %d", d, tc.wantDepth)
			}
			if last := f.Nodes[len(f.Nodes)-1]; strings.HasSuffix(tc.src, "AuthType Basic\n") && last.Name != "AuthType" {
				t.Errorf("the directive after the skipped sections is in %s", last.Name)
			}
		})
	}
}

// TestParseBinary: binary data is one error and no nodes; text with
// Latin-1 bytes or a stray NUL is parsed.
func TestParseBinary(t *testing.T) {
	random := make([]byte, 4096)
	r := rand.New(rand.NewPCG(16, 2))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	tests := []struct {
		name  string
		src   []byte
		nodes int
		errs  []string
	}{
		{"random bytes", random, 0, []string{"binary data, not an Apache configuration"}},
		{"NUL padded", []byte("AuthType Basic\n" + strings.Repeat("\x00", 64) + "\n"), 0, []string{"binary data, not an Apache configuration"}},
		{"UTF-16", []byte("\xff\xfeA\x00u\x00t\x00h\x00"), 0, []string{"UTF-16 text (save it as UTF-8), not an Apache configuration"}},
		{"Latin-1", []byte("# r\xe9pertoire prot\xe9g\xe9\nAuthName \"Acc\xe8s r\xe9serv\xe9\"\n"), 1, nil},
		{"one stray NUL", []byte("AuthType Basic\x00\nAuthName x\n"), 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse(".htaccess", tc.src)
			checkFile(t, f, tc.src)
			var errs []string
			for _, e := range f.Errors {
				errs = append(errs, e.Msg)
			}
			if len(f.Nodes) != tc.nodes || !slices.Equal(errs, tc.errs) {
				t.Errorf("%d nodes, errors %q; want %d, %q", len(f.Nodes), errs, tc.nodes, tc.errs)
			}
		})
	}
}
