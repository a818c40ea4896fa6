// clojure.core: atoms, volatiles, delays, vars' roots and metadata; exceptions.

import { CljError, nu, illegalArgument, errorMessage } from '../errors.js';
import { castError, classNamed, typeOf } from '../types.js';
import { IS_MAP, RESET, SWAP, ADD_WATCH, REMOVE_WATCH } from '../core-protocols.js';
import { keyword, lookupIn } from '../scalars.js';
import { MapBuilder } from '../hashmap.js';
import { vectorOf } from '../vector.js';
import { toArray } from '../seqs.js';
import { Atom, Volatile, Delay, Var, LocalVar, setAtom, setValidator, checkVar, swapAtom } from '../refs.js';
import { deref, isRealized, meta } from '../colls.js';
import { argumentsArray, invoke0, invokeArray, named } from '../fns.js';
import { core, internal, libraries } from './lib.js';

const checkAtom = (a) => { if (!(a instanceof Atom)) throw castError(a, 'clojure.lang.IAtom'); return a; };

core('atom', {
  1: (x) => new Atom(x),
  va: (xs) => {
    const a = new Atom(xs[0]);
    for (let i = 1; i + 1 < xs.length; i += 2) {
      if (xs[i] === keyword('validator')) a.validator = xs[i + 1];
      if (xs[i] === keyword('meta')) a._meta = xs[i + 1];
    }
    if (a.validator !== null) setValidator(a, a.validator);
    return a;
  },
  vmin: 1,
});
core('deref', { 1: deref, 3: (x) => deref(x) });
core('swap!', {
  2: (a, f) => (a instanceof Atom ? swapAtom(a, f, []) : swapOther(a, f, [])),
  3: (a, f, x) => (a instanceof Atom ? swapAtom(a, f, [x]) : swapOther(a, f, [x])),
  va: (xs) => (xs[0] instanceof Atom ? swapAtom(xs[0], xs[1], xs.slice(2)) : swapOther(xs[0], xs[1], xs.slice(2))),
  vmin: 4,
});
/** swap! on a user type implementing ISwap. */
function swapOther(a, f, args) {
  const s = a === null ? undefined : a[SWAP];
  if (s === undefined) throw castError(a, 'clojure.lang.IAtom');
  return s(a, f, ...args);
}
core('swap-vals!', {
  va: (xs) => {
    const a = checkAtom(xs[0]);
    const v = invokeArray(xs[1], [a.v, ...xs.slice(2)]);
    const old = setAtom(a, v);
    return vectorOf([old, v]);
  },
  vmin: 2,
});
core('reset!', {
  2: (a, v) => {
    if (a instanceof Atom) { setAtom(a, v); return v; }
    const r = a === null ? undefined : a[RESET];
    if (r === undefined) throw castError(a, 'clojure.lang.IAtom');
    return r(a, v);
  },
});
core('reset-vals!', { 2: (a, v) => vectorOf([setAtom(checkAtom(a), v), v]) });
core('compare-and-set!', {
  3: (a, old, v) => {
    checkAtom(a);
    if (a.v !== old) return false;
    setAtom(a, v);
    return true;
  },
});
const watchable = (r, sym) => { const f = r === null ? undefined : r[sym]; if (f === undefined) throw castError(r, 'clojure.lang.IRef'); return f; };
core('add-watch', { 3: (r, k, f) => watchable(r, ADD_WATCH)(r, k, f) });
core('remove-watch', { 2: (r, k) => watchable(r, REMOVE_WATCH)(r, k) });
core('set-validator!', { 2: (a, f) => setValidator(a, f) });
core('get-validator', { 1: (a) => a.validator ?? null });
core('volatile!', { 1: (x) => new Volatile(x) });
core('vreset!', { 2: (v, x) => { if (!(v instanceof Volatile)) throw castError(v, 'clojure.lang.Volatile'); v.v = x; return x; } });
core('vswap!', {
  va: (xs) => {
    const v = xs[0];
    if (!(v instanceof Volatile)) throw castError(v, 'clojure.lang.Volatile');
    v.v = invokeArray(xs[1], [v.v, ...xs.slice(2)]);
    return v.v;
  },
  vmin: 2,
});
internal('delay*', { 1: (thunk) => new Delay(() => invoke0(thunk)) });
core('force', { 1: (x) => (x instanceof Delay ? x.force() : x) });
core('realized?', { 1: isRealized });

// --- vars ------------------------------------------------------------------------------

// --- thread bindings -------------------------------------------------------------------
// The runtime has one thread: a binding sets the var's root for its extent and puts the old
// root back after (no watch fires, as for Clojure's thread bindings). `bindingFrames` holds
// each binding's vars and their roots before it, innermost last.
const bindingFrames = [];
const DYNAMIC = keyword(null, 'dynamic');

/** Whether a var can be bound: ^:dynamic in its metadata, or a library var named *like-this*. */
function isDynamic(v) {
  if (v instanceof LocalVar) return true;
  // (a library var's metadata, from the compiler, may lack the :dynamic the JVM sets apart)
  if (libraries[v.ns] !== undefined && /^\*.+\*$/.test(v.name)) return true;
  return v.meta !== null && lookupIn(v.meta, DYNAMIC, null) === true;
}


