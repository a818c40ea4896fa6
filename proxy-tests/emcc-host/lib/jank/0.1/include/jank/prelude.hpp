// The test host's stand-in for jank's <jank/prelude.hpp>: the slice of jank's
// C++ API that the C++ `jank compile-module --output-target cpp` writes uses,
// with jank's names and shapes, over a much smaller runtime (host.cpp).
//
// What the generated C++ relies on, as jank's codegen writes it
// (compiler+runtime/src/cpp/jank/codegen/cpp_processor.cpp) and jank's headers
// declare it (include/cpp/jank/codegen/api.hpp, jank/c_api.h, runtime/oref.hpp,
// runtime/obj/jit_function.hpp):
// - `jank::runtime::oref<T>` references (`object_ref`, `var_ref`, typed ones),
//   made null with `_jank_null{ }` for the namespace-level globals a module
//   initialises with placement new in its `jank_load_*` function;
// - `_jank_var` / `_jank_var_owned` (intern a var by `ns/name`), the literal
//   makers `_jank_small_int`, `_jank_string`, `_jank_keyword`, ...;
// - `_jank_fn(flags)` (and `_vfn`, `_closure`, `_vclosure`): a function
//   object whose `arity_N` pointers are the module's `extern "C"` functions,
//   each taking the function object first; `x.call(args...)` calls any value;
// - `jank_ns_intern_c`, `jank_ns_set_symbol_counter` and bdwgc's
//   `GC_add_roots`, which the footer calls.
//
// Every var call goes through the var at call time (`var->deref()`), as in
// jank, so rebinding a var's root is all a redefinition needs.
#ifndef JANK_TEST_HOST_PRELUDE_HPP
#define JANK_TEST_HOST_PRELUDE_HPP

/* No <string> or <vector> here on purpose: every patch includes this header,
 * and libc++'s <string> alone makes each compile ~60 ms slower (even
 * precompiled). The host keeps its containers to itself. */
#include <cstddef>
#include <cstdint>
#include <new>

namespace jtl
{
  using i32 = int;
  using i64 = long long;
  using u8 = unsigned char;
  using u64 = unsigned long long;
  using f64 = double;

  /* Pointer-sized, as in jtl/primitive.hpp, which upstream jank defines as
   * `unsigned long long` and asserts to be pointer-sized (a 64-bit target);
   * the jank wasm fork picks `unsigned long` on wasm32, as here. */
#if defined(__wasm32__)
  using uptr = unsigned long;
#else
  using uptr = unsigned long long;
#endif
  using usize = uptr;
  static_assert(sizeof(uptr) == sizeof(void *));

  /* A non-null owning pointer (jtl/ref.hpp), here only for closure contexts. */
  template <typename T>
  struct ref
  {
    T *operator->() const
    {
      return data;
    }

    T *data{};
  };

  template <typename T, typename... Args>
  ref<T> make_ref(Args const &...args)
  {
    return { new T{ args... } };
  }
}

/* What the namespace-level globals of a module hold until its load function
 * initialises them (runtime/oref.hpp). */
struct _jank_null
{
};

namespace jank::runtime
{
  using callable_arity_flags = jtl::u8;

  enum class object_type : jtl::u8
  {
    nil,
    boolean,
    integer,
    real,
    persistent_string,
    keyword,
    symbol,
    persistent_list,
    native_function,
    jit_function,
    var,
    ns
  };

  template <typename T>
  struct oref;

  struct object;
  using object_ref = oref<object>;

  /* Every value: a type tag (objects are never freed: a test stand-in). */
  struct object
  {
    /* Calls this value (callable objects have `call` members in jank). */
    template <typename... Args>
    object_ref call(Args const &...args);

    object_type type;
  };

  /* Calls any callable value with `count` arguments (the host's dispatch). */
  object_ref call_with(object_ref const &fn, object_ref const *args, jtl::usize count);

  template <typename T>
  struct oref
  {
    oref() = default;

    oref(_jank_null)
    {
    }

    oref(T *d)
      : data{ d }
    {
    }

    /* A typed reference is also an object_ref (every T derives from object). */
    template <typename U>
    oref(oref<U> const &o)
      : data{ o.data }
    {
    }

    T *operator->() const
    {
      return data;
    }

    T *ptr() const
    {
      return data;
    }

    oref<object> erase() const
    {
      return { data };
    }

    template <typename... Args>
    oref<object> call(Args const &...args) const
    {
      object_ref const argv[sizeof...(Args) + 1]{ object_ref{ args }..., object_ref{} };
      return call_with(erase(), argv, sizeof...(Args));
    }

    T *data{};
  };

  template <typename... Args>
  object_ref object::call(Args const &...args)
  {
    return object_ref{ this }.call(args...);
  }

  namespace obj
  {
    struct nil : object
    {
    };

    struct boolean : object
    {
      bool data;
    };

    struct integer : object
    {
      jtl::i64 data;
    };

    struct real : object
    {
      jtl::f64 data;
    };

