package filekind

import "testing"

func TestConfirm(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind Kind
		head string
		want bool
	}{
		{"bcrypt", Htpasswd, "# staff\nalice:$2y$10$abcdefghijklmnopqrstuv\n\nbob:{SHA}abc=\n", true},
		{"plaintext entry", Htpasswd, "bob:hunter2\n", true},
		{"python", Htpasswd, "\"\"\"Rotate.\"\"\"\nimport sys\n\ndef main(user):\n    pass\n", false},
		{"markdown", Htpasswd, "# Rotating\n\nRun `htpasswd` on the server: see below.\n", false},
		{"only comments", Htpasswd, "# nothing here\n\n", false},
		{"empty", Htpasswd, "", false},
		{"digest", Htdigest, "alice:Staff:0123456789abcdef0123456789abcdef\n", true},
		{"digest bad hash", Htdigest, "alice:Staff:xyz\n", false},
		{"group", Htgroup, "admins: alice bob\nstaff:carol\n", true},
		{"group with hash", Htgroup, "alice:$apr1$x$y\n", false},
		{"cut last line", Htpasswd, "a:b\n" + string(make([]byte, 4092)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := []byte(tc.head)
			if tc.name == "cut last line" {
				for i := 4; i < len(head); i++ {
					head[i] = 'x' // one long unterminated line, cut at 4096 bytes
				}
			}
			if got := Confirm(tc.kind, head); got != tc.want {
				t.Errorf("Confirm(%s) = %v, want %v", tc.kind, got, tc.want)
			}
		})
	}
}

func TestSniffConfig(t *testing.T) {
	for _, tc := range []struct {
		head string
		want Kind
	}{
		{"<VirtualHost *:80>\n</VirtualHost>\n", Apache},
		{"<Location /a>\nAuthType Basic\n</Location>\n", Apache},
		{"server {\n  listen 80;\n}\n", Nginx},
		{"  server{ listen 80; }\n", Nginx},
		{"location /x { auth_basic \"x\"; }\n", Nginx},
		{"[mysqld]\nport = 3306\n", Unknown},
		{"AddDefaultCharset UTF-8\n", Unknown},
		{"# the upstream server {is} elsewhere\nproxy_pass http://x;\n", Unknown},
	} {
		if got := SniffConfig([]byte(tc.head)); got != tc.want {
			t.Errorf("SniffConfig(%q) = %q, want %q", tc.head, got, tc.want)
		}
	}
}

func TestSniffRefusesProgramsAndDocuments(t *testing.T) {
	for _, name := range []string{"tools/htpasswd.py", "docs/htpasswd-rotation.md", "htpasswd_test.go", "notes.txt"} {
		if k := Sniff(name, []byte("alice:$2y$10$abcdefghijklmnopqrstuv\n")); k != Unknown {
			t.Errorf("Sniff(%s) = %s, want Unknown", name, k)
		}
	}
	if k := Sniff("users", []byte("alice:$2y$10$abcdefghijklmnopqrstuv\n")); k != Htpasswd {
		t.Errorf("Sniff(users) = %s, want htpasswd", k)
	}
}
