// The test host: a MAIN_MODULE standing in for a jank runtime bundle in this
// project's tests. It has what the plan's runtime has: a var registry
// (register_var, get_var), a few clojure.core functions, and load_patch,
// which dlopens a side module from the emscripten FS, calls its entry and
// returns the printed value or the error (exported to the loader as
// jank_wasm_load_patch, docs/patch-abi.md). Built by build-host.sh.
#include <jank/prelude.hpp>

#include <dlfcn.h>
#include <emscripten.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

/* The runtime API patches call. MAIN_MODULE=2 exports only what is asked
 * for: KEEPALIVE asks for each definition (the C++ support patches need,
 * typeinfo and operator new/delete, is listed in build-host.sh). */
#define JANK_API EMSCRIPTEN_KEEPALIVE

namespace jank::runtime
{
  JANK_API object::~object() = default;
  JANK_API fn::~fn() = default;
  JANK_API var::~var() = default;
  JANK_API error::~error() = default;

  namespace
  {
    /* A copy that lives as long as the runtime (nothing is freed here). */
    char const *keep(std::string const &text)
    {
      return (new std::string{ text })->c_str();
    }
  }

  JANK_API error::error(char const *c, char const *m) : cls{ keep(c) }, message{ keep(m) }
  {
  }

  JANK_API char const *error::what() const noexcept
  {
    return message;
  }

  namespace
  {
    struct boolean_obj : object
    {
      explicit boolean_obj(bool v) : object{ object_type::boolean }, value{ v }
      {
      }
      bool value;
    };

    struct integer_obj : object
    {
      explicit integer_obj(std::int64_t v) : object{ object_type::integer }, value{ v }
      {
      }
      std::int64_t value;
    };

    struct real_obj : object
    {
      explicit real_obj(double v) : object{ object_type::real }, value{ v }
      {
      }
      double value;
    };

    struct string_obj : object
    {
      explicit string_obj(std::string v) : object{ object_type::string }, value{ std::move(v) }
      {
      }
      std::string value;
    };

    struct keyword_obj : object
    {
      explicit keyword_obj(std::string v) : object{ object_type::keyword }, value{ std::move(v) }
      {
      }
      std::string value;
    };

    /* A list value, only made for variadic rest arguments. */
    struct list_obj : object
    {
      list_obj() : object{ object_type::list }
      {
      }
      std::vector<object_ref> items;
    };

    /* A clojure.core function implemented in the host. */
    struct native_fn : fn
    {
      using impl = object_ref (*)(object_ref const *, std::size_t);
      native_fn(char const *n, impl f) : fn{ n }, f{ f }
      {
      }
      object_ref call(object_ref const *args, std::size_t count) override
      {
        return f(args, count);
      }
      impl f;
    };

    object nil_value{ object_type::nil };
    boolean_obj true_value{ true };
    boolean_obj false_value{ false };

