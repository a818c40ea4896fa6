// Patches: the Runtime that loads compiled patches (docs/patch-abi.md): the shared var
// table, the code table with its dispatcher, each patch's constants and imports, try/catch.

import { nu, CljError, overflow, divideByZero } from './errors.js';
import { Type, classNamed, castError, isInstance, FIXED_ARITIES, CODE_ENTRIES } from './types.js';
import { count, nth } from './colls.js';
import { Sym, char, keyword, lookupIn } from './scalars.js';
import { listOf } from './seqs.js';
import { vectorOf } from './vector.js';
import { mapOf } from './hashmap.js';
import { setOf } from './set.js';
import { parseLong, longOfBig, dbl, makeRatio, BigNum, MAX_LONG, MIN_LONG } from './numbers.js';
import {
  add, sub, mul, div, quot, rem, mod, lt, gt, lte, gte, numEquiv, inc, dec,
} from './numbers.js';
import { equiv } from './equality.js';
import { regex } from './regex.js';
import { Var, Unbound, namespaceNamed } from './refs.js';
import {
  fnNew, fnClosure, fnArity, fnCapture, fnCaptured, fnInfo, withEval, invoke0, invoke1, invoke2, invoke3,
  invoke4, invokeArray, handOver, invokeTaking1, invokeTaking2, invokeTaking3, invokeTaking4,
} from './fns.js';
import { jsGlobal, jsGet, jsSet, jsCall, jsNew, toHost } from './interop.js';
import { poll } from './interrupts.js';
import { DirectCalls, varCallImports } from './direct.js';
import { libraries, coreLib, DECLARED } from './core/lib.js';
import { parseDecimal } from './decimals.js';
import { coreMacroRoot } from './core/eval.js';
import { dynamicVarChanged, DYNAMIC_DEFAULTS } from './core/repl.js';

/**
 * The REPL vars each context (an nREPL session) has its own values of, as nREPL binds them
 * per session. (*assert* stays one: the compiler reads it when it compiles.)
 */
const CONTEXT_VARS = [
  '*1', '*2', '*3', '*e', '*print-length*', '*print-level*', '*print-meta*', '*print-readably*',
  '*print-namespace-maps*', '*warn-on-reflection*', '*unchecked-math*', '*data-readers*',
  '*default-data-reader-fn*', '*read-eval*',
];
/** How many contexts' REPL vars are kept (more than the server lets sessions be, by default). */
const MAX_CONTEXTS = 1024;
import { UUID, instant } from './core/values.js';
import { ModuleCache } from './module-cache.js';
import { longOf, zeroP, posP, negP, evenP, oddP } from './core/arith.js';

/** The names of module "rt"'s imports (besides the `vars` table). */
export const rtImportNames = [
  'vars', 'small_longs', 'truthy',
  ...Array.from({ length: 21 }, (_, i) => `invoke${i}`),
  'hand_over', 'invoke_taking1', 'invoke_taking2', 'invoke_taking3', 'invoke_taking4',
  ...Array.from({ length: 21 }, (_, i) => `dispatch${i}`),
  'add', 'sub', 'mul', 'div', 'lt', 'gt', 'lte', 'gte', 'num_eq', 'equiv',
  'lt_test', 'gt_test', 'lte_test', 'gte_test', 'num_eq_test', 'equiv_test',
  'inc', 'dec', 'keyword_get', 'keyword_get_or', 'countdown',
  'long', 'long_box', 'long_box_big', 'long_unbox', 'long_of', 'long_overflow', 'divide_by_zero',
  'long_divide_by_zero',
  'quot', 'rem', 'mod', 'zero', 'pos', 'neg', 'even', 'odd',
  'zero_test', 'pos_test', 'neg_test', 'even_test', 'odd_test',
  'fn_new', 'fn_closure0', 'fn_closure1', 'fn_closure2', 'fn_closure3', 'fn_arity', 'fn_capture',
  'fn_captured', 'throw',
  'var_changed', 'var_meta', 'is_unbound', 'try_catch', 'poll', 'field_get', 'field_set',
  'js_global', 'js_get', 'js_set', 'js_call', 'js_new',
  'var_call0', 'var_call1', 'var_call2', 'var_call3',
];

