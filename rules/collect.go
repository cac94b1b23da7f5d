package rules

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authlint/authlint/internal/position"
)

// Output bounds. A hostile file (a million duplicate users, a megabyte line)
// must not make the run keep or print an amount that grows with it.
const (
	// DefaultFindingCap is the most findings of one rule kept for one
	// file; the rest are counted, not kept, and reported as one summary
	// finding.
	DefaultFindingCap = 100
	// snippetWindow is the longest source snippet kept whole; longer
	// lines are cut to a window of that many bytes around the span.
	snippetWindow = 200
	// maxMessage is the longest message kept whole.
	maxMessage = 1024
)

// capKey is one rule in one file.
type capKey struct{ file, rule string }

// capped holds the findings of one rule in one file: up to the cap of
// them, the first in sort order (kept is a max-heap once full), and the
// count and first (in sort order) of those past the cap.
type capped struct {
	limit   int // < 0: no limit
	kept    []Finding
	dropped int
	first   Finding
}

// collector gathers a run's findings, at most limit per rule and file:
// memory stays bounded however many findings are reported.
type collector struct {
	limit int
	byKey map[capKey]*capped
	keys  []capKey // in first-report order, for a deterministic flush
	// onDrop, when set, sees each finding left out past the cap, so that
	// an inline ignore matching it counts as used; it returns true when an
	// ignore silences the finding, which is then not counted either. It
	// takes the finding by value: a pointer to drop's copy would move
	// every dropped finding to the heap (1.5 million duplicate users: 250
	// MB of garbage).
	onDrop func(Finding) bool
}

// newCollector returns a collector with the cap limit (see
// Config.FindingCap).
func newCollector(limit int, onDrop func(Finding) bool) *collector {
	if limit == 0 {
		limit = DefaultFindingCap
	}
	return &collector{limit: limit, byKey: map[capKey]*capped{}, onDrop: onDrop}
}

// add collects f, bounded.
func (c *collector) add(f Finding) {
	boundFinding(&f)
	k := capKey{f.File, f.RuleID}
	cp := c.byKey[k]
	if cp == nil {
		cp = &capped{limit: c.limit}
		c.byKey[k] = cp
		c.keys = append(c.keys, k)
	}
	if out, ok := cp.add(f); ok {
		c.drop(cp, out)
	}
}

// drop counts a finding left out of cp.
func (c *collector) drop(cp *capped, out Finding) {
	if c.onDrop != nil && c.onDrop(out) {
		return
	}
	if cp.dropped == 0 || compareFindings(out, cp.first) < 0 {
		cp.first = out
	}
	cp.dropped++
}

// dropPast counts f as left out when its rule and file are at the cap and
// its position sorts after every kept finding's, so that the reporter
// need not make its message; it reports whether it did.
func (c *collector) dropPast(f Finding) bool {
	cp := c.byKey[capKey{f.File, f.RuleID}]
	if cp == nil || cp.limit < 0 || len(cp.kept) < cp.limit {
		return false
	}
	last := cp.kept[0].Span.Start
	if pos := f.Span.Start; pos.Line < last.Line || pos.Line == last.Line && pos.Col <= last.Col {
		return false
	}
	c.drop(cp, f)
	return true
}

// merge adds other's findings and counts to c; other's dropped findings
// have been seen by other's onDrop already.
func (c *collector) merge(other *collector) {
	onDrop := c.onDrop
	c.onDrop = nil
	defer func() { c.onDrop = onDrop }()
	for _, k := range other.keys {
		o := other.byKey[k]
		for _, f := range o.kept {
			c.add(f)
		}
		if o.dropped == 0 {
			continue
		}
		cp := c.byKey[k]
		if cp.dropped == 0 || compareFindings(o.first, cp.first) < 0 {
			cp.first = o.first
		}
		cp.dropped += o.dropped
	}
}

// add keeps f when it is among the first limit in sort order; it
// returns the finding left out (f or one it displaced) and true when one
// was.
func (cp *capped) add(f Finding) (Finding, bool) {
	if cp.limit < 0 || len(cp.kept) < cp.limit {
		cp.kept = append(cp.kept, f)
		if len(cp.kept) == cp.limit {
			for i := len(cp.kept)/2 - 1; i >= 0; i-- {
				cp.down(i)
			}
		}
		return Finding{}, false
	}
	if compareFindings(f, cp.kept[0]) >= 0 {
		return f, true
	}
	out := cp.kept[0]
	cp.kept[0] = f
	cp.down(0)
	return out, true
}

