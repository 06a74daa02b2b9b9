#!/usr/bin/env bash
# A real BridgePort on 127.0.0.1 for the acceptance suite, built from the
# platform's source and kept in a cache outside the clone.
#
#   PLATFORM_SOURCE=path/to/bridgeport-<commit>.tar.gz scripts/platform.sh start
#   eval "$(scripts/platform.sh env)"     # the PLATFORM_ACC_* variables
#   scripts/platform.sh stop
#
# Subcommands:
#   build          build what is not built yet, and nothing else (CI runs it in
#                  the background while the simulator suite runs)
#   start          build what is not built yet, start the server unless it runs,
#                  make sure the test tokens exist; prints `export` lines (as env)
#   env            prints the `export` lines of the running server: endpoint,
#                  admin/operator/viewer tokens, the environment-scoped operator
#                  token and its environment, the server's log file, and
#                  PLATFORM_ACC_RELEASE when the source is a named release
#                  (else an `unset` of it: the newest build)
#   stop           stops the server this script started (by its recorded pid)
#   status         says whether it runs, where, with which limit, and the paths
#   with CMD...    start, run CMD with the variables exported (and
#                  PLATFORM_SH_WITH=<port>, so a make target run by it knows
#                  not to start another), then stop the server if this call
#                  started it (also on failure or Ctrl-C); a start that fails
#                  stops here with its reason
#   reset          stop, then delete the instance's database, uploads and tokens
#                  (the build stays); the next start begins with an empty platform
#
# Options (flags or variables):
#   PLATFORM_SOURCE      the platform's source: a .tar.gz (as `git archive`
#                        makes it) or a directory; needed to build and start,
#                        optional for env/stop/status when one server runs on
#                        the port
#   --port N, PLATFORM_PORT=N            listen on 127.0.0.1:N (default 3917);
#                                        one instance per port, each with its own
#                                        database, so two can run side by side
#   --fresh, PLATFORM_FRESH=1
#                        start and with: reset the instance first (stop its
#                        server, delete its database, uploads, secrets and
#                        tokens), so the platform starts empty with new tokens;
#                        `with --fresh` also refuses to share the port with
#                        another `with --fresh` (CI runs it so)
#   --stock-limit, PLATFORM_RATE_LIMIT=stock
#                        the platform's stock limit of 100 requests a minute per
#                        client IP; the default (raised) is RATE_LIMIT_MAX=100000.
#                        `start` restarts a running server whose limit differs.
#                        A release that does not read RATE_LIMIT_MAX (2.x)
#                        keeps its fixed 100 a minute whatever is asked: start
#                        reads the limit the server answers with and says so.
#   PLATFORM_RELEASE     the platform release the source is, as 2.3.0; by
#                        default read from the source's name (…-v2.3.0-…), and
#                        none (the newest build) when the name has no version.
#                        `env` exports it as PLATFORM_ACC_RELEASE, which tells
#                        the acceptance suite and the differential what the
#                        platform lacks.
#   PLATFORM_CACHE       the cache root (default
#                        ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/platform)
#   PLATFORM_KEEP_DAYS   build and start prune the build trees of other sources
#                        unused for this many days (default 3; 0: every one not
#                        in use), never one whose server runs or that a build or
#                        start holds
#
# Cache layout: <root>/tools (pnpm), <root>/pnpm-store and npm/node-gyp caches
# (shared by every source), <root>/<source-hash>/bridgeport (the extracted and
# built tree), <root>/<source-hash>/port-<N>/ (sqlite file, uploads, pid, log,
# secrets, tokens). A cold start installs and builds (a few minutes); a warm
# start only starts the server (seconds).
#
# Everything but the export lines goes to stderr.
set -euo pipefail
# Command substitutions (do_start runs in one) stop at a failure too.
shopt -s inherit_errexit

PNPM_VERSION=10.34.9
ADMIN_EMAIL=acc-admin@example.com
SCOPED_ENV_NAME=acc-scoped

root=${PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-platform/platform}
port=${PLATFORM_PORT:-3917}
limit=${PLATFORM_RATE_LIMIT:-raised}
fresh=${PLATFORM_FRESH:-}
[ "$fresh" != 0 ] || fresh=""

