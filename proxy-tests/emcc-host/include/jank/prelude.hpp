// The test host's stand-in for jank's <jank/prelude.hpp>: the small slice of a
// jank runtime that patches compiled against the test host use. Real jank
// patches include jank's own prelude; only the C ABI at the bottom
// (jank_wasm_*) is what this project's toolchain relies on in every runtime.
//
// Every var call goes through the var registry at call time (`var->deref()`),
// as in jank, so rebinding a var's root is all a redefinition needs.
#ifndef JANK_TEST_HOST_PRELUDE_HPP
#define JANK_TEST_HOST_PRELUDE_HPP

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>

/* No <string> here on purpose: every patch includes this header, and
 * libc++'s <string> alone makes each compile ~60 ms slower (even
 * precompiled). The host keeps its strings to itself. */
namespace jank::runtime
{
  enum class object_type : std::uint8_t
  {
    nil,
    boolean,
    integer,
    real,
    string,
    keyword,
    list,
    fn,
    var
  };

  /* Every value. Objects are never freed: the host is a test stand-in. The
   * out-of-line destructor keeps the vtable and typeinfo in the host. */
  struct object
  {
    explicit object(object_type t) : type{ t }
    {
    }
    virtual ~object();

    object_type type;
  };

  using object_ref = object *;

  /* A function value: patches derive from it for each fn they define. Any
   * number of arguments (no fixed arity limit). */
  struct fn : object
  {
    explicit fn(char const *n) : object{ object_type::fn }, name{ n }
    {
    }
    ~fn() override;
    virtual object_ref call(object_ref const *args, std::size_t count) = 0;

    char const *name;
  };

  struct var : object
  {
    explicit var(char const *q) : object{ object_type::var }, qualified_name{ q }
    {
    }
    ~var() override;
    /* The root; calling it while unbound throws. */
    object_ref deref() const;
    var *bind_root(object_ref value);

    char const *qualified_name;
    object_ref root{};
  };

  using var_ref = var *;

  /* What jank code throws: a class name (as the REPL shows it) and a message
   * (both copied by the constructor). */
  struct error : std::exception
  {
    error(char const *cls, char const *message);
    ~error() override;
    char const *what() const noexcept override;

    char const *cls, *message;
  };

  /* How pr-str prints a value (the text lives as long as the runtime). */
  char const *to_code_string(object_ref o);

  /* The var registry: `ns/name` to its var, for the life of the runtime. */
  var_ref get_var(char const *qualified_name);
  var_ref register_var(char const *qualified_name, object_ref root);
  void intern_ns(char const *name);

  object_ref nil();
  object_ref make_box(bool b);
  object_ref make_box(std::int64_t i);
  object_ref make_box(int i);
  object_ref make_box(double d);
  object_ref make_box(char const *s);
  object_ref make_keyword(char const *name);
  bool truthy(object_ref o);

  object_ref call(object_ref f, object_ref const *args, std::size_t count);

  inline object_ref dynamic_call(object_ref f, std::initializer_list<object_ref> args)
  {
    return call(f, args.begin(), args.size());
  }

  /* Throws the value as jank's `throw` does (its text becomes the message). */
  [[noreturn]] object_ref throw_value(object_ref value);

  /* Throws jank's arity error unless `count` is within [min, max] (max < 0: variadic). */
  void check_arity(char const *name, std::size_t count, std::size_t min, long max);
  /* The rest arguments of a variadic fn, as a printable list value. */
  object_ref rest_args(object_ref const *args, std::size_t from, std::size_t count);
}

/* The C ABI every runtime bundle provides to this project's toolchain. */
extern "C"
{
  /* Loads a patch: dlopen(path), call its entry, return "v<printed value>"
   * or "e<class>\n<message>". The returned text lives until the next call. */
  char const *jank_wasm_load_patch(char const *path, char const *entry);
  /* pr-str of a var's root ("nil" for a null name or an unbound var). */
  char const *jank_wasm_print_var(char const *qualified_name);
}

#endif
