#!/usr/bin/env bash
# Regenerates docs/ from the provider schema, templates/ and examples/ with
# the pinned tfplugindocs, offline:
#   docs.sh generate   rewrite docs/
#   docs.sh check      regenerate, then fail if docs/ differs from what is committed
#   docs.sh fmt-check  fail if any example is not `terraform fmt`-clean
# tfplugindocs builds the provider and asks the Terraform CLI for its schema;
# the CLI is the newest Terraform of the test matrix (scripts/clis.sh newest),
# put first on PATH so tfplugindocs never tries to download one. It must be
# >= 1.14: older CLIs leave list resources and actions out of the schema JSON
# (and >= 1.12 for resource identity, >= 1.11 for write-only markers), and
# tfplugindocs then renders no page for them.
set -euo pipefail
cd "$(dirname "$0")/.."

tf=$(bash scripts/clis.sh path "$(bash scripts/clis.sh newest)")
cache="${PLATFORM_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/clis}"
mkdir -p "$cache"
# The machine may point TF_CLI_CONFIG_FILE at a missing file; an empty one
# keeps the CLI quiet and free of dev_overrides a developer may have set.
: >"$cache/empty.tfrc"
export TF_CLI_CONFIG_FILE="$cache/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export PATH="$(dirname "$tf"):$PATH"
v=$("$tf" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
case "$v" in
  1.1[4-9].*|1.[2-9][0-9].*) ;;
  *) echo "docs.sh: $tf is Terraform '$v'; the docs need the schema of Terraform >= 1.14" >&2; exit 1 ;;
esac

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
