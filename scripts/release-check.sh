#!/usr/bin/env bash
# Builds the release locally with the pinned goreleaser in snapshot mode (no
# publishing) and checks dist/ has what the Terraform Registry needs: one zip
# per platform holding the versioned binary, the SHA256SUMS file covering
# every zip and the manifest, its detached GPG signature, and a binary that
# reports the version injected at link time. Beside them, one
# platform-simulator zip per platform, which the registry's files (sums,
# signature, provider zips) must not mention or contain.
#
# The release key never comes near this script: when gpg is installed it
# signs with a throwaway key made in a temporary GNUPGHOME (exercising the
# `signs` section exactly as a release does); without gpg it skips signing.
#   release-check.sh                 build, then check
#   release-check.sh --verify-only   check an existing dist/ again
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'gpgconf --homedir "$tmp/gnupg" --kill all >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
signed=false
if command -v gpg >/dev/null; then
  signed=true
  export GNUPGHOME="$tmp/gnupg"
  mkdir -m 700 "$GNUPGHOME"
fi

if [ "${1:-}" != --verify-only ]; then
  goreleaser=$(bash scripts/tools.sh path goreleaser)
  if $signed; then
    gpg --batch --quiet --passphrase '' --quick-gen-key "release-check <release-check@invalid>" ed25519 sign 1d
    GPG_FINGERPRINT=$(gpg --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }') \
      "$goreleaser" release --snapshot --clean --skip=publish
  else
    echo "release-check: gpg not installed, skipping signing" >&2
    "$goreleaser" release --snapshot --clean --skip=publish,sign
  fi
fi

project=terraform-provider-platform
version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' dist/metadata.json)
[ -n "$version" ] || { echo "release-check: no version in dist/metadata.json" >&2; exit 1; }
fail() { echo "release-check: $*" >&2; exit 1; }

platforms="linux_amd64 linux_arm64 linux_arm darwin_amd64 darwin_arm64 windows_amd64 windows_arm64 freebsd_amd64 freebsd_arm64"
sums="dist/${project}_${version}_SHA256SUMS"
[ -f "$sums" ] || fail "missing $sums"
for p in $platforms; do
  zip="${project}_${version}_${p}.zip"
  [ -f "dist/$zip" ] || fail "missing dist/$zip"
  grep -q "  $zip\$" "$sums" || fail "$zip is not in $(basename "$sums")"
  (cd dist && grep "  $zip\$" "$(basename "$sums")" | sha256sum -c --quiet -) || fail "checksum of $zip does not match"
  bin="${project}_v${version}"
  case $p in windows_*) bin="$bin.exe" ;; esac
  files=$(unzip -Z1 "dist/$zip")
  grep -qx "$bin" <<<"$files" || fail "$zip does not contain $bin"
  # The provider binary and goreleaser's default documents, nothing else:
  # the registry runs the one terraform-provider-* executable it finds.
  others=$(grep -vx -e "$bin" -e LICENSE -e README.md -e CHANGELOG.md <<<"$files" || true)
  [ -z "$others" ] || fail "$zip holds more than the provider binary: $others"

  sim_zip="platform-simulator_${version}_${p}.zip"
  [ -f "dist/$sim_zip" ] || fail "missing dist/$sim_zip"
  sim_bin=platform-simulator
  case $p in windows_*) sim_bin="$sim_bin.exe" ;; esac
  unzip -Z1 "dist/$sim_zip" | grep -qx "$sim_bin" || fail "$sim_zip does not contain $sim_bin"
  ! grep -q "platform-simulator" "$sums" || fail "$(basename "$sums") lists a simulator file; the registry reads every zip it lists as a provider package"
done
n=$(ls dist/"${project}"_*.zip | wc -l)
[ "$n" -eq 9 ] || fail "expected 9 provider zips, found $n"
n_sim=$(ls dist/platform-simulator_*.zip | wc -l)
[ "$n_sim" -eq 9 ] || fail "expected 9 platform-simulator zips, found $n_sim"
# Nothing else: a sums file that lists its own signature was rewritten after
# signing, and the signature no longer verifies.
lines=$(wc -l <"$sums")
[ "$lines" -eq 10 ] || fail "$(basename "$sums") lists $lines files, want the 9 zips and the manifest"

manifest="${project}_${version}_manifest.json"
grep -q "  $manifest\$" "$sums" || fail "$manifest is not in $(basename "$sums")"
# The sums list the manifest by its release name; its content is the repo file.
want=$(grep "  $manifest\$" "$sums" | cut -d' ' -f1)
got=$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)
[ "$want" = "$got" ] || fail "the SHA256SUMS entry for $manifest does not match terraform-registry-manifest.json"
grep -q '"protocol_versions": *\["6.0"\]' terraform-registry-manifest.json || fail "manifest does not declare protocol 6.0"
# A release uploads it under that name (release.extra_files); do the same
# here so dist/ holds the complete set of registry files.
cp terraform-registry-manifest.json "dist/$manifest"

sig="$sums.sig"
if $signed && [ "${1:-}" != --verify-only ]; then
  [ -f "$sig" ] || fail "missing $sig"
  gpg --batch --quiet --verify "$sig" "$sums" || fail "$(basename "$sig") does not verify"
fi

# The linux/amd64 binary (this machine) must report the injected version,
# not "dev": proof that -X main.version reached the linker.
unzip -q "dist/${project}_${version}_linux_amd64.zip" -d "$tmp"
reported=$("$tmp/${project}_v${version}" -version)
[ "$reported" = "$version" ] || fail "binary reports version '$reported', want '$version'"
unzip -q "dist/platform-simulator_${version}_linux_amd64.zip" platform-simulator -d "$tmp"
sim_reported=$("$tmp/platform-simulator" -version)
[ "$sim_reported" = "$version" ] || fail "platform-simulator reports version '$sim_reported', want '$version'"

echo "release-check: $n provider zips, $(basename "$sums") (zips + manifest)$([ -f "$sig" ] && echo ", signature"), binary reports $reported; $n_sim platform-simulator zips, reporting $sim_reported"
