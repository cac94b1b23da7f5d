#!/usr/bin/env bash
# hostile-inputs.sh: runs authlint on every hostile input of issue 16 (device
# files, a FIFO, self-including globs, doubling includes, deep nesting on one
# line, 1.5 million duplicate users, deep and wide document roots, an
# unreadable file seen by a non-root user, binary configs, escape sequences,
# an htpasswd line in a digest file), each under `timeout` and
# `/usr/bin/time -v`, and prints a Markdown table: input, exit code, wall
# time, peak RSS, output bytes, and what is wrong with the output (a raw
# control byte, a hash, an input it did not read) if anything.
#
# Usage: scripts/hostile-inputs.sh
# Environment:
#   AUTHLINT  the binary to run (default: built from this checkout)
#   QUICK=1   small sizes (20,000 users, 300 directories), for the test
#   TIMEOUT   seconds per run (default 60)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work" # the non-root run must reach its files

if [[ -z "${AUTHLINT:-}" ]]; then
	(cd "$root" && go build -o "$work/authlint" ./cmd/authlint)
	AUTHLINT=$work/authlint
fi
timeout_s=${TIMEOUT:-60}
users=1500000 wide=30000 deep=80
if [[ "${QUICK:-}" == 1 ]]; then
	users=20000 wide=300
fi
hash='$apr1$Zq8vH4Xn$Q8vH4XnZbT2pLm6RwYsKc/'
tail8=Q8vH4XnZ # a piece of the hash that must never be printed

# mk NAME: a fresh directory for one input.
mk() {
	mkdir -p "$work/in/$1"
	echo "$work/in/$1"
}

echo "| input | exit code | wall time | peak RSS | output bytes | output problems |"
echo "|---|---|---|---|---|---|"

# run LABEL [--as-nobody] ARGS...: one row. --live: the inputs are this
# machine's files, named by their absolute paths, and every row must read
# them whatever layout inference makes of a temporary directory (before
# 9a6d128 it took each apache2.conf here for a checkout of /etc/apache2 and
# read none of its includes: the Apache rows exited 0 testing nothing).
run() {
	local label=$1
	shift
	local prefix=()
	if [[ "${1:-}" == --as-nobody ]]; then
		shift
		if [[ $(id -u) == 0 ]]; then
			prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		fi
	fi
	local code=0
	timeout -k 5 "$timeout_s" /usr/bin/time -v -o "$work/time" "${prefix[@]}" "$AUTHLINT" --live "$@" \
		>"$work/out" 2>"$work/err" </dev/null || code=$?
	local wall rss bytes problems=""
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" 2>/dev/null)
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time" 2>/dev/null)
	[[ -n "$rss" ]] && rss="$((rss / 1024)) MB"
	bytes=$(($(wc -c <"$work/out") + $(wc -c <"$work/err")))
	if LC_ALL=C grep -aqP '[\x00-\x08\x0b-\x1f\x7f]' "$work/out" "$work/err"; then
		problems+="raw control byte; "
	fi
	if grep -q "$tail8" "$work/out" "$work/err"; then
		problems+="hash printed; "
	fi
	# An include or user file the run did not read: the row tests nothing.
	if grep -aqE 'cannot check ([Ii]nclude|IncludeOptional|/)' "$work/out" "$work/err"; then
		problems+="input not read; "
	fi
	echo "| $label | $code | ${wall:-timeout} | ${rss:-?} | $bytes | ${problems:-none} |"
}

# Devices and a FIFO as user files, includes and configs.
d=$(mk device-user-file)
printf 'events {}\nhttp { server { location / { auth_basic "r"; auth_basic_user_file /dev/zero; } } }\n' >"$d/nginx.conf"
run "nginx user file /dev/zero" "$d/nginx.conf"
d=$(mk device-include)
printf 'events {}\nhttp { include /dev/urandom; server { location / { auth_basic "r"; auth_basic_user_file %s/u; } } }\n' "$d" >"$d/nginx.conf"
run "nginx include /dev/urandom" "$d/nginx.conf"
d=$(mk device-apache)
printf 'Include /dev/zero\n<Directory /var/www>\nAuthType Basic\nAuthName r\nAuthUserFile /dev/urandom\nRequire valid-user\n</Directory>\n' >"$d/apache2.conf"
run "Apache Include /dev/zero, AuthUserFile /dev/urandom" "$d/apache2.conf"
d=$(mk fifo)
mkfifo "$d/users.htpasswd"
printf 'events {}\nhttp { server { location / { auth_basic "r"; auth_basic_user_file %s/users.htpasswd; } } }\n' "$d" >"$d/nginx.conf"
run "nginx user file is a FIFO" "$d/nginx.conf"
run "FIFO named on the command line" --type htpasswd "$d/users.htpasswd"

# Includes: a glob that includes itself, files included twice per level.
d=$(mk self-glob)
mkdir -p "$d/conf.d"
printf 'events {}\nhttp { include %s/conf.d/*.conf; }\n' "$d" >"$d/nginx.conf"
for i in 1 2 3; do
	printf 'include %s/conf.d/*.conf;\nserver { listen 80%s; location / { auth_basic "r"; } }\n' "$d" "$i" >"$d/conf.d/$i.conf"
