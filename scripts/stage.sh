#!/usr/bin/env bash
# Runs one stage of `make test` (and so of .ci/run, which calls it):
#
#   scripts/stage.sh NAME KEY CMD...
#
# Outside CI (no CI_STAGES) it simply runs CMD. Under .ci/run, CMD runs under
# GNU timeout when CI_TIMEOUT_<KEY> is set (KEY upper-cased, "-" as "_"; KEY
# "-" means no limit of its own), a stage that runs out says so by name, and
# a row (start, depth, name, result, seconds, lane) goes to the file CI_STAGES for
# the table .ci/run prints at the end. Nested stages are indented there.
set -uo pipefail
name=$1 key=$2
shift 2
if [ -z "${CI_STAGES:-}" ]; then
  exec "$@"
fi
lim=""
if [ "$key" != - ]; then
  var="CI_TIMEOUT_$(tr 'a-z-' 'A-Z_' <<<"$key")"
  lim=${!var:-}
fi
depth=${CI_STAGE_DEPTH:-0}
t0=$(date +%s)
export CI_STAGE_DEPTH=$((depth + 1))
if [ -n "$lim" ]; then
  timeout -k 30s "$lim" "$@"
else
  "$@"
fi
rc=$?
secs=$(($(date +%s) - t0))
case $rc in
  0) result=ok ;;
  124 | 137)
    if [ -n "$lim" ]; then
      result="TIMED OUT ($lim)"
      echo "=== stage '$name' timed out: stopped after its limit of $lim ($var sets it)" >&2
    else
      result="failed (exit $rc)"
    fi
    ;;
  *) result="failed (exit $rc)" ;;
esac
printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t0" "$depth" "$name" "$result" "$secs" "${CI_STAGE_LANE:-0}" >>"$CI_STAGES"
exit "$rc"