// down restores the max-heap property below i.
func (cp *capped) down(i int) {
	h := cp.kept
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		big := l
		if r := l + 1; r < len(h) && compareFindings(h[r], h[l]) > 0 {
			big = r
		}
		if compareFindings(h[big], h[i]) <= 0 {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// flush returns every kept finding and one summary finding per rule and
// file past the cap, placed where the first left-out finding was (after
// every kept one in sort order).
func (c *collector) flush() []Finding {
	n := 0
	for _, k := range c.keys {
		n += len(c.byKey[k].kept) + 1
	}
	out := make([]Finding, 0, n)
	for _, k := range c.keys {
		cp := c.byKey[k]
		out = append(out, cp.kept...)
		if cp.dropped > 0 {
			f := cp.first
			out = append(out, Finding{RuleID: f.RuleID, RuleName: f.RuleName, Severity: f.Severity, File: f.File,
				Span: position.Span{Start: f.Span.Start, End: f.Span.Start},
				Message: "and " + groupThousands(cp.dropped) + " more " + f.RuleName + " findings (" + f.RuleID + ") in " +
					shortenPath(f.File) + ": only the first " + strconv.Itoa(c.limit) + " of a rule are listed per file"})
		}
	}
	return out
}

// shortenPath bounds a path quoted in a message.
func shortenPath(p string) string {
	if len(p) > maxArgLen {
		return shorten(p)
	}
	return p
}

// groupThousands writes n with thousands separators: 1,499,998.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// boundFinding cuts a finding's message at maxMessage bytes and its source
// to a window of snippetWindow bytes around the span's start.
//
// It also redacts what looks like a password hash anywhere in the message
// and the source (scrubHashes), whatever rule or file kind it came from: a
// password file linted as a config (--type nginx), a digest file holding
// htpasswd lines, a user name holding a hash.
func boundFinding(f *Finding) {
	f.Message = scrubHashes(f.Message)
	f.Source = scrubHashes(f.Source)
	if isConfigRule(f.RuleID) {
		f.Source = scrubUserLine(f.Source)
	}
	if len(f.Message) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(f.Message[cut]) {
			cut--
		}
		f.Message = f.Message[:cut] + "… (" + strconv.Itoa(len(f.Message)) + " bytes)"
	}
	if len(f.Source) <= snippetWindow {
		return
	}
	src := f.Source
	start, end := f.SourceCols[0], f.SourceCols[1]
	if start == 0 {
		start, end = int(f.Span.Start.Col), 0
		if f.Span.End.Line == f.Span.Start.Line {
			end = int(f.Span.End.Col)
		}
	}
	start = min(max(start, 1), len(src)+1)
	lo := max(start-1-snippetWindow/4, 0)
	hi := min(lo+snippetWindow, len(src))
	for lo > 0 && !utf8.RuneStart(src[lo]) {
		lo--
	}
	for hi < len(src) && !utf8.RuneStart(src[hi]) {
		hi--
	}
	prefix, suffix := "", ""
	if lo > 0 {
		prefix = "…"
	}
	if hi < len(src) {
		suffix = "…"
	}
	f.Source = prefix + src[lo:hi] + suffix // a new string: the long line is not kept
	shift := len(prefix) - lo
	newStart := start + shift
	newEnd := newStart
	if end > start {
		newEnd = min(end+shift, hi+shift+1)
	}
	f.SourceCols = [2]int{newStart, newEnd}
}

// hashPrefixes start the hashes scrubHashes redacts.
var hashPrefixes = []string{"$apr1$", "$1$", "$2a$", "$2b$", "$2x$", "$2y$", "$5$", "$6$", "$7$", "$y$", "$gy$",
	"$sha1$", "$md5", "{SHA}", "{SSHA}", "{SHA256}", "{SSHA256}", "{SHA512}", "{SSHA512}", "{PLAIN}"}

// hashByte reports whether c can occur in a crypt(3) or {SHA} hash.
func hashByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '/' || c == '+' || c == '=' || c == '$' || c == ','
}

// scrubHashes replaces every hash in s (a known prefix followed by at least
// 8 hash characters) with its prefix and "…", in one pass.
func scrubHashes(s string) string {
	if !strings.ContainsAny(s, "${") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '$' && s[i] != '{' {
			continue
		}
		for _, p := range hashPrefixes {
			if !strings.HasPrefix(s[i:], p) {
				continue
			}
			j := i + len(p)
			for j < len(s) && hashByte(s[j]) {
				j++
			}
			if j-i-len(p) >= 8 {
				b.WriteString(s[last:i])
				b.WriteString(p)
				b.WriteString("…")
				last = j
				i = j - 1
			}
			break
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// scrubUserLine redacts a password-file line met where a config was
// expected (a user file linted as nginx or Apache): no directive name
// holds ':', so a first word that does is "user:secret…" and everything
// after its first ':' goes.
func scrubUserLine(src string) string {
	t := strings.TrimLeft(src, " \t")
	end := strings.IndexAny(t, " \t")
	if end < 0 {
		end = len(t)
	}
	i := strings.IndexByte(t[:end], ':')
	if i < 0 || strings.Contains(t[:i], "://") || i+1 == len(t) {
		return src
	}
	return src[:len(src)-len(t)+i+1] + "…"
}

// isConfigRule reports whether a rule ID is of a config rule (nginx or
// Apache), whose sources are config lines.
func isConfigRule(id string) bool {
	return strings.HasPrefix(id, "NG") || strings.HasPrefix(id, "AP")
}
