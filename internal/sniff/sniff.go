// Package sniff tells text from binary data where a configuration is
// expected, for every parser alike.
package sniff

// sample is how much of a file Binary looks at, like git's and
// grep's test for binary files.
const sample = 8 << 10

// Binary tells whether src is binary data rather than text: it starts
// with a UTF-16 byte order mark, or at least 1/64 of its first 8 KB (and
// at least two bytes) are NUL or other control bytes than tab, line feed,
// vertical tab, form feed and carriage return. A stray NUL in a text file (httpd ends the line there),
// or Latin-1 and other non-UTF-8 bytes, do not make it binary. It returns
// the offset of the first such byte and what the data is, or -1.
func Binary(src []byte) (int, string) {
	if len(src) >= 2 && (src[0] == 0xff && src[1] == 0xfe || src[0] == 0xfe && src[1] == 0xff) {
		return 0, "UTF-16 text (save it as UTF-8)"
	}
	head := src[:min(len(src), sample)]
	first, n := -1, 0
	for i, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' || c == 0x7f {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if n >= 2 && n*64 >= len(head) {
		return first, "binary data"
	}
	return -1, ""
}
