package htaccess

import (
	"maps"
	"testing"
)

func TestParseEnvvars(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string]string
	}{
		{
			name: "exports, unexported helpers and skipped if block",
			src: `unset HOME
if [ "${APACHE_CONFDIR##/etc/apache2-}" != "${APACHE_CONFDIR}" ] ; then
	SUFFIX="-${APACHE_CONFDIR##/etc/apache2-}"
else
	SUFFIX=
fi
export APACHE_RUN_USER=www-data
export APACHE_PID_FILE=/var/run/apache2$SUFFIX/apache2.pid
HIDDEN=1
export LANG=C
export LANG
#export APACHE_LYNX='www-browser -dump'
`,
			want: map[string]string{"APACHE_RUN_USER": "www-data", "APACHE_PID_FILE": "/var/run/apache2/apache2.pid", "LANG": "C"},
		},
		{
			name: "defaults, quoting and later export",
			src: `export A=${UNSET:-/var/log/apache2}
B="${A}/x y"; export B
C='${A} literal'
export C
export D=${A:+set} E=${UNSET-dflt} F=${A:=ignored}
G=1
unset G
export G
export H="a\"b" I=pre$A
if [ -n "$X" ]; then export X=1; fi
export J=after
`,
			want: map[string]string{
				"A": "/var/log/apache2", "B": "/var/log/apache2/x y", "C": "${A} literal",
				"D": "set", "E": "dflt", "F": "/var/log/apache2", "H": `a"b`, "I": "pre/var/log/apache2", "J": "after",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseEnvvars([]byte(tc.src))
			if !maps.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestLoadDebianWithoutEnvvars: a tree without envvars (a repository that
// does not ship the server's copy) gets the values of Debian's stock file;
// a name that file does not export is still undefined.
func TestLoadDebianWithoutEnvvars(t *testing.T) {
	c := LoadDebian(mapSource(map[string]string{"/etc/apache2/apache2.conf": "User ${APACHE_RUN_USER}\nErrorLog ${APACHE_LOG_DIR}/error.log\nGroup ${NOT_STOCK}\n"}), "/etc/apache2/", LoadOptions{})
	if len(c.Errors) != 1 || c.Errors[0].Kind != KindUndefinedVar || c.Errors[0].Span.Start.Line != 3 {
		t.Fatalf("errors = %q", errStrings(c.Errors))
	}
	if c.Main == nil || c.Main.Nodes[0].Args[0].Expanded != "www-data" || c.Main.Nodes[1].Args[0].Expanded != "/var/log/apache2/error.log" {
		t.Errorf("stock envvars not applied: %q %q", c.Main.Nodes[0].Args[0].Expanded, c.Main.Nodes[1].Args[0].Expanded)
	}
}
