#!/usr/bin/env bash
# Builds authlint release binaries: static (CGO_ENABLED=0), -trimpath, stripped
# (-s -w), with the version stamped by -ldflags "-X main.buildVersion=VERSION",
# into $DIST (default dist/) with a SHA256SUMS file.
#
#   scripts/release.sh [VERSION] [TARGET...]
#
# VERSION  a tag vMAJOR.MINOR.PATCH[-PRERELEASE], e.g. v0.1.0. The tag is made on
#          HEAD (annotated) when it does not exist yet; when it does, it must point
#          at HEAD. The work tree must be clean. Push the tag yourself afterwards:
#          git push origin v0.1.0.
#          Without VERSION nothing is tagged and the version is
#          `git describe --tags --always --dirty` (v0.1.0, v0.1.0-3-gabc1234, ...).
# TARGET   GOOS/GOARCH; default all six: linux, darwin and windows on amd64 and arm64.
#
# Files: $DIST/authlint-VERSION-GOOS-GOARCH (.exe for windows), and
# $DIST/SHA256SUMS for the binaries of this run (check: cd dist && sha256sum -c SHA256SUMS).
# Environment: DIST (output directory, relative to the repository root), GO (the go command).
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
DIST=${DIST:-dist}
all_targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)

die() { echo "release.sh: $*" >&2; exit 1; }

version=""
if [ $# -gt 0 ] && [[ $1 == v* ]]; then
  version=$1
  shift
  [[ $version =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]] ||
    die "version $version is not vMAJOR.MINOR.PATCH[-PRERELEASE]"
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ $t =~ ^[a-z0-9]+/[a-z0-9]+$ ]] || die "target $t is not GOOS/GOARCH (e.g. linux/amd64)"
done

git rev-parse --git-dir >/dev/null 2>&1 || die "not in a git repository: the version comes from git"
head=$(git rev-parse HEAD)
if [ -n "$version" ]; then
  [ -z "$(git status --porcelain --untracked-files=no)" ] ||
    die "the work tree has uncommitted changes: commit them before tagging $version"
  if tagged=$(git rev-parse -q --verify "refs/tags/$version^{commit}"); then
    [ "$tagged" = "$head" ] || die "tag $version is on ${tagged:0:12}, HEAD is ${head:0:12}: check out the tag first"
    echo "release.sh: using tag $version (HEAD)" >&2
  else
    git tag -a "$version" -m "authlint $version" HEAD
    echo "release.sh: tagged HEAD (${head:0:12}) $version; publish it with: git push origin $version" >&2
  fi
else
  version=$(git describe --tags --always --dirty)
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$@"; }
else
  sha256() { shasum -a 256 "$@"; }
fi

# The stamp `authlint version` prints (cmd/authlint/version.go): the commit,
# its time in UTC (so that a commit always builds the same binary) and
# whether tracked files were modified.
commit=$head
date=$(TZ=UTC0 git show -s --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd HEAD)
modified=false
[ -z "$(git status --porcelain --untracked-files=no)" ] || modified=true
ldflags="-s -w -X main.buildVersion=$version -X main.buildCommit=$commit -X main.buildDate=$date -X main.buildModified=$modified"
# The toolchain's own VCS stamp (go version -m) is right in a primary
# checkout; in a linked worktree it finds no repository, or an enclosing
# one (golang/go#58218), so it is left out there. -buildvcs on the command
# line wins over GOFLAGS.
buildvcs=true
[ "$(git rev-parse --path-format=absolute --git-dir)" = "$(git rev-parse --path-format=absolute --git-common-dir)" ] ||
  buildvcs=false

mkdir -p "$DIST"
files=()
for t in "${targets[@]}"; do
  goos=${t%/*} goarch=${t#*/}
  name="authlint-$version-$goos-$goarch"
  [ "$goos" = windows ] && name+=".exe"
  echo "release.sh: building $DIST/$name" >&2
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch "$GO" build -trimpath -buildvcs=$buildvcs \
    -ldflags "$ldflags" -o "$DIST/$name" ./cmd/authlint
  files+=("$name")
done
(cd "$DIST" && sha256 "${files[@]}" > SHA256SUMS)
echo "release.sh: wrote ${#files[@]} binaries and SHA256SUMS to $DIST" >&2
