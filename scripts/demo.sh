#!/usr/bin/env bash
# make demo: builds the provider and the API simulator, starts the simulator
# on a free loopback port, applies examples/demo with the real Terraform CLI
# through dev_overrides, shows the outputs and that a second plan is empty,
# destroys, and cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

terraform=$(bash scripts/clis.sh path terraform-latest)
echo "==> building the provider and the simulator"
mkdir -p "$work/plugins"
go build -ldflags "-X main.version=0.0.0-demo" -o "$work/plugins/terraform-provider-platform" .
go build -o "$work/platform-simulator" ./internal/simulator/cmd/platform-simulator

token=bport_pat_demo_operator
"$work/platform-simulator" -listen 127.0.0.1:0 -env demo -operator-token "$token" >"$work/simulator.log" 2>&1 &
sim_pid=$!
for _ in $(seq 50); do
  grep -q 'listening on' "$work/simulator.log" && break
  sleep 0.1
done
endpoint=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/simulator.log" | head -n 1)
[ -n "$endpoint" ] || { echo "simulator did not start:"; cat "$work/simulator.log"; exit 1; }
echo "==> simulator at $endpoint"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/platform-iac/platform" = "$work/plugins"
  }
  direct {}
}
RC
cp examples/demo/*.tf "$work/"
export TF_CLI_CONFIG_FILE="$work/terraformrc" PLATFORM_ENDPOINT="$endpoint" PLATFORM_TOKEN="$token"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
tf() { (cd "$work" && "$terraform" "$@"); }

echo "==> terraform apply ($("$terraform" version | head -n 1))"
tf apply -auto-approve -input=false -no-color -compact-warnings
echo "==> outputs"
tf output -no-color
echo "==> second plan (expect no changes)"
tf plan -input=false -no-color -detailed-exitcode >"$work/plan.log" 2>&1 && echo "No changes: the platform matches the configuration." \
  || { cat "$work/plan.log"; echo "demo: the second plan was not empty"; exit 1; }
echo "==> terraform destroy"
tf destroy -auto-approve -input=false -no-color -compact-warnings >"$work/destroy.log" 2>&1 \
  || { cat "$work/destroy.log"; exit 1; }
grep 'Destroy complete' "$work/destroy.log"
echo "==> done (simulator stopped, temp dir $work removed)"
