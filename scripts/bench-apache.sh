#!/usr/bin/env bash
# Generates an Apache tree with 10,000 VirtualHosts in 500 included files,
# every fourth with <Directory> auth and a .htaccess in its document root,
# and reports authlint's time divided by `apache2 -t`'s on the same tree, in
# one run. Target: <= 0.3. Needs apache2 and hyperfine (Debian packages);
# builds authlint first. GEN_ONLY=1 only generates the tree and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
command -v hyperfine >/dev/null || { echo "bench-apache: hyperfine not installed (apt-get install hyperfine)" >&2; exit 2; }
APACHE=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$APACHE" ] || { echo "bench-apache: apache2 not installed" >&2; exit 2; }
MODDIR=/usr/lib/apache2/modules # Debian's; elsewhere HTTPD_ROOT/modules
if [ ! -d "$MODDIR" ]; then
  MODDIR=$({ "$APACHE" -V 2>/dev/null || true; } | sed -n 's/.*HTTPD_ROOT="\(.*\)"/\1/p')/modules
fi
work=$(mktemp -d)
chmod 755 "$work"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
go build -o "$work/authlint" ./cmd/authlint
mkdir -p "$work/conf/sites" "$work/logs" "$work/run" "$work/www"
hash=$(htpasswd -nbB -C 10 alice alice-pw 2>/dev/null | head -1 || echo 'alice:$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/')
cat > "$work/conf/httpd.conf" <<CONF
ServerRoot "$work"
ServerName localhost
Listen 127.0.0.1:18080
PidFile "$work/run/httpd.pid"
DefaultRuntimeDir "$work/run"
Mutex file:$work/run default
ErrorLog "$work/logs/error.log"
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authn_core_module $MODDIR/mod_authn_core.so
LoadModule authn_file_module $MODDIR/mod_authn_file.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule authz_user_module $MODDIR/mod_authz_user.so
LoadModule auth_basic_module $MODDIR/mod_auth_basic.so
LoadModule dir_module $MODDIR/mod_dir.so
DocumentRoot "$work/www"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Files ".ht*">
    Require all denied
</Files>
Include conf/sites/*.conf
CONF
for f in $(seq 0 499); do
  out="$work/conf/sites/site$f.conf"
  : > "$out"
  for s in $(seq 0 19); do
    n=$((f * 20 + s))
    mkdir -p "$work/www/s$n"
    {
      echo "<VirtualHost 127.0.0.1:18080>"
      echo "    ServerName s$n.example"
      echo "    DocumentRoot \"$work/www/s$n\""
      echo "    <Directory \"$work/www/s$n\">"
      echo "        AllowOverride AuthConfig"
      echo "        Require all granted"
      echo "    </Directory>"
      if [ $((n % 4)) = 0 ]; then
        echo "    <Directory \"$work/www/s$n/admin\">"
        echo "        AuthType Basic"
        echo "        AuthName \"Admin $n\""
        echo "        AuthUserFile \"$work/conf/users$((n % 50)).htpasswd\""
        echo "        Require valid-user"
        echo "    </Directory>"
        printf 'AuthType Basic\nAuthName "Members %s"\nAuthUserFile "%s"\nRequire valid-user\n' "$n" "$work/conf/users$((n % 50)).htpasswd" > "$work/www/s$n/.htaccess"
      fi
      echo "</VirtualHost>"
    } >> "$out"
  done
done
bench_tree_ready "$work" "$hash"
"$APACHE" -t -d "$work" -f "$work/conf/httpd.conf" >&2
bench_ratio "apache2 -t" "$APACHE -t -d $work -f $work/conf/httpd.conf" "$work/authlint --fail-on never $work/conf/httpd.conf" "$work/result.json"
