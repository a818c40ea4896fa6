#error "jank-test-double: a host C++ header (host-headers/include/c++/12/stdint.h, from print-cflags) reached emscripten's clang"
