// Fns and invocation: compiled Clojure fns (the ABI's fn_new/fn_arity/fn_capture), calling
// any callable (fns directly, everything else through IFn), `apply`, and the eval a fn belongs
// to (its output goes to the session that made it, even when host code calls it later).
//
// A Clojure fn is a real JS function, so it can be handed to JS as a callback; it dispatches
// on the argument count to the wasm code of each arity, with its captured locals in the
// FN info on it.

import { nu, arityError, nullPointer } from './errors.js';
import { FN, NAME, FUNCTION, castError, errorInfo, oneArg, twoArgs } from './types.js';
import { implement } from './protocol.js';
import { IFn, IMeta, IWithMeta, INVOKE } from './core-protocols.js';
import { IndexedSeq, Cons, seq, first, next, toArray } from './seqs.js';
import { Handed } from './reduced.js';

export { FN, NAME };

/** Core variadics implemented in JS: call with a JS array of the arguments. */
export const APPLY_ARRAY = Symbol('jank.applyArray');
/** A library fn's `(apply f coll)` that walks `coll` itself, with no array of it (`+`, `*`). */
export const APPLY_COLL = Symbol('jank.applyColl');

/**
 * A JS function's `arguments` as an array, undefined as nil. A plain loop: V8 takes about a
 * microsecond for `Array.from(arguments, nu)`, more than the call it serves.
 */
export function argumentsArray(args) {
  const n = args.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = nu(args[i]);
  return out;
}
/** The metadata of a fn made by with-meta. */
const FN_META = Symbol('jank.fnMeta');

/** A compiled fn's arities and captures, or null for anything else. */
export const fnInfo = (x) => (typeof x === 'function' && x[FN] !== undefined ? x[FN] : null);

let fnIds = 0;

/**
 * The eval whose code is running (its output is tagged with this id), or null between
 * evals. A fn remembers the eval that created it, so when host code calls it later (a
 * timer, an event handler) its output goes to the session that installed it.
 */
let currentEval = null;
export const currentEvalId = () => currentEval;

/** Where a throw from a callback is reported (the connection installs the error output). */
let reportCallbackError = (cls, message) => { console.error(`${cls}: ${message}`); };
export function setCallbackErrorReporter(report) { reportCallbackError = report; }

/** Runs `thunk` as part of eval `id`. */
export function withEval(id, thunk) {
  const previous = currentEval;
  currentEval = id;
  try {
    return thunk();
  } finally {
    currentEval = previous;
  }
}

/**
 * A compiled fn called by host code between evals: runs as part of the eval that created
 * it. A throw is reported on that eval's err (host callers, like timers, have nobody to
 * hand it to) and the call returns nil.
 */
function callAsCallback(f, info, args) {
  return withEval(info.evalId, () => {
    try {
      return f.apply(null, args);
    } catch (e) {
      const { cls, message } = errorInfo(e);
      reportCallbackError(cls, message ?? String(e));
      return null;
    }
  });
}
const NO_CAPTURES = [];

/** The JS function of a compiled fn: dispatches on the argument count to `info`'s arities. */
function makeFn(info) {
  const f = function (a, b, c, d) {
    if (currentEval === null && info.evalId !== null) return callAsCallback(f, info, arguments);
    const n = arguments.length;
    const code = info.fixed[n];
    if (code !== undefined) {
      switch (n) {
        case 0: return nu(code(f));
        case 1: return nu(code(f, nu(a)));
        case 2: return nu(code(f, nu(a), nu(b)));
        case 3: return nu(code(f, nu(a), nu(b), nu(c)));
        case 4: return nu(code(f, nu(a), nu(b), nu(c), nu(d)));
      }
    }
    return fnSlow(f, info, arguments);
  };
  f[FN] = info;
  return f;
}

/**
 * A Clojure fn value (the ABI's fn_new): `name` is "ns/name", a bare name (qualified with
 * `ns`), or null for an anonymous fn.
 */
export function fnNew(name, ncaptures = 0, ns = 'user') {
  name = nu(name);
  let qname = null;
  if (typeof name === 'string' && name !== '') qname = name.includes('/') || !ns ? name : `${ns}/${name}`;
  return makeFn({
    name: qname ?? 'fn',
    anon: qname === null,
    ns,
    id: ++fnIds,
    // the arities: given by fn_arity, or shared with the fns made before at the same place
    fixed: NO_ARITIES,
    maxFixed: -1,
    variadic: null,
    vreq: 0,
    shared: false,
    shape: null,
    caps: ncaptures > 0 ? new Array(ncaptures).fill(null) : NO_CAPTURES,
    evalId: currentEval,
  });
}
const NO_ARITIES = [];

