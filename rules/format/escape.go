package format

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Terminal safety. File names, user names, directive arguments and source
// lines come from the files being linted, so the text and github formats,
// which are read on a terminal or in a CI log, never write them raw: a
// character a terminal could act on is written as a visible escape instead.
//
// Escaped: every rune that is not graphic (strconv.IsGraphic) except the
// space, so the C0 controls (ESC, CR, NUL, BEL...), DEL, the C1 controls
// (U+0080–U+009F), the format characters (bidi overrides such as U+202E, the
// BOM U+FEFF, zero-width characters), the line and paragraph separators,
// private-use and unassigned code points; and every byte that is not valid
// UTF-8 (a lone 0x9b is CSI on an 8-bit terminal). The forms are Go's:
// \a \b \t \n \v \f \r, \xNN for other ASCII controls and for invalid bytes,
// \uNNNN and \UNNNNNNNN for other runes. A backslash is not doubled, so the
// result is for reading, not for unquoting.

// terminalUnsafe reports whether the rune r, decoded from size bytes, must
// be escaped for a terminal. An invalid byte decodes to RuneError, size 1.
func terminalUnsafe(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r == ' ':
		return false
	}
	return !strconv.IsGraphic(r)
}

// logUnsafe is terminalUnsafe but for CR and LF, which the github printer
// leaves to GitHub's own escaping (%0D, %0A).
func logUnsafe(r rune, size int) bool {
	return r != '\n' && r != '\r' && terminalUnsafe(r, size)
}

// xmlUnsafe reports whether XML 1.0 cannot hold the rune at all, not even as
// a character reference: the C0 controls but tab, LF and CR, U+FFFE, U+FFFF,
// and invalid UTF-8. encoding/xml would write U+FFFD for them; the checkstyle
// printer writes their visible escape instead, so nothing is lost.
func xmlUnsafe(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r < 0x20:
		return r != '\t' && r != '\n' && r != '\r'
	}
	return r == 0xfffe || r == 0xffff
}

// appendEscaped appends the visible form of the rune r (decoded from b) and
// returns its length, which is also its width: escapes are ASCII.
func appendEscaped(sb *strings.Builder, r rune, b string) int {
	var esc string
	switch {
	case r == utf8.RuneError && len(b) == 1:
		esc = fmt.Sprintf(`\x%02x`, b[0])
	case r == '\a':
		esc = `\a`
	case r == '\b':
		esc = `\b`
	case r == '\f':
		esc = `\f`
	case r == '\n':
		esc = `\n`
	case r == '\r':
		esc = `\r`
	case r == '\t':
		esc = `\t`
	case r == '\v':
		esc = `\v`
	case r < utf8.RuneSelf:
		esc = fmt.Sprintf(`\x%02x`, r)
	case r <= 0xffff:
		esc = fmt.Sprintf(`\u%04x`, r)
	default:
		esc = fmt.Sprintf(`\U%08x`, r)
	}
	sb.WriteString(esc)
	return len(esc)
}

// safe returns s with every character a terminal could act on escaped.
func safe(s string) string { return escapeString(s, terminalUnsafe) }

// escapeString returns s with the visible escape of every rune that unsafe
// reports, and s itself when there is none.
func escapeString(s string, unsafe func(r rune, size int) bool) string {
	i := 0
	for i < len(s) {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafe(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	sb.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafe(r, size) {
			appendEscaped(&sb, r, s[i:i+size])
		} else {
			sb.WriteString(s[i : i+size])
		}
		i += size
	}
	return sb.String()
}

// safeSnippet renders a source line for the text format and places a span
// on it. start and end are 0-based byte offsets into src (end exclusive).
// Tabs become one space and other escaped characters take the width of
// their escape, so the returned pad (cells before the span) and width
// (cells of the span, at least 1) line up with the returned line. A span
// boundary inside a multi-byte rune snaps to the start of that rune.
func safeSnippet(src string, start, end int) (line string, pad, width int) {
	var sb strings.Builder
	sb.Grow(len(src))
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		cells := 1
		switch {
		case r == '\t':
			sb.WriteByte(' ')
		case terminalUnsafe(r, size):
			cells = appendEscaped(&sb, r, src[i:i+size])
		default:
			sb.WriteString(src[i : i+size])
		}
		// A rune is in the span when it ends after start and begins before
		// end; the prefix is everything before.
		switch {
		case i+size <= start:
			pad += cells
		case i < end:
			width += cells
		}
		i += size
	}
	return sb.String(), pad, max(width, 1)
}