done
run "nginx glob that includes itself" "$d/nginx.conf"
d=$(mk self-glob-apache)
mkdir -p "$d/conf.d"
printf 'IncludeOptional %s/conf.d/*.conf\n' "$d" >"$d/apache2.conf"
for i in 1 2 3; do
	printf 'IncludeOptional %s/conf.d/*.conf\n<Location /%s>\nRequire valid-user\n</Location>\n' "$d" "$i" >"$d/conf.d/$i.conf"
done
run "Apache glob that includes itself" "$d/apache2.conf"
d=$(mk doubling)
printf 'events {}\nhttp { include %s/f1.conf; include %s/f1.conf; }\n' "$d" "$d" >"$d/nginx.conf"
for i in $(seq 1 24); do
	printf 'include %s/f%d.conf; include %s/f%d.conf;\n' "$d" $((i + 1)) "$d" $((i + 1)) >"$d/f$i.conf"
done
printf 'server { location / { auth_basic "r"; } }\n' >"$d/f25.conf"
run "nginx 25 files, each included twice per level" "$d/nginx.conf"
d=$(mk doubling-apache)
printf 'Include %s/f1.conf\nInclude %s/f1.conf\n' "$d" "$d" >"$d/apache2.conf"
for i in $(seq 1 24); do
	printf 'Include %s/f%d.conf\nInclude %s/f%d.conf\n' "$d" $((i + 1)) "$d" $((i + 1)) >"$d/f$i.conf"
done
printf '<Location />\nRequire valid-user\n</Location>\n' >"$d/f25.conf"
run "Apache 25 files, each included twice per level" "$d/apache2.conf"

# Deep nesting on one line.
d=$(mk nesting)
{
	printf 'events {}\nhttp { server { '
	for _ in $(seq 1 10000); do printf 'location / { '; done
	printf '\n'
} >"$d/nginx.conf"
run "nginx 10,000 nested blocks on one line" "$d/nginx.conf"
d=$(mk nesting-apache)
{
	for _ in $(seq 1 10000); do printf '<IfModule x>\n'; done
} >"$d/apache2.conf"
run "Apache 10,000 nested sections" "$d/apache2.conf"

# Many duplicate users.
d=$(mk dups)
{ yes "alice:$hash" || true; } | head -n "$users" >"$d/users.htpasswd"
run "$users duplicate users" "$d/users.htpasswd"

# Deep and wide document roots, a broken .htaccess at the far end.
broken=$'AuthType Basic\nAuthName "r"\nAuthUserFile /nonexistent/users\nRequire valid-user\n<Directory /x>\n'
d=$(mk deep)
p="$d/www"
for i in $(seq 1 "$deep"); do p="$p/d$i"; done
mkdir -p "$p"
printf '%s' "$broken" >"$p/.htaccess"
printf 'DocumentRoot %s/www\n<Directory %s/www>\nAllowOverride All\n</Directory>\n' "$d" "$d" >"$d/apache2.conf"
run "document root $deep levels deep, broken .htaccess at the bottom" "$d/apache2.conf"
d=$(mk wide)
mkdir -p "$d/www"
(cd "$d/www" && seq -f 'd%06g' 1 "$wide" | xargs mkdir)
printf '%s' "$broken" >"$d/www/$(printf 'd%06d' "$wide")/.htaccess"
printf 'DocumentRoot %s/www\n<Directory %s/www>\nAllowOverride All\n</Directory>\n' "$d" "$d" >"$d/apache2.conf"
run "document root $wide directories wide, broken .htaccess in the last" "$d/apache2.conf"

# A user file the running (non-root) user cannot read.
d=$(mk unreadable)
printf 'alice:%s\n' "$hash" >"$d/users.htpasswd"
chmod 000 "$d/users.htpasswd"
printf 'events {}\nhttp { server { location / { auth_basic "r"; auth_basic_user_file %s/users.htpasswd; } } }\n' "$d" >"$d/nginx.conf"
chmod 755 "$d" "$work/in"
run "non-root run, unreadable user file" --as-nobody "$d/nginx.conf"

# Binary configs.
d=$(mk binary)
head -c 65536 /dev/urandom >"$d/apache2.conf"
run "binary apache2.conf" "$d/apache2.conf"
head -c 65536 /dev/urandom >"$d/nginx.conf"
run "binary nginx.conf" "$d/nginx.conf"
mkdir -p "$d/site"
head -c 4096 /dev/urandom >"$d/site/.htaccess"
run "binary .htaccess" "$d/site/.htaccess"

# Escape sequences in a file name, a user name and config values.
d=$(mk escapes)
esc=$'\e]0;pwned\a\e[2J\r'
printf 'ok:%s\nev%sil:%s\n' "$hash" "$esc" "$hash" >"$d/a${esc}b.htpasswd"
run "escape sequences in a file name and a user name" "$d/a${esc}b.htpasswd"
printf 'events {}\nhttp { server { location /%s { auth_basic "%s"; auth_basic_user_file %s/m%s; } } }\n' "$esc" "$esc" "$d" "$esc" >"$d/nginx.conf"
run "escape sequences in nginx values" "$d/nginx.conf"

# An htpasswd line in a digest file: the hash is not a realm to print.
d=$(mk digest-line)
printf 'alice:%s:comment\nbob:%s\n' "$hash" "$hash" >"$d/users.htdigest"
run "htpasswd lines in a .htdigest" "$d/users.htdigest"
