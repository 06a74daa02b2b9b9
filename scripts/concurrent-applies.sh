#!/usr/bin/env bash
# Several Terraform runs against one platform at once, as Terraform Cloud
# workspaces or a CI matrix do: each has its own state, directory and
# environment, and they all share the platform's per-IP rate limit.
#
#   scripts/concurrent-applies.sh [CLI-NAME]     (default terraform-latest)
#
# Needs a real platform: PLATFORM_ACC_ENDPOINT and PLATFORM_ACC_ADMIN_TOKEN
# (environments are made and checked with it), PLATFORM_ACC_OPERATOR_TOKEN
# (the runs apply with it; the admin token if unset), and, to count the
# rate-limit answers the platform gave (429, or 500 from BridgePort 2.x),
# PLATFORM_SERVER_LOG (scripts/platform.sh exports all
# of them; `make acc-platform-concurrency` starts a platform with the stock
# limit and runs this). CONCURRENT_RUNS runs (3) of CONCURRENT_DATABASES
# platform_database resources each (60) apply at the same time, then plan
# (expecting no changes), then destroy at the same time. Fails when a run
# fails, when the platform does not hold exactly what the runs made, or when
# anything is left after destroy; prints wall times and rate-limit counts.
set -euo pipefail
cd "$(dirname "$0")/.."
cli_name=${1:-terraform-latest}
runs=${CONCURRENT_RUNS:-3}
count=${CONCURRENT_DATABASES:-60}

for v in PLATFORM_ACC_ENDPOINT PLATFORM_ACC_ADMIN_TOKEN; do
  [ -n "${!v:-}" ] || { echo "concurrent-applies: set $v (e.g. eval \"\$(scripts/platform.sh start)\")" >&2; exit 2; }
done
endpoint=${PLATFORM_ACC_ENDPOINT%/}
admin=$PLATFORM_ACC_ADMIN_TOKEN
token=${PLATFORM_ACC_OPERATOR_TOKEN:-$admin}
server_log=${PLATFORM_SERVER_LOG:-}

terraform=$(bash scripts/clis.sh path "$cli_name")
work=$(mktemp -d)
env_ids=()
cleanup() {
  local id
  for id in "${env_ids[@]}"; do
    api DELETE "/api/environments/$id" >/dev/null 2>&1 || true
  done
  if [ -n "${CONCURRENT_KEEP:-}" ]; then log "kept $work (terraform output and provider logs)"; else rm -rf "$work"; fi
}
trap cleanup EXIT

log() { echo "concurrent-applies: $*" >&2; }

# api METHOD PATH [JSON]: the admin token's call, waiting out the rate limit
# (this script shares it with the runs): a 429, or BridgePort 2.x's 500 with
# x-ratelimit-remaining: 0; prints the body, fails on >= 300.
api() {
  local method=$1 path=$2 out status wait data=()
  [ -z "${3:-}" ] || data=(-H "Content-Type: application/json" --data "$3")
  for _ in $(seq 20); do
    out=$(curl -sS -m 60 -X "$method" -H "Authorization: Bearer $admin" "${data[@]}" \
      -D "$work/headers" -w '\n%{http_code}' "$endpoint$path")
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    if [ "$status" = 429 ] || { [ "$status" = 500 ] && grep -qi '^x-ratelimit-remaining: *0' "$work/headers"; }; then
      wait=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$work/headers")
      sleep "${wait:-5}"
      continue
    fi
    if [ "$status" -ge 300 ]; then
      echo "$method $path: HTTP $status: $out" >&2
      return 1
    fi
    printf '%s\n' "$out"
    return 0
  done
  echo "$method $path: still rate limited after 20 tries" >&2
  return 1
}

# field PATH: one value of the JSON on stdin (e.g. field environment.id).
field() {
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    let v = JSON.parse(s); for (const k of process.argv[1].split(".")) v = v?.[k]; console.log(v ?? "");
  })' "$1"
}

database_count() { api GET "/api/environments/$1/databases?limit=1&offset=0" | field total; }

# The platform's JSON log lines of completed requests from byte offset $1
# (fails without the log).
completed() {
  if [ -z "$server_log" ] || [ ! -f "$server_log" ]; then return 1; fi
  tail -c +"$(($1 + 1))" "$server_log" | grep '"msg":"request completed"' || true
}
# The platform's rate-limit answers: 429s, or on BridgePort 2.x 500s (a run
# that got any other 500 fails: the provider does not retry it).
platform_limited() {
  if completed "$1" >/dev/null; then completed "$1" | grep -cE '"statusCode":(429|500)[,}]' || true; else echo n/a; fi
}
platform_requests() {
  if completed "$1" >/dev/null; then completed "$1" | grep -c . || true; else echo n/a; fi
}
log_offset() { if [ -n "$server_log" ] && [ -f "$server_log" ]; then wc -c <"$server_log"; else echo 0; fi; }

