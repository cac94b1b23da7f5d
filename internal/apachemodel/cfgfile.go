package apachemodel

import "bytes"

// cfgBufSize is httpd's MAX_STRING_LEN, the buffer mod_authn_file and
// mod_authz_groupfile hand ap_cfg_getline: a line fits when it and its LF
// take at most 8191 bytes.
const cfgBufSize = 8192

// CfgLine is one line as ap_cfg_getline hands it to a module: lines
// joined by a trailing backslash, leading and trailing whitespace removed.
type CfgLine struct {
	// Line is the physical line the text starts on (1-based).
	Line int
	Text string
}

// CfgStop says why ReadCfgLines stopped before the end of the file.
type CfgStop struct {
	// Line is the physical line that does not fit the buffer.
	Line int
}

// ReadCfgLines reads a user, digest or group file the way httpd does
// (server/util.c: ap_pcfg_openfile's apr_file_gets, ap_cfg_getline_core,
// cfg_trim_line): each read takes at most the rest of the 8192-byte buffer
// less one, up to and including an LF; a line ending in a backslash (before
// an optional CR) continues on the next one; a line that fills the buffer
// without its LF ends the reading (APR_ENOSPC), and so every module's loop,
// which is what stop reports. Nothing strips a UTF-8 BOM (only Windows
// builds do), and a CR alone does not end a line. yield returning false
// ends the reading early.
func ReadCfgLines(data []byte, yield func(CfgLine) bool) (stop *CfgStop) {
	pos, line := 0, 0
	var buf []byte
	for {
		if pos >= len(data) {
			return nil
		}
		start := line + 1
		buf = buf[:0]
		for {
			line++
			if pos >= len(data) {
				break // EOF after a continuation: the line ends here
			}
			n := min(cfgBufSize-len(buf)-1, len(data)-pos)
			chunk := data[pos : pos+n]
			if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
				chunk = chunk[:i+1]
			}
			pos += len(chunk)
			buf = append(buf, chunk...)
			if end := len(buf); end > 0 && buf[end-1] == '\n' {
				end--
				if end > 0 && buf[end-1] == '\r' {
					end--
				}
				if end > 0 && buf[end-1] == '\\' {
					buf = buf[:end-1]
					continue
				}
			} else if len(buf) >= cfgBufSize-1 {
				return &CfgStop{Line: line}
			}
			break
		}
		if !yield(CfgLine{Line: start, Text: cfgTrim(buf)}) {
			return nil
		}
	}
}

// cfgTrim is cfg_trim_line on a C string: the text ends at a NUL, and
// apr_isspace characters go from both ends.
func cfgTrim(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(bytes.TrimFunc(b, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
	}))
}

// apGetword is ap_getword: the text up to stop, and the rest after every
// stop character that follows it.
func apGetword(s string, stop byte) (word, rest string) {
	i := 0
	for i < len(s) && s[i] != stop {
		i++
	}
	word = s[:i]
	for i < len(s) && s[i] == stop {
		i++
	}
	return word, s[i:]
}

// apGetwordConf is ap_getword_conf: a whitespace-separated word, or a
// quoted one (backslash escapes the quote inside), and the rest after the
// whitespace that follows it.
func apGetwordConf(s string) (word, rest string) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' }
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	s = s[i:]
	if s == "" {
		return "", ""
	}
	var j int
	if q := s[0]; q == '"' || q == '\'' {
		var b []byte
		for j = 1; j < len(s) && s[j] != q; j++ {
			if s[j] == '\\' && j+1 < len(s) && s[j+1] == q {
				j++
			}
			b = append(b, s[j])
		}
		word = string(b)
		if j < len(s) {
			j++ // the closing quote
		}
	} else {
		for j = 0; j < len(s) && !isSpace(s[j]); j++ {
		}
		word = s[:j]
	}
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	return word, s[j:]
}
