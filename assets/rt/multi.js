// Multimethods (clojure.lang.MultiFn) and hierarchies (make-hierarchy, derive, isa?, ...),
// with Clojure's semantics: dispatch by isa? on the dispatch value (classes by their
// supertypes, vectors elementwise), preferences, a default method, and the global hierarchy.
//
// A hierarchy is the Clojure map {:parents {} :descendants {} :ancestors {}}; a multimethod
// caches the method chosen for each dispatch value until its methods, preferences or
// hierarchy change.

import { CljError, illegalArgument, illegalState, unsupportedOperation } from './errors.js';
import { Type, defType } from './types.js';
import { implement } from './protocol.js';
import { IFn, IPrintWithWriter, IMeta, DEREF } from './core-protocols.js';
import { equiv } from './equality.js';
import { printTagged, hex, printStr, toStr } from './print.js';
import { Keyword, Sym, keyword } from './scalars.js';
import { seq, next } from './seqs.js';
import { PVector } from './vector.js';
import { EMPTY_MAP, mapOf } from './hashmap.js';
import { EMPTY_SET } from './set.js';
import { invokeArray } from './fns.js';

const PARENTS = keyword('parents');
const DESCENDANTS = keyword('descendants');
const ANCESTORS = keyword('ancestors');

/** `(make-hierarchy)`. */
export const makeHierarchy = () => mapOf(PARENTS, EMPTY_MAP, DESCENDANTS, EMPTY_MAP, ANCESTORS, EMPTY_MAP);

/** The global hierarchy (derive and isa? without one). */
let globalHierarchy = makeHierarchy();
export const getGlobalHierarchy = () => globalHierarchy;
export const setGlobalHierarchy = (h) => { globalHierarchy = h; };

const isClass = (x) => x instanceof Type;
const isNamed = (x) => x instanceof Keyword || x instanceof Sym;
const getIn = (h, k, tag) => { const m = h === null ? null : h.get(k); return m === null ? null : m.get(tag); };
const assertFailed = (what) => new CljError('AssertionError', `Assert failed: ${what}`);

/** `(isa? h child parent)`. */
export function isa(h, child, parent) {
  if (equiv(child, parent)) return true;
  if (isClass(child) && isClass(parent) && child.isa(parent)) return true;
  const ta = getIn(h, ANCESTORS, child);
  if (ta !== null && ta.contains(parent)) return true;
  if (isClass(child) && child.ancestors().some((t) => { const a = getIn(h, ANCESTORS, t); return a !== null && a.contains(parent); })) return true;
  if (child instanceof PVector && parent instanceof PVector && child.cnt === parent.cnt) {
    for (let i = 0; i < child.cnt; i++) if (!isa(h, child.nth(i), parent.nth(i))) return false;
    return true;
  }
  return false;
}

/** `(parents h tag)`: its parents in h (for a class, also its direct supertypes); nil when none. */
export function parents(h, tag) {
  let tp = getIn(h, PARENTS, tag) ?? EMPTY_SET;
  if (isClass(tag)) for (const t of tag.supers) tp = tp.conj(t);
  return tp.count() === 0 ? null : tp;
}

/** `(ancestors h tag)`. */
export function ancestors(h, tag) {
  let ta = getIn(h, ANCESTORS, tag) ?? EMPTY_SET;
  if (isClass(tag)) {
    for (const t of tag.ancestors().slice(1)) {
      ta = ta.conj(t);
      const more = getIn(h, ANCESTORS, t);
      if (more !== null) more.forEach((x) => { ta = ta.conj(x); });
    }
  }
  return ta.count() === 0 ? null : ta;
}

/** `(descendants h tag)`. */
export function descendants(h, tag) {
  if (isClass(tag)) throw unsupportedOperation("Can't get descendants of classes");
  const td = getIn(h, DESCENDANTS, tag);
  return td === null || td.count() === 0 ? null : td;
}

/** For each of `source` and its `sources`, adds `target` and its `targets` (Clojure's tf). */
function addTransitively(m, source, sources, target, targets) {
  let keys = [source];
  const more = sources.get(source);
  if (more !== null) keys = keys.concat([...more]);
  const add = [target, ...(targets.get(target) ?? EMPTY_SET)];
  for (const k of keys) {
    let s = m.get(k) ?? EMPTY_SET;
    for (const x of add) s = s.conj(x);
    m = m.assoc(k, s);
  }
  return m;
}

