package apachemodel

import (
	"net/netip"
	"testing"
)

func TestSelectServer(t *testing.T) {
	m := buildConf(t, `ServerName main.test
Listen 80
Listen 127.0.0.1:8080
Listen 9090
<VirtualHost *:80>
ServerName a.test
ServerAlias www.a.test *.wild.test
</VirtualHost>
<VirtualHost *:80>
ServerName b.test:80
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName c.test
</VirtualHost>
<VirtualHost 127.0.0.1:8080>
ServerName d.test
</VirtualHost>
<VirtualHost *:8080>
ServerName e.test
</VirtualHost>
<VirtualHost *:80>
</VirtualHost>
`)
	name := func(s *Server) string {
		switch {
		case s == nil:
			return "refused"
		case s == m.Main:
			return "main"
		}
		n, _ := s.Names()
		if n == "" {
			return "unnamed"
		}
		return n
	}
	tests := []struct {
		port  int
		host  string
		local string
		want  string
	}{
		{80, "a.test", "", "a.test"},
		{80, "A.TEST.", "", "a.test"},
		{80, "a.test:80", "", "a.test"},
		{80, "www.a.test", "", "a.test"},
		{80, "x.wild.test", "", "a.test"},
		{80, "b.test", "", "b.test"},
		{80, "other.test", "", "a.test"}, // the first *:80 is the default
		{80, "main.test", "", "unnamed"}, // a * vhost without ServerName takes the main server's
		{8080, "d.test", "", "d.test"},
		{8080, "e.test", "", "c.test"}, // an exact address hides the * vhosts
		{8080, "e.test", "127.0.0.1", "c.test"},
		{9090, "a.test", "", "main"}, // no vhost for the port
		{81, "a.test", "", "refused"},
	}
	for _, tt := range tests {
		var local netip.Addr
		if tt.local != "" {
			local = netip.MustParseAddr(tt.local)
		}
		ch := m.SelectServer(tt.port, tt.host, local)
		if got := name(ch.Server); got != tt.want {
			t.Errorf("port %d Host %q: %s (%s), want %s", tt.port, tt.host, got, ch.Why, tt.want)
		}
	}
}

func TestWildMatch(t *testing.T) {
	tests := []struct {
		s, pat string
		want   bool
	}{
		{"x.example.com", "*.example.com", true},
		{"example.com", "*.example.com", false},
		{"a.b.example.com", "*.example.com", true},
		{"web1", "web?", true},
		{"web12", "web?", false},
		{"WEB1", "web*", true},
	}
	for _, tt := range tests {
		if got := wildMatch(tt.s, tt.pat); got != tt.want {
			t.Errorf("wildMatch(%q, %q) = %v", tt.s, tt.pat, got)
		}
	}
}
