#!/usr/bin/env bash
# Finds or builds the Terraform/OpenTofu CLIs the acceptance suite runs against.
# Binaries are cached outside the clone, keyed by version, so every clone on a
# machine shares them. Release zips are never downloaded: the machines this
# project runs on reach only the Go module proxy, so the CLIs are built from it.
#
#   scripts/clis.sh matrix                   # the CLIs `make test` runs, in order
#                                            # (without terraform-path when no
#                                            # terraform >= 1.11 is on PATH)
#   scripts/clis.sh newest                   # the newest Terraform in the matrix (terraform-1.16.4)
#   scripts/clis.sh tests terraform-1.12.2   # the go test -run pattern of the suite on that CLI
#   scripts/clis.sh path terraform-path      # the terraform >= 1.11 on PATH
#   scripts/clis.sh path terraform-1.16.4    # built from the module proxy
#   scripts/clis.sh path tofu-1.6.3          # built from the module proxy
#   scripts/clis.sh all                      # builds the matrix, prints "name path" for each
#
# Any released terraform-X.Y.Z or tofu-X.Y.Z the proxy serves can be named; the
# build method follows what the downloaded source needs (see build_terraform).
# terraform-latest is the old name of terraform-path and still works.
set -euo pipefail

# The newest Terraform the suite runs on: docs.sh takes the provider schema
# from it, and bench and CI name it through `scripts/clis.sh newest`.
TF_NEWEST=1.16.4
# The newest of each CLI run the whole suite; each older one runs the tests
# of the claim it is the lower end of (tests_for): Terraform 1.5.7 and
# OpenTofu 1.6.3 the oldest claims (Terraform >= 1.5, OpenTofu >= 1.6), the
# terraform on PATH (1.11.4 on CI) write-only arguments, 1.12.2 resource
# identity, 1.14.9 list resources and actions. Newest first, so a break on
# the current CLI shows up first.
MATRIX="terraform-$TF_NEWEST tofu-1.12.6 terraform-1.14.9 terraform-1.12.2 terraform-path terraform-1.5.7 tofu-1.6.3"

# What each claim's oldest CLI runs (go test -run patterns). Gated tests skip
# themselves below their version anyway; these choose, for coverage per
# minute, what the newest CLIs already cover otherwise.
TESTS_ALL='^TestAcc'
# Every resource's lifecycle and import, the data sources, import blocks and
# generated configuration, the examples, the provider's configuration, the
# read-your-writes and older-platform scenarios and one reliability run.
TESTS_OLDEST='^TestAcc(Database_(minimal|fullLifecycle|importByEnvironmentAndName|renameInPlace|typeChangeReplaces|outOfBandChanges|credentials|invalidConfig)|Backup_lifecycle|BackupSchedule_lifecycle|BackupPolicy_(presets|drift)|DatabaseDataSource_lookups|DatabasesDataSource_pagesAndFilters|BackupsDataSource_filters|EnvironmentDataSource_byNameAndID|Examples_.*|DatabaseAdoption_.*|DatabaseForceDestroy_deletesBackups|Provider_(environmentVariables|tls)|DataSources_.*|OlderPlatform_.*|Reliability_faultsCreateUpdateDestroy|Secrets_neverLeak|FunctionParseDatabaseURL_.*)$'
TESTS_WRITE_ONLY='^TestAcc(Database_(writeOnlyPassword|credentials|credentialsInvalid|invalidConfig)|Examples_databaseWriteOnly|Secrets_neverLeak)$'
TESTS_IDENTITY='^TestAcc(Identity_.*|.*_identity|.*_importByIdentity.*|Examples_databaseImportByIdentity)$'
TESTS_QUERY_AND_ACTIONS='^TestAcc(.*List_.*|ListResources_.*|.*Action_.*|Examples_(actions|validate)|DatabaseAdoption_generateConfig)$'

# tests_for NAME prints the -run pattern of the suite on CLI NAME.
tests_for() {
  case "$1" in
    "terraform-$TF_NEWEST" | tofu-1.12.6) echo "$TESTS_ALL" ;;
    terraform-1.14.9) echo "$TESTS_QUERY_AND_ACTIONS" ;;
    terraform-1.12.2) echo "$TESTS_IDENTITY" ;;
    terraform-path | terraform-latest) echo "$TESTS_WRITE_ONLY" ;;
    terraform-1.5.7 | tofu-1.6.3) echo "$TESTS_OLDEST" ;;
    *) echo "$TESTS_ALL" ;; # a CLI named by hand runs everything
  esac
}

cache="${PLATFORM_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/clis}"