function pushThreadBindings(bindings) {
  const entries = bindings === null ? [] : toArray(bindings).map((e) => [checkVar(e.key()), e.val()]);
  for (const [v] of entries) {
    if (!isDynamic(v)) throw new CljError('IllegalStateException', `Can't dynamically bind non-dynamic var: ${v.ns}/${v.name}`);
  }
  bindingFrames.push(entries.map(([v]) => [v, v.deref()]));
  for (const [v, value] of entries) v.setRootSilently(value);
  return null;
}

function popThreadBindings() {
  const frame = bindingFrames.pop();
  if (frame === undefined) throw new CljError('IllegalStateException', 'Pop without matching push');
  for (let i = frame.length - 1; i >= 0; i--) frame[i][0].setRootSilently(frame[i][1]);
  return null;
}

/** Each bound var and its value now (the innermost binding's, or a set! since). */
function getThreadBindings() {
  const m = new MapBuilder();
  for (const frame of bindingFrames) for (const [v] of frame) m.assoc(v, v.deref());
  return m.persistent();
}

function withBindings(bindings, f, args) {
  pushThreadBindings(bindings);
  try {
    return invokeArray(f, args);
  } finally {
    popThreadBindings();
  }
}

core('push-thread-bindings', { 1: pushThreadBindings });
core('pop-thread-bindings', { 0: popThreadBindings });
core('get-thread-bindings', { 0: getThreadBindings });
core('thread-bound?', {
  va: (vars) => vars.every((v) => bindingFrames.some((frame) => frame.some(([bound]) => bound === checkVar(v)))),
});
core('with-bindings*', { va: ([bindings, f, ...args]) => withBindings(bindings, f, args), vmin: 2 });
core('bound-fn*', {
  1: (f) => {
    const bindings = getThreadBindings();
    return named('clojure.core/bound-fn*$fn', function () { return withBindings(bindings, f, argumentsArray(arguments)); });
  },
});

internal('local-var', { 0: () => new LocalVar() });

/** `(test v)`: runs the fn under `:test` in v's metadata: :ok, or :no-test when it has none. */
const TEST = keyword(null, 'test');
core('test', {
  1: (v) => {
    const f = lookupIn(meta(v), TEST, null);
    if (f === null) return keyword(null, 'no-test');
    invoke0(f);
    return keyword(null, 'ok');
  },
});

core('var-get', { 1: (v) => checkVar(v).deref() });
core('var-set', { 2: (v, x) => { checkVar(v).bindRoot(x); return x; } });
core('alter-var-root', {
  va: (xs) => {
    const v = checkVar(xs[0]);
    const nv = invokeArray(xs[1], [v.deref(), ...xs.slice(2)]);
    v.bindRoot(nv);
    return nv;
  },
  vmin: 2,
});
/** Something with mutable metadata: vars, namespaces, atoms. */
const metaHolder = (r) => {
  if (r instanceof Var) return 'meta';
  if (r !== null && typeof r === 'object' && '_meta' in r) return '_meta';
  throw castError(r, 'clojure.lang.IReference');
};
core('alter-meta!', {
  va: (xs) => {
    const r = xs[0];
    const field = metaHolder(r);
    r[field] = invokeArray(xs[1], [meta(r), ...xs.slice(2)]);
    return r[field];
  },
  vmin: 2,
});
core('reset-meta!', { 2: (r, m) => { r[metaHolder(r)] = m; return m; } });

// --- exceptions --------------------------------------------------------------------------

function exInfo(msg, data, cause) {
  if (msg !== null && typeof msg !== 'string') throw castError(msg, 'java.lang.String');
  if (data === null) throw illegalArgument('Additional data must be non-nil.');
  if (data[IS_MAP] !== true) throw castError(data, 'clojure.lang.IPersistentMap');
  if (cause !== null && !(cause instanceof Error)) throw castError(cause, 'java.lang.Throwable');
  return new CljError('ExceptionInfo', msg, data, cause);
}
core('ex-info', { 2: (m, d) => exInfo(m, d, null), 3: exInfo });
const EXCEPTION_INFO = classNamed('clojure.lang.ExceptionInfo');
core('ex-data', { 1: (e) => (e instanceof CljError && typeOf(e) === EXCEPTION_INFO ? e.data : null) });
core('ex-message', { 1: (e) => (e instanceof Error ? errorMessage(e) : null) });
core('ex-cause', { 1: (e) => (e instanceof Error ? nu(e.cause) : null) });


/** `(with-redefs-fn {#'v value ...} f)`: calls f with the vars' roots replaced, then restores them. */
core('with-redefs-fn', {
  2: (bindings, f) => {
    const entries = bindings === null ? [] : toArray(bindings).map((e) => [checkVar(e.key()), e.val()]);
    const old = entries.map(([v]) => v.deref());
    for (const [v, value] of entries) v.bindRoot(value);
    try {
      return invoke0(f);
    } finally {
      entries.forEach(([v], i) => v.bindRoot(old[i]));
    }
  },
});
