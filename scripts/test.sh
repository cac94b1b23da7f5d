#!/usr/bin/env bash
# Runs authlint's whole test suite. As root on Debian/Ubuntu it first installs
# what the real-server tests need (nginx, apache2, apache2-utils for htpasswd,
# whois for mkpasswd, pre-commit) and nodejs/npm for the SARIF validator,
# without letting the packages start services. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || need+=(apache2)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v mkpasswd >/dev/null 2>&1 || need+=(whois)
command -v pre-commit >/dev/null 2>&1 || need+=(pre-commit)
# The pre-commit hook test (cmd/authlint) needs git; Debian's pre-commit does not depend on it.
command -v git >/dev/null 2>&1 || need+=(git)
# npx runs the SARIF validator (@microsoft/sarif-multitool) in rules/format.
command -v npx >/dev/null 2>&1 || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: installing ${need[*]}" >&2
    # Keep the packages' maintainer scripts from starting nginx/apache2 on
    # port 80: the tests start their own servers on 127.0.0.1.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "scripts/test.sh: missing ${need[*]}; real-server tests will skip (or fail when CI is set)" >&2
  fi
fi

go vet ./...
# The CLI builds for the platforms releases ship (the filesystem layer has
# non-Linux implementations).
GOOS=windows GOARCH=amd64 go build -o /dev/null ./cmd/authlint
GOOS=darwin GOARCH=arm64 go build -o /dev/null ./cmd/authlint
go test "$@" ./...
# The rules share one frozen model and run in parallel: the race detector
# over the engine, the models and the filesystem layer.
go test -race "$@" ./rules ./internal/apachemodel ./internal/nginxmodel ./internal/serverfs
