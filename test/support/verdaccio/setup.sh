#!/usr/bin/env bash
# Installs Verdaccio for the real-registry tests (test/unit/registry/verdaccio.test.ts) into
# .vscode-test/verdaccio-<version>/, outside the repo's dependencies: its ~330 packages (~58 MB) are
# needed by one test suite only.
#
# Idempotent: a finished install is a folder that exists; it is built under a temporary name and
# renamed only when npm has finished. Override the folder with DR_VSCODE_TEST_DIR (as setup.sh does).
set -euo pipefail

# 6.8.0 is the newest Verdaccio whose engines accept Node 20 (6.9+ want Node >= 22).
VERDACCIO_VERSION='6.8.0'

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
CACHE=${DR_VSCODE_TEST_DIR:-$ROOT/.vscode-test}
DIR=$CACHE/verdaccio-$VERDACCIO_VERSION

if [[ -f $DIR/node_modules/verdaccio/package.json ]]; then
  echo "verdaccio $VERDACCIO_VERSION present in $DIR"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.verdaccio-setup.lock"
flock 9
[[ -f $DIR/node_modules/verdaccio/package.json ]] && exit 0

tmp="$DIR.partial-$$"
rm -rf "$CACHE"/verdaccio-*.partial-* "$tmp"
mkdir -p "$tmp"
# verdaccio-audit asks for node-fetch by the dist-tag `cjs`, which registry mirrors may not carry;
# the override names the version that tag points to. No dependency needs an install script.
printf '{"private":true,"allowScripts":{},"overrides":{"verdaccio-audit":{"node-fetch":"2.7.0"}}}\n' > "$tmp/package.json"
start=$SECONDS
if ! (cd "$tmp" && npm install --no-audit --no-fund --no-save --loglevel=warn "verdaccio@$VERDACCIO_VERSION"); then
  rm -rf "$tmp"
  echo "setup: npm install verdaccio@$VERDACCIO_VERSION failed; nothing was kept in $DIR" >&2
  exit 2
fi
mv "$tmp" "$DIR"
echo "installed verdaccio $VERDACCIO_VERSION in $DIR in $((SECONDS - start)) s"