/** `(derive h tag parent)`: the hierarchy with tag a child of parent. */
export function derive(h, tag, parent) {
  if (equiv(tag, parent)) throw assertFailed('(not= tag parent)');
  if (!isClass(tag) && !isNamed(tag)) throw assertFailed('(or (class? tag) (instance? clojure.lang.Named tag))');
  if (!isNamed(parent)) throw assertFailed('(instance? clojure.lang.Named parent)');
  const tp = h.get(PARENTS), td = h.get(DESCENDANTS), ta = h.get(ANCESTORS);
  if ((tp.get(tag) ?? EMPTY_SET).contains(parent)) return h;
  if ((ta.get(tag) ?? EMPTY_SET).contains(parent)) throw new CljError('Exception', `${printStr(tag)} already has ${printStr(parent)} as ancestor`);
  if ((ta.get(parent) ?? EMPTY_SET).contains(tag)) throw new CljError('Exception', `Cyclic derivation: ${printStr(parent)} has ${printStr(tag)} as ancestor`);
  return mapOf(
    PARENTS, tp.assoc(tag, (tp.get(tag) ?? EMPTY_SET).conj(parent)),
    ANCESTORS, addTransitively(ta, tag, td, parent, ta),
    DESCENDANTS, addTransitively(td, parent, ta, tag, td),
  );
}

/** `(derive tag parent)` in the global hierarchy (both namespaced, as Clojure asserts). */
export function deriveGlobal(tag, parent) {
  if (!isNamed(parent) || parent.ns === null) throw assertFailed('(namespace parent)');
  if (!isClass(tag) && !(isNamed(tag) && tag.ns !== null)) throw assertFailed('(or (class? tag) (and (instance? clojure.lang.Named tag) (namespace tag)))');
  globalHierarchy = derive(globalHierarchy, tag, parent);
  return null;
}

