#!/usr/bin/env bash
# make module-test: runs the example module's `terraform test` suites the way
# a module author's CI would, on each CLI in MODULE_TEST_CLIS (names as
# scripts/clis.sh knows them; default: the acceptance matrix):
#   - unit tests (tests/unit.tftest.hcl): mock_provider, no platform, no
#     PLATFORM_* variables;
#   - integration tests (tests/integration.tftest.hcl): the real provider
#     against a fresh platform-simulator per CLI, started from
#     tests/estate.json on a free loopback port and stopped afterwards.
# The provider comes from a dev_overrides CLI configuration (as in
# scripts/demo.sh), under both registry addresses: OpenTofu resolves the
# module's source "platform-iac/platform" to registry.opentofu.org.
# A CLI too old for a kind of test is skipped with the reason.
# Then, on the CLIs that run the whole acceptance suite (the newest
# Terraform and OpenTofu; MODULE_PROOF_CLIS names others), every run is
# shown to fail when the behaviour it names is broken
# (scripts/module-mutations.sh, the patches in tests/mutations/;
# MODULE_MUTATIONS=0 skips that), and the testing guide's command blocks
# run as written (scripts/guide-test.sh; MODULE_GUIDE=0 skips that). The
# older CLIs run the module's own tests only: the mutations prove the tests,
# which do not change with the CLI, and cost two minutes a CLI.
#   MODULE_TEST_CLIS="terraform-path tofu-1.12.6" bash scripts/module-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
module=$PWD/examples/modules/database-with-backups # absolute: the mutations run elsewhere
clis=${MODULE_TEST_CLIS:-$(bash scripts/clis.sh matrix)}
if [ -z "${MODULE_PROOF_CLIS+set}" ]; then
  MODULE_PROOF_CLIS=""
  for c in $(bash scripts/clis.sh matrix); do
    [ "$(bash scripts/clis.sh tests "$c")" != '^TestAcc' ] || MODULE_PROOF_CLIS+=" $c"
  done
fi
proves() { [[ " $MODULE_PROOF_CLIS " == *" $1 "* ]]; }
# shellcheck source=scripts/module-mutations.sh
. scripts/module-mutations.sh
# shellcheck source=scripts/guide-test.sh
. scripts/guide-test.sh

work=$(mktemp -d)
sim_pid=""
stop_simulator() {
  if [ -n "$sim_pid" ]; then
    kill -TERM "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
  fi
}
# MODULE_TEST_KEEP=1 keeps the work directory (logs, copies) for a look.
# guide_stop ends a guide run cut short (scripts/guide-test.sh).
trap 'stop_simulator; guide_stop; if [ -n "${MODULE_TEST_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi' EXIT

echo "==> building the provider and platform-simulator"
mkdir -p "$work/plugins"
go build -o "$work/plugins/terraform-provider-platform" .
go build -o "$work/platform-simulator" ./internal/simulator/cmd/platform-simulator

cat >"$work/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/platform-iac/platform" = "$work/plugins"
    "registry.opentofu.org/platform-iac/platform" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

# The simulator answers as the platform does, except that backups complete
# without a database behind the made-up host (-dump-any-host) and the rate
# limit is off: the provider would wait it out, which only makes tests slow.
start_simulator() {
  rm -f "$work/sim.env"
  "$work/platform-simulator" -listen 127.0.0.1:0 -seed-file "$module/tests/estate.json" \
    -dump-any-host -rate-limit 0 -env-file "$work/sim.env" >"$work/simulator.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 50); do
    [ -f "$work/sim.env" ] && break
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -f "$work/sim.env" ] || { echo "platform-simulator did not start:"; cat "$work/simulator.log"; exit 1; }
}

# version_of NAME PATH prints X.Y.Z: from the name when it has one (so a CLI
# too old for any test is never built), else from the binary.
version_of() {
  case "$1" in
    terraform-[0-9]*|tofu-[0-9]*) echo "${1#*-}" ;;
    *) [ -z "$2" ] || TF_CLI_CONFIG_FILE=/dev/null "$2" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' ;;
  esac
}

