#!/usr/bin/env bash
# Installs what the tests need on a Debian machine (Node.js 20+ and npm, Debian's
# libnrepl-clojure for the real nREPL client, python3 for the shared
# conformance runner, emacs-nox, lua5.4 and vim for the editor settings,
# emscripten for the jank toolchain path), then
# runs every test: the runtime's own JavaScript tests, the lints, and `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -f /usr/share/java/nrepl.jar ] || missing+=(libnrepl-clojure)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# For proxy-tests/editor_configs.rs: Lua and Vim check the Conjure and fireplace
# settings; Emacs (installed without its recommends, which bring a mail server)
# checks the CIDER ones.
command -v luac >/dev/null 2>&1 || missing+=(lua5.4)
command -v vim >/dev/null 2>&1 || missing+=(vim)
no_recommends=()
command -v emacs >/dev/null 2>&1 || no_recommends+=(emacs-nox)
# For proxy-tests/emcc.rs (the jank toolchain path): Debian's emscripten 3.1.6
# with its clang, wasm-ld and binaryen (its recommends are a plotting library
# and numpy, not needed).
command -v emcc >/dev/null 2>&1 || no_recommends+=(emscripten)
if [ $((${#missing[@]} + ${#no_recommends[@]})) -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]} ${no_recommends[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [ ${#no_recommends[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${no_recommends[@]}" >/dev/null
  fi
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