/**
 * The countdown compiled loops poll through (docs/patch-abi.md): each `recur` counts it down
 * and calls `poll` at zero. One for every patch, so a loop's count carries across patches.
 */
const pollCountdown = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);

/**
 * The boxed small longs compiled code takes its longs from (docs/patch-abi.md): entry i is
 * the long SMALL_LONG_MIN + i, so boxing one costs no call into JS.
 */
const SMALL_LONG_MIN = -1024;
const SMALL_LONG_COUNT = 32768;
/** The compiler's numbers for the table (proxy-tests/runtime_abi.rs checks them). */
export const SMALL_LONGS = { min: SMALL_LONG_MIN, count: SMALL_LONG_COUNT };
const smallLongs = new WebAssembly.Table({ element: 'externref', initial: SMALL_LONG_COUNT });
for (let i = 0; i < SMALL_LONG_COUNT; i++) smallLongs.set(i, SMALL_LONG_MIN + i);

/** Entries per var in the code table: one per positional arity, 0..20 (docs/patch-abi.md). */
export const CODE_STRIDE = 21;

/** Bytes of an unsigned LEB128 number. */
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const wasmName = (text) => [...leb(text.length), ...new TextEncoder().encode(text)];
const wasmSection = (id, items) => {
  const body = [...leb(items.length), ...items.flat()];
  return [id, ...leb(body.length), ...body];
};

/**
 * Code-table entries for fns implemented in JS: a var whose value is a library fn (`defn` in
 * core/lib.js) or a protocol method gets (FIXED_ARITIES), for each fixed arity n it has, an entry that is that arity itself, a JS
 * function of (self, a1..an) exported from a module of its own: a var call of it then goes
 * from the dispatcher straight into the arity, with no trampoline, invoke_n or arity switch
 * in between. Built on first use, kept on the fn.
 */
const LIBRARY_ENTRIES = Symbol('jank.libraryEntries');
const ENTRY_CALLS = [
  (f) => () => nu(f()),
  (f) => (self, a) => nu(f(nu(a))),
  (f) => (self, a, b) => nu(f(nu(a), nu(b))),
  (f) => (self, a, b, c) => nu(f(nu(a), nu(b), nu(c))),
];
const entryModules = [];
function entryModule(n) {
  if (entryModules[n] !== undefined) return entryModules[n];
  const EXTERNREF = 0x6f;
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...wasmSection(1, [[0x60, ...leb(n + 1), ...Array(n + 1).fill(EXTERNREF), 1, EXTERNREF]]),
    ...wasmSection(2, [[...wasmName('rt'), ...wasmName('f'), 0x00, 0x00]]),
    ...wasmSection(7, [[...wasmName('f'), 0x00, 0x00]]),
  ];
  entryModules[n] = new WebAssembly.Module(new Uint8Array(bytes));
  return entryModules[n];
}
/** The code-table entry of library fn `f` for n arguments, or undefined when it has none. */
function libraryEntry(f, n) {
  const arities = typeof f === 'function' ? f[FIXED_ARITIES] : undefined;
  const arity = arities === undefined ? undefined : arities[n];
  if (arity === undefined) return undefined;
  let entries = f[LIBRARY_ENTRIES];
  if (entries === undefined) entries = f[LIBRARY_ENTRIES] = [];
  if (entries[n] === undefined) {
    const call = f[CODE_ENTRIES]?.[n] ?? ENTRY_CALLS[n](arity);
    entries[n] = new WebAssembly.Instance(entryModule(n), { rt: { f: call } }).exports.f;
  }
  return entries[n];
}

/**
 * The dispatcher: a small module, built here, that owns the code table (one entry per var
 * and arity, docs/patch-abi.md) and exports, for each arity n,
 * - `d{n}(self, a1..an, index)`: `call_indirect` through the table: how compiled code calls
 *   a var, wasm to wasm with no JS frame in between;
 * - `t{n}(self, a1..an)`: a trampoline into the runtime's invoke_n, which the table holds
 *   wherever a var's value has no wasm code of its own for that arity (a core JS function, a
 *   keyword, a map, a variadic fn, Unbound).
 * Patches import the `d{n}` functions, not the table: in Node 20's V8 every instance that
 * imports a funcref table registers with it for good, so a table imported by every patch
 * leaks each patch and makes every table.set slower.
 */
