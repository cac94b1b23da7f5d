package nginxmodel

import (
	"testing"

	"github.com/authlint/authlint/nginxconf"
)

// build parses an http block's text into a model.
func build(t *testing.T, text string) *Model {
	t.Helper()
	f := nginxconf.Parse("nginx.conf", []byte(text))
	if len(f.Errors) > 0 {
		t.Fatalf("parse: %v", f.Errors[0])
	}
	return Build(&nginxconf.Config{Main: f, Files: []*nginxconf.File{f}, Prefix: "/etc/nginx"})
}

func TestSelectServer(t *testing.T) {
	m := build(t, `http {
    server { listen 8080; server_name a.test; }                          # line 2
    server { listen 8080 default_server; server_name b.test; }           # line 3
    server { listen 8080; server_name *.example.com .wild.test; }        # line 4
    server { listen 8080; server_name *.deep.example.com; }              # line 5
    server { listen 8080; server_name www.example.*; }                   # line 6
    server { listen 8080; server_name ~^api\d+\.test$; }                 # line 7
    server { listen 127.0.0.1:8080; server_name a.test; }                # line 8
    server { listen 127.0.0.1:8080; server_name local.test; }            # line 9
    server { listen 9090; }                                              # line 10
    server { server_name eighty.test; }                                  # line 11
    server { listen unix:/run/backend.sock; }                            # line 12
    server { listen [::]:8080; server_name six.test; }                   # line 13
}`)
	tests := []struct {
		addr string
		port int
		host string
		line int
		how  string
	}{
		{"10.0.0.1", 8080, "a.test", 2, "exact"},
		{"10.0.0.1", 8080, "nobody.test", 3, "default_server"},
		{"10.0.0.1", 8080, "x.example.com", 4, "wildcard"},
		{"10.0.0.1", 8080, "x.deep.example.com", 5, "wildcard"}, // the longest leading wildcard
		{"10.0.0.1", 8080, "wild.test", 4, "wildcard"},          // .wild.test matches the bare name
		{"10.0.0.1", 8080, "www.example.org", 6, "wildcard"},    // trailing wildcard
		{"10.0.0.1", 8080, "www.example.com", 4, "wildcard"},    // leading beats trailing
		{"10.0.0.1", 8080, "api12.test", 7, "regex"},            //
		{"127.0.0.1", 8080, "a.test", 8, "exact"},               // the specific address takes its connections
		{"127.0.0.1", 8080, "x.example.com", 8, "first"},        // ... and the wildcard servers never see them
		{"localhost", 8080, "local.test", 9, "exact"},           // localhost is 127.0.0.1
		{"10.0.0.1", 9090, "anything", 10, "first"},             //
		{"10.0.0.1", 80, "eighty.test", 11, "exact"},            // no listen: *:80
		{"unix:/run/backend.sock", 0, "localhost", 12, "first"}, //
		{"::1", 8080, "six.test", 13, "exact"},                  // IPv6 connections go to the [::] socket
		{"10.0.0.1", 8080, "A.TEST", 3, "default_server"},       // names are compared after ValidHost lowers them
	}
	for _, tc := range tests {
		ch, ok := m.SelectServer(tc.addr, tc.port, tc.host)
		if !ok {
			t.Errorf("%s:%d Host %s: no server", tc.addr, tc.port, tc.host)
			continue
		}
		if got := int(ch.Server.D.Span.Start.Line); got != tc.line || ch.How != tc.how {
			t.Errorf("%s:%d Host %s: server on line %d (%s), want line %d (%s)", tc.addr, tc.port, tc.host, got, ch.How, tc.line, tc.how)
		}
	}
	if _, ok := m.SelectServer("10.0.0.1", 7070, "a.test"); ok {
		t.Error("a server was chosen on a port nobody listens on")
	}
}

