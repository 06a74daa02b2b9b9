#!/usr/bin/env bash
# Finds or builds the Terraform/OpenTofu CLIs the acceptance suite runs against.
# Binaries are cached outside the clone, keyed by version, so every clone on a
# machine shares them. Release zips are never downloaded: the machines this
# project runs on reach only the Go module proxy, so the CLIs are built from it.
#
#   scripts/clis.sh path terraform-latest   # Terraform >= 1.11 from PATH
#   scripts/clis.sh path terraform-1.5.7    # built with `go install`
#   scripts/clis.sh path terraform-1.13.3   # built through a wrapper module
#   scripts/clis.sh path tofu-1.12.6        # built through a wrapper module
#   scripts/clis.sh all                     # prints "name path" for each
set -euo pipefail

TF_OLD_VERSION=1.5.7
TF_NEW_VERSION=1.13.3
TOFU_VERSION=1.12.6
# OpenTofu's own go.mod carries this replace; a wrapper module must repeat it.
TOFU_HCL_REPLACE='github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828'

cache="${PLATFORM_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/clis}"

log() { echo "clis: $*" >&2; }

# terraform_latest prints a terraform >= 1.11 found on PATH.
terraform_latest() {
  local tf v
  tf=$(command -v terraform 2>/dev/null) || { log "no terraform on PATH"; return 1; }
  v=$(TF_CLI_CONFIG_FILE=/dev/null "$tf" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
  case "$v" in
    1.1[1-9].*|1.[2-9][0-9].*) echo "$tf" ;;
    *) log "terraform on PATH is '$v', need >= 1.11"; return 1 ;;
  esac
}

terraform_old() {
  local dir="$cache/terraform-$TF_OLD_VERSION"
  if [ ! -x "$dir/terraform" ]; then
    log "building terraform $TF_OLD_VERSION into $dir (a few minutes, once per machine)"
    mkdir -p "$dir"
    GOBIN="$dir" GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@v$TF_OLD_VERSION" >&2
  fi
  echo "$dir/terraform"
}

# terraform_new builds a Terraform whose go.mod replaces nested modules (the
# remote-state backends and internal/legacy) with directories the module zip
# omits, so `go install` refuses it. A wrapper module requires Terraform and
# replaces each nested module with a local stub: a backend stub's New() returns
# a backend whose methods fail with "not in this build" (the suite uses only
# the local backend); any other nested module is empty (only tests import it).
terraform_new() {
  local dir="$cache/terraform-$TF_NEW_VERSION" src gomod nested m rel pkg
  if [ ! -x "$dir/terraform" ]; then
    log "building terraform $TF_NEW_VERSION into $dir (a few minutes, once per machine)"
    mkdir -p "$dir"
    src=$(mktemp -d)
    gomod=$(cd "$src" && go mod download -json "github.com/hashicorp/terraform@v$TF_NEW_VERSION" |
      sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    [ -f "$gomod" ] || { log "no go.mod for terraform $TF_NEW_VERSION"; return 1; }
    # "module => ./path" for each nested module terraform's go.mod replaces.
    nested=$(sed -n 's|^replace \(github.com/hashicorp/terraform/[^ ]*\) => \./\(.*\)$|\1 \2|p' "$gomod")
    {
      echo "module terraformbuild"
      echo
      grep -E '^(go|godebug) ' "$gomod"
      echo
      echo "require github.com/hashicorp/terraform v$TF_NEW_VERSION"
      echo
      while read -r m rel; do echo "replace $m => ./stubs/$rel"; done <<<"$nested"
    } >"$src/go.mod"
    cat >"$src/tools.go" <<'GO'
//go:build tools

package terraformbuild

import _ "github.com/hashicorp/terraform"
GO
    while read -r m rel; do
      pkg=${rel##*/}
      mkdir -p "$src/stubs/$rel"
      printf 'module %s\n\n%s\n' "$m" "$(grep -E '^go ' "$gomod")" >"$src/stubs/$rel/go.mod"
      case "$rel" in
        internal/backend/remote-state/*) sed "s/STUB/$pkg/g" >"$src/stubs/$rel/stub.go" <<'GO' ;;
// Package STUB stands in for Terraform's STUB state backend, which this
// build leaves out.
package STUB

import (
	"errors"

	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
	"github.com/zclconf/go-cty/cty"
)

var errMissing = errors.New(`the "STUB" state backend is not in this build of Terraform (built for provider tests); use the local backend`)

type missing struct{}

// New is what Terraform's backend table calls for this backend.
func New() backend.Backend { return missing{} }

func (missing) ConfigSchema() *configschema.Block { return &configschema.Block{} }

func (missing) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) {
	var diags tfdiags.Diagnostics
	return v, diags.Append(errMissing)
}

func (missing) Configure(cty.Value) tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(errMissing)
}

func (missing) StateMgr(string) (statemgr.Full, error) { return nil, errMissing }

func (missing) DeleteWorkspace(string, bool) error { return errMissing }

func (missing) Workspaces() ([]string, error) { return nil, errMissing }
GO
      esac
    done <<<"$nested"
    (cd "$src" && GOFLAGS=-mod=mod go mod tidy -e >&2 &&
      CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
        -ldflags "-w -s -X github.com/hashicorp/terraform/version.dev=no" \
        -o "$dir/terraform.tmp.$$" github.com/hashicorp/terraform >&2)
    mv "$dir/terraform.tmp.$$" "$dir/terraform"
    rm -rf "$src"
  fi
  echo "$dir/terraform"
}

tofu() {
  local dir="$cache/tofu-$TOFU_VERSION" src
  if [ ! -x "$dir/tofu" ]; then
    # version.dev=no makes it report 1.12.6 like a release, not 1.12.6-dev.
    log "building tofu $TOFU_VERSION into $dir (about 6 minutes, once per machine)"
    mkdir -p "$dir"
    src=$(mktemp -d)
    cat >"$src/go.mod" <<MOD
module tofubuild

go 1.24

require github.com/opentofu/opentofu v$TOFU_VERSION

replace $TOFU_HCL_REPLACE
MOD
    cat >"$src/tools.go" <<'GO'
//go:build tools

package tofubuild

import _ "github.com/opentofu/opentofu/cmd/tofu"
GO
    (cd "$src" && GOFLAGS=-mod=mod go mod tidy -e >&2 && GOFLAGS=-mod=mod go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$dir/tofu.tmp" github.com/opentofu/opentofu/cmd/tofu >&2)
    mv "$dir/tofu.tmp" "$dir/tofu"
    rm -rf "$src"
  fi
  echo "$dir/tofu"
}

case "${1:-}" in
  path)
    case "${2:-}" in
      terraform-latest) terraform_latest ;;
      terraform-$TF_NEW_VERSION) terraform_new ;;
      terraform-$TF_OLD_VERSION) terraform_old ;;
      tofu-$TOFU_VERSION) tofu ;;
      *) log "unknown CLI '${2:-}'"; exit 2 ;;
    esac ;;
  all)
    for n in "terraform-$TF_NEW_VERSION" terraform-latest "tofu-$TOFU_VERSION" "terraform-$TF_OLD_VERSION"; do
      echo "$n $("$0" path "$n")"
    done ;;
  *) echo "usage: $0 path NAME | all" >&2; exit 2 ;;
esac
