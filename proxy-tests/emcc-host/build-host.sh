#!/usr/bin/env bash
# Builds the test host (host.cpp), the MAIN_MODULE that stands in for a jank
# runtime bundle in the tests, into OUT_DIR as jank-test-host.js + .wasm:
#
#   proxy-tests/emcc-host/build-host.sh OUT_DIR [EM++]
#
# The flags are the plan's hot-reload flags (a MAIN_MODULE that can dlopen
# side modules and exports what they import; less -Wl,--allow-multiple-definition,
# which Debian's wasm-ld 14 does not know), plus what the loader in
# assets/emscripten-host.js expects of every bundle: MODULARIZE (a factory it
# calls), the FS and ccall runtime methods, and no Node exit/rejection
# handlers of its own, and WASM_BIGINT (without it, functions with i64
# parameters are exported legalized for JS, and a patch calling one fails to
# link: the server's import check says so).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-host.sh OUT_DIR [EM++]}"
empp="${2:-em++}"
mkdir -p "$out"
# emcc's JS optimizer (-O1 and up) needs Debian's acorn with a Node from elsewhere.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
# MAIN_MODULE=2 exports only what is asked for. host.cpp marks the runtime
# API EMSCRIPTEN_KEEPALIVE; here: the C++ support patches use (operator new
# and delete for closure contexts, the typeinfo of what jank code throws,
# jank::runtime::object_ref, so a patch's throw and the host's catch agree on
# it) and some libc (-O2 would rename a patch's printf to iprintf: both).
# Anything else a patch imports is refused by the server's import check,
# naming the symbol.
exports=_main,_printf,_iprintf,_puts,_malloc,_free,_memcpy,_memset,_memmove,_strlen
exports+=,__Znwm,__ZdlPv,__ZTIN4jank7runtime4orefINS0_6objectEEE
exports+=,__ZTVN10__cxxabiv117__class_type_infoE
exec "$empp" "$here/host.cpp" -o "$out/jank-test-host.js" \
  -I"$here/lib/jank/0.1/include" -std=c++20 -O1 -fPIC -fexceptions \
  -sMAIN_MODULE=2 -sALLOW_TABLE_GROWTH=1 -sFILESYSTEM=1 -sEXPORT_ALL=1 \
  -sWASM_BIGINT=1 \
  -sALLOW_MEMORY_GROWTH=1 \
  -sMODULARIZE=1 -sEXPORT_NAME=createJankRuntime \
  -sEXPORTED_RUNTIME_METHODS=FS,ccall,cwrap,UTF8ToString \
  -sEXPORTED_FUNCTIONS="$exports" \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0
