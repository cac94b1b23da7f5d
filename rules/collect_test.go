package rules

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/position"
)

func lineFinding(file, rule string, line int) Finding {
	return Finding{RuleID: rule, RuleName: "r-" + rule, File: file, Span: position.Span{Start: position.At(0, line, 1)}}
}

// TestCollectorCap reports findings in random order and checks that the
// first DefaultFindingCap by line are kept, then one summary placed after
// them with the count of the rest, per rule and file; merging two
// collectors gives the same.
func TestCollectorCap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		split bool
	}{
		{"under the cap", 99, false},
		{"at the cap", 100, false},
		{"over the cap", 1000, false},
		{"over the cap, merged", 1000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dropped int
			c := newCollector(0, func(Finding) bool { dropped++; return false })
			other := newCollector(0, func(Finding) bool { dropped++; return false })
			lines := rand.Perm(tc.n)
			for i, l := range lines {
				dst := c
				if tc.split && i%2 == 1 {
					dst = other
				}
				dst.add(lineFinding("a", "X", l+1))
				dst.add(lineFinding("b", "X", l+1))
			}
			c.add(lineFinding("a", "Y", 5))
			c.merge(other)
			got := SortFindings(c.flush())
			var a []Finding
			for _, f := range got {
				if f.File == "a" && f.RuleID == "X" {
					a = append(a, f)
				}
			}
			kept := min(tc.n, DefaultFindingCap)
			wantLen := kept
			if tc.n > DefaultFindingCap {
				wantLen++
			}
			if len(a) != wantLen || len(got) != 2*wantLen+1 {
				t.Fatalf("%d findings of a/X (%d in all), want %d (%d)", len(a), len(got), wantLen, 2*wantLen+1)
			}
			for i := range kept {
				if int(a[i].Span.Start.Line) != i+1 {
					t.Fatalf("finding %d is on line %d, want %d", i, a[i].Span.Start.Line, i+1)
				}
			}
			if tc.n > DefaultFindingCap {
				s := a[len(a)-1]
				want := "and " + groupThousands(tc.n-DefaultFindingCap) + " more r-X findings (X) in a"
				if !strings.HasPrefix(s.Message, want) || int(s.Span.Start.Line) != DefaultFindingCap+1 {
					t.Fatalf("summary %q at line %d, want %q at line %d", s.Message, s.Span.Start.Line, want, DefaultFindingCap+1)
				}
				if !tc.split && dropped != 2*(tc.n-DefaultFindingCap) {
					t.Fatalf("onDrop saw %d, want %d", dropped, 2*(tc.n-DefaultFindingCap))
				}
			}
		})
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1499998: "1,499,998"} {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestBoundFinding checks that long sources are cut to a window that keeps
// the span under its marker, and long messages are cut.
func TestBoundFinding(t *testing.T) {
	long := strings.Repeat("a", 5000) + "TARGET" + strings.Repeat("b", 5000)
	for _, tc := range []struct {
		name     string
		f        Finding
		wantCols [2]int
		wantText string // text at the new columns
	}{
		{"short line kept", Finding{Source: "alice:x", Span: position.Span{Start: position.At(0, 1, 7), End: position.At(0, 1, 8)}},
			[2]int{0, 0}, ""},
		{"span in the middle", Finding{Source: long, Span: position.Span{Start: position.At(0, 1, 5001), End: position.At(0, 1, 5007)}},
			[2]int{0, 0}, "TARGET"},
		{"span at the start", Finding{Source: long, Span: position.Span{Start: position.At(0, 1, 1), End: position.At(0, 1, 4)}},
			[2]int{1, 4}, "aaa"},
		{"redacted columns", Finding{Source: long, SourceCols: [2]int{5001, 5007}, Span: position.Span{Start: position.At(0, 1, 9)}},
			[2]int{0, 0}, "TARGET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			boundFinding(&f)
			if tc.wantText == "" {
				if f.Source != tc.f.Source || f.SourceCols != tc.f.SourceCols {
					t.Fatalf("changed: %q %v", f.Source, f.SourceCols)
				}
				return
			}
			if len(f.Source) > snippetWindow+2*len("…") {
				t.Fatalf("source of %d bytes", len(f.Source))
			}
			if tc.wantCols != [2]int{} && f.SourceCols != tc.wantCols {
				t.Fatalf("cols %v, want %v", f.SourceCols, tc.wantCols)
			}
			if got := f.Source[f.SourceCols[0]-1 : f.SourceCols[1]-1]; got != tc.wantText {
				t.Fatalf("span text %q, want %q (source %q)", got, tc.wantText, f.Source)
			}
		})
	}
	f := Finding{Message: strings.Repeat("é", 2000)}
	boundFinding(&f)
	if len(f.Message) > maxMessage+30 || !strings.HasSuffix(f.Message, "… (4000 bytes)") {
		t.Fatalf("message of %d bytes: %q", len(f.Message), f.Message[len(f.Message)-30:])
	}
}

