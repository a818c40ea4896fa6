// clojure.core: protocols, types, records and multimethods as Clojure code sees them
// (satisfies?, extend, defmulti's methods, derive, isa?, ...), the core protocols and their
// methods as clojure.core vars, and the jank.runtime helpers defprotocol, deftype,
// defrecord, reify, extend-type, defmulti and defmethod expand to.

import { illegalArgument } from '../errors.js';
import { Type, CLASS, OBJECT, defType, hostTypeFor, castError, typeOf } from '../types.js';
import {
  Protocol, METHOD, extend, satisfies, extendsType, extenders, redefine,
} from '../protocol.js';
import { CORE_PROTOCOLS, IPrintWithWriter } from '../core-protocols.js';
import { implement } from '../protocol.js';
import { printTagged, toStr, printOwn, setPrintOverride } from '../print.js';
import { Keyword, keyword } from '../scalars.js';
import { seq, next, listOf } from '../seqs.js';
import { PMap } from '../hashmap.js';
import { setOf } from '../set.js';
import { Var } from '../refs.js';
import { defineType, recordFromMap, resolveSpec } from '../deftype.js';
import { toHost } from '../interop.js';
import {
  multiFn, isMultiFn, addMethod, removeMethod, removeAllMethods, preferMethod, methodsOf,
  prefersOf, getMethod, isa, parents, ancestors, descendants, derive, deriveGlobal, underive,
  makeHierarchy, getGlobalHierarchy, setGlobalHierarchy,
} from '../multi.js';
import { named } from '../fns.js';
import { core, coreLib, coreValue, internal } from './lib.js';

implement(CLASS, IPrintWithWriter, { '-pr-writer': (t, w) => w.write(t.name) });
const PROTOCOL_TYPE = defType('clojure.lang.Protocol', ['java.lang.Object'], { ctor: Protocol });
implement(PROTOCOL_TYPE, IPrintWithWriter, { '-pr-writer': (p, w) => printTagged('clojure.lang.Protocol', p, p.name, w) });

// --- the core protocols as vars ------------------------------------------------------

for (const [name, protocol] of Object.entries(CORE_PROTOCOLS)) {
  coreValue(name, protocol);
  for (const method of protocol.syms.keys()) coreValue(method, protocol.fn(method));
}

/** A protocol, or the ClassCastException of using something else as one. */
const checkProtocol = (p) => {
  if (!(p instanceof Protocol)) throw castError(p, 'clojure.lang.Protocol');
  return p;
};

/** What extend-type and extend take as the type: a Type, a host constructor, or nil. */
function typeArg(t) {
  if (t === null || t instanceof Type) return t;
  if (typeof t === 'function') return hostTypeFor(toHost(t));
  throw illegalArgument(`${toStr(t)} is not a class or type`);
}

/** A Clojure map {"name" fn} or {:name fn} as a JS object of method name -> fn. */
function methodTable(m) {
  const out = {};
  if (m === null) return out;
  for (let s = seq(m); s !== null; s = next(s)) {
    const e = s.first();
    const k = e.key();
    out[k instanceof Keyword ? k.name : toStr(k)] = e.val();
  }
  return out;
}

// --- a class's supertypes ------------------------------------------------------------

function classArg(c) {
  if (!(c instanceof Type)) throw castError(c, 'java.lang.Class');
  return c;
}
/** `bases`: a class's superclass (Object when it names none) and its interfaces; an interface's. */
core('bases', {
  1: (c) => {
    if (c === null) return null;
    const t = classArg(c);
    const direct = [...t.supers];
    if (t.kind === 'class' && t !== OBJECT && !direct.some((s) => s.kind === 'class')) direct.unshift(OBJECT);
    return direct.length === 0 ? null : listOf(direct);
  },
});
/** `supers`: every supertype of a class (Object included) or of an interface. */
core('supers', {
  1: (c) => {
    const t = classArg(c);
    const all = t.ancestors().filter((s) => s !== t && !(t.kind === 'interface' && s === OBJECT));
    return all.length === 0 ? null : setOf(...all);
  },
});

