package servertest

import (
	"os"
	"path/filepath"
	"strings"
)

// apacheBase is written to conf/base.conf of an Apache scenario that does not
// ship its own: a self-contained server (no /etc config) that the scenario's
// httpd.conf pulls in with "Include conf/base.conf". Its placeholders are
// rendered like the scenario's own files.
const apacheBase = `# Written by internal/servertest: a self-contained Apache for one scenario.
ServerRoot "@ROOT@"
ServerName localhost
Listen 127.0.0.1:@PORT@
PidFile "@ROOT@/run/httpd.pid"
DefaultRuntimeDir "@ROOT@/run"
Mutex file:@ROOT@/lock default
ErrorLog "@ROOT@/logs/error.log"
LogLevel info authz_core:debug
User @USER@
Group @GROUP@
LoadModule mpm_event_module @MODDIR@/mod_mpm_event.so
LoadModule authn_core_module @MODDIR@/mod_authn_core.so
LoadModule authn_file_module @MODDIR@/mod_authn_file.so
LoadModule authz_core_module @MODDIR@/mod_authz_core.so
LoadModule authz_host_module @MODDIR@/mod_authz_host.so
LoadModule authz_user_module @MODDIR@/mod_authz_user.so
LoadModule authz_groupfile_module @MODDIR@/mod_authz_groupfile.so
LoadModule auth_basic_module @MODDIR@/mod_auth_basic.so
LoadModule auth_digest_module @MODDIR@/mod_auth_digest.so
LoadModule access_compat_module @MODDIR@/mod_access_compat.so
LoadModule alias_module @MODDIR@/mod_alias.so
LoadModule dir_module @MODDIR@/mod_dir.so
LoadModule headers_module @MODDIR@/mod_headers.so
LoadModule rewrite_module @MODDIR@/mod_rewrite.so
LoadModule setenvif_module @MODDIR@/mod_setenvif.so
DirectoryIndex index.html
DocumentRoot "@ROOT@/htdocs"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "@ROOT@/htdocs">
    Require all granted
</Directory>
<Files ".ht*">
    Require all denied
</Files>
`

// writeBase writes conf/base.conf for Apache scenarios that lack one.
func writeBase(tr *Tree, kind string) error {
	if kind != "apache" {
		return nil
	}
	p := filepath.Join(tr.Root, "conf", "base.conf")
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	text := apacheBase
	for k, v := range tr.Placeholders() {
		text = strings.ReplaceAll(text, k, v)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(text), 0o644)
}
