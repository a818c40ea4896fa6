// The test host: a MAIN_MODULE standing in for a jank runtime bundle in this
// project's tests. It implements the slice of jank's runtime API that
// include/jank/prelude.hpp declares (what jank's generated module C++ calls:
// `_jank_var`, `_jank_fn`, `jank_ns_intern_c`, `GC_add_roots`, ...), a var
// registry, a few clojure.core functions, and the loader the toolchain needs:
// jank_wasm_load_patch dlopens a side module from the emscripten FS, calls its
// entry and returns the printed value or the error (docs/patch-abi.md).
// Built by build-host.sh.
#include <jank/prelude.hpp>

#include <dlfcn.h>
#include <emscripten.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

/* The runtime API patches call. MAIN_MODULE=2 exports only what is asked
 * for: KEEPALIVE asks for each definition (the C++ support patches need,
 * typeinfo and operator new, is listed in build-host.sh). */
#define JANK_API EMSCRIPTEN_KEEPALIVE

using jtl::usize;

namespace jank::runtime
{
  namespace
  {
    /* A copy that lives as long as the runtime (nothing is freed here). */
    char const *keep(std::string const &text)
    {
      return (new std::string{ text })->c_str();
    }

    /* An error the runtime itself raises (a class name as the REPL shows
     * it, and a message); what jank code throws is an object_ref. */
    struct host_error : std::exception
    {
      host_error(std::string c, std::string m)
        : cls{ std::move(c) }
        , message{ std::move(m) }
      {
      }

      char const *what() const noexcept override
      {
        return message.c_str();
      }

      std::string cls, message;
    };

    /* A list value, made for variadic rest arguments. */
    struct list_obj : object
    {
      std::vector<object_ref> items;
    };

    /* A clojure.core function implemented in the host. */
    struct native_fn : object
    {
      using impl = object_ref (*)(object_ref const *, usize);
      char const *name;
      impl f;
    };

    struct ns_obj : object
    {
      char const *name;
    };

    obj::nil nil_value{ { object_type::nil } };
    obj::boolean true_value{ { object_type::boolean }, true };
    obj::boolean false_value{ { object_type::boolean }, false };

    std::map<std::string, var *> &registry()
    {
      static std::map<std::string, var *> vars;
      return vars;
    }

    std::map<std::string, ns_obj *> &namespaces()
    {
      static std::map<std::string, ns_obj *> all;
      return all;
    }

    std::map<std::string, jtl::u64> &symbol_counters()
    {
      static std::map<std::string, jtl::u64> counters;
      return counters;
    }

    bool is_nil(object_ref o)
    {
      return !o.data || o->type == object_type::nil;
    }

    object_ref make_list(object_ref const *items, usize count)
    {
      auto list{ new list_obj{} };
      list->type = object_type::persistent_list;
      list->items.assign(items, items + count);
      return list;
    }

    std::string print_double(double d)
    {
      if(std::isnan(d))
      {
        return "##NaN";
      }
      if(std::isinf(d))
      {
        return d > 0 ? "##Inf" : "##-Inf";
      }
      std::ostringstream out;
      out.precision(17);
      out << d;
      auto text{ out.str() };
      if(text.find_first_of(".e") == std::string::npos)
      {
        text += ".0";
      }
      return text;
    }

    std::string quote_string(std::string const &s)
    {
      std::string out{ "\"" };
      for(char c : s)
      {
        switch(c)
        {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\n':
            out += "\\n";
            break;
          default:
            out += c;
        }
      }
      return out + "\"";
    }

    std::string qualified(char const *ns, char const *name)
    {
      return (ns && *ns) ? std::string{ ns } + "/" + name : std::string{ name };
    }

