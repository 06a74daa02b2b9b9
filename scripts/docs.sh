#!/usr/bin/env bash
# Regenerates docs/ from the provider schema, templates/ and examples/ with
# the pinned tfplugindocs, offline:
#   docs.sh generate   rewrite docs/
#   docs.sh check      regenerate, then fail if docs/ differs from what is committed
#   docs.sh fmt-check  fail if any example is not `terraform fmt`-clean
# tfplugindocs builds the provider and asks the Terraform CLI for its schema;
# the CLI comes from scripts/clis.sh (>= 1.12, so write-only markers and the
# resource identity schemas are in the schema JSON), put first on PATH so
# tfplugindocs never tries to download one.
set -euo pipefail
cd "$(dirname "$0")/.."

tf=$(bash scripts/clis.sh path terraform-1.13.3)
cache="${PLATFORM_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/clis}"
mkdir -p "$cache"
# The machine may point TF_CLI_CONFIG_FILE at a missing file; an empty one
# keeps the CLI quiet and free of dev_overrides a developer may have set.
: >"$cache/empty.tfrc"
export TF_CLI_CONFIG_FILE="$cache/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export PATH="$(dirname "$tf"):$PATH"

generate() {
  local tfplugindocs
  tfplugindocs=$(bash scripts/tools.sh path tfplugindocs)
  "$tfplugindocs" generate --provider-name platform --rendered-provider-name Platform
}

case "${1:-}" in
  generate) generate ;;
  check)
    generate >/dev/null
    if ! git diff --quiet -- docs/ || [ -n "$(git ls-files --others --exclude-standard -- docs/)" ]; then
      git status --short -- docs/ >&2
      git diff --stat -- docs/ >&2
      echo "docs/ is out of date with the schema, templates/ or examples/: run 'make docs' and commit the result." >&2
      exit 1
    fi
    echo "docs/ is up to date" ;;
  fmt-check)
    if ! "$tf" fmt -check -recursive -diff examples/; then
      echo "examples/ is not terraform fmt-clean: run 'terraform fmt -recursive examples/'." >&2
      exit 1
    fi
    echo "examples/ is terraform fmt-clean" ;;
  *) echo "usage: $0 generate | check | fmt-check" >&2; exit 2 ;;
esac