log() { echo "clis: $*" >&2; }

# terraform_path prints a terraform >= 1.11 found on PATH.
terraform_path() {
  local tf v
  tf=$(command -v terraform 2>/dev/null) || { log "no terraform on PATH"; return 1; }
  v=$(TF_CLI_CONFIG_FILE=/dev/null "$tf" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
  case "$v" in
    1.1[1-9].*|1.[2-9][0-9].*) echo "$tf" ;;
    *) log "terraform on PATH is '$v', need >= 1.11"; return 1 ;;
  esac
}

# cached NAME BINARY BUILDER ARGS... prints $cache/NAME/BINARY, first running
# BUILDER ARGS with a temporary output path appended when it is missing.
# A lock keeps two clones (or two `make` runs) from building the same CLI at
# once, and the rename keeps a half-built binary out of the cache.
cached() {
  local name=$1 bin=$2 dir start
  shift 2
  dir="$cache/$name"
  if [ ! -x "$dir/$bin" ]; then
    mkdir -p "$dir"
    (
      if command -v flock >/dev/null; then
        exec 9>"$dir/.lock"
        flock 9
      fi
      if [ ! -x "$dir/$bin" ]; then
        start=$SECONDS
        log "building $name into $dir (several minutes, once per machine)"
        # The builders return non-zero on failure (errexit is off in here).
        if ! "$@" "$dir/$bin.tmp.$$"; then
          rm -rf "$dir/$bin.tmp.$$"
          log "building $name failed"
          exit 1
        fi
        mv "$dir/$bin.tmp.$$" "$dir/$bin"
        log "built $name in $((SECONDS - start)) s"
      fi
    )
  fi
  echo "$dir/$bin"
}

# download MODULE VERSION downloads the module into the module cache and
# prints `go mod download -json` about it.
download() {
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && go mod download -json "$1@v$2")
  rmdir "$tmp"
}

# field NAME prints field NAME of the `go mod download -json` on stdin.
field() { sed -n 's/^[[:space:]]*"'"$1"'": "\(.*\)",\{0,1\}$/\1/p'; }

# wrapper_gomod MODULE VERSION GOMOD writes, on stdout, the go.mod of a module
# that requires MODULE and repeats its go line, godebug settings and the
# replaces that point at other modules (a dependency's replaces are ignored,
# so a wrapper must repeat them; OpenTofu replaces hcl with its fork).
wrapper_gomod() {
  local module=$1 version=$2 gomod=$3
  echo "module clibuild"
  echo
  grep -E '^go ' "$gomod"
  # godebug as one line or as a block.
  sed -n '/^godebug (/,/^)/p; /^godebug [^(]/p' "$gomod"
  echo
  echo "require $module v$version"
  echo
  grep -E '^replace .* => [^.]' "$gomod" || true
  sed -n '/^replace (/,/^)/p' "$gomod" | grep -E '=> [^.]' | sed 's/^[[:space:]]*/replace /' || true
}

# build_terraform VERSION OUT builds Terraform VERSION into OUT.
#
# Up to 1.5 Terraform is one module, built like OpenTofu (build_trimmed). Later go.mod
# files replace nested modules (the remote-state backends and internal/legacy)
# with directories the module zip omits, so `go install` refuses them. Then a
# wrapper module requires Terraform and replaces each nested module with a
# local stub: a backend stub's New() returns a backend whose methods fail with
# "not in this build" (the suite uses only the local backend); any other
# nested module is empty (only tests import it). The stub implements the
# backend.Backend interface of the version at hand: from 1.14 StateMgr,
# DeleteWorkspace and Workspaces return tfdiags.Diagnostics, before that error.
build_terraform() {
  local version=$1 out=$2 info gomod srcdir src nested m rel pkg result fail
  info=$(download github.com/hashicorp/terraform "$version") || true
  gomod=$(field GoMod <<<"$info")
  srcdir=$(field Dir <<<"$info")
  if [ ! -f "$gomod" ] || [ ! -d "$srcdir" ]; then
    log "terraform $version is not on the module proxy: $(field Error <<<"$info")"
    return 1
  fi
  # "module => ./path" for each nested module terraform's go.mod replaces.
  nested=$(sed -n 's|^replace \(github.com/hashicorp/terraform/[^ ]*\) => \./\(.*\)$|\1 \2|p' "$gomod")
  if [ -z "$nested" ]; then
    build_trimmed github.com/hashicorp/terraform "$version" "$gomod" "$srcdir" github.com/hashicorp/terraform Terraform "$out"
    return
  fi
  # The stubs' error type follows the Backend interface in the downloaded source.
  result=$(backend_result "$srcdir/internal/backend/backend.go") || return 1
  case "$result" in
    error) fail='return errMissing' ;;
    tfdiags.Diagnostics) fail='var diags tfdiags.Diagnostics
	return diags.Append(errMissing)' ;;
  esac
  src=$(mktemp -d)
  {
    wrapper_gomod github.com/hashicorp/terraform "$version" "$gomod"
    while read -r m rel; do echo "replace $m => ./stubs/$rel"; done <<<"$nested"
  } >"$src/go.mod"
  cat >"$src/tools.go" <<'GO'
