#!/usr/bin/env bash
# Installs what the tests need on a Debian machine (Node.js 20+ and npm, Debian's
# libnrepl-clojure for the real nREPL client, python3 for the shared
# conformance runner), then runs every test: the runtime's own JavaScript
# tests, the lints, and `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -f /usr/share/java/nrepl.jar ] || missing+=(libnrepl-clojure)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $node_major is too old: the headless runtime needs Node.js 20 or newer." >&2
  exit 1
fi

node --test assets/test/
# The npm registry's nrepl-client, for proxy-tests/npm_client.rs.
npm ci --prefix proxy-tests/node-client --no-audit --no-fund --loglevel=error
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets
