// Direct calls of library fns (docs/patch-abi.md, "Direct calls of library fns"): a patch's
// call of a clojure.core or clojure.string fn imports that fn's JS arity itself, as
// `direct "slot/n"`, and a guard, `direct "slot"`, an i32 global that is 1 while the var
// still holds the fn the arities were taken from. While it is, the call is one wasm-to-JS
// call with no dispatcher in between; once the var is given another root (def, with-redefs,
// alter-var-root) the guard is 0 and compiled code calls through the var again, so callers
// compiled earlier see the change at once. The same goes for a fn's calls of the var it is
// stored in (recursion), through the var's version.

import { FIXED_ARITIES, nilSafe } from './types.js';
import { invoke0, invoke1, invoke2, invoke3 } from './fns.js';

/** A call of `f` with n arguments as a direct import (for a value with no JS arity of its own). */
const CALLS = [
  (f) => () => invoke0(f),
  (f) => (a) => invoke1(f, a),
  (f) => (a, b) => invoke2(f, a, b),
  (f) => (a, b, c) => invoke3(f, a, b, c),
];

/** The `rt` imports of a call through the var, for when a guard is 0: (a1..an, slot). */
export function varCallImports(table) {
  return {
    var_call0: (slot) => invoke0(table.get(slot)),
    var_call1: (a, slot) => invoke1(table.get(slot), a),
    var_call2: (a, b, slot) => invoke2(table.get(slot), a, b),
    var_call3: (a, b, c, slot) => invoke3(table.get(slot), a, b, c),
  };
}

/** The direct imports of one runtime, made on first use and kept for every later patch. */
export class DirectCalls {
  constructor(table) {
    this.table = table;
    /** slot -> the value the slot's direct imports were made from */
    this.origins = new Map();
    /** slot -> its guard (a WebAssembly.Global) */
    this.guards = new Map();
    /** "slot/n" -> the import */
    this.fns = new Map();
    /** slot -> its version (a WebAssembly.Global), one more at each new root */
    this.versions = new Map();
  }

  /**
   * The `direct` and `version` import objects of a patch, from the `links` its jank.patch
   * section lists (null: none): {direct: ["slot/n", ...], guards: [slot, ...], versions: [...]}.
   */
  importsFor(links) {
    if (links === null) return {};
    const direct = {}, version = {};
    for (const name of links.direct ?? []) direct[name] = this.fn(String(name));
    for (const slot of links.guards ?? []) direct[String(slot)] = this.guard(Number(slot));
    for (const slot of links.versions ?? []) version[String(slot)] = this.version(Number(slot));
    return { direct, version };
  }

  /**
   * Var `slot`'s version: a patch that stores a fn into the var notes it, and the fn's calls
   * of the var go straight to its code while the version is the same (docs/patch-abi.md).
   */
  version(slot) {
    let version = this.versions.get(slot);
    if (version === undefined) {
      version = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
      this.versions.set(slot, version);
    }
    return version;
  }

  /** The value var `slot` held when its first direct import was made. */
  origin(slot) {
    if (!this.origins.has(slot)) this.origins.set(slot, this.table.get(slot));
    return this.origins.get(slot);
  }

  guard(slot) {
    let guard = this.guards.get(slot);
    if (guard === undefined) {
      guard = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
      this.guards.set(slot, guard);
      this.varChanged(slot);
    }
    return guard;
  }

  fn(name) {
    let f = this.fns.get(name);
    if (f === undefined) {
      const [slot, n] = name.split('/').map(Number);
      const origin = this.origin(slot);
      const arity = typeof origin === 'function' ? origin[FIXED_ARITIES]?.[n] : undefined;
      // without a JS arity of its own (a variadic-only fn, a value that is not a fn), the
      // import calls the fn the var held, as any call of it would
      f = arity !== undefined ? nilSafe(origin, n, arity) : CALLS[n](origin);
      this.fns.set(name, f);
    }
    return f;
  }

  /** Var `slot` has a new root: direct calls go on only while it is their origin again. */
  varChanged(slot) {
    const guard = this.guards.get(slot);
    if (guard !== undefined) guard.value = this.table.get(slot) === this.origin(slot) ? 1 : 0;
    const version = this.versions.get(slot);
    if (version !== undefined) version.value = (version.value + 1) & 0x3fffffff; // never -1, what patches start from
  }
}