# at_least VERSION MIN: whether X.Y.Z >= MIN (X.Y).
at_least() {
  local maj min want_maj want_min
  IFS=. read -r maj min _ <<<"$1"
  IFS=. read -r want_maj want_min <<<"$2"
  [ "$maj" -gt "$want_maj" ] || { [ "$maj" -eq "$want_maj" ] && [ "$min" -ge "$want_min" ]; }
}

# Minimum CLI per kind of test: mock_provider needs Terraform 1.7 /
# OpenTofu 1.8, `test` itself 1.6; the module's required_version (>= 1.8,
# for provider functions) raises Terraform to 1.8 for both kinds.
min_version() {
  case "$1:$2" in
    terraform:*) echo 1.8 ;;
    tofu:*) echo 1.8 ;;
  esac
}
reason() {
  case "$1:$2" in
    terraform:*) echo "the module needs Terraform >= 1.8 (provider functions; mocks need 1.7, terraform test 1.6)" ;;
    tofu:unit) echo "mock_provider needs OpenTofu >= 1.8" ;;
    tofu:integration) echo "the module's required_version is >= 1.8" ;;
  esac
}

summary=()
failed=0
for name in $clis; do
  case "$name" in tofu-*) flavour=tofu ;; *) flavour=terraform ;; esac
  version=$(version_of "$name" "")
  if [ -n "$version" ] && ! at_least "$version" "$(min_version "$flavour" unit)"; then
    for kind in unit integration; do
      echo "==> $name ($version): skipping $kind tests: $(reason "$flavour" "$kind")"
      summary+=("$name $kind skipped")
    done
    continue
  fi
  cli=$(bash scripts/clis.sh path "$name")
  [ -n "$version" ] || version=$(version_of "$name" "$cli")
  dir="$work/$name"
  mkdir -p "$dir"
  cp -R "$module/." "$dir/"
  # `get` installs the test-only helper module (tests/backup); init would
  # also look the overridden provider up in the registry, which dev_overrides
  # make pointless and offline machines cannot reach.
  (cd "$dir" && "$cli" get -no-color >"$work/$name.get.log" 2>&1) \
    || { cat "$work/$name.get.log"; exit 1; }
  kinds=()
  for kind in unit integration; do
    if ! at_least "$version" "$(min_version "$flavour" "$kind")"; then
      echo "==> $name ($version): skipping $kind tests: $(reason "$flavour" "$kind")"
      summary+=("$name $kind skipped")
      continue
    fi
    if [ "$kind" = integration ]; then
      start_simulator
      set -a
      # shellcheck disable=SC1091
      . "$work/sim.env"
      set +a
    else
      unset PLATFORM_ENDPOINT PLATFORM_TOKEN
    fi
    echo "==> $name ($version): $kind tests"
    kinds+=("$kind")
    start=$(date +%s.%N)
    if (cd "$dir" && "$cli" test -no-color -filter="tests/$kind.tftest.hcl"); then
      result=pass
    else
      result=FAIL
      failed=1
    fi
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    summary+=("$name $kind $result ${secs}s")
    [ "$kind" = integration ] && stop_simulator
    unset PLATFORM_ENDPOINT PLATFORM_TOKEN
  done
  if [ "${MODULE_MUTATIONS:-1}" != 0 ] && [ ${#kinds[@]} -gt 0 ] && proves "$name"; then
    echo "==> $name ($version): each run fails with its behaviour broken"
    run_mutations "$name" "$cli" "$dir" "${kinds[@]}"
  fi
  # The guide runs both kinds of test: only where both ran.
  if [ "${MODULE_GUIDE:-1}" != 0 ] && [ ${#kinds[@]} -eq 2 ] && proves "$name"; then
    guide_run "$name" "$cli"
  fi
done

echo "==> module tests of ${module#"$PWD"/}"
printf '  %s\n' "${summary[@]}"
exit "$failed"
