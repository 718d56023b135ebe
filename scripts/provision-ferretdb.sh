#!/usr/bin/env bash
# Builds FerretDB (a MongoDB-wire server with an SQLite backend) from the Go module proxy into a cache
# outside the repo, keyed by version; reused when present. Prints the binary's path.
# Why a copy: the module zip lacks the generated build/version/version.txt, without which the binary
# panics at start; we write it, as FerretDB's own build task would.
set -euo pipefail
version="${FERRETDB_VERSION:-v1.24.2}"
cache="${LOADCTL_CACHE:-$HOME/.cache/loadctl}/ferretdb/$version"
bin="$cache/ferretdb"
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then echo "$bin"; exit 0; fi
command -v go >/dev/null || { echo "provision-ferretdb: Go is required (https://go.dev/dl) to build FerretDB" >&2; exit 1; }
export GOPROXY="${GOPROXY_FERRETDB:-https://proxy.golang.org}" GOFLAGS=-mod=mod
echo "provision-ferretdb: building FerretDB $version (first time only, a few minutes)…" >&2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
dir=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "provision-ferretdb: could not download github.com/FerretDB/FerretDB@$version" >&2; exit 1; }
cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
echo "$version" > "$work/src/build/version/version.txt"
mkdir -p "$cache"
(cd "$work/src" && go build -trimpath -o "$bin.tmp" ./cmd/ferretdb) >&2
mv "$bin.tmp" "$bin"
echo "$bin"
