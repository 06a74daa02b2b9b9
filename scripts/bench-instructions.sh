#!/usr/bin/env bash
# Prints the instructions one iteration of a Go benchmark executes, counted
# by valgrind (callgrind), so a change to the provider's CPU can be compared
# on a machine whose load would swamp a timing. The count is the difference
# between runs of FEW and MANY iterations divided by their difference, which
# leaves set-up out; GOGC=off leaves the collector's timing out too (compare
# B/op and allocs/op from `go test -bench` for what it would add).
#
#   scripts/bench-instructions.sh ./internal/provider BenchmarkPlanRefresh
#   scripts/bench-instructions.sh ./internal/bench/frameworkcost 'BenchmarkFrameworkPlanRefresh$/^attributes=32' 20 100
set -euo pipefail
pkg=${1:?usage: scripts/bench-instructions.sh PACKAGE BENCHMARK-REGEXP [FEW MANY]}
re=${2:?usage: scripts/bench-instructions.sh PACKAGE BENCHMARK-REGEXP [FEW MANY]}
few=${3:-20}
many=${4:-100}
command -v valgrind >/dev/null || { echo "bench-instructions: needs valgrind" >&2; exit 2; }
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/bench.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
# valgrind cannot follow cgo's start-up nor Go's preemption signals.
CGO_ENABLED=0 go test -c -o "$bin" "$pkg"
count() {
  GODEBUG=asyncpreemptoff=1 GOGC=off GOMAXPROCS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" -test.run '^$' -test.bench "^$re\$" -test.benchtime "${1}x" -test.cpu 1 2>&1 |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
a=$(count "$few")
b=$(count "$many")
[ -n "$a" ] && [ -n "$b" ] || { echo "bench-instructions: valgrind gave no count" >&2; exit 1; }
echo "$re: $(( (b - a) / (many - few) )) instructions per iteration"