    std::string print(object_ref o)
    {
      if(is_nil(o))
      {
        return "nil";
      }
      switch(o->type)
      {
        case object_type::nil:
          return "nil";
        case object_type::boolean:
          return static_cast<obj::boolean *>(o.data)->data ? "true" : "false";
        case object_type::integer:
          return std::to_string(static_cast<obj::integer *>(o.data)->data);
        case object_type::real:
          return print_double(static_cast<obj::real *>(o.data)->data);
        case object_type::persistent_string:
          return quote_string(static_cast<obj::persistent_string *>(o.data)->data);
        case object_type::keyword:
          {
            auto const k{ static_cast<obj::keyword *>(o.data) };
            return ":" + qualified(k->ns, k->name);
          }
        case object_type::symbol:
          {
            auto const s{ static_cast<obj::symbol *>(o.data) };
            return qualified(s->ns, s->name);
          }
        case object_type::persistent_list:
          {
            auto const &items{ static_cast<list_obj *>(o.data)->items };
            std::string out{ "(" };
            for(usize i{}; i < items.size(); ++i)
            {
              out += (i ? " " : "") + print(items[i]);
            }
            return out + ")";
          }
        case object_type::native_function:
          return std::string{ "#object[clojure.core$" } + static_cast<native_fn *>(o.data)->name
            + "]";
        case object_type::jit_function:
          return "#object[jit_function]";
        case object_type::var:
          return std::string{ "#'" } + static_cast<var *>(o.data)->qualified_name;
        case object_type::ns:
          return std::string{ "#object[jank.runtime.ns " } + static_cast<ns_obj *>(o.data)->name
            + "]";
      }
      return "#object[unknown]";
    }

    /* str's text of a value: strings bare, nil empty, the rest printed. */
    std::string str_text(object_ref o)
    {
      if(is_nil(o))
      {
        return "";
      }
      if(o->type == object_type::persistent_string)
      {
        return static_cast<obj::persistent_string *>(o.data)->data;
      }
      return print(o);
    }

    [[noreturn]] void arity_error(std::string const &name, usize count)
    {
      throw host_error{ "clojure.lang.ArityException",
                        "Wrong number of args (" + std::to_string(count) + ") passed to: " + name };
    }