/** `(underive h tag parent)`: the hierarchy rebuilt from its parent relations without that one. */
export function underive(h, tag, parent) {
  const parentMap = h.get(PARENTS);
  const childsParents = parentMap.get(tag);
  if (childsParents === null || !childsParents.contains(parent)) return h;
  const newParents = childsParents.disj(parent);
  const pm = newParents.count() === 0 ? parentMap.dissoc(tag) : parentMap.assoc(tag, newParents);
  let out = makeHierarchy();
  for (let s = seq(pm); s !== null; s = next(s)) {
    const e = s.first();
    for (const p of e.val()) out = derive(out, e.key(), p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// MultiFn
// ---------------------------------------------------------------------------------------

const MULTI = Symbol('jank.multi');

/** The multimethod state behind a MultiFn (a JS function, so calls are direct). */
class MultiState {
  constructor(name, dispatchFn, defaultValue, hierarchy) {
    this.name = name;
    this.dispatchFn = dispatchFn;
    this.defaultValue = defaultValue;
    this.hierarchy = hierarchy; // a ref (var, atom) to deref, or null for the global hierarchy
    this.methods = EMPTY_MAP;
    this.prefers = EMPTY_MAP;
    this.cache = new Map(); // dispatch values equal when identical (byIdentity) -> method
    this.valueCache = EMPTY_MAP; // other dispatch values (vectors, symbols), by value -> method
    this.cachedHierarchy = null;
  }
  currentHierarchy() {
    return this.hierarchy === null ? globalHierarchy : this.hierarchy[DEREF](this.hierarchy);
  }
  resetCache() {
    this.cache = new Map();
    this.valueCache = EMPTY_MAP;
    this.cachedHierarchy = this.currentHierarchy();
  }
}

const MULTI_PROTO = Object.create(Function.prototype);
export const MULTIFN_TYPE = defType('clojure.lang.MultiFn', ['clojure.lang.AFn'], { proto: MULTI_PROTO });

/** `(defmulti name dispatch-fn :default d :hierarchy h)`: a new multimethod. */
export function multiFn(name, dispatchFn, defaultValue = keyword('default'), hierarchy = null) {
  const state = new MultiState(name, dispatchFn, defaultValue, hierarchy);
  const mf = function (...args) {
    const dv = invokeArray(state.dispatchFn, args);
    const method = getMethod(mf, dv);
    if (method === null) throw illegalArgument(`No method in multimethod '${state.name}' for dispatch value: ${toStr(dv)}`);
    return invokeArray(method, args);
  };
  Object.setPrototypeOf(mf, MULTI_PROTO);
  mf[MULTI] = state;
  return mf;
}

export const isMultiFn = (x) => typeof x === 'function' && x[MULTI] !== undefined;
const stateOf = (mf) => {
  if (!isMultiFn(mf)) throw new CljError('ClassCastException', 'not a multimethod');
  return mf[MULTI];
};

function prefers(state, h, x, y) {
  const xprefs = state.prefers.get(x);
  if (xprefs !== null && xprefs.contains(y)) return true;
  const py = parents(h, y);
  if (py !== null) for (const p of py) if (prefers(state, h, x, p)) return true;
  const px = parents(h, x);
  if (px !== null) for (const p of px) if (prefers(state, h, p, y)) return true;
  return false;
}

const dominates = (state, h, x, y) => prefers(state, h, x, y) || isa(h, x, y);

function findBestMethod(state, dv) {
  const h = state.currentHierarchy();
  let best = null;
  for (let s = seq(state.methods); s !== null; s = next(s)) {
    const e = s.first();
    const k = e.key();
    if (!isa(h, dv, k)) continue;
    if (best === null || dominates(state, h, k, best.key())) best = e;
    if (!dominates(state, h, best.key(), k)) {
      throw illegalArgument(`Multiple methods in multimethod '${state.name}' match dispatch value: ${toStr(dv)} -> ${toStr(k)} and ${toStr(best.key())}, and neither is preferred`);
    }
  }
  if (best !== null) return best.val();
  return state.methods.get(state.defaultValue);
}

/**
 * Dispatch values that are equal only when identical, so a JS Map can cache them: nil,
 * numbers, strings, booleans, keywords (interned) and classes (a redefined type is a new
 * class). Every other value (a vector of classes, a symbol) is cached by value.
 */
const byIdentity = (dv) => dv === null || typeof dv !== 'object' || dv instanceof Keyword || dv instanceof Type;
const NOT_CACHED = Symbol('not cached');

/** `(get-method mf dispatch-val)`: the method that value dispatches to (or the default), or nil. */
export function getMethod(mf, dv) {
  const state = stateOf(mf);
  if (state.cachedHierarchy !== state.currentHierarchy()) state.resetCache();
  if (byIdentity(dv)) {
    let method = state.cache.get(dv);
    if (method === undefined) {
      method = findBestMethod(state, dv);
      state.cache.set(dv, method);
    }
    return method;
  }
  let method = state.valueCache.get(dv, NOT_CACHED);
  if (method === NOT_CACHED) {
    method = findBestMethod(state, dv);
    state.valueCache = state.valueCache.assoc(dv, method);
  }
  return method;
}

export function addMethod(mf, dv, fn) {
  const state = stateOf(mf);
  state.methods = state.methods.assoc(dv, fn);
  state.resetCache();
  return mf;
}

export function removeMethod(mf, dv) {
  const state = stateOf(mf);
  state.methods = state.methods.dissoc(dv);
  state.resetCache();
  return mf;
}

export function removeAllMethods(mf) {
  const state = stateOf(mf);
  state.methods = EMPTY_MAP;
  state.prefers = EMPTY_MAP;
  state.resetCache();
  return mf;
}

export function preferMethod(mf, x, y) {
  const state = stateOf(mf);
  if (prefers(state, state.currentHierarchy(), y, x)) {
    throw illegalState(`Preference conflict in multimethod '${state.name}': ${toStr(y)} is already preferred to ${toStr(x)}`);
  }
  state.prefers = state.prefers.assoc(x, (state.prefers.get(x) ?? EMPTY_SET).conj(y));
  state.resetCache();
  return mf;
}

export const methodsOf = (mf) => stateOf(mf).methods;
export const prefersOf = (mf) => stateOf(mf).prefers;

implement(MULTIFN_TYPE, IFn, { '-invoke': (mf, ...args) => mf(...args) });
implement(MULTIFN_TYPE, IMeta, { '-meta': () => null });
implement(MULTIFN_TYPE, IPrintWithWriter, { '-pr-writer': (mf, w) => printTagged('clojure.lang.MultiFn', mf, `clojure.lang.MultiFn@${hex(mf)}`, w) });