    std::map<std::string, var_ref> &registry()
    {
      static std::map<std::string, var_ref> vars;
      return vars;
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

    std::string print(object_ref o);

    /* str's text of a value: strings bare, nil empty, the rest printed. */
    std::string str_text(object_ref o)
    {
      if(o->type == object_type::string)
      {
        return static_cast<string_obj *>(o)->value;
      }
      if(o->type == object_type::nil && o == &nil_value)
      {
        return "";
      }
      return print(o);
    }

    bool is_number(object_ref o)
    {
      return o->type == object_type::integer || o->type == object_type::real;
    }

    double as_double(object_ref o)
    {
      return o->type == object_type::integer ? static_cast<double>(static_cast<integer_obj *>(o)->value)
                                             : static_cast<real_obj *>(o)->value;
    }

    std::int64_t as_integer(object_ref o)
    {
      return static_cast<integer_obj *>(o)->value;
    }

    void require_number(object_ref o)
    {
      if(!is_number(o))
      {
        throw error{ "ClassCastException", ("Cannot cast " + print(o) + " to a number").c_str() };
      }
    }

    /* + - * on two numbers: integers stay integers (overflow throws, as in Clojure). */
    object_ref arith(char op, object_ref a, object_ref b)
    {
      require_number(a);
      require_number(b);
      if(a->type == object_type::integer && b->type == object_type::integer)
      {
        std::int64_t x{ as_integer(a) }, y{ as_integer(b) }, r{};
        bool overflow{ op == '+'   ? __builtin_add_overflow(x, y, &r)
                       : op == '-' ? __builtin_sub_overflow(x, y, &r)
                                   : __builtin_mul_overflow(x, y, &r) };
        if(overflow)
        {
          throw error{ "ArithmeticException", "integer overflow" };
        }
        return make_box(r);
      }
      double x{ as_double(a) }, y{ as_double(b) };
      return make_box(op == '+' ? x + y : op == '-' ? x - y : x * y);
    }

    object_ref fold(char op, object_ref start, object_ref const *args, std::size_t count)
    {
      object_ref acc{ start };
      for(std::size_t i{}; i < count; ++i)
      {
        acc = arith(op, acc, args[i]);
      }
      return acc;
    }

    bool equal(object_ref a, object_ref b)
    {
      if(a == b)
      {
        return true;
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
        case object_type::string:
          return static_cast<string_obj *>(a)->value == static_cast<string_obj *>(b)->value;
        case object_type::keyword:
          return static_cast<keyword_obj *>(a)->value == static_cast<keyword_obj *>(b)->value;
        case object_type::boolean:
          return static_cast<boolean_obj *>(a)->value == static_cast<boolean_obj *>(b)->value;
        default:
          return false;
      }
    }

    object_ref compare(char op, object_ref const *args, std::size_t count)
    {
      for(std::size_t i{ 1 }; i < count; ++i)
      {
        require_number(args[i - 1]);
        require_number(args[i]);
        double x{ as_double(args[i - 1]) }, y{ as_double(args[i]) };
        bool ok{ op == '<' ? x < y : op == '>' ? x > y : op == 'l' ? x <= y : x >= y };
        if(!ok)
        {
          return make_box(false);
        }
      }
      return make_box(true);
    }

    std::string joined(object_ref const *args, std::size_t count, bool readable)
    {
      std::string out;
      for(std::size_t i{}; i < count; ++i)
      {
        out += (i ? " " : "") + (readable ? print(args[i]) : str_text(args[i]));
      }
      return out;
    }

    void define_core(char const *name, native_fn::impl f)
    {
      std::string qualified{ std::string{ "clojure.core/" } + name };
      register_var(qualified.c_str(), new native_fn{ name, f });
    }

    /* The clojure.core functions the test double's programs use. */
    void define_core_functions()
    {
      define_core("+", [](object_ref const *a, std::size_t n) { return fold('+', make_box(0), a, n); });
      define_core("*", [](object_ref const *a, std::size_t n) { return fold('*', make_box(1), a, n); });
      define_core("-", [](object_ref const *a, std::size_t n) {
        check_arity("-", n, 1, -1);
        return n == 1 ? arith('-', make_box(0), a[0]) : fold('-', a[0], a + 1, n - 1);
      });
      define_core("inc", [](object_ref const *a, std::size_t n) {
        check_arity("inc", n, 1, 1);
        return arith('+', a[0], make_box(1));
      });
      define_core("dec", [](object_ref const *a, std::size_t n) {
        check_arity("dec", n, 1, 1);
        return arith('-', a[0], make_box(1));
      });
      define_core("<", [](object_ref const *a, std::size_t n) { return compare('<', a, n); });
      define_core(">", [](object_ref const *a, std::size_t n) { return compare('>', a, n); });
      define_core("<=", [](object_ref const *a, std::size_t n) { return compare('l', a, n); });
      define_core(">=", [](object_ref const *a, std::size_t n) { return compare('g', a, n); });
      define_core("=", [](object_ref const *a, std::size_t n) {
        for(std::size_t i{ 1 }; i < n; ++i)
        {
          if(!equal(a[i - 1], a[i]))
          {
            return make_box(false);
          }
        }
        return make_box(true);
      });
      define_core("str", [](object_ref const *a, std::size_t n) {
        std::string out;
        for(std::size_t i{}; i < n; ++i)
        {
          out += str_text(a[i]);
        }
        return make_box(out.c_str());
      });
      define_core("pr-str", [](object_ref const *a, std::size_t n) { return make_box(joined(a, n, true).c_str()); });
      define_core("println", [](object_ref const *a, std::size_t n) {
        std::printf("%s\n", joined(a, n, false).c_str());
        return nil();
      });
      define_core("prn", [](object_ref const *a, std::size_t n) {
        std::printf("%s\n", joined(a, n, true).c_str());
        return nil();
      });
      define_core("identity", [](object_ref const *a, std::size_t n) {
        check_arity("identity", n, 1, 1);
        return a[0];
      });
    }
  }