core('satisfies?', { 2: (p, x) => satisfies(checkProtocol(p), x) });
core('extends?', { 2: (p, t) => extendsType(checkProtocol(p), typeArg(t)) });
core('extenders', { 1: (p) => { const ts = extenders(checkProtocol(p)); return ts.length === 0 ? null : listOf(ts); } });
core('extend', {
  va: (xs) => {
    const t = typeArg(xs[0]);
    for (let i = 1; i + 1 < xs.length; i += 2) extend(t, checkProtocol(xs[i]), methodTable(xs[i + 1]));
    return null;
  },
  vmin: 1,
});

// --- what the type macros expand to --------------------------------------------------

/** `(defprotocol name ...)`: the protocol of var `v` (kept, with new methods, when redefined). */
internal('defprotocol*', {
  va: ([v, methods, doc = null]) => {
    const names = methodNames(methods);
    const name = `${v.ns}/${v.name}`;
    const existing = v.deref();
    if (existing instanceof Protocol && existing.name === name) return redefine(existing, names, doc);
    return new Protocol(name, names, doc);
  },
  vmin: 2,
});
const methodNames = (v) => (v === null ? [] : [...v].map((x) => toStr(x)));

/** The fn that calls a protocol's method (what `foo` of `(defprotocol P (foo [x]))` is). */
internal('protocol-method', {
  2: (p, name) => {
    // the method's dispatch fn itself (one per protocol and method, as the var is), named
    // after the var (it prints as user$foo): no wrapper between a call and its dispatch
    const f = checkProtocol(p).fn(toStr(name));
    return named(`${p.name.slice(0, p.name.indexOf('/'))}/${name}`, f);
  },
});

/** Specs as the macros give them: [protocol-or-interface {"method" fn} ...]. */
function specList(specs) {
  const out = [];
  const items = specs === null ? [] : [...specs];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([specTarget(items[i]), methodTable(items[i + 1])]);
  return out;
}
const specTarget = (t) => (t instanceof Protocol || t instanceof Type ? t : typeof t === 'function' ? hostTypeFor(toHost(t)) : t);

/** `(extend-type t p {"m" fn})`. */
internal('extend*', { 3: (t, p, methods) => { extend(typeArg(t), checkProtocol(p), methodTable(methods)); return null; } });

/** `(deftype* "ns.T" ["a" "b"] ["b"] [specs])`: a new type. */
internal('deftype*', {
  va: ([name, fields, mutable, specs]) => defineType(toStr(name), [...fields].map(toStr), specList(specs), { mutable: [...(mutable ?? [])].map(toStr) }),
  vmin: 4,
});
internal('defrecord*', {
  va: ([name, fields, specs]) => defineType(toStr(name), [...fields].map(toStr), specList(specs), { record: true }),
  vmin: 3,
});
internal('record-from-map', { 2: (type, m) => { if (m !== null && !(m instanceof PMap) && m[Symbol.iterator] === undefined) throw castError(m, 'java.util.Map'); return recordFromMap(type, m); } });

/** Reify sites: each `(reify ...)` form makes one type, the first time it runs. */
const reifySites = new Map();

/** `(reify* "site" [specs])`: an instance whose own methods close over this evaluation's locals. */
internal('reify*', {
  2: (site, specs) => {
    const list = specList(specs);
    let type = reifySites.get(site);
    if (type === undefined) {
      type = defineType(toStr(site), [], list);
      reifySites.set(site, type);
    }
    const obj = new type.ctor();
    for (const [target, methods] of list) installOwn(obj, target, methods);
    return obj;
  },
});
/** Gives a reify instance its own methods (its type's prototype has the first instance's). */
function installOwn(obj, target, methods) {
  const { protocols, object, hostMethods = {} } = resolveSpec(target, methods);
  for (const [protocol, impls] of protocols) {
    for (const [name, fn] of Object.entries(impls)) obj[protocol.sym(name)] = fn;
  }
  for (const [name, fn] of Object.entries(hostMethods)) obj[name] = function (...args) { return fn(this, ...args); };
  if (object.toString !== undefined) { const f = object.toString; obj.toString = function () { return toStr(f(this)); }; }
}

