#!/usr/bin/env python3
"""Type-checks the C++ that the jank compile server module declares with cpp/raw
(src/toolchain/jank.rs, SERVER_SOURCE) against a checkout of jank's own headers.

usage: tools/check-compile-server-cpp.py JANK_CHECKOUT [CLANG++]

There is no jank build to run that C++ in, so this is the check that it calls
jank's API as jank declares it. It compiles (-fsyntax-only) the function with
jank's real jtl/ headers (string_builder, immutable_string, ptr, result),
jank/error.hpp and jank/read/source.hpp, and small stubs for what those
headers pull in from third-party libraries (bdwgc, folly, boost, immer) and
for jank/runtime/context.hpp and ns.hpp, whose declarations of what the
function uses (`compile_module`, `all_ns`, a namespace's `symbol_counter`)
the stubs copy, after checking that the checkout still has them. jank needs
clang 19; an older clang (Debian 12 has 14) gets one fix in a copy of the
headers: `static_assert(false, ...)` in a template, which clang before 17
rejects even when uninstantiated.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

STUBS = {
    "jank/type.hpp": """#pragma once
/* Stub: jank's containers as std ones (jank's use bdwgc allocators). */
#include <vector>
#include <string>
#include <unordered_map>
#include <deque>
#include <list>
#include <jtl/primitive.hpp>
namespace jank
{
  template <typename T> using native_vector = std::vector<T>;
  template <typename T> using native_deque = std::deque<T>;
  template <typename T> using native_list = std::list<T>;
  template <typename K, typename V> using native_unordered_map = std::unordered_map<K, V>;
  struct native_big_integer;
  struct native_big_decimal;
  using native_transient_string = std::string;
}
""",
    "jank/runtime/object.hpp": """#pragma once
/* Stub: only named by jank/read/source.hpp and jank/error.hpp. */
namespace jank::runtime { struct object; struct object_ref { object *data{}; }; }
""",
    "gc.h": """#pragma once
/* Stub: what jtl's headers call of bdwgc. */
#include <cstddef>
extern "C" { void GC_free(void *); void *GC_malloc_atomic(std::size_t); void *GC_malloc(std::size_t); }
enum GCPlacement { UseGC, NoGC };
inline void *operator new(std::size_t s, GCPlacement) { return GC_malloc(s); }
""",
}

# What the C++ uses of jank/runtime/context.hpp and ns.hpp, as they declare it.
CONTEXT_DECLARATIONS = [
    "jtl::result<void, error_ref> compile_module(jtl::immutable_string const &module);",
    "native_vector<ns_ref> all_ns() const;",
]
NS_DECLARATIONS = ["std::atomic_uint64_t symbol_counter{};"]


def check_declared(include, header, declarations):
    with open(os.path.join(include, header), encoding="utf-8") as f:
        text = " ".join(f.read().split())
    for declaration in declarations:
        if declaration not in text:
            sys.exit(f"jank's {header} no longer declares `{declaration}`")


def server_cpp():
    """The cpp/raw text of SERVER_SOURCE, unescaped as jank's reader would."""
    with open(os.path.join(ROOT, "src/toolchain/jank.rs"), encoding="utf-8") as f:
        source = f.read()
    raw = re.search(r'\(cpp/raw "\n(.*?)\n"\)', source, re.S)
    if raw is None:
        sys.exit("no (cpp/raw \"...\") in src/toolchain/jank.rs")
    return raw.group(1).replace('\\"', '"').replace("\\\\", "\\")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    include = os.path.join(sys.argv[1], "compiler+runtime/include/cpp")
    clang = sys.argv[2] if len(sys.argv) > 2 else shutil.which("clang++") or "/usr/lib/llvm-14/bin/clang++"
    check_declared(include, "jank/runtime/context.hpp", CONTEXT_DECLARATIONS)
    check_declared(include, "jank/runtime/ns.hpp", NS_DECLARATIONS)
    with tempfile.TemporaryDirectory() as work:
        headers = os.path.join(work, "include")
        shutil.copytree(include, headers)
        memory = os.path.join(headers, "jtl/memory.hpp")
        with open(memory, encoding="utf-8") as f:
            text = f.read().replace('static_assert(false, "declval', 'static_assert(sizeof(T) == 0, "declval')
        with open(memory, "w", encoding="utf-8") as f:
            f.write(text)
        stubs = os.path.join(work, "stubs")
        STUBS["jank/runtime/context.hpp"] = (
            "#pragma once\n/* Stub: what jank/runtime/context.hpp and ns.hpp declare, as they do. */\n"
            "#include <atomic>\n#include <jtl/result.hpp>\n#include <jank/error.hpp>\n"
            "namespace jank::runtime\n{\n"
            "  struct ns\n  {\n    " + "\n    ".join(NS_DECLARATIONS) + "\n  };\n"
            "  /* jank's is oref<ns>, a pointer-like handle. */\n  using ns_ref = ns *;\n"
            "  struct context\n  {\n    " + "\n    ".join(CONTEXT_DECLARATIONS) + "\n  };\n"
            "  extern context *__rt_ctx;\n}\n")
        for name, text in STUBS.items():
            path = os.path.join(stubs, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        unit = os.path.join(work, "compile_server.cpp")
        with open(unit, "w", encoding="utf-8") as f:
            f.write("#include <stdexcept>\n#include <memory>\n#include <gc.h>\n"
                    "#include <jtl/string_builder.hpp>\n#include <jank/error.hpp>\n"
                    "#include <jank/runtime/context.hpp>\n")
            f.write(server_cpp())
            f.write("\n/* As `(cpp/jank_wasm.compile_server.compile module)` calls it. */\n"
                    "jtl::immutable_string call(jtl::immutable_string const &m)"
                    " { return jank_wasm::compile_server::compile(m); }\n")
        # The stubs come first: they replace jank's type.hpp and object.hpp.
        result = subprocess.run([clang, "-std=gnu++20", "-fsyntax-only", f"-I{stubs}", f"-I{headers}", unit])
        if result.returncode != 0:
            sys.exit("the compile server's C++ does not fit jank's headers")
        print(f"the compile server's C++ type-checks against {include}")


if __name__ == "__main__":
    main()
