# shellcheck shell=bash
# Sourced by scripts/module-test.sh: shows that every `terraform test` run of
# the example module can fail. tests/mutations/<kind>.<run>.patch breaks the
# behaviour run <run> of tests/<kind>.tftest.hcl names (its first line says
# how, an optional "Expect:" line a text the failure must contain);
# run_mutations applies each patch to a fresh copy of the module and passes
# only if that run then fails, for that reason. A run without a patch, or a
# patch without its run, fails too, so a new test comes with its mutation.
# A test that passed with its behaviour broken would prove nothing: the
# example's mocked check once passed whatever its condition said, because
# the mock itself failed inside the check block.
#
# Uses from module-test.sh: $module, $work, start_simulator, stop_simulator
# and the TF_CLI_CONFIG_FILE it exports.

# squash: the text on one line, runs of white space as one space (the CLIs
# wrap long diagnostics).
squash() { tr -s '[:space:]' ' '; }

# run_mutations NAME CLI DIR KIND... runs the mutations of the test files of
# each KIND on CLI; DIR is a copy of the module with its modules installed.
# Appends "NAME mutations …" to summary and sets failed=1 on any failure.
run_mutations() {
  local name=$1 cli=$2 dir=$3 kind run patch copy out status expect got n=0 bad=0 start secs
  shift 3
  start=$(date +%s.%N)
  for kind in "$@"; do
    while read -r run; do
      [ -f "$module/tests/mutations/$kind.$run.patch" ] || {
        echo "==> $name: run \"$run\" of tests/$kind.tftest.hcl has no mutation (tests/mutations/$kind.$run.patch)"
        bad=$((bad + 1))
      }
    done < <(sed -n 's/^run "\([^"]*\)".*/\1/p' "$module/tests/$kind.tftest.hcl")
  done
  for patch in "$module"/tests/mutations/*.patch; do
    kind=$(basename "$patch" .patch)
    run=${kind#*.}
    kind=${kind%%.*}
    grep -q "^run \"$run\"" "$module/tests/$kind.tftest.hcl" 2>/dev/null || {
      echo "==> $name: $(basename "$patch") names no run of tests/$kind.tftest.hcl"
      bad=$((bad + 1))
      continue
    }
    case " $* " in *" $kind "*) ;; *) continue ;; esac
    n=$((n + 1))
    copy="$work/$name.mutation"
    rm -rf "$copy"
    cp -R "$dir" "$copy"
    if ! (cd "$copy" && git apply -p1 "$patch"); then
      echo "==> $name: $(basename "$patch") does not apply to the module"
      bad=$((bad + 1))
      continue
    fi
    if [ "$kind" = integration ]; then
      start_simulator
      set -a
      # shellcheck disable=SC1091
      . "$work/sim.env"
      set +a
    fi
    out=$(cd "$copy" && "$cli" test -no-color -filter="tests/$kind.tftest.hcl" 2>&1) || true
    [ "$kind" = integration ] && stop_simulator
    unset PLATFORM_ENDPOINT PLATFORM_TOKEN
    status=$(sed -n "s/^ *run \"$run\"\.\.\. \([a-z]*\)\$/\1/p" <<<"$out" | head -1)
    expect=$(sed -n 's/^Expect: //p' "$patch")
    got=killed
    if [ "$status" != fail ]; then
      got="not killed: the run's result was '${status:-missing}'"
    elif [ -n "$expect" ] && ! squash <<<"$out" | grep -qF -- "$(squash <<<"$expect" | sed 's/ $//')"; then
      got="failed, but not with \"$expect\""
    fi
    if [ "$got" = killed ]; then
      echo "    $kind.$run: fails when $(head -1 "$patch" | sed 's/^Breaks: //')"
    else
      echo "==> $name: $kind.$run $got with $(basename "$patch") applied:"
      echo "$out" | sed 's/^/    /'
      bad=$((bad + 1))
    fi
  done
  rm -rf "$work/$name.mutation"
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  if [ "$bad" -eq 0 ]; then
    summary+=("$name mutations pass ($n of $n runs fail when broken) ${secs}s")
  else
    summary+=("$name mutations FAIL ($bad problems) ${secs}s")
    failed=1
  fi
}
