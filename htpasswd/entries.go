package htpasswd

// UserEntry is a password-file line as Apache reads it: the line trimmed,
// the user before the first ':', the hash up to the next ':'.
type UserEntry struct {
	// User is the name with leading blanks removed (Apache trims them;
	// Line.Leading says whether nginx would see them).
	User Field
	// Hash is the second field, with trailing blanks removed when it is the
	// last field (Apache trims them; Line.Trailing says whether nginx sees them).
	Hash Field
	// Extra holds any further fields, which both servers ignore.
	Extra []Field
	// HasColon is false for a line without ':'.
	HasColon bool
}

// DigestEntry is a digest-file line: user:realm:hash.
type DigestEntry struct {
	User, Realm, Hash Field
	// Fields is the number of ':'-separated fields (3 when well formed).
	Fields int
}

// GroupEntry is a group-file line: "group: member member ...".
type GroupEntry struct {
	// Group is the name before ':', trailing blanks removed as Apache does.
	Group Field
	// Members are split at spaces and tabs, as Apache's ap_getword_conf does
	// (quotes are honoured: "a b" is one member).
	Members []Field
	// HasColon is false for a line without ':'.
	HasColon bool
}

// trimField trims blanks on the left and/or right of f, keeping the span exact.
func trimField(f Field, left, right bool) Field {
	t := f.Text
	i, j := 0, len(t)
	if left {
		for i < j && isBlank(t[i]) {
			i++
		}
	}
	if right {
		for j > i && isBlank(t[j-1]) {
			j--
		}
	}
	f.Text = t[i:j]
	f.Span.Start.Offset += int32(i)
	f.Span.Start.Col += int32(i)
	f.Span.End.Offset -= int32(len(t) - j)
	f.Span.End.Col -= int32(len(t) - j)
	return f
}

// ParseUserLine returns the password-file view of an entry line.
func ParseUserLine(l *Line) UserEntry {
	var e UserEntry
	if len(l.Fields) == 0 {
		return e
	}
	e.User = trimField(l.Fields[0], true, len(l.Fields) == 1)
	if len(l.Fields) == 1 {
		return e
	}
	e.HasColon = true
	e.Hash = trimField(l.Fields[1], false, len(l.Fields) == 2)
	if len(l.Fields) > 2 {
		e.Extra = l.Fields[2:]
	}
	return e
}

// ParseDigestLine returns the digest-file view of an entry line.
func ParseDigestLine(l *Line) DigestEntry {
	e := DigestEntry{Fields: len(l.Fields)}
	if len(l.Fields) > 0 {
		e.User = trimField(l.Fields[0], true, false)
	}
	if len(l.Fields) > 1 {
		e.Realm = l.Fields[1]
	}
	if len(l.Fields) > 2 {
		e.Hash = trimField(l.Fields[2], false, len(l.Fields) == 3)
	}
	return e
}

// ParseGroupLine returns the group-file view of an entry line.
func ParseGroupLine(l *Line) GroupEntry {
	var e GroupEntry
	if len(l.Fields) == 0 {
		return e
	}
	e.Group = trimField(l.Fields[0], true, true)
	if len(l.Fields) == 1 {
		return e
	}
	e.HasColon = true
	// Members: everything after the first ':' (later ':' are part of names).
	first := l.Fields[1]
	text := first.Text
	for _, f := range l.Fields[2:] {
		text += ":" + f.Text
	}
	i := 0
	for i < len(text) {
		for i < len(text) && isBlank(text[i]) {
			i++
		}
		if i >= len(text) {
			break
		}
		start := i
		var word string
		if q := text[i]; q == '"' || q == '\'' {
			j := i + 1
			for j < len(text) && text[j] != q {
				j++
			}
			word = text[i+1 : j]
			if j < len(text) {
				j++
			}
			i = j
		} else {
			for i < len(text) && !isBlank(text[i]) {
				i++
			}
			word = text[start:i]
		}
		sp := first.Span
		sp.Start.Offset += int32(start)
		sp.Start.Col += int32(start)
		sp.End = sp.Start
		sp.End.Offset += int32(i - start)
		sp.End.Col += int32(i - start)
		e.Members = append(e.Members, Field{Text: word, Span: sp})
	}
	return e
}
