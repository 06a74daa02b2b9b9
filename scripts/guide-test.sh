# shellcheck shell=bash
# Sourced by scripts/module-test.sh: runs every ```shell block of the testing
# guide (docs/guides/testing-modules.md, as the registry shows it) as written,
# in order, in one bash started in an empty directory, with the CLI under
# test as `terraform` on PATH, and fails when any command fails.
#
# The reader's machine is stood in for, never the guide's commands:
#   - HOME is empty, and its git configuration sends the guide's clone of
#     https://github.com/platform-iac/terraform-provider-platform.git to a
#     snapshot of this working tree (tracked and untracked files, not the
#     ignored ones), so the guide is tested with the module and the code
#     beside it;
#   - `go install …@latest` finds that snapshot as version v0.1.0 of the
#     module in a file-based module proxy (GOPROXY; the other modules come
#     from this machine's module cache), built into a GOPATH of its own;
#   - `terraform init` installs the provider, built from the snapshot, from a
#     filesystem mirror (TF_CLI_CONFIG_FILE) as it would from the registry.
# GOFLAGS=-trimpath lets those builds reuse this machine's build cache although
# their module cache is a new one.
#
# Uses from module-test.sh: $work, $module and summary/failed.

guide_doc=docs/guides/testing-modules.md
guide_version=0.1.0

# guide_blocks FILE prints the ```shell blocks of FILE as one script, each
# announced with its number and line.
guide_blocks() {
  awk '
    /^```shell[[:space:]]*$/ { inblock = 1; n++; printf "echo \"==> guide block %d (line %d)\"\n", n, NR; next }
    /^```/ && inblock { inblock = 0; print ""; next }
    inblock { print }
  ' "$1"
}

# guide_setup builds, once, what guide_run's environment stands in with.
guide_setup() {
  [ -z "${guide_dir:-}" ] || return 0
  guide_dir="$work/guide"
  local mod=github.com/platform-iac/terraform-provider-platform tree commit os_arch prov
  mkdir -p "$guide_dir/proxy/$mod/@v" "$guide_dir/home" "$guide_dir/bin"
  # The working tree as git sees it, through an index of its own: the
  # repository's index and refs stay as they are.
  tree=$(GIT_INDEX_FILE="$guide_dir/index" bash -c 'git add -A . && git write-tree')
  commit=$(GIT_AUTHOR_NAME=guide-test GIT_AUTHOR_EMAIL=guide-test@localhost GIT_COMMITTER_NAME=guide-test \
    GIT_COMMITTER_EMAIL=guide-test@localhost git commit-tree "$tree" -m "guide-test snapshot")
  git init -q --bare -b main "$guide_dir/src.git"
  git push -q "$guide_dir/src.git" "$commit:refs/heads/main"
  git config --file "$guide_dir/home/.gitconfig" \
    "url.file://$guide_dir/src.git.insteadOf" "https://github.com/platform-iac/terraform-provider-platform.git"

  git archive --format=zip --prefix="$mod@v$guide_version/" "$tree" >"$guide_dir/proxy/$mod/@v/v$guide_version.zip"
  git show "$tree:go.mod" >"$guide_dir/proxy/$mod/@v/v$guide_version.mod"
  printf '{"Version":"v%s","Time":"2026-01-01T00:00:00Z"}\n' "$guide_version" >"$guide_dir/proxy/$mod/@v/v$guide_version.info"
  echo "v$guide_version" >"$guide_dir/proxy/$mod/@v/list"

  os_arch="$(go env GOOS)_$(go env GOARCH)"
  for host in registry.terraform.io registry.opentofu.org; do
    prov="$guide_dir/mirror/$host/platform-iac/platform/$guide_version/$os_arch"
    mkdir -p "$prov"
    go build -trimpath -ldflags "-X main.version=$guide_version" -o "$prov/terraform-provider-platform_v$guide_version" .
  done
  cat >"$guide_dir/mirror.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$guide_dir/mirror"
    include = ["registry.terraform.io/platform-iac/platform", "registry.opentofu.org/platform-iac/platform"]
  }
  direct {
    exclude = ["registry.terraform.io/platform-iac/platform", "registry.opentofu.org/platform-iac/platform"]
  }
}
RC
  guide_blocks "$guide_doc" >"$guide_dir/guide.sh"
  guide_count=$(grep -c '^echo "==> guide block' "$guide_dir/guide.sh")
}

# guide_stop ends the process group of the guide run under way, if any: what
# its blocks left running (the simulator) goes with it.
guide_stop() {
  if [ -n "${guide_pid:-}" ]; then
    kill -TERM -- "-$guide_pid" 2>/dev/null || true
    guide_pid=""
  fi
}

# guide_run NAME CLI runs the guide's blocks with CLI as terraform.
guide_run() {
  local name=$1 cli=$2 dir start secs rc=0 path gopath_bin
  guide_setup
  dir="$guide_dir/$name"
  rm -rf "$dir"
  mkdir -p "$dir/clean" "$dir/bin" "$dir/gopath"
  ln -s "$cli" "$dir/bin/terraform"
  # This machine's PATH without its GOPATH/bin, where a platform-simulator
  # the guide did not install could be.
  gopath_bin="$(go env GOPATH)/bin"
  path=$(tr ':' '\n' <<<"$PATH" | grep -vxF "$gopath_bin" | paste -sd: -)
  echo "==> $name: the testing guide's $guide_count command blocks, as written, in an empty directory"
  start=$(date +%s.%N)
  # A process group of its own (set -m), so that whatever a failed block
  # left running (the simulator) is stopped with it.
  set -m
  (
    cd "$dir/clean"
    exec env -i HOME="$guide_dir/home" PATH="$dir/bin:$path" TERM=dumb \
      GOPATH="$dir/gopath" GOCACHE="$(go env GOCACHE)" GOTOOLCHAIN="$(go env GOTOOLCHAIN)" \
      GOFLAGS="-trimpath -modcacherw" GONOSUMDB=github.com/platform-iac/terraform-provider-platform \
      GOPROXY="file://$guide_dir/proxy,file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
      TF_CLI_CONFIG_FILE="$guide_dir/mirror.tfrc" CHECKPOINT_DISABLE=1 \
      bash -euo pipefail "$guide_dir/guide.sh"
  ) >"$dir/guide.log" 2>&1 &
  guide_pid=$!
  set +m
  wait "$guide_pid" || rc=$?
  guide_stop
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  if [ "$rc" -eq 0 ]; then
    grep '^==> guide block' "$dir/guide.log" | sed 's/^==> /    /'
    summary+=("$name guide pass ($guide_count blocks) ${secs}s")
  else
    echo "==> $name: the guide failed (exit $rc) after ${secs}s:"
    sed 's/^/    /' "$dir/guide.log"
    summary+=("$name guide FAIL ${secs}s")
    failed=1
  fi
}
