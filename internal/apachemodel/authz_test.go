package apachemodel

import (
	"net/netip"
	"testing"
)

func TestAuthzEvaluate(t *testing.T) {
	const (
		local = "127.0.0.1"
		lan   = "10.1.2.3"
		doc   = "192.0.2.5"
	)
	type check struct {
		method, client, user string // user "" = before authentication
		want                 AuthzStatus
	}
	tests := []struct {
		name   string
		conf   string
		uri    string
		checks []check
	}{
		{"valid-user", `<Location /a>
Require valid-user
</Location>`, "/a", []check{{"GET", local, "", AuthzDeniedNoUser}, {"GET", local, "alice", AuthzGranted}}},
		{"granted beside valid-user is an implicit RequireAny", `<Location /a>
Require all granted
Require valid-user
</Location>`, "/a", []check{{"GET", local, "", AuthzGranted}}},
		{"RequireAll with a negated ip", `<Location /a>
<RequireAll>
Require valid-user
Require not ip 10.0.0.0/8
</RequireAll>
</Location>`, "/a", []check{
			{"GET", local, "", AuthzDeniedNoUser}, {"GET", lan, "", AuthzDenied},
			{"GET", local, "alice", AuthzGranted}, {"GET", lan, "alice", AuthzDenied}}},
		{"Limit leaves other methods granted", `<Location /a>
<Limit GET POST>
Require valid-user
</Limit>
</Location>`, "/a", []check{
			{"GET", local, "", AuthzDeniedNoUser}, {"HEAD", local, "", AuthzDeniedNoUser},
			{"PUT", local, "", AuthzGranted}, {"DELETE", local, "", AuthzGranted}}},
		{"LimitExcept", `<Location /a>
<LimitExcept GET>
Require valid-user
</LimitExcept>
</Location>`, "/a", []check{{"GET", local, "", AuthzGranted}, {"POST", local, "", AuthzDeniedNoUser}}},
		{"RequireNone in RequireAll", `<Location /a>
<RequireAll>
Require all granted
<RequireNone>
Require ip 10.0.0.0/8
</RequireNone>
</RequireAll>
</Location>`, "/a", []check{{"GET", local, "", AuthzGranted}, {"GET", lan, "", AuthzDenied}}},
		{"only a negation is neutral", `<Location /a>
<RequireAll>
Require not ip 10.0.0.0/8
</RequireAll>
</Location>`, "/a", []check{{"GET", local, "", AuthzNeutral}, {"GET", lan, "", AuthzDenied}}},
		{"Require user lists names", `<Location /a>
Require user alice # bob left
</Location>`, "/a", []check{
			{"GET", local, "alice", AuthzGranted}, {"GET", local, "bob", AuthzGranted}, {"GET", local, "carol", AuthzDenied}}},
		{"AuthMerging Off replaces", `<Location /a>
Require valid-user
</Location>
<Location /a/b>
Require ip 127.0.0.1
</Location>`, "/a/b", []check{{"GET", local, "", AuthzGranted}, {"GET", lan, "", AuthzDenied}}},
		{"AuthMerging And keeps the password", `<Location /a>
Require valid-user
</Location>
<Location /a/b>
AuthMerging And
Require ip 127.0.0.1
</Location>`, "/a/b", []check{
			{"GET", local, "", AuthzDeniedNoUser}, {"GET", local, "alice", AuthzGranted}, {"GET", lan, "alice", AuthzDenied}}},
		{"AuthMerging Or", `<Location /a>
Require valid-user
</Location>
<Location /a/b>
AuthMerging Or
Require ip 192.0.2.0/24
</Location>`, "/a/b", []check{
			{"GET", local, "", AuthzDeniedNoUser}, {"GET", doc, "", AuthzGranted}, {"GET", local, "alice", AuthzGranted}}},
		{"partial address and local", `<Location /a>
Require ip 10.1
Require local
</Location>`, "/a", []check{{"GET", lan, "", AuthzGranted}, {"GET", local, "", AuthzGranted}, {"GET", doc, "", AuthzDenied}}},
		{"method", `<Location /a>
Require method GET OPTIONS
</Location>`, "/a", []check{{"GET", local, "", AuthzGranted}, {"HEAD", local, "", AuthzGranted}, {"PUT", local, "", AuthzDenied}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := buildConf(t, tt.conf)
			for _, c := range tt.checks {
				e := m.Effect(Request{Server: m.Main, URI: tt.uri, Method: c.method})
				in := &AuthzInput{Method: c.method, Client: netip.MustParseAddr(c.client)}
				if c.user != "" {
					in.User = &c.user
				}
				if got := e.Authz.Evaluate(in); got != c.want {
					t.Errorf("%s from %s as %q: %v, want %v", c.method, c.client, c.user, got, c.want)
				}
			}
		})
	}
}

func TestAuthzGroups(t *testing.T) {
	m := buildConf(t, "<Location /a>\nRequire group admins ops\n</Location>\n")
	e := m.Effect(Request{Server: m.Main, URI: "/a", Method: "GET"})
	tests := []struct {
		user    string
		groups  map[string]bool
		problem string
		want    AuthzStatus
	}{
		{"alice", map[string]bool{"ops": true}, "", AuthzGranted},
		{"bob", map[string]bool{"staff": true}, "", AuthzDenied},
		{"carol", map[string]bool{}, "", AuthzDenied},
		{"dave", nil, "the group file cannot be opened", AuthzDenied},
	}
	for _, tt := range tests {
		in := &AuthzInput{Method: "GET", User: &tt.user, Groups: func(string) (map[string]bool, string) { return tt.groups, tt.problem }}
		if got := e.Authz.Evaluate(in); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.user, got, tt.want)
		}
	}
}

func TestParseIPRange(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when invalid
	}{
		{"127.0.0.1", "127.0.0.1/32"},
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"192.168.1.0/255.255.255.0", "192.168.1.0/24"},
		{"10.1", "10.1.0.0/16"},
		{"172.16.", "172.16.0.0/16"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"::1", "::1/128"},
		{"10.0.0.0/255.0.255.0", ""},
		{"example.com", ""},
	}
	for _, tt := range tests {
		p, ok := parseIPRange(tt.in)
		got := ""
		if ok {
			got = p.String()
		}
		if got != tt.want {
			t.Errorf("parseIPRange(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
