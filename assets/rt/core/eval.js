// clojure.core: the fns that ask the compiler (rt/compiler-link.js). `eval` and
// `load-string` compile code and run it; `macroexpand-1` and `macroexpand` expand a form
// (a user macro's fn runs here, a core macro expands in the compiler); `destructure`
// rewrites a binding vector; `require` and `use` of a computed name load what they name;
// the namespace fns read and change the compiler's symbol table, the one truth about what
// a name means: `find-var`, `ns-resolve`, `resolve`, `intern`, `ns-map`, `ns-refers`,
// `ns-aliases`, `ns-imports`, `ns-interns`, `ns-publics`, `ns-unmap`, `ns-unalias`, `alias`,
// `refer`, `loaded-libs`, `all-ns`; library vars get their metadata from it, and the core
// macros' vars their expanders.

import { CljError } from '../errors.js';
import { castError } from '../types.js';
import { printForm, prStr } from '../print.js';
import { Sym, Keyword, keyword } from '../scalars.js';
import { listOf, toArray, seq, first } from '../seqs.js';
import { satisfies } from '../protocol.js';
import { ISeq } from '../core-protocols.js';
import { mapOf, hashMapOf, entryParts } from '../hashmap.js';
import { TreeSet, emptyTreeMap } from '../sorted.js';
import { contains } from '../colls.js';
import { Namespace, Var, namespaceNamed, setLibraryMeta } from '../refs.js';
import { invokeArray, named } from '../fns.js';
import { askCompiler, compiledVar, decodeConstant, hasCompilerLink } from '../compiler-link.js';
import { core, coreLib, internal, libraries } from './lib.js';

/**
 * A form as the compiler reads it: printed readably, with its metadata, whatever the
 * print settings of the code that evaluates it.
 */
const formText = (form) => printForm(form).text;

const nsName = (x) => {
  if (x instanceof Namespace) return x.name;
  if (x instanceof Sym) return x.fqn;
  throw castError(x, 'clojure.lang.Namespace');
};
const symbolName = (x) => {
  if (!(x instanceof Sym)) throw castError(x, 'clojure.lang.Symbol');
  return x.fqn;
};
const simpleName = (x) => {
  if (!(x instanceof Sym)) throw castError(x, 'clojure.lang.Symbol');
  return x.name;
};

/** What an answer's entry stands for: a Var, a class (any constant), or a namespace. */
function entryValue(what, entry) {
  if (entry.var !== undefined) return compiledVar(what, entry.var);
  if (entry.value !== undefined) return decodeConstant(what, entry.value);
  if (entry.ns !== undefined) return namespaceNamed(entry.ns);
  return null;
}

// --- eval ---------------------------------------------------------------------------------

/** Compiles and runs `code` (its forms, in order) in the current namespace; the last value. */
const load = (what, code) => askCompiler(what, { what: 'load', code }).result ?? null;

core('eval', { 1: (form) => load('eval', formText(form)) });
core('load-string', {
  1: (s) => {
    if (typeof s !== 'string') throw castError(s, 'java.lang.String');
    return load('load-string', s);
  },
});

// --- the library's vars: metadata, and the roots of the core macros -------------------------

// Library vars (clojure.core/map) get no def, so no metadata: ask the compiler when code
// reads it.
setLibraryMeta((v) => {
  if (libraries[v.ns] === undefined || !hasCompilerLink()) return null;
  const answer = askCompiler('meta', { what: 'var-meta', ns: v.ns, name: v.name });
  return answer.value === undefined ? null : decodeConstant('meta', answer.value);
});

/**
 * The root of a core macro's var (`@#'when`): as Clojure's, a fn of `&form`, `&env` and the
 * call's arguments, whose expansion the compiler makes.
 */
export function coreMacroRoot(v) {
  const expand = (form, env, ...args) => {
    const call = listOf([new Sym('clojure.core', v.name), ...args]);
    const answer = askCompiler(v.name, { what: 'expand', code: formText(call) });
    return answer.form !== undefined ? decodeConstant(v.name, answer.form) : call;
  };
  return named(`clojure.core/${v.name}`, expand);
}

// --- macroexpansion ----------------------------------------------------------------------

/** A call a macro may expand: a non-empty seq whose head is a symbol. */
const isCall = (form) => satisfies(ISeq, form) && first(form) instanceof Sym;

function macroexpand1(form) {
  const answer = askCompiler('macroexpand-1', { what: 'expand', code: formText(form) });
  if (answer.macro !== undefined) {
    // A user macro: its fn takes the form, the environment, then the call's arguments.
    const macro = compiledVar('macroexpand-1', answer.macro).deref();
    const args = toArray(seq(form)).slice(1);
    return invokeArray(macro, [form, null, ...args]);
  }
  if (answer.form !== undefined) return decodeConstant('macroexpand-1', answer.form);
  return form;
}

core('macroexpand-1', { 1: (form) => (isCall(form) ? macroexpand1(form) : form) });
core('macroexpand', {
  1: (form) => {
    let current = form;
    for (;;) {
      if (!isCall(current)) return current;
      const next = macroexpand1(current);
      if (next === current) return current;
      current = next;
    }
  },
});

/** `destructure`: a binding vector as the plain bindings `let*` takes (the compiler's). */
core('destructure', {
  1: (bindings) => decodeConstant('destructure', askCompiler('destructure', { what: 'destructure', code: formText(bindings) }).form),
});

// --- loading -----------------------------------------------------------------------------

/**
 * `require` and `use` at run time (a computed name; the compiler does quoted ones as it
 * compiles them): the compiler loads what is not loaded yet, as it would for the literal form.
 */