func TestValidHost(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"A.Test:8080", "a.test", true},
		{"a.test.", "a.test", true},
		{"[::1]:80", "[::1]", true},
		{"a/b", "", false},
		{"a..b", "", false},
		{"", "", true},
	}
	for _, tc := range tests {
		got, ok := ValidHost(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ValidHost(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNormalizeURI(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"/admin/", "/admin/", true},
		{"/%61dmin/", "/admin/", true},
		{"/admin%2Findex.html", "/admin/index.html", true},
		{"//admin//x", "/admin/x", true},
		{"/x/../admin/", "/admin/", true},
		{"/./admin/./", "/admin/", true},
		{"/a/b/..", "/a/", true},
		{"/..", "", false},
		{"/a%zz", "", false},
		{"/a%00", "", false},
		{"/", "/", true},
	}
	for _, tc := range tests {
		got, ok := NormalizeURI(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizeURI(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSelectLocation(t *testing.T) {
	m := build(t, `http { server {
        location / {}                       # 2
        location = /exact {}                # 3
        location /admin/ {                  # 4
            location ~ \.php$ {}            # 5
        }
        location ^~ /static/ {}             # 7
        location ~* \.(png|css)$ {}         # 8
        location ~ ^/(?<name>users)/(\d+)$ {} # 9
        location ~ (?<=x)y {}               # 10: a lookbehind, no Go equivalent
        location @named {}                  # 11
} }`)
	srv := m.Servers[0]
	tests := []struct {
		uri       string
		line      int
		captures  []string
		undecided int
	}{
		{"/exact", 3, nil, 0},
		{"/exactly", 2, nil, 1},
		{"/admin/x.php", 5, nil, 0},
		{"/admin/chart.png", 8, nil, 0}, // line 8 matches before line 10 is tried
		{"/static/a.png", 7, nil, 0},
		{"/users/12", 9, []string{"/users/12", "users", "12"}, 0},
		{"/@named", 2, nil, 1},
	}
	for _, tc := range tests {
		sel := srv.Select(tc.uri)
		if sel.Loc == nil || int(sel.Loc.D.Span.Start.Line) != tc.line {
			t.Errorf("%s: got %v, want the location on line %d", tc.uri, sel.Loc, tc.line)
			continue
		}
		if len(sel.Undecided) != tc.undecided {
			t.Errorf("%s: %d undecided regexes, want %d", tc.uri, len(sel.Undecided), tc.undecided)
		}
		if tc.captures != nil && (len(sel.Captures) != len(tc.captures) || sel.Captures[2] != tc.captures[2]) {
			t.Errorf("%s: captures %q, want %q", tc.uri, sel.Captures, tc.captures)
		}
	}
	if srv.Named("@named") == nil || srv.Named("@other") != nil {
		t.Error("Named does not find exactly @named")
	}
}

// TestRootOf: the root in effect is the first root or alias of the nearest
// block that has one (alias: no root, ""), relative roots under the prefix.
func TestRootOf(t *testing.T) {
	m := build(t, `http {
    root /srv/http;
    server {
        location /a { }
        location /b { root b; root /ignored; }
        location /c { alias /srv/c/; root /srv/x; }
    }
    server { root /srv/two; location /d { } }
}`)
	byPattern := map[string]*Scope{}
	for _, s := range m.All {
		if s.Kind == "location" {
			byPattern[s.Pattern] = s
		}
	}
	for _, tc := range []struct {
		scope *Scope
		want  string
	}{
		{m.Servers[0], "/srv/http"},
		{byPattern["/a"], "/srv/http"},
		{byPattern["/b"], "/etc/nginx/b"},
		{byPattern["/c"], ""},
		{m.Servers[1], "/srv/two"},
		{byPattern["/d"], "/srv/two"},
	} {
		if got := m.RootOf(tc.scope); got != tc.want {
			t.Errorf("RootOf(%s) = %q, want %q", tc.scope.Name(), got, tc.want)
		}
	}
}