log() { echo "platform: $*" >&2; }
die() { log "$*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

cmd=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stock-limit) limit=stock ;;
    --fresh) fresh=1 ;;
    --raised-limit) limit=raised ;;
    --port) port=${2:?--port needs a number}; shift ;;
    --port=*) port=${1#--port=} ;;
    -h|--help) usage ;;
    with)
      [ -z "$cmd" ] || usage
      cmd=with; shift; args=("$@"); break ;;
    *)
      [ -z "$cmd" ] || usage
      cmd=$1 ;;
  esac
  shift
done
case "$limit" in stock|raised) ;; *) die "PLATFORM_RATE_LIMIT must be stock or raised, not '$limit'" ;; esac
case "$port" in ''|*[!0-9]*) die "the port must be a number, not '$port'" ;; esac

mkdir -p "$root"
root=$(cd "$root" && pwd -P)

# --- the source and its hash --------------------------------------------------

src=""
if [ -n "${PLATFORM_SOURCE:-}" ]; then
  [ -e "$PLATFORM_SOURCE" ] || die "PLATFORM_SOURCE=$PLATFORM_SOURCE does not exist"
  src=$(cd "$(dirname "$PLATFORM_SOURCE")" && pwd)/$(basename "$PLATFORM_SOURCE")
fi

# A directory source, as a deterministic tar stream without what a build or a
# run adds to it.
tar_dir() {
  tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    --exclude=node_modules --exclude=.git --exclude=./dist --exclude=./data --exclude=./uploads -cf - .
}

source_hash() {
  if [ -f "$src" ]; then
    sha256sum "$src" | cut -c1-12
  else
    tar_dir "$src" | sha256sum | cut -c1-12
  fi
}

# The version /health reports: the commit `git archive` recorded in the
# tarball, else a hex commit in the file name, else the source hash.
source_version() {
  local v=""
  if [ -f "$src" ] && command -v git >/dev/null; then
    v=$(gzip -dc "$src" 2>/dev/null | git get-tar-commit-id 2>/dev/null | cut -c1-12) || v=""
  fi
  if [ -z "$v" ]; then
    v=$(basename "$src" | sed -n 's/.*-\([0-9a-f]\{7,40\}\)\.tar\.gz$/\1/p' | cut -c1-12)
  fi
  echo "${v:-src-$hash}"
}

