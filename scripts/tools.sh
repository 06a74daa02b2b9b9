#!/usr/bin/env bash
# Finds or builds the pinned development tools (docs generator, release tool,
# linter). Like scripts/clis.sh, binaries are built from the Go module proxy
# (the only registry these machines reach) into a cache outside the clone,
# keyed by version, so every clone and every CI run on a machine shares them.
#
#   scripts/tools.sh path tfplugindocs    # prints the binary's path, building it once
#   scripts/tools.sh all                  # builds every tool, prints "name path"
#   scripts/tools.sh some NAME...         # builds those, prints "name path"
#   scripts/tools.sh has goreleaser       # exit 0 when it is built, building nothing
#   scripts/tools.sh version goreleaser   # its pinned version
set -euo pipefail

# Pinned versions: bump here, and the cache key changes with them.
# tfplugindocs renders actions from v0.23.0 and list resources from v0.24.0
# (given a Terraform >= 1.14 schema, see scripts/docs.sh); v0.25.0 is the
# newest the module proxy serves.
TFPLUGINDOCS_VERSION=v0.25.0
GORELEASER_VERSION=v2.15.1
GOLANGCI_LINT_VERSION=v2.15.0

cache="${PLATFORM_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/tools}"

log() { echo "tools: $*" >&2; }

# tool_dir NAME VERSION prints where that build of a tool lives.
tool_dir() { echo "$cache/$1-$2"; }

# build NAME VERSION PACKAGE prints the cached binary, building it on first use.
# A lock keeps two clones (or two `make` runs) from building the same tool
# into the same place at once; a temporary GOBIN and a rename keep a
# half-built binary out of the cache when the build is interrupted.
build() {
  local name=$1 version=$2 pkg=$3 dir start
  dir=$(tool_dir "$name" "$version")
  if [ ! -x "$dir/$name" ]; then
    mkdir -p "$dir"
    (
      if command -v flock >/dev/null; then
        exec 9>"$dir/.lock"
        flock 9
      fi
      if [ ! -x "$dir/$name" ]; then
        start=$SECONDS
        log "building $name $version into $dir (once per machine)"
        rm -rf "$dir/.tmp"
        GOBIN="$dir/.tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "$pkg@$version" >&2
        mv "$dir/.tmp/$name" "$dir/$name"
        rm -rf "$dir/.tmp"
        log "built $name in $((SECONDS - start)) s"
      fi
    )
  fi
  echo "$dir/$name"
}

# pin NAME prints "VERSION PACKAGE" of a tool.
pin() {
  case "$1" in
    tfplugindocs) echo "$TFPLUGINDOCS_VERSION github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs" ;;
    goreleaser) echo "$GORELEASER_VERSION github.com/goreleaser/goreleaser/v2" ;;
    golangci-lint) echo "$GOLANGCI_LINT_VERSION github.com/golangci/golangci-lint/v2/cmd/golangci-lint" ;;
    *) log "unknown tool '$1'"; return 2 ;;
  esac
}

path() {
  local p
  p=$(pin "$1") || return
  # shellcheck disable=SC2086 # "VERSION PACKAGE"
  build "$1" $p
}

usage="usage: $0 path NAME | all | some NAME... | has NAME | version NAME"
case "${1:-}" in
  path) path "${2:?$usage}" ;;
  all | some)
    [ "$1" = all ] && set -- tfplugindocs goreleaser golangci-lint || shift
    for n in "$@"; do
      echo "$n $(path "$n")"
    done ;;
  has)
    p=$(pin "${2:?$usage}")
    [ -x "$(tool_dir "$2" "${p%% *}")/$2" ] ;;
  version)
    p=$(pin "${2:?$usage}")
    echo "${p%% *}" ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