// TestCapKeepsIgnoresUsed checks that an inline ignore of a finding left
// out past the cap counts as used (no AU902) and the finding is not
// counted in the summary.
func TestCapKeepsIgnoresUsed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.htpasswd")
	text := strings.Repeat("alice:$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/\n", 201) +
		"# authlint:ignore PW108 kept on purpose\nalice:$apr1$abcdefgh$Lw6Vy0JqGF2Z1cLbB8OdA/\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Lint(Config{Paths: []string{path}, Servers: AnyServer, Rules: All()})
	if err != nil {
		t.Fatal(err)
	}
	var pw108 []Finding
	for _, f := range res.Findings {
		switch f.RuleID {
		case UnusedIgnore.ID:
			t.Fatalf("unused ignore reported: %s", f.Message)
		case DuplicateUser.ID:
			pw108 = append(pw108, f)
		}
	}
	if len(pw108) != DefaultFindingCap+1 || !strings.HasPrefix(pw108[len(pw108)-1].Message, "and 100 more ") {
		t.Fatalf("%d PW108 findings, last %q; want %d, last counting 100 more", len(pw108), pw108[len(pw108)-1].Message, DefaultFindingCap+1)
	}
}

// TestCollectorDropAllocates: past the cap, collecting a finding allocates
// nothing (a finding handed to onDrop by pointer went to the heap: 250 MB
// for 1.5 million duplicate users), and a duplicate-user candidate past
// the kept ones costs no allocation but its share of the line list.
func TestCollectorDropAllocates(t *testing.T) {
	c := newCollector(0, func(Finding) bool { return false })
	for i := range DefaultFindingCap {
		c.add(lineFinding("f", "PW108", i+1))
	}
	past := lineFinding("f", "PW108", DefaultFindingCap+10)
	if n := testing.AllocsPerRun(1000, func() { c.add(past) }); n != 0 {
		t.Errorf("collecting a finding past the cap allocates %v times", n)
	}
	d := newDupDetector[string](1 << 20)
	for i := range dupKeep + 1 { // line 1 is no candidate: the key is new
		if s := d.add(7, i+1); s != nil {
			*s = "kept"
		}
	}
	line := dupKeep + 1
	if n := testing.AllocsPerRun(1000, func() {
		line++
		if d.add(7, line) != nil {
			t.Fatal("a candidate past dupKeep gets a data slot")
		}
	}); n > 0.01 {
		t.Errorf("a repeat past the kept candidates allocates %v times", n)
	}
	got := 0
	d.each(func(first, line int, data string, ok bool) {
		if first != 1 || ok != (line <= dupKeep+1) || ok && data != "kept" {
			t.Fatalf("repeat on line %d: first %d, data %q %v", line, first, data, ok)
		}
		got++
	})
	if want := line - 1; got != want {
		t.Errorf("%d repeats, want %d", got, want)
	}
}
