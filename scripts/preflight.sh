#!/usr/bin/env bash
# Names every tool a part of the project needs that this machine lacks, with
# the Debian package that provides it, and fails when one is missing; silent
# but for one line when all are there.
#
#   scripts/preflight.sh test       what `make test` needs (it runs this first)
#   scripts/preflight.sh platform   what scripts/platform.sh needs to build and
#                                   run the real platform (it runs this first)
#   scripts/preflight.sh ci         what .ci/run needs besides: `test`, and GNU
#                                   timeout and setsid for its stages
#   scripts/preflight.sh ci platform ...   several at once
#
# Only the tools are checked, not the network: the Go module proxy (Go
# modules, the CLIs and tools), and for the platform the npm registry.
set -euo pipefail

missing=()  # "tool|what for|package"
packages=() # Debian packages to install, each once
checked=()

need() { # need TOOL PACKAGE WHAT-FOR
  checked+=("$1")
  command -v "$1" >/dev/null 2>&1 || missing+=("$1|$3|$2")
}

# version_at_least HAVE WANT: dotted versions, numerically.
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# The usual tools of a Debian base system that the scripts use; named anyway,
# as a container image may lack some.
base() {
  need bash bash "every script"
  need sed sed "every script"
  need grep grep "every script"
  need awk mawk "scripts/module-test.sh"
  need sort coreutils "every script"
  need mktemp coreutils "every script"
  need sha256sum coreutils "scripts/platform.sh, scripts/release-check.sh"
}

check_test() {
  base
  # Go 1.21 and later fetch the toolchain go.mod names from the module proxy
  # by themselves (GOTOOLCHAIN=auto); Debian 12's golang-go (1.19) is too old.
  local go_pkg="golang-go (Debian >= 13 or bookworm-backports; any go >= 1.21 fetches the toolchain go.mod names, or see https://go.dev/dl)"
  checked+=(go)
  if ! command -v go >/dev/null 2>&1; then
    missing+=("go|building and testing|$go_pkg")
  else
    local v
    v=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null | sed 's/^go//; s/[^0-9.].*//')
    if [ -n "$v" ] && ! version_at_least "$v" 1.21; then
      missing+=("go >= 1.21 (this one is $v)|building and testing|$go_pkg")
    fi
  fi
  need git git "make vet and make docs-check (git ls-files, git diff)"
  need make make "running make test"
  # go test -race needs cgo, and cgo a C compiler (CC, else gcc) with libc's
  # headers.
  local cc=${CC:-gcc}
  checked+=("$cc")
  if ! command -v "$cc" >/dev/null 2>&1; then
    missing+=("$cc|go test -race (cgo)|gcc")
  elif ! printf '#include <stdlib.h>\nint main(void) { return 0; }\n' | "$cc" -x c -o /dev/null - >/dev/null 2>&1; then
    missing+=("libc headers ($cc cannot compile a C program)|go test -race (cgo)|libc6-dev")
  fi
}

check_platform() {
  base
  checked+=(node)
  if ! command -v node >/dev/null 2>&1; then
    missing+=("node >= 20.19|building and running the platform|nodejs (>= 20.19: Debian >= 13, or NodeSource's on Debian 12)")
  else
    local v
    v=$(node --version 2>/dev/null | sed 's/^v//')
    if ! version_at_least "$v" 20.19; then
      missing+=("node >= 20.19 (this one is $v)|building and running the platform|nodejs (>= 20.19: Debian >= 13, or NodeSource's on Debian 12)")
    fi
  fi
  need npm npm "installing pnpm (NodeSource's nodejs includes npm)"
  need python3 python3 "node-gyp (better-sqlite3 compiles from source)"
  need make make "node-gyp"
  need g++ g++ "node-gyp (better-sqlite3 compiles from source)"
  need tar tar "unpacking the source"
  need gzip gzip "unpacking the source"
  need base64 coreutils "the instance's secrets"
  need flock util-linux "the build lock"
  need setsid util-linux "running the server apart from the caller's terminal"
  need curl curl "waiting for /health"
}

check_ci() {
  check_test
  need timeout coreutils "the time limit of each .ci/run stage"
  need setsid util-linux ".ci/run's platform build in a process group of its own"
}

[ $# -gt 0 ] || set -- test
for what in "$@"; do
  case "$what" in
    test) check_test ;;
    platform) check_platform ;;
    ci) check_ci ;;
    *) echo "usage: scripts/preflight.sh test|platform|ci ..." >&2; exit 2 ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "preflight ($*): all $(printf '%s\n' "${checked[@]}" | sort -u | wc -l) tools found" >&2
  exit 0
fi

echo "preflight ($*): missing on this machine:" >&2
seen=" "
for m in "${missing[@]}"; do
  IFS='|' read -r tool what pkg <<<"$m"
  case "$seen" in *" $tool "*) continue ;; esac
  seen="$seen$tool "
  printf '  %-28s for %s; Debian package: %s\n' "$tool" "$what" "$pkg" >&2
  case "$pkg" in
    *" "*) ;; # a package with a caveat: said above, not in the command below
    *) case " ${packages[*]:-} " in *" $pkg "*) ;; *) packages+=("$pkg") ;; esac ;;
  esac
done
if [ ${#packages[@]} -gt 0 ]; then
  echo "  apt-get install ${packages[*]}" >&2
fi
exit 1