    /* Calls `f`'s arity for `count` arguments (the rest list, if any, is the last). */
    object_ref call_arity(obj::jit_function *f, object_ref const *a, usize count)
    {
      object_ref const self{ f };
      switch(count)
      {
        case 0:
          if(f->arity_0)
          {
            return f->arity_0(self);
          }
          break;
        case 1:
          if(f->arity_1)
          {
            return f->arity_1(self, a[0]);
          }
          break;
        case 2:
          if(f->arity_2)
          {
            return f->arity_2(self, a[0], a[1]);
          }
          break;
        case 3:
          if(f->arity_3)
          {
            return f->arity_3(self, a[0], a[1], a[2]);
          }
          break;
        case 4:
          if(f->arity_4)
          {
            return f->arity_4(self, a[0], a[1], a[2], a[3]);
          }
          break;
        case 5:
          if(f->arity_5)
          {
            return f->arity_5(self, a[0], a[1], a[2], a[3], a[4]);
          }
          break;
        case 6:
          if(f->arity_6)
          {
            return f->arity_6(self, a[0], a[1], a[2], a[3], a[4], a[5]);
          }
          break;
        case 7:
          if(f->arity_7)
          {
            return f->arity_7(self, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
          }
          break;
        case 8:
          if(f->arity_8)
          {
            return f->arity_8(self, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
          }
          break;
        case 9:
          if(f->arity_9)
          {
            return f->arity_9(self, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
          }
          break;
        case 10:
          if(f->arity_10)
          {
            return f->arity_10(self, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
          }
          break;
      }
      arity_error("a jank fn", count);
    }

    /* A jit function's dispatch (runtime/core/call.hpp): the low six bits of
     * the flags are the highest fixed arity or, for a variadic fn, its
     * required argument count; bit 7 marks a variadic fn and bit 6 a fixed
     * arity as long as the required count ("ambiguous": that one wins). */
    object_ref call_jit(obj::jit_function *f, object_ref const *args, usize count)
    {
      auto const flags{ f->arity_flags };
      bool const variadic{ (flags & 0x80) != 0 };
      bool const ambiguous{ (flags & 0x40) != 0 };
      usize const required{ static_cast<usize>(flags & 0x3f) };
      if(variadic && count >= required && !(ambiguous && count == required))
      {
        std::vector<object_ref> packed(args, args + required);
        packed.push_back(count > required ? make_list(args + required, count - required)
                                          : object_ref{ &nil_value });
        return call_arity(f, packed.data(), required + 1);
      }
      if(count > 10)
      {
        arity_error("a jank fn", count);
      }
      return call_arity(f, args, count);
    }

    bool is_number(object_ref o)
    {
      return !is_nil(o) && (o->type == object_type::integer || o->type == object_type::real);
    }

    double as_double(object_ref o)
    {
      return o->type == object_type::integer
        ? static_cast<double>(static_cast<obj::integer *>(o.data)->data)
        : static_cast<obj::real *>(o.data)->data;
    }

    jtl::i64 as_integer(object_ref o)
    {
      return static_cast<obj::integer *>(o.data)->data;
    }

    void require_number(object_ref o)
    {
      if(!is_number(o))
      {
        throw host_error{ "ClassCastException", "Cannot cast " + print(o) + " to a number" };
      }
    }

    /* + - * on two numbers: integers stay integers (overflow throws, as in Clojure). */
    object_ref arith(char op, object_ref a, object_ref b)
    {
      require_number(a);
      require_number(b);
      if(a->type == object_type::integer && b->type == object_type::integer)
      {
        jtl::i64 x{ as_integer(a) }, y{ as_integer(b) }, r{};
        bool overflow{ op == '+'   ? __builtin_add_overflow(x, y, &r)
                       : op == '-' ? __builtin_sub_overflow(x, y, &r)
                                   : __builtin_mul_overflow(x, y, &r) };
        if(overflow)
        {
          throw host_error{ "ArithmeticException", "integer overflow" };
        }
        return _jank_int(r);
      }
      double x{ as_double(a) }, y{ as_double(b) };
      return _jank_real(op == '+' ? x + y : op == '-' ? x - y : x * y);
    }

    object_ref fold(char op, object_ref start, object_ref const *args, usize count)
    {
      object_ref acc{ start };
      for(usize i{}; i < count; ++i)
      {
        acc = arith(op, acc, args[i]);
      }
      return acc;
    }

    bool equal(object_ref a, object_ref b)
    {
      if(a.data == b.data || (is_nil(a) && is_nil(b)))
      {
        return true;
      }
      if(is_nil(a) || is_nil(b))
      {
        return false;
      }
      if(is_number(a) && is_number(b))
      {
        return a->type == b->type && as_double(a) == as_double(b);
      }
      if(a->type != b->type)
      {
        return false;
      }
      switch(a->type)
      {
        case object_type::persistent_string:
          return std::string{ static_cast<obj::persistent_string *>(a.data)->data }
          == static_cast<obj::persistent_string *>(b.data)->data;
        case object_type::keyword:
        case object_type::symbol:
          return print(a) == print(b);
        case object_type::boolean:
          return static_cast<obj::boolean *>(a.data)->data
            == static_cast<obj::boolean *>(b.data)->data;
        default:
          return false;
      }
    }

    object_ref compare(char op, object_ref const *args, usize count)
    {
      for(usize i{ 1 }; i < count; ++i)
      {
        require_number(args[i - 1]);
        require_number(args[i]);
        double x{ as_double(args[i - 1]) }, y{ as_double(args[i]) };
        bool ok{ op == '<' ? x < y : op == '>' ? x > y : op == 'l' ? x <= y : x >= y };
        if(!ok)
        {
          return &false_value;
        }
      }
      return &true_value;
    }

    std::string joined(object_ref const *args, usize count, bool readable)
    {
      std::string out;
      for(usize i{}; i < count; ++i)
      {
        out += (i ? " " : "") + (readable ? print(args[i]) : str_text(args[i]));
      }
      return out;
    }

    void check_arity(char const *name, usize count, usize min, long max)
    {
      if(count < min || (max >= 0 && count > static_cast<usize>(max)))
      {
        arity_error(std::string{ "clojure.core/" } + name, count);
      }
    }

    void define_core(char const *name, native_fn::impl f)
    {
      auto fn{ new native_fn{} };
      fn->type = object_type::native_function;
      fn->name = name;
      fn->f = f;
      _jank_var(qualified("clojure.core", name).c_str())->bind_root(fn);
    }

    /* The clojure.core functions the test double's programs use. */
    void define_core_functions()
    {
      jank_ns_intern_c("clojure.core");
      define_core("+", [](object_ref const *a, usize n) { return fold('+', _jank_int(0), a, n); });
      define_core("*", [](object_ref const *a, usize n) { return fold('*', _jank_int(1), a, n); });
      define_core("-", [](object_ref const *a, usize n) {
        check_arity("-", n, 1, -1);
        return n == 1 ? arith('-', _jank_int(0), a[0]) : fold('-', a[0], a + 1, n - 1);
      });
      define_core("inc", [](object_ref const *a, usize n) {
        check_arity("inc", n, 1, 1);
        return arith('+', a[0], _jank_int(1));
      });
      define_core("dec", [](object_ref const *a, usize n) {
        check_arity("dec", n, 1, 1);
        return arith('-', a[0], _jank_int(1));
      });
      define_core("<", [](object_ref const *a, usize n) { return compare('<', a, n); });
      define_core(">", [](object_ref const *a, usize n) { return compare('>', a, n); });
      define_core("<=", [](object_ref const *a, usize n) { return compare('l', a, n); });
      define_core(">=", [](object_ref const *a, usize n) { return compare('g', a, n); });
      define_core("=", [](object_ref const *a, usize n) -> object_ref {
        for(usize i{ 1 }; i < n; ++i)
        {
          if(!equal(a[i - 1], a[i]))
          {
            return &false_value;
          }
        }
        return &true_value;
      });
      define_core("str", [](object_ref const *a, usize n) -> object_ref {
        std::string out;
        for(usize i{}; i < n; ++i)
        {
          out += str_text(a[i]);
        }
        return _jank_string(keep(out));
      });
      define_core("pr-str", [](object_ref const *a, usize n) -> object_ref {
        return _jank_string(keep(joined(a, n, true)));
      });
      define_core("println", [](object_ref const *a, usize n) -> object_ref {
        std::printf("%s\n", joined(a, n, false).c_str());
        return &nil_value;
      });
      define_core("prn", [](object_ref const *a, usize n) -> object_ref {
        std::printf("%s\n", joined(a, n, true).c_str());
        return &nil_value;
      });
      define_core("identity", [](object_ref const *a, usize n) {
        check_arity("identity", n, 1, 1);
        return a[0];
      });
      /* What `(ns x)` and `(in-ns 'x)` expand to in the module code. */
      define_core("in-ns", [](object_ref const *a, usize n) -> object_ref {
        check_arity("in-ns", n, 1, 1);
        if(is_nil(a[0]) || a[0]->type != object_type::symbol)
        {
          throw host_error{ "ClassCastException", print(a[0]) + " is not a symbol" };
        }
        return static_cast<ns_obj *>(jank_ns_intern_c(print(a[0]).c_str()));
      });
    }
  }

  JANK_API object_ref nil_object()
  {
    return &nil_value;
  }

  JANK_API object_ref boolean_object(bool b)
  {
    return b ? &true_value : &false_value;
  }

  JANK_API bool truthy(object_ref const &o)
  {
    return !is_nil(o) && o.data != &false_value;
  }

  JANK_API object_ref call_with(object_ref const &fn, object_ref const *args, usize count)
  {
    if(is_nil(fn))
    {
      throw host_error{ "java.lang.NullPointerException", "Cannot call nil" };
    }
    switch(fn->type)
    {
      case object_type::native_function:
        return static_cast<native_fn *>(fn.data)->f(args, count);
      case object_type::jit_function:
        return call_jit(static_cast<obj::jit_function *>(fn.data), args, count);
      case object_type::var:
        return call_with(static_cast<var *>(fn.data)->deref(), args, count);
      default:
        throw host_error{ "ClassCastException", print(fn) + " cannot be cast to clojure.lang.IFn" };
    }
  }

  JANK_API object_ref var::deref() const
  {
    if(!root.data)
    {
      throw host_error{ "java.lang.IllegalStateException",
                        std::string{ "Attempting to call unbound fn: #'" } + qualified_name };
    }
    return root;
  }

  JANK_API var_ref var::bind_root(object_ref value)
  {
    root = value;
    return this;
  }

  JANK_API var_ref var::with_lazy_meta(char const *)
  {
    return this;
  }

  JANK_API var_ref var::set_dynamic(bool d)
  {
    dynamic = d;
    return this;
  }
}

using namespace jank::runtime;

JANK_API var_ref _jank_var(char const *qualified_name)
{
  auto &vars{ registry() };
  auto found{ vars.find(qualified_name) };
  if(found != vars.end())
  {
    return found->second;
  }
  std::string const name{ qualified_name };
  auto const slash{ name.find('/') };
  if(slash != std::string::npos && slash > 0)
  {
    jank_ns_intern_c(name.substr(0, slash).c_str());
  }
  auto v{ new var{} };
  v->type = object_type::var;
  v->qualified_name = keep(name);
  vars.emplace(name, v);
  return v;
}

JANK_API var_ref _jank_var_owned(char const *qualified_name)
{
  return _jank_var(qualified_name);
}

JANK_API obj::keyword_ref _jank_keyword(char const *ns, char const *name)
{
  return new obj::keyword{ { object_type::keyword }, keep(ns), keep(name) };
}

JANK_API obj::symbol_ref _jank_symbol(char const *ns, char const *name)
{
  return new obj::symbol{ { object_type::symbol }, keep(ns), keep(name) };
}

JANK_API obj::integer_ref _jank_int(jtl::i64 i)
{
  return new obj::integer{ { object_type::integer }, i };
}

JANK_API obj::small_integer_ref _jank_small_int(jtl::i32 i)
{
  return _jank_int(i);
}

JANK_API obj::real_ref _jank_real(jtl::f64 r)
{
  return new obj::real{ { object_type::real }, r };
}

JANK_API obj::small_real_ref _jank_small_real(jtl::f64 r)
{
  return _jank_real(r);
}

JANK_API obj::persistent_string_ref _jank_string()
{
  return _jank_string("");
}

JANK_API obj::persistent_string_ref _jank_string(char const *s)
{
  return new obj::persistent_string{ { object_type::persistent_string }, keep(s) };
}

namespace
{
  template <typename T>
  T *make_fn(callable_arity_flags flags, void *ctx)
  {
    auto f{ new T{} };
    f->type = object_type::jit_function;
    f->arity_flags = flags;
    f->context = ctx;
    return f;
  }
}

JANK_API obj::jit_function_ref _jank_fn(callable_arity_flags flags)
{
  return make_fn<obj::jit_function>(flags, nullptr);
}

JANK_API obj::jit_variadic_function_ref _jank_vfn(callable_arity_flags flags)
{
  return make_fn<obj::jit_variadic_function>(flags, nullptr);
}

JANK_API obj::jit_closure_ref _jank_closure(callable_arity_flags flags, void *ctx)
{
  return make_fn<obj::jit_closure>(flags, ctx);
}

JANK_API obj::jit_variadic_closure_ref _jank_vclosure(callable_arity_flags flags, void *ctx)
{
  return make_fn<obj::jit_variadic_closure>(flags, ctx);
}

namespace
{
  std::string last_result;

  /* Output a patch printed without a newline goes out now, with its eval. */
  void flush_output()
  {
    std::fflush(stdout);
    std::fflush(stderr);
  }

  /* dlopen a patch from the FS and call its entry; "v" + the printed value,
   * or "e" + class + "\n" + message. */
  std::string load_patch(char const *path, char const *entry)
  {
    /* RTLD_LOCAL: a patch's exports stay out of the global symbol table, so
     * the next patch can never bind to an older one's definitions. */
    void *handle{ dlopen(path, RTLD_NOW | RTLD_LOCAL) };
    if(!handle)
    {
      return std::string{ "eDlopenError\n" } + dlerror();
    }
    auto run{ reinterpret_cast<char const *(*)()>(dlsym(handle, entry)) };
    if(!run)
    {
      return std::string{ "eDlsymError\n" } + dlerror();
    }
    try
    {
      return std::string{ "v" } + run();
    }
    /* What jank code throws (`throw static_cast<jank::runtime::object_ref>(x)`). */
    catch(object_ref const &thrown)
    {
      return "eclojure.lang.ExceptionInfo\n" + str_text(thrown);
    }
    catch(host_error const &e)
    {
      return "e" + e.cls + "\n" + e.message;
    }
    catch(std::exception const &e)
    {
      return std::string{ "estd::exception\n" } + e.what();
    }
    catch(...)
    {
      return "eUnknownException\nan unknown C++ exception";
    }
  }
}

extern "C"
{
  JANK_API jank_object_ref jank_ns_intern_c(char const *name)
  {
    auto &all{ namespaces() };
    auto found{ all.find(name) };
    if(found != all.end())
    {
      return found->second;
    }
    auto ns{ new ns_obj{} };
    ns->type = object_type::ns;
    ns->name = keep(name);
    all.emplace(name, ns);
    return ns;
  }

  JANK_API void jank_ns_set_symbol_counter(char const *ns, jtl::u64 count)
  {
    symbol_counters()[ns] = count;
  }

  /* Nothing here is ever collected, so there are no roots to keep. */
  JANK_API void GC_add_roots(void *, void *)
  {
  }

  JANK_API char const *jank_wasm_load_patch(char const *path, char const *entry)
  {
    last_result = load_patch(path, entry);
    flush_output();
    return last_result.c_str();
  }

  JANK_API char const *jank_wasm_print_var(char const *qualified_name)
  {
    static std::string printed;
    if(!qualified_name)
    {
      return "nil";
    }
    auto const v{ _jank_var(qualified_name) };
    printed = v->root.data ? print(v->root) : "nil";
    return printed.c_str();
  }
}

int main()
{
  define_core_functions();
  return 0;
}