# The release the source is: PLATFORM_RELEASE, else a vX.Y.Z in its name
# (`git archive` records a commit, not a tag, and the platform reports no
# version), else none: the newest build.
source_release() {
  local r=${PLATFORM_RELEASE-}
  if [ -z "${PLATFORM_RELEASE+set}" ]; then
    r=$(basename "$src" | sed -n 's/^\(.*[^0-9A-Za-z]\)\{0,1\}v\([0-9]\{1,\}\.[0-9]\{1,\}\.[0-9]\{1,\}\)\([^0-9].*\)\{0,1\}$/\2/p')
  fi
  [ -z "$r" ] || [[ "$r" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "PLATFORM_RELEASE must be a release as 2.3.0, not '$r'"
  echo "$r"
}

hash="" hashdir="" tree="" inst=""
# select_instance points hashdir/tree/inst at PLATFORM_SOURCE's build, or,
# without a source, at the instance on this port that has a server running
# (or, failing that, the only one with tokens).
select_instance() {
  local d candidates=()
  if [ -n "$src" ]; then
    hash=$(source_hash)
  else
    for d in "$root"/*/port-"$port"; do
      [ -d "$d" ] || continue
      if pid_of "$d" >/dev/null; then candidates=("$d"); break; fi
      [ -f "$d/tokens.env" ] && candidates+=("$d")
    done
    [ ${#candidates[@]} -eq 1 ] || die "set PLATFORM_SOURCE (no single instance on port $port under $root)"
    hash=$(basename "$(dirname "${candidates[0]}")")
  fi
  hashdir=$root/$hash
  tree=$hashdir/bridgeport
  inst=$hashdir/port-$port
}

# --- building -----------------------------------------------------------------

pnpm_bin() { echo "$root/tools/pnpm-$PNPM_VERSION/node_modules/.bin/pnpm"; }

# Caches of npm, pnpm and node-gyp stay in the cache root too.
build_env() {
  export npm_config_cache="$root/npm-cache" npm_config_devdir="$root/node-gyp"
  export npm_config_update_notifier=false CHECKPOINT_DISABLE=1
  # node-gyp compiles better-sqlite3 against the headers of the node that
  # runs it; without a nodedir it downloads them from nodejs.org, which these
  # machines cannot reach. Debian's nodejs ships them beside the binary
  # (/usr/include/node), so point there unless the user's npm config does.
  local prefix
  prefix=$(dirname "$(dirname "$(command -v node)")")
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir=$prefix
  fi
}

ensure_pnpm() {
  [ -x "$(pnpm_bin)" ] && return
  log "installing pnpm $PNPM_VERSION into $root/tools"
  npm install --no-audit --no-fund --loglevel=error --prefix "$root/tools/pnpm-$PNPM_VERSION" "pnpm@$PNPM_VERSION" >&2 ||
    die "could not install pnpm $PNPM_VERSION from the npm registry"
}

# step NAME CMD...: runs a build step once; its marker file records that it
# finished, so an interrupted build resumes where it stopped. Its output
# goes to build.log (compiler warnings of native modules are many), and
# is shown when it fails.
step() {
  local name=$1 t0=$SECONDS
  shift
  [ -f "$hashdir/.done-$name" ] && return
  log "build: $name"
  echo "=== $name ($(date -u +%FT%TZ))" >>"$hashdir/build.log"
  if ! "$@" >>"$hashdir/build.log" 2>&1; then
    tail -n 60 "$hashdir/build.log" >&2
    die "build step '$name' failed (above: the end of $hashdir/build.log); the next start retries it"
  fi
  touch "$hashdir/.done-$name"
  log "build: $name done in $((SECONDS - t0))s"
}

extract() {
  local tmp=$hashdir/extract.tmp entries
  rm -rf "$tree" "$tmp"
  mkdir -p "$tmp"
  if [ -f "$src" ]; then tar -xzf "$src" -C "$tmp"; else tar_dir "$src" | tar -xf - -C "$tmp"; fi
  # A `git archive --prefix=x/` tarball holds one top-level directory.
  entries=("$tmp"/*)
  if [ ${#entries[@]} -eq 1 ] && [ -d "${entries[0]}" ] && [ ! -f "$tmp/package.json" ]; then
    mv "${entries[0]}" "$tree"
    rmdir "$tmp"
  else
    mv "$tmp" "$tree"
  fi
  if [ ! -f "$tree/package.json" ] || [ ! -d "$tree/prisma/migrations" ]; then
    echo "no package.json and prisma/migrations in the source"
    return 1
  fi
}

install_deps() {
  (cd "$tree" && "$(pnpm_bin)" install --frozen-lockfile --filter=bridgeport \
    --config.manage-package-manager-versions=false --config.strict-dep-builds=false \
    --store-dir "$root/pnpm-store" --config.cache-dir="$root/pnpm-cache" --reporter=append-only)
}

# prisma generate does not need the schema engine, but downloads one unless
# told where it is: a stub that fails will do.
generate() {
  local stub=$root/tools/schema-engine-stub
  printf '#!/bin/sh\necho "schema engine stub: not available offline" >&2\nexit 1\n' >"$stub"
  chmod +x "$stub"
  (cd "$tree" && PRISMA_SCHEMA_ENGINE_BINARY=$stub DATABASE_URL="file:$hashdir/generate.db" node_modules/.bin/prisma generate)
}

compile() { (cd "$tree" && "$(pnpm_bin)" --config.manage-package-manager-versions=false run build); }

build() {
  local t0=$SECONDS
  touch "$hashdir/.last-used"
  [ -f "$hashdir/.done-build" ] && [ -f "$tree/dist/server.js" ] && return
  [ -n "$src" ] || die "set PLATFORM_SOURCE to build the platform"
  log "building BridgePort from $src into $tree (a few minutes, once per source)"
  build_env
  ensure_pnpm
  step extract extract
  step install install_deps
  step generate generate
  step build compile
  log "built in $((SECONDS - t0))s"
}

# prune_trees deletes the build trees (and instances) of other sources that
# were not used for PLATFORM_KEEP_DAYS days: not while a server of theirs
# runs, nor while a build or start holds their lock. The tree in use stays.
# The shared pnpm store keeps their packages (pnpm store prune would clean
# it, but not safely beside a running install).
prune_trees() {
  local d inst_dir stamp busy days=${PLATFORM_KEEP_DAYS:-3}
  case "$days" in ''|*[!0-9]*) die "PLATFORM_KEEP_DAYS must be a number of days, not '$days'" ;; esac
  for d in "$root"/*; do
    if [ ! -d "$d" ] || [ "$d" = "$hashdir" ]; then continue; fi
    # Build trees are named by a source hash; tools and caches are not.
    [[ "$(basename "$d")" =~ ^[0-9a-f]{12}$ ]] || continue
    stamp=$d/.last-used
    [ -e "$stamp" ] || stamp=$d
    [ -n "$(find "$stamp" -maxdepth 0 -mmin +$((days * 1440)) 2>/dev/null)" ] || continue
    busy=""
    for inst_dir in "$d"/port-*; do
      [ -d "$inst_dir" ] && pid_of "$inst_dir" >/dev/null && busy="its server runs on ${inst_dir##*/port-}"
    done
    [ -z "$busy" ] || { log "prune: keeping $d ($busy)"; continue; }
    if (exec 7>>"$d/.lock" && flock -n 7 && rm -rf "$d"); then
      log "prune: deleted $d (another source's build, unused for ${days}+ days)"
    else
      log "prune: keeping $d (a build or start holds it)"
    fi
  done
}

# --- the schema ---------------------------------------------------------------

# Applies prisma/migrations/*/migration.sql in name order with better-sqlite3
# (prisma migrate needs the schema engine, which is not there), recording each
# in _prisma_migrations so later starts apply only new ones.
# shellcheck disable=SC2016 # JavaScript, not shell
MIGRATE_JS='
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const Database = require("better-sqlite3");
const [file, dir] = process.argv.slice(1);
const db = new Database(file);
db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
const done = new Set(db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL").all().map((r) => r.migration_name));
const names = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, "migration.sql"))).sort();
let applied = 0;
for (const name of names) {
  if (done.has(name)) continue;
  const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  const started = new Date().toISOString();
  try {
    db.exec(sql);
  } catch (e) {
    console.error(`migration ${name}: ${e.message}`);
    process.exit(1);
  }
  db.prepare("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)")
    .run(crypto.randomUUID(), crypto.createHash("sha256").update(sql).digest("hex"), new Date().toISOString(), name, started);
  applied++;
}
db.close();
console.error(`schema: ${applied} migration(s) applied, ${names.length} in all`);
'

