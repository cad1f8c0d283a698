#!/usr/bin/env bash
# Builds the OpenTelemetry Collector (core components, with the Collector builder)
# and telemetrygen from the Go module proxy into .cache/go-bin/, once per version:
# a binary already there is reused. Prints `otelcol=PATH` and `telemetrygen=PATH` on
# stdout; progress goes to stderr.
#
# The core distribution's own module (go.opentelemetry.io/collector/cmd/otelcorecol)
# is not on the module proxy (its go.mod has replace directives, so it cannot be
# `go install`ed), hence the builder and manifest.yaml.
set -euo pipefail

# One release for the builder, the components and telemetrygen: telemetrygen
# v0.161.0 requires exactly the pdata, grpc, protobuf and x/net versions the
# Collector v0.161.0 components do, so it reuses the Collector build's downloads
# and compiled packages: about 10 s instead of 40 s on a cold 2-core machine.
COLLECTOR_VERSION=0.161.0
COLLECTOR_STABLE_VERSION=1.67.0 # the v1 modules (confmap providers) of the same release
TELEMETRYGEN_VERSION=0.161.0

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$repo/.cache/go-bin"
# The manifest's hash is in the Collector's name: adding a component to
# manifest.yaml builds a new binary once, and an unchanged manifest reuses it.
manifest_hash="$(sha256sum "$repo/scripts/collector/manifest.yaml" | cut -c1-8)"
otelcol="$bin/otelcol-tracehouse-$COLLECTOR_VERSION-$manifest_hash"
telemetrygen="$bin/telemetrygen-$TELEMETRYGEN_VERSION"
builder="$bin/builder-$COLLECTOR_VERSION"

# Same flags as the builder's own `go build` (-trimpath, -ldflags=-s -w), so the
# packages both builds share hit the build cache. No VCS stamping: the generated
# Collector module sits inside this repository's work tree, not in its own.
export GOFLAGS="-trimpath -buildvcs=false"
export CGO_ENABLED=0
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

log() { echo "collector build: $*" >&2; }
command -v go >/dev/null || { log "Go is required (go.dev/dl); not found on PATH"; exit 1; }
mkdir -p "$bin"
work="$(mktemp -d "$bin/.build-XXXXXX")"
trap 'rm -rf "$work"' EXIT

# `go install pkg@version` into a scratch GOBIN, then a rename: an interrupted
# build never leaves a half-written binary under the cached name.
install_tool() { # package version target
  local started=$SECONDS
  log "go install $1@v$2"
  GOBIN="$work/gobin" go install -ldflags="-s -w" "$1@v$2"
  mv "$work/gobin/$(basename "$1")" "$3"
  log "$(basename "$3") built in $((SECONDS - started))s"
}

if [[ ! -x "$otelcol" ]]; then
  [[ -x "$builder" ]] || install_tool go.opentelemetry.io/collector/cmd/builder "$COLLECTOR_VERSION" "$builder"
  started=$SECONDS
  sed -e "s|@VERSION@|$COLLECTOR_VERSION|g" -e "s|@STABLE@|$COLLECTOR_STABLE_VERSION|g" -e "s|@OUTPUT@|$work/otelcol|g" \
    "$repo/scripts/collector/manifest.yaml" >"$work/manifest.yaml"
  log "building otelcol-tracehouse v$COLLECTOR_VERSION with the Collector builder"
  # TMPDIR: the builder makes a default output directory it never uses or removes.
  TMPDIR="$work" "$builder" --config "$work/manifest.yaml" >&2
  mv "$work/otelcol/otelcol-tracehouse" "$otelcol"
  log "otelcol-tracehouse built in $((SECONDS - started))s"
fi

if [[ ! -x "$telemetrygen" ]]; then
  install_tool github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen "$TELEMETRYGEN_VERSION" "$telemetrygen"
fi

echo "otelcol=$otelcol"
echo "telemetrygen=$telemetrygen"
