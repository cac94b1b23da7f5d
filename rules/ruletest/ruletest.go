// Package ruletest runs a rule over fixture files that carry their
// expectations inline, like golang.org/x/tools/go/analysis/analysistest.
//
// A fixture is a real input file. Full-line comments of the form
//
//	# want RULE ["message regexp"] [RULE ["regexp"]]...
//
// expect findings on the next line; "# want +N ..." on the line N below the
// comment ("+0" is the comment's own line) and "# want @N ..." on line N. A
// trailing "# want ..." after nginx syntax expects findings on its own line.
// A line "# ruletest: server=nginx platform=portable" sets options for the
// file it is in; "chmod=000" gives that file the mode while it is linted and
// restores it afterwards (git stores no such mode: an unreadable .htaccess,
// say); "requires=root" skips the fixture when not run as root (it fails
// instead when CI is set). A fixture that cannot hold a comment (an empty file) takes
// its markers from a sidecar file NAME.want, whose "@N" lines point into NAME. Every unexpected finding and every unmet expectation fails.
//
// Each regular file at the top of the directory is linted on its own; each
// subdirectory is linted as a tree (its entry points are found by name), so
// includes and referenced user files can be spread over several files.
package ruletest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/rules"
)

// expectation is one wanted finding.
type expectation struct {
	file string
	line int
	rule string
	re   *regexp.Regexp
	met  bool
	at   string // where the marker is, for messages
}

// fileMode is a mode a fixture file takes while it is linted.
type fileMode struct {
	file string
	mode os.FileMode
}

var wantRe = regexp.MustCompile(`#\s*want\s+(.*)$`)

// Run lints every fixture in dir with the given rules enabled and checks the
// findings against the markers. It fails when dir holds no fixture or when no
// fixture makes the rules report anything.
func Run(t *testing.T, dir string, enabled ...*rules.Rule) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	if len(entries) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	total, skipped := 0, 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".want") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			defer func() {
				if t.Skipped() {
					skipped++
				}
			}()
			total += runOne(t, path, enabled)
		})
	}
	if total == 0 && skipped == 0 {
		t.Errorf("no fixture in %s expects a finding: add one that fires", dir)
	}
}

