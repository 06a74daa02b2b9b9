#!/usr/bin/env bash
# Builds the release locally with the pinned goreleaser in snapshot mode (no
# publishing, no signing: no GPG key here) and checks dist/ has what the
# Terraform Registry needs: one zip per platform holding the versioned
# binary, the SHA256SUMS file covering every zip and the manifest, and a
# binary that reports the version injected at link time.
#   release-check.sh                 build, then check
#   release-check.sh --verify-only   check an existing dist/ again
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != --verify-only ]; then
  goreleaser=$(bash scripts/tools.sh path goreleaser)
  "$goreleaser" release --snapshot --clean --skip=publish,sign
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
done
n=$(ls dist/*.zip | wc -l)
[ "$n" -eq 9 ] || fail "expected 9 zips, found $n"

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

# The linux/amd64 binary (this machine) must report the injected version,
# not "dev": proof that -X main.version reached the linker.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q "dist/${project}_${version}_linux_amd64.zip" -d "$tmp"
reported=$("$tmp/${project}_v${version}" -version)
[ "$reported" = "$version" ] || fail "binary reports version '$reported', want '$version'"

echo "release-check: $n zips, $(basename "$sums") (zips + manifest), binary reports $reported"