const loadLibs = (fnName) => (args) => {
  const quoted = args.map((arg) => (arg instanceof Keyword ? formText(arg) : `(quote ${formText(arg)})`));
  load(fnName, `(clojure.core/${fnName} ${quoted.join(' ')})`);
  return null;
};
core('require', { va: loadLibs('require') });
core('use', { va: loadLibs('use') });

core('loaded-libs', {
  0: () => {
    const { names } = askCompiler('loaded-libs', { what: 'loaded' });
    return names.reduce((set, name) => set.conj(new Sym(null, name)), new TreeSet(emptyTreeMap()));
  },
});

// --- resolving names ---------------------------------------------------------------------

function resolveIn(what, ns, sym, direct = false) {
  const answer = askCompiler(what, { what: 'resolve', ns, sym: symbolName(sym), direct });
  return entryValue(what, answer);
}

core('find-var', { 1: (sym) => resolveIn('find-var', null, sym, true) });
core('ns-resolve', {
  2: (ns, sym) => resolveIn('ns-resolve', nsName(ns), sym),
  // The environment names locals, which no name at run time is.
  3: (ns, env, sym) => (env !== null && contains(env, sym) ? null : resolveIn('ns-resolve', nsName(ns), sym)),
});
// (No namespace: the link sends the running code's.)
core('resolve', {
  1: (sym) => resolveIn('resolve', null, sym),
  2: (env, sym) => (env !== null && contains(env, sym) ? null : resolveIn('resolve', null, sym)),
});

// --- namespace mappings ------------------------------------------------------------------

function mappings(fnName, ns, kind) {
  const { entries } = askCompiler(fnName, { what: 'mappings', ns: nsName(ns), kind });
  return hashMapOf(entries.flatMap(([name, entry]) => [new Sym(null, name), entryValue(fnName, entry)]));
}
core('ns-map', { 1: (ns) => mappings('ns-map', ns, 'map') });
// (ns-interns, ns-publics and all-ns answer from the runtime's own namespaces without a link)
const runtimeInterns = { interns: coreLib['ns-interns'], publics: coreLib['ns-publics'] };
core('ns-interns', { 1: (ns) => (hasCompilerLink() ? mappings('ns-interns', ns, 'interns') : runtimeInterns.interns(ns)) });
core('ns-publics', { 1: (ns) => (hasCompilerLink() ? mappings('ns-publics', ns, 'publics') : runtimeInterns.publics(ns)) });
const runtimeAllNs = coreLib['all-ns'];
core('all-ns', {
  0: () => {
    if (!hasCompilerLink()) return runtimeAllNs();
    const { names } = askCompiler('all-ns', { what: 'all-namespaces' });
    return listOf(names.map((name) => namespaceNamed(name)));
  },
});

/** `clojure.repl/source-fn`'s text: the definition of what `sym` names, or nil. */
internal('source-text', {
  1: (sym) => askCompiler('source', { what: 'source', sym: symbolName(sym) }).text ?? null,
});
core('ns-refers', { 1: (ns) => mappings('ns-refers', ns, 'refers') });
core('ns-aliases', { 1: (ns) => mappings('ns-aliases', ns, 'aliases') });
core('ns-imports', { 1: (ns) => mappings('ns-imports', ns, 'imports') });

const NS = keyword(null, 'ns');
const NAME = keyword(null, 'name');

/** `intern`: the var `ns/name` (made if needed, as Clojure's with {:ns :name} metadata). */
function intern(ns, name) {
  const nsText = nsName(ns);
  const answer = askCompiler('intern', { what: 'intern', ns: nsText, name: simpleName(name) });
  const v = compiledVar('intern', answer.var);
  if (answer.fresh || v.meta === null) v.meta = mapOf(NS, namespaceNamed(nsText), NAME, new Sym(null, v.name));
  return v;
}
core('intern', {
  2: intern,
  3: (ns, name, value) => {
    const v = intern(ns, name);
    v.bindRoot(value);
    return v;
  },
});

core('ns-unmap', {
  2: (ns, sym) => {
    const nsText = nsName(ns);
    askCompiler('ns-unmap', { what: 'unmap', ns: nsText, name: simpleName(sym) });
    const own = namespaceNamed(nsText).interns.get(sym.name);
    if (own instanceof Var) namespaceNamed(nsText).interns.delete(sym.name);
    return null;
  },
});
core('ns-unalias', {
  2: (ns, sym) => {
    askCompiler('ns-unalias', { what: 'unalias', ns: nsName(ns), alias: simpleName(sym) });
    return null;
  },
});
core('alias', {
  2: (alias, target) => {
    askCompiler('alias', { what: 'alias', alias: simpleName(alias), target: nsName(target) });
    return null;
  },
});

const names = (x) => (x === null ? [] : toArray(seq(x)).map(simpleName));

/** `refer`: `from`'s public vars, as `:only`, `:exclude` and `:rename` filter them. */
function refer(from, ...filters) {
  if (filters.length % 2 !== 0) {
    throw new CljError('IllegalArgumentException', `No value supplied for key: ${prStr(filters[filters.length - 1])}`);
  }
  const request = { what: 'refer', from: nsName(from) };
  for (let i = 0; i < filters.length; i += 2) {
    const key = filters[i] instanceof Keyword ? filters[i].name : null;
    const value = filters[i + 1];
    if (key === 'only') request.only = names(value);
    else if (key === 'exclude') request.exclude = names(value);
    else if (key === 'rename') {
      request.rename = Object.fromEntries(toArray(seq(value)).map((entry) => entryParts(entry).map(simpleName)));
    }
  }
  askCompiler('refer', request);
  return null;
}
core('refer', { va: (args) => refer(...args), vmin: 1 });
core('refer-clojure', { va: (filters) => refer(new Sym(null, 'clojure.core'), ...filters) });
