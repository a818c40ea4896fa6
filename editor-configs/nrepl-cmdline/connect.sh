#!/bin/sh
# Connects Debian's nREPL command-line client (package libnrepl-clojure) to
# jank-wasm-nrepl: `connect.sh [PORT]`. Without PORT, the port is read from the
# nearest .nrepl-port at or above the current directory, else 7889.
set -eu

port=${1:-}
if [ -z "$port" ]; then
  dir=$(pwd)
  while :; do
    if [ -f "$dir/.nrepl-port" ]; then
      port=$(tr -dc '0-9' < "$dir/.nrepl-port")
      break
    fi
    [ "$dir" = / ] && break
    dir=$(dirname "$dir")
  done
fi
port=${port:-7889}

jars=/usr/share/java
exec java -cp "$jars/clojure.jar:$jars/spec.alpha.jar:$jars/core.specs.alpha.jar:$jars/nrepl.jar" \
  clojure.main -m nrepl.cmdline --connect --host 127.0.0.1 --port "$port"
