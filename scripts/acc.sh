#!/usr/bin/env bash
# Runs the acceptance suite once against one CLI (a name understood by
# scripts/clis.sh), with the environment terraform-plugin-testing needs for it.
#
# By default the suite runs against the in-process simulator, whatever
# PLATFORM_ACC_* variables the shell has. With --platform it runs against
# the real platform those variables name (see internal/acctest/real.go):
# PLATFORM_ACC_ENDPOINT and PLATFORM_ACC_ADMIN_TOKEN are required.
set -euo pipefail
usage="usage: scripts/acc.sh [--platform] CLI-NAME [go test args...]"
platform=false
if [ "${1:-}" = --platform ]; then
  platform=true
  shift
fi
name=${1:?$usage}
shift
cd "$(dirname "$0")/.."

if $platform; then
  missing=""
  for v in PLATFORM_ACC_ENDPOINT PLATFORM_ACC_ADMIN_TOKEN; do
    [ -n "${!v:-}" ] || missing="$missing $v"
  done
  if [ -n "$missing" ]; then
    echo "scripts/acc.sh --platform: set$missing (and optionally PLATFORM_ACC_OPERATOR_TOKEN," >&2
    echo "PLATFORM_ACC_VIEWER_TOKEN, PLATFORM_ACC_SCOPED_TOKEN with PLATFORM_ACC_SCOPED_ENV_ID); see CONTRIBUTING.md" >&2
    exit 2
  fi
  target="the platform at $PLATFORM_ACC_ENDPOINT${PLATFORM_ACC_RELEASE:+ (BridgePort $PLATFORM_ACC_RELEASE)}"
  timeout=${ACC_TIMEOUT:-180m}
else
  # The simulator mode must not pick up a real platform by accident, nor
  # the release of one (PLATFORM_ACC_RELEASE would make the simulators act as
  # it and skip what it lacks): it tests the newest build.
  unset PLATFORM_ACC_ENDPOINT PLATFORM_ACC_ADMIN_TOKEN PLATFORM_ACC_OPERATOR_TOKEN \
    PLATFORM_ACC_VIEWER_TOKEN PLATFORM_ACC_SCOPED_TOKEN PLATFORM_ACC_SCOPED_ENV_ID PLATFORM_ACC_RELEASE
  target="the simulator"
  timeout=${ACC_TIMEOUT:-45m}
  # Four tests at a time unless the arguments say otherwise: at go test's
  # default of two (the cores) a suite leaves the cores idle 17% of its time,
  # waiting on the CLI's processes (measured on Terraform 1.16.4: 289 s at
  # two, 270 s at four).
  [[ " $* " == *" -parallel"* ]] || set -- -parallel "${ACC_PARALLEL:-4}" "$@"
fi

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
echo "=== acceptance suite on $name: $cli ($version), against $target"
# The tests this CLI runs (scripts/clis.sh tests); against a real platform,
# or with ACC_ALL=1, every one. A -run among the arguments overrides both.
run='^TestAcc'
if ! $platform && [ -z "${ACC_ALL:-}" ]; then
  run=$(bash scripts/clis.sh tests "$name")
fi
# Only the packages that hold acceptance tests: go test builds, links and
# starts a test binary for each package it is given, and most have none.
mapfile -t pkgs < <(grep -rlE --include='*_test.go' '^func TestAcc' internal | xargs -r -n1 dirname | sort -u | sed 's|^|./|')
# None found would make go test run the package in the current directory
# and pass with no test run.
[ ${#pkgs[@]} -gt 0 ] || { echo "scripts/acc.sh: no package under internal/ holds a TestAcc function" >&2; exit 1; }
# With -v among the arguments the output streams as go test prints it.
# Otherwise the verbose log goes to a file: the packages' results show as
# they finish, then how many tests passed and skipped (the ones gated above
# this CLI's version skip themselves), and the whole log when one failed.
for a in "$@"; do
  case "$a" in
    -v | -test.v | -v=true | -test.v=true)
      go test -count=1 -timeout "$timeout" -run "$run" "$@" "${pkgs[@]}"
      echo "=== acceptance suite on $name against $target: passed"
      exit 0 ;;
  esac
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
go test -v -count=1 -timeout "$timeout" -run "$run" "$@" "${pkgs[@]}" >"$log" 2>&1 || rc=$?
grep -E '^(ok |FAIL|--- FAIL|panic:)' "$log" || true
count() { grep -c "^--- $1" "$log" || true; } # grep -c exits 1 when it counts none
counts="$(count PASS) passed, $(count SKIP) skipped, $(count FAIL) failed"
if [ "$rc" -ne 0 ]; then
  echo "=== acceptance suite on $name against $target: FAILED ($counts); the whole log:"
  cat "$log"
  exit "$rc"
fi
echo "=== acceptance suite on $name against $target: passed ($counts)"
