#!/usr/bin/env bash
# Generates an nginx tree of 500 include files holding 10,000 server blocks
# (auth in every fourth one, user files included) and reports authlint's time
# divided by `nginx -t`'s on the same tree, in one run. Target: <= 0.3.
# Needs nginx and hyperfine (Debian packages); builds authlint first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
command -v hyperfine >/dev/null || { echo "bench-nginx: hyperfine not installed (apt-get install hyperfine)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
work=$(mktemp -d)
chmod 755 "$work" # the workers (nobody) must reach the user files, as on a real server
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
[ -z "${KEEP:-}" ] || echo "bench tree: $work" >&2
go build -o "$work/authlint" ./cmd/authlint
mkdir -p "$work/conf/sites" "$work/logs" "$work/tmp"
hash=$(htpasswd -nbB -C 10 alice alice-pw 2>/dev/null | head -1 || echo 'alice:$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/')
cat > "$work/conf/nginx.conf" <<CONF
worker_processes 1;
error_log $work/logs/error.log;
pid $work/logs/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    server_names_hash_max_size 65536;
    server_names_hash_bucket_size 128;
    include sites/*.conf;
}
CONF
for f in $(seq 0 499); do
  out="$work/conf/sites/site$f.conf"
  : > "$out"
  for s in $(seq 0 19); do
    n=$((f * 20 + s))
    {
      echo "server {"
      echo "    listen 127.0.0.1:$((20000 + n % 1000));"
      echo "    server_name s$n.example;"
      echo "    root $work/www/s$n;"
      if [ $((n % 4)) = 0 ]; then
        echo "    location ^~ /admin/ {"
        echo "        auth_basic \"Admin $n\";"
        echo "        auth_basic_user_file $work/conf/users$((n % 50)).htpasswd;"
        echo "    }"
      fi
      echo "    location ~ \\.php\$ { return 404; }"
      echo "}"
    } >> "$out"
  done
done
bench_tree_ready "$work" "$hash"
bench_ratio "nginx -t" "$NGINX -t -q -p $work/ -c $work/conf/nginx.conf" "$work/authlint --fail-on never $work/conf/nginx.conf" "$work/result.json"
