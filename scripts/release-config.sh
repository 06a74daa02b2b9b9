#!/usr/bin/env bash
# Validates .goreleaser.yml with the pinned goreleaser (`goreleaser check`),
# and records each pass in .goreleaser.checked: the file's SHA-256 and the
# goreleaser version that passed it.
#
# The check is a function of those two alone, so a machine without
# goreleaser built (a new CI machine: its build compiles about 66 MB of Go
# source, minutes of the two cores everything else needs) takes the record
# for the check when it names the file as it is and the pinned version, and
# says so. Any other change to the file, or a new pin, builds goreleaser and
# checks again; a machine that has goreleaser always checks.
#
#   release-config.sh           check, or take a current record on a machine without goreleaser
#   release-config.sh --build   always build goreleaser and check
set -euo pipefail
cd "$(dirname "$0")/.."

config=.goreleaser.yml
record=.goreleaser.checked
version=$(bash scripts/tools.sh version goreleaser)
want="$(sha256sum "$config" | cut -d' ' -f1)  $config  goreleaser $version"
have=$(grep -v '^#' "$record" 2>/dev/null || true)

if [ "${1:-}" != --build ] && ! bash scripts/tools.sh has goreleaser && [ "$have" = "$want" ]; then
  echo "release-config: $config is unchanged since goreleaser $version checked it ($record);" \
    "goreleaser is not built on this machine, so it is not built for this (make release-config-build does)"
  exit 0
fi

"$(bash scripts/tools.sh path goreleaser)" check
if [ "$have" != "$want" ]; then
  {
    echo "# Written by scripts/release-config.sh when goreleaser check passes: commit it with .goreleaser.yml."
    echo "$want"
  } >"$record"
  echo "release-config: recorded the pass in $record (commit it with $config)"
fi