// runOne lints one fixture file or tree and returns how many findings it expected.
func runOne(t *testing.T, path string, enabled []*rules.Rule) int {
	t.Helper()
	var files []string
	_ = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	run := enabled
	for _, r := range enabled {
		if r.Engine {
			// Engine rules report on other rules' findings: run them all.
			run = rules.All()
		}
	}
	// Every fixture runs with scribbled lines: a rule that keeps a line's
	// memory past its callback reports garbage and fails its fixture.
	cfg := rules.Config{Paths: []string{path}, Servers: rules.AnyServer, Platform: htpasswd.PlatformLibxcrypt, Rules: run,
		ScribbleLines: true}
	var wants []*expectation
	var modes []fileMode
	for _, f := range files {
		if strings.HasSuffix(f, ".want") {
			continue
		}
		ws, opts, err := readMarkers(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(f + ".want"); err == nil {
			side, _, err := readMarkers(f + ".want")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range side {
				w.file = f
			}
			ws = append(ws, side...)
		}
		wants = append(wants, ws...)
		if v, ok := opts["requires"]; ok {
			delete(opts, "requires")
			if v != "root" {
				t.Fatalf("%s: unknown requirement %q", f, v)
			}
			if os.Geteuid() != 0 {
				if os.Getenv("CI") != "" {
					t.Fatalf("%s needs root (file modes as the worker account sees them); CI runs as root", path)
				}
				t.Skipf("%s needs root (file modes as the worker account sees them): skipped", path)
			}
		}
		if m, ok := opts["chmod"]; ok {
			delete(opts, "chmod")
			mode, err := strconv.ParseUint(m, 8, 32)
			if err != nil {
				t.Fatalf("%s: bad chmod %q", f, m)
			}
			modes = append(modes, fileMode{f, os.FileMode(mode)})
		}
		if err := applyOptions(&cfg, opts); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, m := range modes {
		st, err := os.Stat(m.file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(m.file, m.mode); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(m.file, st.Mode().Perm())
	}
	res, err := rules.Lint(cfg)
	if err != nil {
		t.Fatalf("lint %s: %v", path, err)
	}
	for _, f := range res.Findings {
		if !slices.ContainsFunc(enabled, func(r *rules.Rule) bool { return r.ID == f.RuleID }) {
			continue
		}
		if !match(wants, f) {
			t.Errorf("%s:%d:%d: unexpected finding [%s] %s", f.File, f.Span.Start.Line, f.Span.Start.Col, f.RuleID, f.Message)
		}
	}
	for _, w := range wants {
		if !w.met {
			desc := w.rule
			if w.re != nil {
				desc += fmt.Sprintf(" %q", w.re.String())
			}
			t.Errorf("%s:%d: no finding matched want %s (marker at %s)", w.file, w.line, desc, w.at)
		}
	}
	return len(wants)
}

func match(wants []*expectation, f rules.Finding) bool {
	for _, w := range wants {
		if w.met || w.rule != f.RuleID || w.line != int(f.Span.Start.Line) || !sameFile(w.file, f.File) {
			continue
		}
		if w.re != nil && !w.re.MatchString(f.Message) {
			continue
		}
		w.met = true
		return true
	}
	return false
}

func sameFile(a, b string) bool {
	return filepath.Clean(a) == filepath.Clean(b)
}

// readMarkers reads the want markers and ruletest options of one file.
func readMarkers(path string) ([]*expectation, map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read fixture: %w", err)
	}
	opts := map[string]string{}
	var wants []*expectation
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "# ruletest:"); ok {
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				opts[k] = v
			}
			continue
		}
		m := wantRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		fullLine := strings.HasPrefix(trimmed, "#")
		target := n
		if fullLine {
			target = n + 1
		}
		items := m[1]
		if f := strings.Fields(items); len(f) > 0 && (f[0][0] == '+' || f[0][0] == '@') {
			num, err := strconv.Atoi(f[0][1:])
			if err != nil {
				return nil, nil, fmt.Errorf("%s:%d: bad want offset %q", path, n, f[0])
			}
			if f[0][0] == '+' {
				target = n + num
			} else {
				target = num
			}
			items = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(items), f[0]))
		}
		ws, err := parseItems(items)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		for _, w := range ws {
			w.file, w.line, w.at = path, target, fmt.Sprintf("%s:%d", filepath.Base(path), n)
			wants = append(wants, w)
		}
	}
	return wants, opts, nil
}

// parseItems parses `RULE ["re"] RULE ...`.
func parseItems(s string) ([]*expectation, error) {
	var out []*expectation
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil || len(out) == 0 {
				return nil, fmt.Errorf("bad want pattern in %q", s)
			}
			pat, _ := strconv.Unquote(q)
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, fmt.Errorf("bad want regexp: %w", err)
			}
			out[len(out)-1].re = re
			s = s[len(q):]
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		out = append(out, &expectation{rule: word})
		s = rest
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("want without a rule")
	}
	return out, nil
}

// applyOptions sets Config fields from "# ruletest:" options.
func applyOptions(cfg *rules.Config, opts map[string]string) error {
	for k, v := range opts {
		if err := ApplyOption(cfg, k, v); err != nil {
			return err
		}
	}
	return nil
}

// ApplyOption sets the Config field of one "# ruletest:" option (server,
// platform, type); other names are an error.
func ApplyOption(cfg *rules.Config, k, v string) error {
	switch k {
	case "server":
		s, err := rules.ParseServerSet(v)
		if err != nil {
			return err
		}
		cfg.Servers = s
	case "platform":
		p, err := htpasswd.ParsePlatform(v)
		if err != nil {
			return err
		}
		cfg.Platform = p
	case "type":
		kind, err := filekind.Parse(v)
		if err != nil {
			return err
		}
		cfg.Type = kind
	default:
		return fmt.Errorf("unknown ruletest option %q", k)
	}
	return nil
}