//go:build tools

package clibuild

import _ "github.com/hashicorp/terraform"
GO
  while read -r m rel; do
    pkg=${rel##*/}
    mkdir -p "$src/stubs/$rel"
    printf 'module %s\n\n%s\n' "$m" "$(grep -E '^go ' "$gomod")" >"$src/stubs/$rel/go.mod"
    case "$rel" in
      internal/backend/remote-state/*)
        sed -e "s/STUB/$pkg/g" -e "s/RESULT/$result/g" >"$src/stubs/$rel/stub.go" <<'GO'
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

func (missing) StateMgr(string) (statemgr.Full, RESULT) { return nil, fail() }

func (missing) DeleteWorkspace(string, bool) RESULT { return fail() }

func (missing) Workspaces() ([]string, RESULT) { return nil, fail() }
GO
        printf '\nfunc fail() %s {\n\t%s\n}\n' "$result" "$fail" >>"$src/stubs/$rel/stub.go" ;;
    esac
  done <<<"$nested"
  (cd "$src" && GOFLAGS=-mod=mod go mod tidy -e >&2 &&
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-w -s -X github.com/hashicorp/terraform/version.dev=no" \
      -o "$out" github.com/hashicorp/terraform >&2) || { rm -rf "$src"; return 1; }
  rm -rf "$src"
}

# backend_result FILE prints the error type of the workspace methods of the
# backend.Backend interface in FILE: "error" or "tfdiags.Diagnostics".
backend_result() {
  local iface r seen=""
  iface=$(sed -n '/^type Backend interface {/,/^}/p' "$1")
  for m in 'StateMgr(' 'DeleteWorkspace(' 'Workspaces('; do
    r=$(grep -E "^[[:space:]]*${m%(}\(" <<<"$iface" | grep -oE '(error|tfdiags\.Diagnostics)\)?$' | tr -d ')') || true
    if [ -z "$r" ] || { [ -n "$seen" ] && [ "$r" != "$seen" ]; }; then
      log "cannot tell the backend.Backend error type from $1 (${m%(}: '${r}'); the stubs in scripts/clis.sh need updating"
      return 1
    fi
    seen=$r
  done
  echo "$seen"
}

# build_tofu VERSION OUT builds OpenTofu VERSION into OUT (cmd/tofu is a
# package of the opentofu module, not a module of its own).
build_tofu() {
  local version=$1 out=$2 info gomod srcdir
  info=$(download github.com/opentofu/opentofu "$version") || true
  gomod=$(field GoMod <<<"$info")
  srcdir=$(field Dir <<<"$info")
  if [ ! -f "$gomod" ] || [ ! -d "$srcdir" ]; then
    log "tofu $version is not on the module proxy: $(field Error <<<"$info")"
    return 1
  fi
  build_trimmed github.com/opentofu/opentofu "$version" "$gomod" "$srcdir" github.com/opentofu/opentofu/cmd/tofu OpenTofu "$out"
}

# The remote state backends a one-module CLI (OpenTofu, Terraform up to 1.5)
# is built without, as Terraform from 1.6 is (its are nested modules, see
# build_terraform): the suite uses only the local backend, and their cloud
# SDKs (Kubernetes, Azure, Google Cloud, AWS, Alibaba, Tencent) are about a
# third of the Go source such a build compiles (OpenTofu 1.12.6: 95 MB of
# dependencies' source, 67 MB without them), on a cold machine minutes of
# the two cores CI shares with everything else. http and inmem stay.
TRIMMED_BACKENDS='azure consul cos gcs kubernetes oss pg s3'

# trim_backends INIT-GO NAME drops the TRIMMED_BACKENDS from a backend
# table (internal/backend/init/init.go): their imports and table rows go,
# and their names join RemovedBackends, so that a configuration naming one
# fails at init with a message saying why. It fails when the file is not
# laid out as expected (one import and one row per backend), so that a new
# release's layout is noticed rather than built as it is.
trim_backends() {
  local file=$1 name=$2 b alias pkgs rows msg tmp
  pkgs=$(sed 's/ /|/g' <<<"$TRIMMED_BACKENDS")
  tmp=$(mktemp)
  # The rows name the imported package by its alias (backendS3.New(...)).
  alias=$(sed -nE 's#^[[:space:]]*([A-Za-z0-9_]+) "[^"]*/internal/backend/remote-state/('"$pkgs"')"$#\1#p' "$file" | paste -sd'|')
  rows=$(grep -cE "\b($alias)\.New\(" "$file" || true)
  if [ "$(wc -w <<<"$TRIMMED_BACKENDS")" -ne "$(wc -w <<<"${alias//|/ }")" ] || [ "$rows" -ne "$(wc -w <<<"$TRIMMED_BACKENDS")" ] ||
    ! grep -qE '^[[:space:]]*RemovedBackends = map\[string\]string\{$' "$file"; then
    log "cannot trim the state backends of $file (imports: '$alias', rows: $rows); scripts/clis.sh needs updating"
    rm -f "$tmp"
    return 1
  fi
  {
    sed -E "/^[[:space:]]*($alias) \"/d; /\b($alias)\.New\(/d; /^[[:space:]]*RemovedBackends = map\[string\]string\{\$/q" "$file"
    for b in $(sed -nE 's/^[[:space:]]*"([a-z0-9]+)": .*\b('"$alias"')\.New\(.*/\1/p' "$file"); do
      msg="The \"$b\" state backend is not in this build of $name (built for provider tests); use the local backend."
      printf '\t\t"%s": `%s`,\n' "$b" "$msg"
    done
    sed -E '1,/^[[:space:]]*RemovedBackends = map\[string\]string\{$/d' "$file"
  } >"$tmp"
  mv "$tmp" "$file"
}

# build_trimmed MODULE VERSION GOMOD SRCDIR PACKAGE NAME OUT builds PACKAGE
# of a one-module CLI from a copy of its source without TRIMMED_BACKENDS,
# through a wrapper module that replaces MODULE with the copy.
# version.dev=no makes it report X.Y.Z like a release, not X.Y.Z-dev (a
# variable older releases lack, which the linker then ignores).
build_trimmed() {
  local module=$1 version=$2 gomod=$3 srcdir=$4 pkg=$5 name=$6 out=$7 src
  src=$(mktemp -d)
  cp -r "$srcdir" "$src/cli" && chmod -R u+w "$src/cli" &&
    trim_backends "$src/cli/internal/backend/init/init.go" "$name" || { rm -rf "$src"; return 1; }
  {
    wrapper_gomod "$module" "$version" "$gomod"
    echo "replace $module => ./cli"
  } >"$src/go.mod"
  printf '//go:build tools\n\npackage clibuild\n\nimport _ "%s"\n' "$pkg" >"$src/tools.go"
  (cd "$src" && GOFLAGS=-mod=mod go mod tidy -e >&2 &&
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-w -s -X $module/version.dev=no" \
      -o "$out" "$pkg" >&2) || { rm -rf "$src"; return 1; }
  rm -rf "$src"
}

path() {
  case "$1" in
    terraform-path|terraform-latest) terraform_path ;;
    terraform-[0-9]*.[0-9]*.[0-9]*) cached "$1" terraform build_terraform "${1#terraform-}" ;;
    tofu-[0-9]*.[0-9]*.[0-9]*) cached "$1" tofu build_tofu "${1#tofu-}" ;;
    *) log "unknown CLI '$1' (terraform-path, terraform-X.Y.Z or tofu-X.Y.Z)"; return 2 ;;
  esac
}

case "${1:-}" in
  path) path "${2:?usage: $0 path NAME}" ;;
  matrix)
    # terraform-path is the one CLI this script cannot build: without a
    # terraform >= 1.11 on PATH the matrix goes without it, saying so.
    m=$MATRIX
    if [[ " $m " == *" terraform-path "* ]] && ! terraform_path >/dev/null 2>&1; then
      log "skipping terraform-path: no terraform >= 1.11 on PATH ($(terraform_path 2>&1 >/dev/null | sed 's/^clis: //'))"
      m=$(sed 's/ *terraform-path */ /; s/^ //; s/ $//' <<<"$m")
    fi
    echo "$m" ;;
  newest) echo "terraform-$TF_NEWEST" ;;
  tests) tests_for "${2:?usage: $0 tests NAME}" ;;
  all)
    for n in $("$0" matrix); do
      echo "$n $("$0" path "$n")"
    done ;;
  *) echo "usage: $0 path NAME | matrix | newest | tests NAME | all" >&2; exit 2 ;;
esac
