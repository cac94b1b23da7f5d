package nginxmodel

import "strings"

// NormalizeURI decodes and normalises a request path as
// ngx_http_parse_complex_uri does before location matching: %XX is decoded
// (%2F too), runs of slashes merge, "." and ".." segments are resolved.
// ok is false for a path nginx answers with 400 (a bad escape, a NUL, a
// ".." above the root).
func NormalizeURI(raw string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' {
			if i+2 >= len(raw) || unhex(raw[i+1]) < 0 || unhex(raw[i+2]) < 0 {
				return "", false
			}
			c = byte(unhex(raw[i+1])<<4 | unhex(raw[i+2]))
			i += 2
		}
		if c == 0 {
			return "", false
		}
		b.WriteByte(c)
	}
	dec := b.String()
	if !strings.HasPrefix(dec, "/") {
		return "", false
	}
	var out []string
	segs := strings.Split(dec[1:], "/")
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case "":
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 && out[len(out)-1] == "" {
				out = out[:len(out)-1]
			}
			if len(out) == 0 {
				return "", false
			}
			out = out[:len(out)-1]
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/"), true
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// escapeURI escapes a decoded URI for a request line, as ngx_escape_uri
// does for a proxied request: the bytes that would change its meaning.
func escapeURI(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c == '%' || c == '?' || c == '#' || c >= 0x7f {
			b.WriteString("%")
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