  namespace
  {
    std::string print(object_ref o)
    {
      switch(o->type)
      {
        case object_type::nil:
          return "nil";
        case object_type::boolean:
          return static_cast<boolean_obj *>(o)->value ? "true" : "false";
        case object_type::integer:
          return std::to_string(static_cast<integer_obj *>(o)->value);
        case object_type::real:
          return print_double(static_cast<real_obj *>(o)->value);
        case object_type::string:
          return quote_string(static_cast<string_obj *>(o)->value);
        case object_type::keyword:
          return ":" + static_cast<keyword_obj *>(o)->value;
        case object_type::list:
          {
            auto const &items{ static_cast<list_obj *>(o)->items };
            std::string out{ "(" };
            for(std::size_t i{}; i < items.size(); ++i)
            {
              out += (i ? " " : "") + print(items[i]);
            }
            return out + ")";
          }
        case object_type::fn:
          return std::string{ "#object[" } + static_cast<fn *>(o)->name + "]";
        case object_type::var:
          return std::string{ "#'" } + static_cast<var *>(o)->qualified_name;
      }
      return "#object[unknown]";
    }
  }

  JANK_API char const *to_code_string(object_ref o)
  {
    return keep(print(o));
  }

  JANK_API object_ref var::deref() const
  {
    if(!root)
    {
      throw error{ "java.lang.IllegalStateException",
                   (std::string{ "Attempting to call unbound fn: #'" } + qualified_name).c_str() };
    }
    return root;
  }

  JANK_API var *var::bind_root(object_ref value)
  {
    root = value;
    return this;
  }

  JANK_API var_ref get_var(char const *qualified_name)
  {
    auto &vars{ registry() };
    auto found{ vars.find(qualified_name) };
    if(found != vars.end())
    {
      return found->second;
    }
    auto v{ new var{ keep(qualified_name) } };
    vars.emplace(qualified_name, v);
    return v;
  }

  JANK_API var_ref register_var(char const *qualified_name, object_ref root)
  {
    return get_var(qualified_name)->bind_root(root);
  }

  JANK_API void intern_ns(char const *)
  {
    /* Namespaces are the prefixes of var names here. */
  }

  JANK_API object_ref nil()
  {
    return &nil_value;
  }

  JANK_API object_ref make_box(bool b)
  {
    return b ? &true_value : &false_value;
  }

  JANK_API object_ref make_box(std::int64_t i)
  {
    return new integer_obj{ i };
  }

  JANK_API object_ref make_box(int i)
  {
    return new integer_obj{ i };
  }

  JANK_API object_ref make_box(double d)
  {
    return new real_obj{ d };
  }

  JANK_API object_ref make_box(char const *s)
  {
    return new string_obj{ s };
  }

  JANK_API object_ref make_keyword(char const *name)
  {
    return new keyword_obj{ name };
  }

  JANK_API bool truthy(object_ref o)
  {
    return o != &nil_value && o != &false_value;
  }

  JANK_API object_ref call(object_ref f, object_ref const *args, std::size_t count)
  {
    if(f->type == object_type::var)
    {
      f = static_cast<var *>(f)->deref();
    }
    if(f->type != object_type::fn)
    {
      throw error{ "ClassCastException", (print(f) + " cannot be cast to clojure.lang.IFn").c_str() };
    }
    return static_cast<fn *>(f)->call(args, count);
  }

  JANK_API void check_arity(char const *name, std::size_t count, std::size_t min, long max)
  {
    if(count < min || (max >= 0 && count > static_cast<std::size_t>(max)))
    {
      throw error{ "clojure.lang.ArityException",
                   ("Wrong number of args (" + std::to_string(count) + ") passed to: " + name).c_str() };
    }
  }

  JANK_API object_ref throw_value(object_ref value)
  {
    throw error{ "clojure.lang.ExceptionInfo", str_text(value).c_str() };
  }

  JANK_API object_ref rest_args(object_ref const *args, std::size_t from, std::size_t count)
  {
    if(from >= count)
    {
      return nil();
    }
    auto list{ new list_obj{} };
    list->items.assign(args + from, args + count);
    return list;
  }
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
}

using namespace jank::runtime;

namespace jank::runtime
{
  /* The plan's loader: dlopen a patch from the FS and call its entry; "v" +
   * the printed value, or "e" + class + "\n" + message. */
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
    catch(error const &e)
    {
      return std::string{ "e" } + e.cls + "\n" + e.message;
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
  EMSCRIPTEN_KEEPALIVE char const *jank_wasm_load_patch(char const *path, char const *entry)
  {
    last_result = load_patch(path, entry);
    flush_output();
    return last_result.c_str();
  }

  EMSCRIPTEN_KEEPALIVE char const *jank_wasm_print_var(char const *qualified_name)
  {
    static std::string printed;
    if(!qualified_name)
    {
      return "nil";
    }
    auto v{ get_var(qualified_name) };
    printed = v->root ? print(v->root) : "nil";
    return printed.c_str();
  }
}

int main()
{
  define_core_functions();
  return 0;
}