migrate() { (cd "$tree" && node -e "$MIGRATE_JS" "$inst/bridgeport.db" "$tree/prisma/migrations"); }

# --- the server ---------------------------------------------------------------

# pid_of DIR prints the pid recorded in DIR when that process still is the
# server this script started there (the pid, its command and its working
# directory all match); fails otherwise.
pid_of() {
  local d=$1 pid
  [ -f "$d/server.pid" ] || return 1
  pid=$(cat "$d/server.pid")
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'dist/server.js' || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(dirname "$d")/bridgeport" ] || return 1
  echo "$pid"
}

healthy() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; }

# Secrets of this instance, made once: the server needs the same MASTER_KEY to
# read what it encrypted before.
ensure_secrets() {
  [ -f "$inst/secrets.env" ] && return
  (
    umask 077
    {
      echo "MASTER_KEY=$(head -c 32 /dev/urandom | base64)"
      echo "JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
      echo "ADMIN_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')"
    } >"$inst/secrets.env"
  )
}

secret() { sed -n "s/^$1=//p" "$inst/secrets.env"; }

launch() {
  local pid t0=$SECONDS rate_max rate_window="1 minute"
  if healthy; then
    die "something this script did not start answers on 127.0.0.1:$port; stop it or choose another PLATFORM_PORT"
  fi
  mkdir -p "$inst/uploads"
  ensure_secrets
  migrate
  if [ "$limit" = stock ]; then rate_max=100; else rate_max=100000; fi
  [ -f "$inst/server.log" ] && mv "$inst/server.log" "$inst/server.log.1"
  # A clean environment: nothing of the caller's (HOST, DATABASE_URL, …)
  # reaches the server; it binds to loopback only. setsid keeps a Ctrl-C of
  # the caller's terminal for the caller, which stops it through `with`/trap.
  (
    cd "$tree"
    exec 8>&- 9>&- # the locks stay with this script
    exec setsid env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 \
      NODE_ENV=production HOST=127.0.0.1 PORT="$port" \
      DATABASE_URL="file:$inst/bridgeport.db" UPLOAD_DIR="$inst/uploads" PLUGINS_DIR=./plugins \
      APP_VERSION="$(source_version)" \
      MASTER_KEY="$(secret MASTER_KEY)" JWT_SECRET="$(secret JWT_SECRET)" \
      ADMIN_EMAIL="$ADMIN_EMAIL" ADMIN_PASSWORD="$(secret ADMIN_PASSWORD)" \
      RATE_LIMIT_MAX="$rate_max" RATE_LIMIT_WINDOW="$rate_window" \
      node dist/server.js
  ) </dev/null >>"$inst/server.log" 2>&1 &
  pid=$!
  echo "$pid" >"$inst/server.pid"
  echo "$limit" >"$inst/limit"
  for _ in $(seq 180); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$inst/server.log" >&2
      die "the server exited during start-up (log: $inst/server.log)"
    fi
    healthy && break
    sleep 0.5
  done
  healthy || { tail -n 30 "$inst/server.log" >&2; kill "$pid" 2>/dev/null; die "no healthy /health after 90s (log: $inst/server.log)"; }
  pid_of "$inst" >/dev/null || die "pid $pid answers but is not the server this script started"
  served_limit >"$inst/limit-served"
  log "started pid $pid on http://127.0.0.1:$port ($limit limit, RATE_LIMIT_MAX=$rate_max) in $((SECONDS - t0))s"
  if [ "$(cat "$inst/limit-served")" != "$rate_max" ]; then
    log "note: the server answers with a limit of $(cat "$inst/limit-served") requests a minute, not $rate_max:" \
      "this release does not read RATE_LIMIT_MAX (2.x: fixed at 100 a minute per client address)"
  fi
}

