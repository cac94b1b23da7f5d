package apachemodel

import "testing"

func TestAliasFor(t *testing.T) {
	m := buildConf(t, `DocumentRoot /srv/www
Alias /icons/ /usr/share/icons/
AliasMatch ^/img/(.*)\.png$ /srv/png/$1.png
ScriptAlias /cgi-bin/ /srv/cgi/
Alias /img /srv/img
<VirtualHost *:80>
Alias /docs /srv/docs
</VirtualHost>
`)
	vh := m.VHosts[0]
	tests := []struct {
		srv        *Server
		uri, want  string
		script, ok bool
	}{
		{m.Main, "/icons/a.gif", "/usr/share/icons/a.gif", false, true},
		{m.Main, "/icons", "", false, false},
		{m.Main, "/img/x.png", "/srv/png/x.png", false, true}, // AliasMatch comes first
		{m.Main, "/img/x.gif", "/srv/img/x.gif", false, true},
		{m.Main, "/cgi-bin/run", "/srv/cgi/run", true, true},
		{m.Main, "/docs/a", "", false, false},
		{vh, "/docs/a", "/srv/docs/a", false, true},
		{vh, "/icons/b.gif", "/usr/share/icons/b.gif", false, true}, // inherited
	}
	for _, tt := range tests {
		got, a, ok := m.AliasFor(tt.srv, tt.uri)
		if ok != tt.ok || got != tt.want || ok && a.Script != tt.script {
			t.Errorf("AliasFor(%s) = %q, %v; want %q, %v", tt.uri, got, ok, tt.want, tt.ok)
		}
	}
	if got := m.Resolve(m.Main, "/a/b.html"); got != "/srv/www/a/b.html" {
		t.Errorf("Resolve = %q", got)
	}
}