    struct persistent_string : object
    {
      char const *data;
    };

    struct keyword : object
    {
      char const *ns, *name;
    };

    struct symbol : object
    {
      char const *ns, *name;
    };

    /* A function jank compiled: one pointer per fixed arity, each called
     * with the function object first (jit_function.hpp). */
    struct jit_function : object
    {
      callable_arity_flags arity_flags;
      void *context;
      object_ref (*arity_0)(object_ref);
      object_ref (*arity_1)(object_ref, object_ref);
      object_ref (*arity_2)(object_ref, object_ref, object_ref);
      object_ref (*arity_3)(object_ref, object_ref, object_ref, object_ref);
      object_ref (*arity_4)(object_ref, object_ref, object_ref, object_ref, object_ref);
      object_ref (*arity_5)(object_ref, object_ref, object_ref, object_ref, object_ref, object_ref);
      object_ref (*arity_6)(object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref);
      object_ref (*arity_7)(object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref);
      object_ref (*arity_8)(object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref);
      object_ref (*arity_9)(object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref,
                            object_ref);
      object_ref (*arity_10)(object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref,
                             object_ref);
    };

    struct jit_variadic_function : jit_function
    {
    };

    /* A function with captures: `context` points at its captured values. */
    struct jit_closure : jit_function
    {
    };

    struct jit_variadic_closure : jit_closure
    {
    };

    using nil_ref = oref<nil>;
    using boolean_ref = oref<boolean>;
    using integer_ref = oref<integer>;
    using small_integer_ref = oref<integer>;
    using real_ref = oref<real>;
    using small_real_ref = oref<real>;
    using persistent_string_ref = oref<persistent_string>;
    using keyword_ref = oref<keyword>;
    using symbol_ref = oref<symbol>;
    using jit_function_ref = oref<jit_function>;
    using jit_variadic_function_ref = oref<jit_variadic_function>;
    using jit_closure_ref = oref<jit_closure>;
    using jit_variadic_closure_ref = oref<jit_variadic_closure>;
  }

  struct var;
  using var_ref = oref<var>;

  struct var : object
  {
    /* The root; calling it while unbound throws. */
    object_ref deref() const;
    var_ref bind_root(object_ref value);
    var_ref with_lazy_meta(char const *meta);
    var_ref set_dynamic(bool dynamic);

    char const *qualified_name;
    object_ref root;
    bool dynamic;
  };

  /* The constants (runtime/obj/nil.hpp, runtime/oref.hpp), one per runtime. */
  object_ref nil_object();
  object_ref boolean_object(bool b);
  inline object_ref const jank_nil{ nil_object() };
  inline object_ref const jank_true{ boolean_object(true) };
  inline object_ref const jank_false{ boolean_object(false) };

  bool truthy(object_ref const &o);
}

/* The literal and function makers jank's generated code calls (codegen/api.hpp). */
jank::runtime::var_ref _jank_var(char const *qualified_name);
jank::runtime::var_ref _jank_var_owned(char const *qualified_name);
jank::runtime::obj::keyword_ref _jank_keyword(char const *ns, char const *name);
jank::runtime::obj::symbol_ref _jank_symbol(char const *ns, char const *name);
jank::runtime::obj::integer_ref _jank_int(jtl::i64 i);
jank::runtime::obj::small_integer_ref _jank_small_int(jtl::i32 i);
jank::runtime::obj::real_ref _jank_real(jtl::f64 r);
jank::runtime::obj::small_real_ref _jank_small_real(jtl::f64 r);
jank::runtime::obj::persistent_string_ref _jank_string();
jank::runtime::obj::persistent_string_ref _jank_string(char const *s);
jank::runtime::obj::jit_function_ref _jank_fn(jank::runtime::callable_arity_flags flags);
jank::runtime::obj::jit_variadic_function_ref _jank_vfn(jank::runtime::callable_arity_flags flags);
jank::runtime::obj::jit_closure_ref _jank_closure(jank::runtime::callable_arity_flags flags, void *ctx);
jank::runtime::obj::jit_variadic_closure_ref
_jank_vclosure(jank::runtime::callable_arity_flags flags, void *ctx);

extern "C"
{
  /* jank/c_api.h */
  using jank_object_ref = void *;
  jank_object_ref jank_ns_intern_c(char const *name);
  void jank_ns_set_symbol_counter(char const *ns, jtl::u64 count);

  /* bdwgc's gc.h: jank registers a module's globals as GC roots. */
  void GC_add_roots(void *low, void *high_plus_1);

  /* The C ABI every runtime bundle provides to this project's toolchain
   * (docs/patch-abi.md, "Side modules"). */

  /* Loads a patch: dlopen(path), call its entry, return "v<printed value>"
   * or "e<class>\n<message>". The returned text lives until the next call. */
  char const *jank_wasm_load_patch(char const *path, char const *entry);
  /* pr-str of a var's root ("nil" for a null name or an unbound var). */
  char const *jank_wasm_print_var(char const *qualified_name);
}

#endif