log "building the provider"
mkdir -p "$work/plugins"
go build -ldflags "-X main.version=0.0.0-concurrency" -o "$work/plugins/terraform-provider-platform" .
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/platform-iac/platform" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" PLATFORM_ENDPOINT="$endpoint" PLATFORM_TOKEN="$token"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

stamp=$(date +%s)
for i in $(seq "$runs"); do
  id=$(api POST /api/environments "{\"name\":\"tfacc-conc-$stamp-$i\"}" | field environment.id)
  [ -n "$id" ] || { log "could not create environment $i"; exit 1; }
  env_ids+=("$id")
  mkdir -p "$work/run$i"
  cat >"$work/run$i/main.tf" <<TF
terraform {
  required_providers {
    platform = {
      source = "platform-iac/platform"
    }
  }
}

# Endpoint and token come from PLATFORM_ENDPOINT and PLATFORM_TOKEN.
provider "platform" {}

resource "platform_database" "db" {
  count          = $count
  environment_id = "$id"
  name           = format("conc-$i-%02d", count.index)
  type           = "postgres"
  host           = "db$i.example.test"
}
TF
done
log "$runs runs of $count databases, each in its own environment, on $("$terraform" version | sed -n 1p) against $endpoint"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# phase NAME ARGS...: runs `terraform ARGS` in every run directory at once;
# records each run's wall time and rate-limit log lines, fails if any fails.
declare -A wall
phase() {
  local name=$1 i failed=0 offset started
  shift
  offset=$(log_offset)
  started=$(now)
  for i in $(seq "$runs"); do
    (
      cd "$work/run$i"
      s=$(now)
      rc=0
      TF_LOG_PROVIDER=DEBUG TF_LOG_PATH="$work/run$i/$name.tflog" "$terraform" "$@" >"$work/run$i/$name.out" 2>&1 || rc=$?
      echo "$(since "$s") $rc" >"$work/run$i/$name.result"
    ) &
  done
  wait
  for i in $(seq "$runs"); do
    read -r secs rc <"$work/run$i/$name.result"
    wall[$name,$i]=$secs
    if [ "$name" = plan ]; then
      [ "$rc" = 0 ] || { log "run $i: plan after apply was not empty (exit $rc):"; cat "$work/run$i/$name.out" >&2; failed=1; }
    elif [ "$rc" != 0 ]; then
      log "run $i: terraform $name failed (exit $rc):"
      tail -n 40 "$work/run$i/$name.out" >&2
      failed=1
    fi
  done
  wall[$name,all]=$(since "$started")
  wall[$name,limited]=$(platform_limited "$offset")
  wall[$name,requests]=$(platform_requests "$offset")
  [ "$failed" = 0 ] || exit 1
}

# Provider-side counts of one phase of one run: rate-limit answers to it (its
# DEBUG log of every response: a 429, or a 500 with no requests remaining),
# and windows it waited out ahead of one (pacing on X-RateLimit-Remaining).
answered_limit() {
  grep 'platform API response' "$work/run$1/$2.tflog" 2>/dev/null |
    grep -cE 'status=429( |$)|status=500( .*)? ratelimit_remaining=0( |$)|ratelimit_remaining=0( .*)? status=500( |$)' || true
}
paced() { grep -c 'requests per window used up; waiting' "$work/run$1/$2.tflog" 2>/dev/null || true; }

# No terraform init: with dev_overrides there is nothing to install.
log "apply: $runs at once"
phase apply apply -auto-approve -input=false -no-color
for i in $(seq "$runs"); do
  n=$(database_count "${env_ids[$((i - 1))]}")
  [ "$n" = "$count" ] || { log "run $i: environment holds $n databases after apply, want $count"; exit 1; }
done
log "plan: $runs at once (expecting no changes)"
phase plan plan -input=false -no-color -detailed-exitcode
log "destroy: $runs at once"
phase destroy destroy -auto-approve -input=false -no-color
for i in $(seq "$runs"); do
  n=$(database_count "${env_ids[$((i - 1))]}")
  [ "$n" = 0 ] || { log "run $i: $n databases left behind after destroy"; exit 1; }
  grep -q 'Destroy complete! Resources: '"$count"' destroyed' "$work/run$i/destroy.out" ||
    { log "run $i: destroy did not report $count resources destroyed"; exit 1; }
done

echo
echo "$runs concurrent runs of $count platform_database each, one platform, $cli_name, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| phase | run | wall time | rate-limit answers to it (provider log) | windows waited (provider log) |"
echo "|---|---|---|---|---|"
for name in apply plan destroy; do
  for i in $(seq "$runs"); do
    printf '| %s | %s | %.0f s | %s | %s |\n' "$name" "$i" "${wall[$name,$i]}" "$(answered_limit "$i" "$name")" "$(paced "$i" "$name")"
  done
  printf '| %s | all | %.0f s | platform answered %s rate-limited (429, or 2.x: 500) of %s requests | |\n' \
    "$name" "${wall[$name,all]}" "${wall[$name,limited]}" "${wall[$name,requests]}"
done
echo
echo "All runs finished without error; the platform held $count databases per environment after apply and none after destroy."