/**
 * The arities of the fns one `fn` form makes, kept on the code of its first arity (which
 * is that form's alone): every fn the form makes after the first shares them, so making a
 * closure costs an object, not a table.
 */
const ARITIES = Symbol('jank.arities');

function fnSlow(f, info, args) {
  const n = args.length;
  const code = info.fixed[n];
  if (code !== undefined) return nu(code(f, ...argumentsArray(args)));
  if (info.variadic !== null && n >= info.vreq) {
    const call = [f];
    for (let i = 0; i < info.vreq; i++) call.push(nu(args[i]));
    call.push(n > info.vreq ? new IndexedSeq(argumentsArray(args), info.vreq) : null);
    return nu(info.variadic(...call));
  }
  throw arityError(n, info.name);
}

/**
 * Add an arity to a fn (the ABI's fn_arity). `code(self, p1..pn)`; for a variadic arity pn
 * is the rest seq and nparams counts it (a compiler passing only the fixed count is detected
 * from code.length). Returns fn.
 */
export function fnArity(fn, nparams, variadic, code) {
  const info = fn[FN];
  if (info === undefined) throw new Error('fn_arity: not a fn made by fn_new');
  if (info.fixed === NO_ARITIES) {
    const made = code[ARITIES];
    if (made !== undefined) {
      // a later fn of the same form: its arities are the first one's
      info.fixed = made.fixed;
      info.maxFixed = made.maxFixed;
      info.variadic = made.variadic;
      info.vreq = made.vreq;
      info.shared = true;
      return fn;
    }
    info.fixed = [];
    // (a shape of its own, not this fn's info: the code would keep its captures alive)
    info.shape = { fixed: info.fixed, maxFixed: -1, variadic: null, vreq: 0 };
    code[ARITIES] = info.shape;
  }
  if (info.shared) return fn;
  if (variadic) {
    info.variadic = code;
    info.vreq = typeof code.length === 'number' && code.length === nparams + 2 ? nparams : nparams - 1;
  } else {
    info.fixed[nparams] = code;
    if (nparams > info.maxFixed) info.maxFixed = nparams;
  }
  Object.assign(info.shape, { maxFixed: info.maxFixed, variadic: info.variadic, vreq: info.vreq });
  return fn;
}

/** Store captured local i of a fn (the ABI's fn_capture). Returns fn. */
export function fnCapture(fn, i, v) {
  fn[FN].caps[i] = nu(v);
  return fn;
}

/**
 * A fn of one arity with its captured values, made in one call (the ABI's fn_closure0..3):
 * fn_new, fn_arity and a fn_capture for each, for the commonest shape of fn.
 */
export function fnClosure(name, ns, nparams, variadic, code, caps) {
  const f = fnNew(name, 0, ns);
  f[FN].caps = caps;
  return fnArity(f, nparams, variadic, code);
}

/** Read captured local i of the running fn (the ABI's fn_captured). */
export function fnCaptured(self, i) {
  return self[FN].caps[i];
}

/** Names a JS function made by a core fn (printed as clojure.core$partial$fn). */
export const named = (qn, f) => { f[NAME] = qn; return f; };

// Fns carry metadata (with-meta gives a new fn with the same code and captures).
implement(FUNCTION, IMeta, { '-meta': (f) => f[FN_META] ?? null });
implement(FUNCTION, IWithMeta, {
  '-with-meta': (f, m) => {
    const info = f[FN];
    const g = info !== undefined ? makeFn(info) : named(f[NAME] ?? 'clojure.core/fn', function () { return f.apply(this, arguments); });
    if (f[APPLY_ARRAY] !== undefined) g[APPLY_ARRAY] = f[APPLY_ARRAY];
    if (f[APPLY_COLL] !== undefined) g[APPLY_COLL] = f[APPLY_COLL];
    g[FN_META] = m;
    return g;
  },
});
implement(FUNCTION, IFn, { '-invoke': (f, ...args) => invokeArray(f, args) });

// ---------------------------------------------------------------------------------------
// Calling any callable
// ---------------------------------------------------------------------------------------

/** Calls a non-function value (keywords, maps, vectors, sets, vars, user types) through IFn. */
function invokeObj(f, args) {
  if (f === null || f === undefined) {
    throw nullPointer(`Cannot invoke "clojure.lang.IFn.invoke(${Array(args.length).fill('Object').join(', ')})" because fn is nil`);
  }
  const impl = f[INVOKE];
  if (impl === undefined) throw castError(f, 'clojure.lang.IFn');
  return nu(impl(f, ...args));
}