// --- multimethods ---------------------------------------------------------------------

const DEFAULT = keyword('default');

/** Whether a var already holds a multimethod (defmulti then leaves it, as Clojure's). */
internal('multifn-bound?', { 1: (v) => v instanceof Var && isMultiFn(v.deref()) });

/** `(defmulti name dispatch-fn :default d :hierarchy h)`: a new MultiFn. */
internal('defmulti*', {
  va: ([name, dispatchFn, ...opts]) => {
    let dflt = DEFAULT, hierarchy = null;
    for (let i = 0; i + 1 < opts.length; i += 2) {
      if (opts[i] === keyword('default')) dflt = opts[i + 1];
      else if (opts[i] === keyword('hierarchy')) hierarchy = opts[i + 1];
      else throw illegalArgument(`Unknown defmulti option: ${toStr(opts[i])}`);
    }
    return multiFn(toStr(name), dispatchFn, dflt, hierarchy);
  },
  vmin: 2,
});
internal('add-method', { 3: addMethod });

// print-method: Clojure's printing multimethod, on a value's :type tag or its class. Its
// :default method is the runtime's own printer; once code adds a method, printing (pr, str,
// the REPL's values, nested values too) goes through it.
const printDispatch = (x) => {
  const m = x === null ? null : coreLib.meta(x);
  const tag = m === null ? null : m.get(keyword('type'), null);
  return tag instanceof Keyword ? tag : x === null ? null : typeOf(x);
};
const printMethod = multiFn('clojure.core/print-method', printDispatch, DEFAULT);
const printByDefault = (x, w) => { printOwn(x, w); return null; };
addMethod(printMethod, DEFAULT, printByDefault);
coreLib['print-method'] = printMethod;
setPrintOverride((x, w) => {
  if (methodsOf(printMethod).count() < 2) return false;
  const method = getMethod(printMethod, printDispatch(x));
  if (method === null || method === printByDefault) return false;
  method(x, w);
  return true;
});
const checkMulti = (mf) => { if (!isMultiFn(mf)) throw castError(mf, 'clojure.lang.MultiFn'); return mf; };
core('remove-method', { 2: (mf, dv) => removeMethod(checkMulti(mf), dv) });
core('remove-all-methods', { 1: (mf) => removeAllMethods(checkMulti(mf)) });
core('prefer-method', { 3: (mf, x, y) => preferMethod(checkMulti(mf), x, y) });
core('methods', { 1: (mf) => methodsOf(checkMulti(mf)) });
core('prefers', { 1: (mf) => prefersOf(checkMulti(mf)) });
core('get-method', { 2: (mf, dv) => getMethod(checkMulti(mf), dv) });

// --- hierarchies ----------------------------------------------------------------------

core('make-hierarchy', { 0: makeHierarchy });
core('isa?', { 2: (c, p) => isa(getGlobalHierarchy(), c, p), 3: isa });
core('parents', { 1: (t) => parents(getGlobalHierarchy(), t), 2: parents });
core('ancestors', { 1: (t) => ancestors(getGlobalHierarchy(), t), 2: ancestors });
core('descendants', { 1: (t) => descendants(getGlobalHierarchy(), t), 2: descendants });
core('derive', { 2: deriveGlobal, 3: derive });
core('underive', { 2: (t, p) => { setGlobalHierarchy(underive(getGlobalHierarchy(), t, p)); return null; }, 3: underive });