function buildDispatcher(invokes) {
  const EXTERNREF = 0x6f;
  const I32 = 0x7f;
  const FUNCREF = 0x70;
  const N = CODE_STRIDE;
  const arities = Array.from({ length: N }, (_, n) => n);
  const externs = (n) => Array(n + 1).fill(EXTERNREF);
  const body = (n, tail) => {
    const code = [0x00];
    for (let i = 0; i <= n; i++) code.push(0x20, ...leb(i));
    code.push(...tail, 0x0b);
    return [...leb(code.length), ...code];
  };
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // types: n -> (self, a1..an) -> value; N + n -> (self, a1..an, index) -> value
    ...wasmSection(1, [
      ...arities.map((n) => [0x60, ...leb(n + 1), ...externs(n), 1, EXTERNREF]),
      ...arities.map((n) => [0x60, ...leb(n + 2), ...externs(n), I32, 1, EXTERNREF]),
    ]),
    ...wasmSection(2, arities.map((n) => [...wasmName('rt'), ...wasmName(`invoke${n}`), 0x00, ...leb(n)])),
    ...wasmSection(3, [...arities.map((n) => leb(n)), ...arities.map((n) => leb(N + n))]),
    ...wasmSection(4, [[FUNCREF, 0x00, 0x00]]),
    ...wasmSection(7, [
      ...arities.map((n) => [...wasmName(`t${n}`), 0x00, ...leb(N + n)]),
      ...arities.map((n) => [...wasmName(`d${n}`), 0x00, ...leb(2 * N + n)]),
      [...wasmName('code'), 0x01, 0x00],
    ]),
    ...wasmSection(10, [
      ...arities.map((n) => body(n, [0x10, ...leb(n)])),
      ...arities.map((n) => body(n, [0x20, ...leb(n + 1), 0x13, ...leb(n), 0x00])),
    ]),
  ];
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), { rt: invokes });
  return {
    table: exports.code,
    trampolines: arities.map((n) => exports[`t${n}`]),
    dispatchers: arities.map((n) => exports[`d${n}`]),
  };
}

const DEFAULT_CATCH = keyword('default');

/**
 * Whether a thrown value is caught by `(catch c e ...)`: c is a class (a Type), a JS
 * constructor (`js/Error`), or :default (anything, as jank and ClojureScript allow). An
 * interrupt is an Error, so (catch Exception e ...) does not swallow it.
 */
