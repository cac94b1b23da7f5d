package rules

import "testing"

// TestAP309Patterns checks how AP309 reads patterns: a regex that every
// match of holds a '/', and a regex that is one literal directory ending
// in `$`.
func TestAP309Patterns(t *testing.T) {
	slash := []struct {
		in   string
		want bool
	}{
		{`^private/plan`, true},
		{`/\.git`, true},
		{`^[^/]+\.bak$`, false},
		{`\.(php|phtml)$`, false},
		{`(^\.ht|/\.git)`, false}, // one alternative needs no '/'
		{`^a/?b$`, false},
	}
	for _, tc := range slash {
		if got := regexNeedsSlash(tc.in); got != tc.want {
			t.Errorf("regexNeedsSlash(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	dirs := []struct {
		in, want string
		ok       bool
	}{
		{`^/srv/private$`, "/srv/private", true},
		{`^/srv/private/$`, "/srv/private", true},
		{`^/var/www/example.com/private$`, "/var/www/example.com/private", true},
		{`^/var/www/v1\.2$`, "/var/www/v1.2", true},
		{`^/srv/private(/|$)`, "", false},
		{`^/srv/[a-z]+$`, "", false},
		{`/srv/private$`, "", false},
		{`^/srv/private\$`, "", false},
		{`^/$`, "", false},
	}
	for _, tc := range dirs {
		got, ok := anchoredDirectory(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("anchoredDirectory(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
