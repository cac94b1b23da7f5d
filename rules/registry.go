package rules

import (
	"fmt"
	"path"
	"strings"
)

//go:generate go run ./internal/gendocs ../README.md

// All returns every rule in ID order. The slice is new on each call; the
// rules themselves must not be modified.
func All() []*Rule {
	var all []*Rule
	all = append(all, apacheRules()...)
	all = append(all, BadIgnore, UnusedIgnore, NotChecked) // AU9xx
	all = append(all, nginxRules()...)
	all = append(all, passwordRules()...)
	return all
}

// passwordRules are the PW rules, in ID order.
func passwordRules() []*Rule {
	return []*Rule{
		UTF8BOM,               // PW101
		LineWithoutColon,      // PW102
		SurroundingWhitespace, // PW103
		TrailingComment,       // PW104
		IndentedComment,       // PW105
		CROnlyEndings,         // PW106
		LongLine,              // PW107
		DuplicateUser,         // PW108
		NoUsers,               // PW109
		WrongFormat,           // PW110
		BadUsername,           // PW111
		SpaceAroundColon,      // PW112
		GroupCommaMembers,     // PW113
		EmptyGroup,            // PW114
		DuplicateGroup,        // PW115
		MalformedHash,         // PW201
		UnknownHash,           // PW202
		NginxOnlyScheme,       // PW203
		EmptyHash,             // PW204
		WeakHash,              // PW205
		BcryptCostLow,         // PW206
		BcryptCostHigh,        // PW207
		LibcScheme,            // PW208
		DigestHash,            // PW209
	}
}

// Lookup finds a rule by ID or name, case-insensitively.
func Lookup(all []*Rule, idOrName string) (*Rule, bool) {
	for _, r := range all {
		if strings.EqualFold(r.ID, idOrName) || strings.EqualFold(r.Name, idOrName) {
			return r, true
		}
	}
	return nil, false
}

// Select returns the rules left after applying --enable and --disable
// patterns. Patterns are rule IDs, names or globs over either ("PW2*",
// "all"). A pattern that matches no rule is an error. Disable wins over
// enable; enable only re-enables rules that a disable pattern also matched
// more broadly, so "--disable all --enable PW101" selects just PW101.
func Select(all []*Rule, enable, disable []string) ([]*Rule, error) {
	matches := func(pattern string, r *Rule) bool {
		p := strings.ToUpper(pattern)
		if p == "ALL" {
			return true
		}
		for _, s := range []string{strings.ToUpper(r.ID), strings.ToUpper(r.Name)} {
			if ok, _ := path.Match(p, s); ok {
				return true
			}
		}
		return false
	}
	check := func(patterns []string) error {
		for _, p := range patterns {
			if _, err := path.Match(strings.ToUpper(p), ""); err != nil {
				return fmt.Errorf("bad rule pattern %q: %w", p, err)
			}
			found := false
			for _, r := range all {
				if matches(p, r) {
					found = true
					break
				}
			}
			if !found {
				return fmt.Errorf("no rule matches %q (see `authlint rules`)", p)
			}
		}
		return nil
	}
	if err := check(enable); err != nil {
		return nil, err
	}
	if err := check(disable); err != nil {
		return nil, err
	}
	var out []*Rule
	for _, r := range all {
		on := true
		for _, p := range disable {
			if matches(p, r) {
				on = false
			}
		}
		for _, p := range enable {
			if matches(p, r) && !(len(disable) > 0 && exactMatch(disable, r)) {
				on = true
			}
		}
		if on {
			out = append(out, r)
		}
	}
	return out, nil
}

// exactMatch reports whether one of patterns names r by ID or name exactly.
func exactMatch(patterns []string, r *Rule) bool {
	for _, p := range patterns {
		if strings.EqualFold(p, r.ID) || strings.EqualFold(p, r.Name) {
			return true
		}
	}
	return false
}