/** Call any callable with a JS array of arguments. */
export function invokeArray(f, args) {
  if (typeof f === 'function') {
    if (args.length > 64 && f[APPLY_ARRAY] !== undefined) return nu(f[APPLY_ARRAY](args));
    return nu(f(...args));
  }
  return invokeObj(f, args);
}

export function invoke0(f) { return typeof f === 'function' ? nu(f()) : invokeObj(f, []); }
export function invoke1(f, a) { return typeof f === 'function' ? nu(f(a)) : invokeObj(f, [a]); }
export function invoke2(f, a, b) { return typeof f === 'function' ? nu(f(a, b)) : invokeObj(f, [a, b]); }
export function invoke3(f, a, b, c) { return typeof f === 'function' ? nu(f(a, b, c)) : invokeObj(f, [a, b, c]); }
export function invoke4(f, a, b, c, d) { return typeof f === 'function' ? nu(f(a, b, c, d)) : invokeObj(f, [a, b, c, d]); }

/**
 * `f` as a JS function of one (two) arguments, for a walk to call over and over: a fn
 * through `oneArg` (`twoArgs`), so straight into its arity; anything else callable invoked.
 */
export const caller1 = (f) => (typeof f === 'function' ? oneArg(f) : (x) => invoke1(f, x));
export const caller2 = (f) => (typeof f === 'function' ? twoArgs(f) : (a, b) => invoke2(f, a, b));

// ---------------------------------------------------------------------------------------
// Handing over a walked seq (docs/patch-abi.md, "Handing over a seq")
// ---------------------------------------------------------------------------------------

/**
 * On a clojure.core fn that walks its last argument to the end (reduce, count, ...): its
 * arities by argument count, each taking that argument as a `Handed`. A compiled call hands
 * the seq over (`hand_over`) and calls `invoke_takingN`, so that no frame between the caller
 * and the walk keeps the seq's head: `(reduce + (map inc (range 1e8)))` runs in constant
 * memory, as in Clojure.
 */
export const TAKES_HANDED = Symbol('jank.takesHanded');
let handedOver = null;
/** The `hand_over` import: the value the next `invoke_takingN` passes last. */
export function handOver(x) { handedOver = x; }
function takeHandedOver() { const h = new Handed(handedOver); handedOver = null; return h; }
/** The `invoke_takingN` imports: f called with its n - 1 arguments and the handed-over value. */
export function invokeTaking1(f) {
  const h = takeHandedOver(), t = f?.[TAKES_HANDED]?.[1];
  return t !== undefined ? nu(t(h)) : invoke1(f, h.take());
}
export function invokeTaking2(f, a) {
  const h = takeHandedOver(), t = f?.[TAKES_HANDED]?.[2];
  return t !== undefined ? nu(t(a, h)) : invoke2(f, a, h.take());
}
export function invokeTaking3(f, a, b) {
  const h = takeHandedOver(), t = f?.[TAKES_HANDED]?.[3];
  return t !== undefined ? nu(t(a, b, h)) : invoke3(f, a, b, h.take());
}
export function invokeTaking4(f, a, b, c) {
  const h = takeHandedOver(), t = f?.[TAKES_HANDED]?.[4];
  return t !== undefined ? nu(t(a, b, c, h)) : invoke4(f, a, b, c, h.take());
}

/** Call f with the given arguments, with Clojure's rules for what is callable. */
export function invoke(f, ...args) { return invokeArray(f, args); }

/**
 * Clojure's apply: call f with the elements of a seq. A compiled variadic fn gets the tail
 * of the seq as its rest argument unrealised, so (apply f (range)) works as in Clojure.
 */
export function applyTo(f, argSeq) {
  if (typeof f === 'function' && f[APPLY_COLL] !== undefined) return nu(f[APPLY_COLL](argSeq));
  const info = typeof f === 'function' ? f[FN] : undefined;
  if (info !== undefined && info.variadic !== null) {
    const limit = Math.max(info.maxFixed + 1, info.vreq);
    const head = [];
    let s = seq(argSeq);
    while (s !== null && head.length < limit) { head.push(first(s)); s = next(s); }
    if (s === null) return invokeArray(f, head);
    let restSeq = s;
    for (let i = head.length - 1; i >= info.vreq; i--) restSeq = new Cons(head[i], restSeq);
    return nu(info.variadic(f, ...head.slice(0, info.vreq), restSeq));
  }
  return invokeArray(f, toArray(argSeq));
}
