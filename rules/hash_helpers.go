package rules

import (
	"strings"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/position"
)

// hashExplained reports whether another rule already explains why the hash
// of this password-file line cannot work (a trailing comment, a blank after
// the colon, an htdigest entry, a ':' in the user name), so the hash rules
// stay quiet instead of reporting the same line twice.
func hashExplained(l *UserLine) bool {
	if !l.explainedSet {
		l.explained, l.explainedSet = computeHashExplained(l), true
	}
	return l.explained
}

func computeHashExplained(l *UserLine) bool {
	if len(l.Fields) < 2 {
		return true
	}
	h := l.Fields[1].Text
	switch {
	case l.BareCR:
		return true // PW106: the "hash" runs on into the next lines
	case trailingCommentAt(l) >= 0 && len(l.Fields) == 2:
		return true
	case h != "" && (h[0] == ' ' || h[0] == '\t'):
		return true
	case len(l.Fields) >= 3 && l.Hash.Scheme == htpasswd.SchemeUnknown &&
		(htpasswd.ClassifyDigest(l.Fields[2].Text) == "" || isHashLike(htpasswd.Classify(l.Fields[2].Text))):
		return true
	}
	return false
}

// passwordEntry returns true for entry lines of password files that have a hash field.
func passwordEntry(p *UserFilePass, l *UserLine) bool {
	return p.Kind == filekind.Htpasswd && l.Kind == htpasswd.KindEntry && len(l.Fields) >= 2
}

// schemeFinding aggregates one finding per scheme (or cost) per file: a
// million-user file with apr1 hashes gets one warning, not a million.
type schemeFinding struct {
	first *htpasswd.Line
	user  string
	count int
}

// aggregate collects lines under a key and reports one finding per key at
// the first line, in first-seen order.
type aggregate struct {
	order []string
	byKey map[string]*schemeFinding
}

func newAggregate() *aggregate { return &aggregate{byKey: map[string]*schemeFinding{}} }

func (a *aggregate) add(key string, l *UserLine) {
	sf, ok := a.byKey[key]
	if !ok {
		line := *l.Line
		line.Raw = append([]byte(nil), l.Raw[:min(len(l.Raw), 256)]...)
		line.Fields = nil
		key = strings.Clone(key) // keys may alias the scanner's buffer
		sf = &schemeFinding{first: &line, user: strings.Clone(l.Fields[0].Text)}
		a.byKey[key] = sf
		a.order = append(a.order, key)
	}
	sf.count++
}

// each calls fn for every key in first-seen order.
func (a *aggregate) each(fn func(key string, sf *schemeFinding)) {
	for _, k := range a.order {
		fn(k, a.byKey[k])
	}
}

// schemeLabel names a hash's scheme, followed by noun when it is not "",
// and its printable parameters in parentheses unless there are none (DES)
// or the scheme's name already shows them: "bcrypt hash ($2y$10$)", "DES
// crypt hash", "SHA-1 ({SHA})", "MD5-crypt (apr1)".
func schemeLabel(h htpasswd.Hash, noun string) string {
	name := h.Scheme.String()
	shown := h.Params == "" || strings.Contains(name, h.Params) || strings.Contains(name, "("+strings.Trim(h.Params, "$")+")")
	if noun != "" {
		name += " " + noun
	}
	if shown {
		return name
	}
	return name + " (" + h.Params + ")"
}

// usersPhrase is `user "alice"` or `user "alice" and 41 others`.
func (sf *schemeFinding) usersPhrase() string {
	s := "user " + quote(sf.user)
	if sf.count > 1 {
		s += " and " + plural(sf.count-1, "other", "others")
	}
	return s
}

// reportAt reports at the first line of an aggregate, redacted.
func (p *UserFilePass) reportAt(sev Severity, sf *schemeFinding, format string, args ...any) {
	ul := &UserLine{Line: sf.first, kind: p.Kind}
	ul.Fields = nil
	src := ul.redactRaw()
	f := Finding{RuleID: p.Rule.ID, RuleName: p.Rule.Name, Severity: sev, File: p.Name,
		Span: position.Span{Start: position.At(0, sf.first.Num, 1)}, Message: sprintf(format, args...), Source: src}
	if p.Via != nil {
		f.Related = append(f.Related, *p.Via)
	}
	p.emit(p.see.attach(f))
}

// redactRaw redacts a raw password-file line without parsed fields.
func (l *UserLine) redactRaw() string {
	raw := string(l.Raw)
	user, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return raw
	}
	hash, extra, more := strings.Cut(rest, ":")
	out := user + ":" + htpasswd.Redact(hash)
	if more || extra != "" {
		out += ":…"
	}
	return out
}

// isHashLike reports whether h is a real scheme.
func isHashLike(h htpasswd.Hash) bool {
	return h.Scheme != htpasswd.SchemeUnknown && h.Scheme != htpasswd.SchemeEmpty && h.Scheme != htpasswd.SchemeDES
}

// hashOf returns the trimmed hash field of a raw password-file line.
func hashOf(l *htpasswd.Line) string {
	ul := UserLine{Line: l}
	_, rest, _ := cutColon(string(ul.Raw))
	h, _, _ := cutColon(rest)
	return trimBlanks(h)
}

// trailingCommentAt returns the index in the last field of a blank followed by
// '#' that starts a would-be comment, or -1.
func trailingCommentAt(l *UserLine) int {
	if len(l.Fields) < 2 {
		return -1
	}
	s := l.Fields[len(l.Fields)-1].Text
	if strings.IndexByte(s, '#') < 0 {
		return -1 // the common case, found with a fast byte search
	}
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			j := i - 1
			for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
				j--
			}
			return j
		}
	}
	return -1
}

// shownRealm is the realm of an htdigest line as a message or snippet may
// show it: a "realm" that is a hash (an htpasswd line user:hash:comment in
// a digest file) is redacted like one.
func shownRealm(realm string) string {
	switch htpasswd.Classify(realm).Scheme {
	case htpasswd.SchemeUnknown, htpasswd.SchemeEmpty, htpasswd.SchemePlain:
		return realm
	case htpasswd.SchemeDES:
		if isWord(realm) {
			return realm // "Administrator" has DES's shape, not its look
		}
	}
	return htpasswd.Redact(realm)
}

// isWord reports whether s is letters only, upper-case at most at its
// start: a DES hash nearly always has a digit, '.', '/' or an inner
// capital.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || i == 0 && 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
