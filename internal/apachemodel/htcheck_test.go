package apachemodel

import (
	"errors"
	"strings"
	"testing"

	"github.com/authlint/authlint/htaccess"
)

func TestCheckHtaccess(t *testing.T) {
	m := buildConf(t, `LoadModule authn_core_module mod_authn_core.so
LoadModule authn_file_module mod_authn_file.so
LoadModule authz_core_module mod_authz_core.so
LoadModule authz_user_module mod_authz_user.so
LoadModule authz_host_module mod_authz_host.so
LoadModule auth_basic_module mod_auth_basic.so
LoadModule access_compat_module mod_access_compat.so
`)
	auth := Overrides{Classes: "authconfig"}
	tests := []struct {
		name   string
		text   string
		ov     Overrides
		status int
		msg    string // a part of the problem's text
	}{
		{"fine", "AuthType Basic\nAuthName \"Private\"\nAuthUserFile conf/u\nRequire valid-user\n", auth, 0, ""},
		{"unquoted realm", "AuthType Basic\nAuthName Private area\n", auth, 500, "AuthName takes one argument"},
		{"not allowed", "AuthType Basic\n", Overrides{Classes: "limit"}, 500, "AuthType not allowed here"},
		{"Limit class allows Order", "Order deny,allow\nDeny from all\n", Overrides{Classes: "limit"}, 0, ""},
		{"typo provider", "AuthBasicProvider files\n", auth, 500, "Unknown Authn provider: files"},
		{"valid user", "Require valid user\n", auth, 500, "Unknown Authz provider: valid"},
		{"module not loaded", "Require group admins\n", auth, 500, "Unknown Authz provider: group"},
		{"negation alone", "Require not ip 10.0.0.0/8\n", auth, 500, "negative Require directive has no effect"},
		{"negation in RequireAll", "<RequireAll>\nRequire all granted\nRequire not ip 10.0.0.0/8\n</RequireAll>\n", auth, 0, ""},
		{"bad all", "Require all yes\n", auth, 500, "must be 'granted' or 'denied'"},
		{"server-only directive", "DocumentRoot /y\n", Overrides{Classes: "all"}, 500, "not allowed here"},
		{"unclosed section", "<Files x>\nRequire all denied\n", auth, 500, "was not closed"},
		{"skipped IfModule body", "<IfModule nope_module>\nBogus line here\n</IfModule>\n", auth, 0, ""},
		{"Header without mod_headers", "Header set X y\n", Overrides{Classes: "all"}, 500, "Invalid command 'Header'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ht := &Htaccess{Path: "/srv/www/.htaccess", Dir: "/srv/www", File: htaccess.Parse("/srv/www/.htaccess", []byte(tt.text))}
			m.Conf.ExpandFile(ht.File)
			prob := m.CheckHtaccess(ht, tt.ov)
			status, text := 0, ""
			if prob != nil {
				status, text = prob.Status, prob.Text
			}
			if status != tt.status || !strings.Contains(text, tt.msg) {
				t.Errorf("CheckHtaccess = %d %q, want %d with %q", status, text, tt.status, tt.msg)
			}
		})
	}
	ht := &Htaccess{Path: "/srv/www/.htaccess", Dir: "/srv/www", ReadErr: errors.New("permission denied")}
	if prob := m.CheckHtaccess(ht, auth); prob == nil || prob.Status != 403 {
		t.Errorf("unreadable .htaccess: %+v, want 403", prob)
	}
	ht = &Htaccess{Path: "/srv/www/.htaccess", Dir: "/srv/www", File: htaccess.Parse("/srv/www/.htaccess", []byte("FrobnicateOn yes\n"))}
	m.Conf.ExpandFile(ht.File)
	if prob := m.CheckHtaccess(ht, auth); prob == nil || prob.Status != 0 || len(prob.Uncertain) != 1 {
		t.Errorf("unknown directive: %+v, want it uncertain", prob)
	}
}
