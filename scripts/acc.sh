#!/usr/bin/env bash
# Runs the acceptance suite once against one CLI (a name understood by
# scripts/clis.sh), with the environment terraform-plugin-testing needs for it.
set -euo pipefail
name=${1:?usage: scripts/acc.sh CLI-NAME [go test args...]}
shift
cd "$(dirname "$0")/.."

cli=$(bash scripts/clis.sh path "$name")
cache="${PLATFORM_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/clis}"
mkdir -p "$cache"
# An existing, empty CLI config: the machine may point TF_CLI_CONFIG_FILE at a
# missing file, and tofu then prints a warning on stdout that breaks
# terraform-plugin-testing's version parsing.
: >"$cache/empty.tfrc"

export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" TF_CLI_CONFIG_FILE="$cache/empty.tfrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
case "$name" in
  tofu-*)
    export TF_ACC_PROVIDER_NAMESPACE=hashicorp TF_ACC_PROVIDER_HOST=registry.opentofu.org ;;
esac

version=$("$cli" version | sed -n 1p) # sed reads to the end: head would SIGPIPE the CLI under pipefail
echo "=== acceptance suite on $name: $cli ($version)"
go test -count=1 -timeout 45m -run '^TestAcc' "$@" ./internal/...
echo "=== acceptance suite on $name: passed"