# served_limit prints the x-ratelimit-limit the server answers an /api/
# request with (one request of the window; unauthenticated ones count too),
# or "unknown".
served_limit() {
  local v
  v=$(curl -sS -m 5 -o /dev/null -D - "http://127.0.0.1:$port/api/auth/me" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Xx]-[Rr]ate[Ll]imit-[Ll]imit: *\([0-9]*\)$/\1/p')
  echo "${v:-unknown}"
}

stop_instance() {
  local pid
  pid=$(pid_of "$inst") || { rm -f "$inst/server.pid"; log "not running (port $port)"; return 0; }
  kill "$pid"
  for _ in $(seq 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop within 10s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$inst/server.pid"
  log "stopped pid $pid (port $port)"
}

# --- tokens -------------------------------------------------------------------

# Checks the recorded tokens against the server, or makes them: service
# accounts for the operator and viewer tokens, the scoped environment, and
# the four tokens (365 days, the platform's maximum). Prints KEY=VALUE lines.
# shellcheck disable=SC2016 # JavaScript, not shell
TOKENS_JS='
const base = process.env.ENDPOINT;
const old = JSON.parse(process.env.OLD || "{}");
async function call(method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = {};
  try { json = JSON.parse(text); } catch {}
  return { status: res.status, json, text };
}
async function must(method, path, token, body) {
  const r = await call(method, path, token, body);
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
async function valid() {
  if (!old.PLATFORM_ACC_ADMIN_TOKEN) return false;
  for (const k of ["PLATFORM_ACC_ADMIN_TOKEN", "PLATFORM_ACC_OPERATOR_TOKEN", "PLATFORM_ACC_VIEWER_TOKEN", "PLATFORM_ACC_SCOPED_TOKEN"]) {
    if ((await call("GET", "/api/auth/me", old[k])).status !== 200) return false;
  }
  return (await call("GET", `/api/environments/${old.PLATFORM_ACC_SCOPED_ENV_ID}`, old.PLATFORM_ACC_ADMIN_TOKEN)).status === 200;
}
async function main() {
  if (await valid()) { console.error("tokens: the recorded tokens still work"); return old; }
  const login = await fetch(base + "/api/auth/login", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { token: jwt, user } = await login.json();
  const accounts = (await must("GET", "/api/admin/service-accounts", jwt)).serviceAccounts;
  async function account(name, role) {
    const found = accounts.find((a) => a.name === name);
    if (found) return found.id;
    return (await must("POST", "/api/admin/service-accounts", jwt, { name, role, description: "terraform-provider-platform acceptance tests" })).serviceAccount.id;
  }
  const operator = await account("acc-operator", "operator");
  const viewer = await account("acc-viewer", "viewer");
  const envs = (await must("GET", "/api/environments", jwt)).environments || [];
  let scoped = envs.find((e) => e.name === process.env.SCOPED_ENV_NAME);
  if (!scoped) scoped = (await must("POST", "/api/environments", jwt, { name: process.env.SCOPED_ENV_NAME })).environment;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  async function token(name, role, owner, envIds) {
    const body = { name: `acc-${name}-${stamp}`, role, expiresInDays: 365, allEnvironments: !envIds, ...owner };
    if (envIds) body.environmentIds = envIds;
    return (await must("POST", "/api/admin/tokens", jwt, body)).token;
  }
  const out = {
    PLATFORM_ACC_ADMIN_TOKEN: await token("admin", "admin", { ownerUserId: user.id }),
    PLATFORM_ACC_OPERATOR_TOKEN: await token("operator", "operator", { ownerServiceAccountId: operator }),
    PLATFORM_ACC_VIEWER_TOKEN: await token("viewer", "viewer", { ownerServiceAccountId: viewer }),
    PLATFORM_ACC_SCOPED_TOKEN: await token("scoped", "operator", { ownerServiceAccountId: operator }, [scoped.id]),
    PLATFORM_ACC_SCOPED_ENV_ID: scoped.id,
  };
  console.error("tokens: made admin, operator, viewer and scoped (environment " + process.env.SCOPED_ENV_NAME + ") tokens");
  return out;
}
main().then((out) => {
  for (const [k, v] of Object.entries(out)) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(v)) throw new Error(`unexpected characters in ${k}`);
    console.log(`${k}=${v}`);
  }
}).catch((e) => { console.error("tokens: " + e.message); process.exit(1); });
'

ensure_tokens() {
  local old="{}" out
  if [ -f "$inst/tokens.env" ]; then
    old=$(sed -n 's/^\([A-Z_]*\)=\(.*\)$/"\1":"\2"/p' "$inst/tokens.env" | paste -sd, -)
    old="{$old}"
  fi
  out=$(ENDPOINT="http://127.0.0.1:$port" OLD="$old" ADMIN_EMAIL="$ADMIN_EMAIL" \
    ADMIN_PASSWORD="$(secret ADMIN_PASSWORD)" SCOPED_ENV_NAME="$SCOPED_ENV_NAME" node -e "$TOKENS_JS") ||
    die "could not make the tokens (log: $inst/server.log)"
  (umask 077 && echo "$out" >"$inst/tokens.env")
}

print_env() {
  local k v release
  [ -f "$inst/tokens.env" ] || die "no tokens yet for port $port: run scripts/platform.sh start"
  echo "export PLATFORM_ACC_ENDPOINT=http://127.0.0.1:$port"
  while IFS='=' read -r k v; do
    echo "export $k=$v"
  done <"$inst/tokens.env"
  echo "export PLATFORM_SERVER_LOG=$inst/server.log"
  # An unset for the newest build, so that switching from an older
  # platform's exports in one shell does not keep its release.
  release=$(cat "$inst/release" 2>/dev/null || true)
  if [ -n "$release" ]; then
    echo "export PLATFORM_ACC_RELEASE=$release"
  else
    echo "unset PLATFORM_ACC_RELEASE"
  fi
}

# --- subcommands --------------------------------------------------------------

do_start() {
  local t0=$SECONDS pid
  [ -n "$src" ] || die "set PLATFORM_SOURCE to the platform's source (a .tar.gz or a directory)"
  bash "$(dirname "$0")/preflight.sh" platform
  select_instance
  mkdir -p "$hashdir" "$inst"
  exec 9>"$hashdir/.lock"
  flock 9
  build
  prune_trees
  if [ -n "$fresh" ]; then
    stop_instance
    rm -rf "$inst"
    mkdir -p "$inst"
    log "fresh: deleted the instance's database, uploads, secrets and tokens"
  fi
  source_release >"$inst/release"
  if pid=$(pid_of "$inst"); then
    if [ "$(cat "$inst/limit" 2>/dev/null)" = "$limit" ] && healthy; then
      log "already running: pid $pid on http://127.0.0.1:$port ($limit limit)"
    else
      log "running with the $(cat "$inst/limit" 2>/dev/null || echo other) limit; restarting with the $limit limit"
      stop_instance
      launch
    fi
  else
    launch
  fi
  ensure_tokens
  exec 9>&-
  log "ready in $((SECONDS - t0))s: http://127.0.0.1:$port, state in $inst"
  print_env
}

do_status() {
  local pid
  select_instance
  echo "source:   ${src:-(not set)} (hash $hash)"
  if [ -f "$inst/release" ]; then
    echo "release:  $(sed 's/^$/the newest build (no release named)/' "$inst/release")"
  fi
  echo "tree:     $tree ($([ -f "$hashdir/.done-build" ] && echo built || echo not built))"
  echo "instance: $inst"
  echo "log:      $inst/server.log"
  if pid=$(pid_of "$inst"); then
    echo "running:  pid $pid on http://127.0.0.1:$port, $(cat "$inst/limit") limit (the server answers with" \
      "$(cat "$inst/limit-served" 2>/dev/null || echo unknown) a minute), $(healthy && echo healthy || echo 'not answering')"
  else
    echo "running:  no"
    return 3
  fi
}

do_with() {
  local before="" after exports rc=0
  [ ${#args[@]} -gt 0 ] || die "usage: scripts/platform.sh with CMD [ARGS...]"
  [ -n "$src" ] || die "set PLATFORM_SOURCE to the platform's source (a .tar.gz or a directory)"
  select_instance
  if [ -n "$fresh" ]; then
    mkdir -p "$hashdir"
    exec 8>>"$hashdir/port-$port.with.lock"
    flock -n 8 || die "another 'with --fresh' runs on port $port; choose another PLATFORM_PORT"
  fi
  before=$(pid_of "$inst") || before=""
  # Not eval "$(do_start)": eval would go on after a failed start, with no
  # PLATFORM_ACC_* set.
  exports=$(do_start) || die "could not start the platform (the reason is above); not running ${args[*]}"
  eval "$exports"
  [ -n "${PLATFORM_ACC_ENDPOINT:-}" ] || die "start printed no PLATFORM_ACC_ENDPOINT; not running ${args[*]}"
  export PLATFORM_SH_WITH=$port
  after=$(pid_of "$inst") || die "the server is not running after start"
  if [ "$before" != "$after" ]; then
    trap 'log "stopping the server this run started"; stop_instance' EXIT
    trap 'exit 130' INT TERM
  else
    log "the server was already running: it stays up afterwards"
  fi
  "${args[@]}" || rc=$?
  exit "$rc"
}

case "$cmd" in
  build)
    [ -n "$src" ] || die "set PLATFORM_SOURCE to the platform's source (a .tar.gz or a directory)"
    bash "$(dirname "$0")/preflight.sh" platform
    select_instance
    mkdir -p "$hashdir"
    exec 9>"$hashdir/.lock"
    flock 9 # a start waits for this build instead of building alongside it
    build
    prune_trees
    ;;
  start) do_start ;;
  env) select_instance; pid_of "$inst" >/dev/null || log "warning: no server running on port $port"; print_env ;;
  stop) select_instance; stop_instance ;;
  status) do_status ;;
  with) do_with ;;
  reset)
    select_instance
    stop_instance
    rm -rf "$inst"
    log "deleted $inst (database, uploads, tokens, log)" ;;
  *) usage ;;
esac
