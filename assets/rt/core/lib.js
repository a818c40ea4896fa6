// The library registries: for each namespace the runtime provides (clojure.core,
// clojure.string, ...), name -> value. A var of one of these namespaces starts as the value
// here when a patch first mentions it (patch.js). The sections of the core library
// (core/*.js) define their fns with `defn`.

import { nu, arityError } from '../errors.js';
import { NAME, FIXED_ARITIES } from '../types.js';
import { APPLY_ARRAY, APPLY_COLL, TAKES_HANDED, argumentsArray } from '../fns.js';

/** clojure.core: name -> value (JS functions with Clojure semantics). */
export const coreLib = Object.create(null);
/** clojure.string */
export const stringLib = Object.create(null);
/** clojure.stacktrace */
export const stacktraceLib = Object.create(null);
/** Helpers the compiler's macros expand to (`with-out-str`, `time`, deftype, ...); not for users. */
export const internalLib = Object.create(null);

export const libraries = {
  'clojure.core': coreLib,
  'clojure.string': stringLib,
  'clojure.stacktrace': stacktraceLib,
  'jank.runtime': internalLib,
};

/**
 * Define a library fn with arities {0: f0, 1: f1, 2: f2, 3: f3, va: fAll, vmin: n}:
 * fixed arities get their arguments directly, `va` gets all arguments as an array when at
 * least `vmin` were passed and no fixed arity fits. Anything else is an ArityException.
 * `applyColl`, when given, is `(apply f coll)`: it walks `coll` without an array of it.
 */
export function defn(lib, ns, name, arities) {
  const qn = `${ns}/${name}`;
  const a0 = arities[0], a1 = arities[1], a2 = arities[2], a3 = arities[3];
  const va = arities.va, vmin = arities.vmin ?? 0;
  const f = function (x, y, z) {
    switch (arguments.length) {
      case 0: if (a0 !== undefined) return nu(a0()); break;
      case 1: if (a1 !== undefined) return nu(a1(nu(x))); break;
      case 2: if (a2 !== undefined) return nu(a2(nu(x), nu(y))); break;
      case 3: if (a3 !== undefined) return nu(a3(nu(x), nu(y), nu(z))); break;
    }
    const n = arguments.length;
    if (va !== undefined && n >= vmin) return nu(va(argumentsArray(arguments)));
    throw arityError(n, qn);
  };
  f[NAME] = qn;
  f[FIXED_ARITIES] = { 0: a0, 1: a1, 2: a2, 3: a3 };
  if (va !== undefined) {
    f[APPLY_ARRAY] = (args) => {
      if (args.length < vmin) throw arityError(args.length, qn);
      return va(args);
    };
  }
  if (arities.applyColl !== undefined) f[APPLY_COLL] = arities.applyColl;
  lib[name] = f;
  return f;
}

export const core = (name, arities) => defn(coreLib, 'clojure.core', name, arities);
/**
 * Marks clojure.core's `name` as a fn that walks its last argument to the end: `arities`
 * ({n: f}) take that argument as a `Handed` (fns.js, TAKES_HANDED), for compiled calls that
 * hand it over so that no frame keeps the seq's head.
 */
export const consumes = (name, arities) => { coreLib[name][TAKES_HANDED] = arities; };
export const cstr = (name, arities) => defn(stringLib, 'clojure.string', name, arities);
export const internal = (name, arities) => defn(internalLib, 'jank.runtime', name, arities);
/** A clojure.core var whose value is not a fn (a protocol, *print-length*, ...). */
export const coreValue = (name, value) => { coreLib[name] = value; return value; };

/** A library var that is declared but has no root (Clojure's `unquote`): its var starts unbound. */
export const DECLARED = Object.freeze({ declared: true });
// syntax-quote's markers: the reader makes (unquote x) forms; nothing defines the vars.
coreLib.unquote = DECLARED;
coreLib['unquote-splicing'] = DECLARED;
