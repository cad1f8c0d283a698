#!/usr/bin/env bash
# Builds Jaeger v2 (`cmd/jaeger` of the github.com/jaegertracing/jaeger module) from
# the Go module proxy into .cache/go-bin/, once per version: a binary already there
# is reused. Prints `jaeger=PATH` and `jaeger_source=DIR` on stdout; progress goes to
# stderr.
#
# `go install github.com/jaegertracing/jaeger/cmd/jaeger@v1.76.0` is refused: the
# module's go.mod has replace directives. So the module source is downloaded
# (`go mod download -json` names its directory in the module cache, read-only) and
# built from there, in module mode, with its own go.mod and go.sum.
set -euo pipefail

JAEGER_VERSION=1.76.0

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$repo/.cache/go-bin"
jaeger="$bin/jaeger-$JAEGER_VERSION"

export GOFLAGS="-trimpath -buildvcs=false"
export CGO_ENABLED=0
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
export PATH="$PATH:/usr/local/go/bin"

log() { echo "jaeger build: $*" >&2; }
command -v go >/dev/null || { log "Go is required (go.dev/dl); not found on PATH or in /usr/local/go/bin"; exit 1; }
mkdir -p "$bin"

log "go mod download github.com/jaegertracing/jaeger@v$JAEGER_VERSION"
source_dir="$(go mod download -json "github.com/jaegertracing/jaeger@v$JAEGER_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -d "$source_dir/cmd/jaeger" ]] || { log "module source without cmd/jaeger: '$source_dir'"; exit 1; }

if [[ ! -x "$jaeger" ]]; then
  work="$(mktemp -d "$bin/.build-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  started=$SECONDS
  log "building cmd/jaeger from $source_dir"
  # The module cache is read-only and `go build` writes nothing into the source
  # directory; -mod=mod lets it fetch whatever go.sum lists but the cache lacks.
  # Output to a scratch path, then a rename: an interrupted build never leaves a
  # half-written binary under the cached name.
  (cd "$source_dir" && go build -mod=mod -ldflags="-s -w" -o "$work/jaeger" ./cmd/jaeger)
  mv "$work/jaeger" "$jaeger"
  log "jaeger v$JAEGER_VERSION built in $((SECONDS - started))s"
fi

echo "jaeger=$jaeger"
echo "jaeger_source=$source_dir"