function catchMatches(c, e) {
  if (c === DEFAULT_CATCH) return true;
  if (typeof c === 'string') c = classNamed(c) ?? classNamed(c.replace(/^js\//, ''));
  if (c instanceof Type) return isInstance(c, e);
  if (typeof c === 'function') return e instanceof toHost(c);
  throw castError(c, 'java.lang.Class');
}

/** The ABI's throw: anything can be thrown (as in jank); nil is a NullPointerException. */
function throwValue(v) {
  if (v === null || v === undefined) throw new CljError('NullPointerException', 'Cannot throw exception because "null" is null');
  throw v;
}

/** The ABI's try_catch: run body, handing a throw to the first matching handler; always run finally. */
function tryCatch(body, catches, fin) {
  try {
    return nu(body());
  } catch (e) {
    if (catches !== null) {
      const n = count(catches);
      for (let i = 0; i + 1 < n; i += 2) {
        if (catchMatches(nth(catches, i), e)) return nu(nth(catches, i + 1)(e));
      }
    }
    throw e;
  } finally {
    if (fin !== null) fin();
  }
}

const textDecoder = new TextDecoder();

const IS_NODE = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
/** Browsers refuse to compile larger modules synchronously on the main thread. */
const SYNC_COMPILE_LIMIT = 4096;

/** The parsed `jank.patch` custom section of a compiled module. */
/** A BufferSource as a Uint8Array over the same bytes. */
const asBytes = (bytes) => (bytes instanceof Uint8Array ? bytes
  : ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes));

/** Each module's metadata, read once (a cached module runs again: ModuleCache). */
const metas = new WeakMap();

/** A patch module's `jank.patch` section (read-only: a module's is read once and shared). */
export function readPatchMeta(module) {
  let meta = metas.get(module);
  if (meta === undefined) {
    meta = Object.freeze(parsePatchMeta(module));
    metas.set(module, meta);
  }
  return meta;
}

function parsePatchMeta(module) {
  const sections = WebAssembly.Module.customSections(module, 'jank.patch');
  if (sections.length === 0) throw new Error('not a jank patch: the module has no jank.patch custom section');
  const meta = JSON.parse(textDecoder.decode(sections[0]));
  return {
    ns: typeof meta.ns === 'string' ? meta.ns : 'user',
    source: typeof meta.source === 'string' ? meta.source : null,
    table_size: Number(meta.table_size ?? 0),
    vars: Array.isArray(meta.vars) ? meta.vars : [],
    consts: Array.isArray(meta.consts) ? meta.consts : [],
    // the `direct` and `version` imports (docs/patch-abi.md), when it has any
    links: typeof meta.links === 'object' && meta.links !== null ? meta.links : null,
  };
}

/** How many shared constant globals a runtime keeps before it starts afresh. */
const SHARED_CONSTS_MAX = 8192;

/**
 * The key under which patches share constant `c`'s global, or null for a global of its own.
 * Shared: values whose identity tells nothing, because they are JS primitives (nil, booleans,
 * numbers, longs, short strings: long ones are docstrings, kept no longer than their patch) or
 * interned for good (keywords, characters, a slot's var). Not shared: collections, symbols,
 * boxed doubles and the like, fresh at each eval of a literal as in Clojure, and namespaces
 * and classes, which `remove-ns` or a new `deftype` can replace under the same name.
 */
function sharedConstKey(c) {
  if (c === null || typeof c !== 'object') return `${typeof c}:${c}`;
  if ('long' in c) return `long:${c.long}`;
  if ('str' in c) return c.str.length <= 64 ? `str:${c.str}` : null;
  if ('kw' in c) return `kw:${c.ns == null ? c.kw : `${c.ns}\u0000${c.kw}`}`; // keyword()'s own key
  if ('char' in c) return `char:${c.char}`;
  if ('var' in c) return `var:${c.var}`;
  return null;
}

/**
 * A runtime: the shared var table, the vars it has seen, and the patch loader. The same
 * Runtime must load all the patches of one compiler session (slot numbers are shared).
 */
export class Runtime {
  constructor() {
    this.table = new WebAssembly.Table({ element: 'externref', initial: 0 });

    this.varsBySlot = [];
    this.ns = 'user';
    /** The context of the running evals (`enterContext`), and the REPL vars of the others. */
    this.context = null;
    this.contexts = new Map();
    this.direct = new DirectCalls(this.table);
    /** The compiled modules of recent patches, by their bytes. */
    this.modules = new ModuleCache();
    /** The constants' globals that patches share (sharedConstKey -> WebAssembly.Global). */
    this.sharedConsts = new Map();
    this.rt = { ...this.makeRtImports(), ...varCallImports(this.table) };
    const dispatcher = buildDispatcher(this.rt);
    this.code = dispatcher.table;
    this.trampolines = dispatcher.trampolines;
    dispatcher.dispatchers.forEach((d, n) => { this.rt[`dispatch${n}`] = d; });
  }

  /**
   * Points var `slot`'s code-table entries at its value's wasm code for each fixed arity it
   * has (a library fn's own arities, `libraryEntry`), and at the trampolines otherwise. Runs whenever a var gets a new root.
   */
  varChanged(slot) {
    const v = this.varsBySlot[slot];
    // the runtime reads some clojure.core vars (*print-length* ...): follow set! and binding
    if (v !== undefined && v.ns === 'clojure.core') dynamicVarChanged(v.name, nu(this.table.get(slot)));
    this.direct.varChanged(slot);
    const value = this.table.get(slot);
    const info = fnInfo(value);
    const base = slot * CODE_STRIDE;
    for (let n = 0; n < CODE_STRIDE; n++) {
      let own = info === null ? undefined : info.fixed[n];
      if (info === null && n < ENTRY_CALLS.length) own = libraryEntry(value, n);
      this.code.set(base + n, own !== undefined ? own : this.trampolines[n]);
    }
  }

  makeRtImports() {
    const rt = {
      vars: this.table,
      small_longs: smallLongs,
      truthy: (x) => (x === null || x === false || x === undefined ? 0 : 1),
      invoke0, invoke1, invoke2, invoke3, invoke4,
      hand_over: handOver,
      invoke_taking1: invokeTaking1,
      invoke_taking2: invokeTaking2,
      invoke_taking3: invokeTaking3,
      invoke_taking4: invokeTaking4,
      add, sub, mul, div, lt, gt, lte, gte, num_eq: numEquiv, equiv,
      lt_test: (a, b) => (lt(a, b) ? 1 : 0),
      gt_test: (a, b) => (gt(a, b) ? 1 : 0),
      lte_test: (a, b) => (lte(a, b) ? 1 : 0),
      gte_test: (a, b) => (gte(a, b) ? 1 : 0),
      num_eq_test: (a, b) => (numEquiv(a, b) ? 1 : 0),
      equiv_test: (a, b) => (equiv(a, b) ? 1 : 0),
      inc, dec,
      keyword_get: (k, m) => nu(k.lookup(m, null)),
      keyword_get_or: (k, m, nf) => nu(k.lookup(m, nf)),
      countdown: pollCountdown,
      // primitive longs (i64 in wasm) crossing into the runtime and back
      long: longOf,
      long_box: (safeInteger) => safeInteger,
      long_box_big: (big) => big,
      long_unbox: (x) => BigInt(longOf(x)),
      // a speculated arity's check of an argument: the long it is, as a safe integer, or NaN
      long_of: (x) => (typeof x === 'number' && Number.isInteger(x) ? x : NaN),
      long_overflow: () => { throw overflow(); },
      divide_by_zero: () => { throw divideByZero(); },
      // Java's message for a primitive long division by zero (Clojure's quot and rem of longs)
      long_divide_by_zero: () => { throw new CljError('ArithmeticException', '/ by zero'); },
      quot, rem, mod,
      zero: zeroP, pos: posP, neg: negP, even: evenP, odd: oddP,
      zero_test: (x) => (zeroP(x) ? 1 : 0),
      pos_test: (x) => (posP(x) ? 1 : 0),
      neg_test: (x) => (negP(x) ? 1 : 0),
      even_test: (x) => (evenP(x) ? 1 : 0),
      odd_test: (x) => (oddP(x) ? 1 : 0),
      fn_new: (name, ncaptures) => fnNew(name, ncaptures, this.ns),
      fn_closure0: (name, np, va, code) => fnArity(fnNew(name, 0, this.ns), np, va, code),
      fn_closure1: (name, np, va, code, a) => fnClosure(name, this.ns, np, va, code, [nu(a)]),
      fn_closure2: (name, np, va, code, a, b) => fnClosure(name, this.ns, np, va, code, [nu(a), nu(b)]),
      fn_closure3: (name, np, va, code, a, b, c) => fnClosure(name, this.ns, np, va, code, [nu(a), nu(b), nu(c)]),
      fn_arity: fnArity,
      fn_capture: fnCapture,
      fn_captured: fnCaptured,
      throw: throwValue,
      var_changed: (slot) => this.varChanged(slot),
      var_meta: (v, meta) => { v.meta = nu(meta); return v; },
      is_unbound: (x) => (x instanceof Unbound ? 1 : 0),
      field_get: (obj, name) => nu(obj[name]),
      field_set: (obj, name, value) => { obj[name] = value; return value; },
      try_catch: tryCatch,
      poll,
      js_global: jsGlobal,
      js_get: jsGet,
      js_set: jsSet,
      js_call: jsCall,
      js_new: jsNew,
    };
    for (let i = 5; i <= 20; i++) rt[`invoke${i}`] = (f, ...args) => invokeArray(f, args);
    return rt;
  }

  /** The Var of a slot, or null if no patch has mentioned it. */
  varAt(slot) { return this.varsBySlot[slot] ?? null; }

  /**
   * Records an eval's outcome for the REPL vars: a value shifts *1 *2 *3, an error sets *e.
   * (Per runtime, not per session: a runtime is usually one editor's.)
   */
  /**
   * The evals that follow run in `context` (an nREPL session): the REPL vars it set (`*1`,
   * `*e`, `*print-length*`, ...) are put back, and the last context's kept, as nREPL keeps
   * them per session.
   */
  enterContext(context) {
    if (context === this.context) return;
    if (this.context !== null) {
      // kept for the most recent contexts only (a client without a session makes one per eval)
      this.contexts.delete(this.context);
      this.contexts.set(this.context, CONTEXT_VARS.map((name) => coreLib[name]));
      if (this.contexts.size > MAX_CONTEXTS) this.contexts.delete(this.contexts.keys().next().value);
    }
    const kept = this.contexts.get(context);
    CONTEXT_VARS.forEach((name, i) => {
      const value = kept === undefined ? DYNAMIC_DEFAULTS[name] : kept[i];
      if (coreLib[name] !== value) this.setCoreRoot(name, value);
    });
    this.context = context;
  }

  recordOutcome(value, error) {
    if (error !== undefined) {
      this.setCoreRoot('*e', error);
      return;
    }
    this.setCoreRoot('*3', coreLib['*2']);
    this.setCoreRoot('*2', coreLib['*1']);
    this.setCoreRoot('*1', value);
  }

  /** Sets a clojure.core var's root, whether or not a patch has mentioned it yet. */
  setCoreRoot(name, value) {
    dynamicVarChanged(name, value);
    const v = this.findVar('clojure.core', name);
    if (v !== null) v.bindRoot(value);
  }

  /** The Var ns/name, or null. */
  findVar(ns, name) {
    return this.varsBySlot.find((v) => v !== undefined && v.ns === ns && v.name === name) ?? null;
  }

  /** The initial root of a var never seen before: the library value, else Unbound. */
  initialRoot(v) {
    const lib = libraries[v.ns];
    if (lib !== undefined && Object.prototype.hasOwnProperty.call(lib, v.name) && lib[v.name] !== DECLARED) return lib[v.name];
    return new Unbound(v);
  }

  /** Code of namespace `name` runs now: `*ns*` is that namespace, as the REPL's is in Clojure. */
  enterNamespace(name) {
    this.ns = name;
    const ns = namespaceNamed(name);
    coreLib['*ns*'] = ns;
    const v = namespaceNamed('clojure.core').interns.get('*ns*');
    if (v !== undefined && v.runtime === this) v.setRootSilently(ns);
  }

  /** The Var of `slot` (`ns/name`), made if this runtime has not met it yet. */
  varFor(slot, ns, name) {
    if (this.varsBySlot[slot] === undefined) this.registerVars({ table_size: 0, vars: [[slot, ns, name]] });
    return this.varsBySlot[slot];
  }

  registerVars(meta) {
    const needed = Math.max(meta.table_size, ...meta.vars.map((e) => Number(e[0]) + 1), 0);
    if (this.table.length < needed) this.table.grow(needed - this.table.length, null);
    const codeNeeded = needed * CODE_STRIDE;
    if (this.code.length < codeNeeded) this.code.grow(codeNeeded - this.code.length, null);
    for (const [slotRaw, ns, name, kind] of meta.vars) {
      const slot = Number(slotRaw);
      if (this.varsBySlot[slot] !== undefined) continue;
      const v = new Var(this, ns, name, slot);
      this.varsBySlot[slot] = v;
      if (nu(this.table.get(slot)) === null) this.table.set(slot, kind === 'core-macro' ? coreMacroRoot(v) : this.initialRoot(v));
      this.varChanged(slot);
    }
  }

  /** The value of one constant from its JSON encoding (docs/patch-abi.md). */
  decodeConst(c) {
    if (c === null || c === true || c === false) return c;
    if (typeof c === 'number') return c;
    if (typeof c === 'string') {
      if (c === 'NaN') return NaN;
      if (c === 'Infinity') return Infinity;
      if (c === '-Infinity') return -Infinity;
      throw new Error(`unknown constant encoding: ${JSON.stringify(c)}`);
    }
    if ('long' in c) return parseLong(c.long);
    // `1N` is a clojure.lang.BigInt whatever its size (a long literal too big is one as well)
    if ('bigint' in c) return new BigNum(BigInt(c.bigint));
    if ('double' in c) {
      const d = c.double;
      return dbl(typeof d === 'number' ? d : d === 'NaN' ? NaN : d === 'Infinity' ? Infinity : d === '-Infinity' ? -Infinity : Number(d));
    }
    if ('ratio' in c) return makeRatio(BigInt(c.ratio[0]), BigInt(c.ratio[1]), false);
    if ('bigdec' in c) return parseDecimal(c.bigdec);
    if ('with-meta' in c) return coreLib['with-meta'](this.decodeConst(c['with-meta'][1]), this.decodeConst(c['with-meta'][0]));
    if ('str' in c) return c.str;
    if ('char' in c) return char(c.char);
    if ('kw' in c) return keyword(c.ns ?? null, c.kw);
    if ('sym' in c) return new Sym(c.ns ?? null, c.sym);
    if ('list' in c) return listOf(c.list.map((x) => this.decodeConst(x)));
    if ('vec' in c) return vectorOf(c.vec.map((x) => this.decodeConst(x)));
    if ('set' in c) return setOf(...c.set.map((x) => this.decodeConst(x)));
    if ('map' in c) return mapOf(...c.map.map((x) => this.decodeConst(x)));
    if ('regex' in c) return regex(c.regex);
    if ('uuid' in c) return new UUID(c.uuid);
    if ('inst' in c) return instant(c.inst);
    if ('namespace' in c) return namespaceNamed(c.namespace);
    if ('class' in c) {
      const t = classNamed(c.class);
      if (t === null) throw new CljError('ClassNotFoundException', c.class);
      return t;
    }
    if ('var' in c) {
      const v = this.varsBySlot[Number(c.var)];
      if (v === undefined) throw new Error(`constant refers to var slot ${c.var}, which no patch has declared`);
      return v;
    }
    throw new Error(`unknown constant encoding: ${JSON.stringify(c)}`);
  }

  /**
   * The global a patch imports for constant `c`: one shared by every patch for a value no
   * code can tell from another of its kind (see sharedConstKey), as making a
   * WebAssembly.Global is most of what a small patch's constants cost (a defn's dozen, 10 µs).
   */
  constGlobal(c) {
    const make = () => new WebAssembly.Global({ value: 'externref', mutable: false }, this.decodeConst(c));
    const key = sharedConstKey(c);
    if (key === null) return make();
    let global = this.sharedConsts.get(key);
    if (global === undefined) {
      if (this.sharedConsts.size >= SHARED_CONSTS_MAX) this.sharedConsts.clear();
      global = make();
      this.sharedConsts.set(key, global);
    }
    return global;
  }

  /** Set up vars and constants for a compiled patch; returns its import object. */
  prepare(module) {
    const meta = readPatchMeta(module);
    namespaceNamed(meta.ns);
    for (const [, ns] of meta.vars) namespaceNamed(ns);
    this.lastSource = meta.source;
    this.registerVars(meta);
    const k = {};
    meta.consts.forEach((c, i) => { k[String(i)] = this.constGlobal(c); });
    return { meta, imports: { rt: this.rt, k, ...this.direct.importsFor(meta.links) } };
  }

  run(instance, meta, evalId) {
    const run = instance.exports.run;
    if (typeof run !== 'function') throw new Error('patch does not export run');
    if (this.ns !== meta.ns) this.enterNamespace(meta.ns);
    return withEval(evalId, () => nu(run()));
  }

  /** Compile, link and run a patch (bytes: BufferSource); resolves to the form's value. */
  async loadPatch(bytes, evalId = null) {
    // Synchronous compilation is several times faster for small modules; browsers allow it
    // on the main thread below 4 KB, Node always.
    if (IS_NODE || bytes.length < SYNC_COMPILE_LIMIT) return this.loadPatchSync(bytes, evalId);
    const module = await WebAssembly.compile(bytes);
    const { meta, imports } = this.prepare(module);
    const instance = await WebAssembly.instantiate(module, imports);
    return this.run(instance, meta, evalId);
  }

  /** loadPatch, synchronously (Node, or small modules in a browser). */
  loadPatchSync(bytes, evalId = null) {
    const module = this.modules.get(asBytes(bytes), () => new WebAssembly.Module(bytes));
    const { meta, imports } = this.prepare(module);
    return this.run(new WebAssembly.Instance(module, imports), meta, evalId);
  }
}
