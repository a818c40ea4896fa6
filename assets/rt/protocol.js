// Protocols: named sets of methods that dispatch on the type of their first argument, as
// Clojure's `defprotocol` (and ClojureScript's core protocols, which the whole runtime is
// built on: every type implements its own entries, generic functions dispatch through them).
//
// Each method has a Symbol; a type implements a method by having a function under that
// symbol on its prototype: `x[sym](x, ...args)`. Which function a type gets is resolved
// here, from the extensions made to the protocol (`extend`: to a type, an interface, Object,
// nil) and the implementations a type declared itself (`inline`, deftype's): the type's own,
// then its superclasses', then its interfaces' (nearest first), then Object's, as Clojure's
// find-protocol-impl does. Resolved functions are installed on every concrete type's
// prototype (types.js's install sites), so a call is one property load; numbers share
// Number.prototype, so their entry picks the long or the double function.

import { illegalArgument, nu } from './errors.js';
import {
  Type, TYPE, NIL, LONG, DOUBLE, OBJECT, PLAIN_OBJECT, FIXED_ARITIES, CODE_ENTRIES, FN, installSites, typeOf,
  className,
} from './types.js';

/** Every protocol, so that a type defined later gets their methods installed. */
const protocols = [];

/** A protocol method's dispatch function knows its protocol and method name. */
export const METHOD = Symbol('jank.protocolMethod');

export class Protocol {
  /**
   * `name` is qualified ("clojure.core/ICounted"); `methods` are the method names
   * ("-count"). A protocol without methods is a marker (ISequential): `satisfies?` only.
   */
  constructor(name, methods, doc = null) {
    this.name = name;
    this.doc = doc;
    this.marker = Symbol(`${name} marker`);
    this.syms = new Map();
    this.impls = new Map(); // Type -> {method name: fn}, from extend (what extenders lists)
    this.inline = new Map(); // Type -> {method name: fn}, from deftype/defrecord/reify bodies
    this.fns = new Map(); // method name -> its dispatch function
    this.setMethods(methods);
    protocols.push(this);
  }

  setMethods(methods) {
    this.syms = new Map(methods.map((m) => [m, Symbol(`${this.name}/${m}`)]));
    this.fns = new Map();
  }

  /** The property symbol of method `name` (for the runtime's own fast paths). */
  sym(name) {
    const s = this.syms.get(name);
    if (s === undefined) throw new Error(`internal: ${this.name} has no method ${name}`);
    return s;
  }

  /** The function that calls method `name` on its first argument's implementation. */
  fn(name) {
    let f = this.fns.get(name);
    if (f === undefined) {
      f = dispatchFn(this, name, this.sym(name));
      this.fns.set(name, f);
    }
    return f;
  }

  /** The implementation of method `name` for `type` (undefined when it has none). */
  resolve(type, name) {
    const own = this.inline.get(type);
    if (own !== undefined && own[name] !== undefined) return own[name];
    if (type === NIL) return this.impls.get(NIL)?.[name];
    for (const t of type.ancestors()) {
      const methods = this.impls.get(t);
      if (methods !== undefined && methods[name] !== undefined) return methods[name];
    }
    return undefined;
  }

  /** Whether `type` implements this protocol (a marker, or any method). */
  resolvesFor(type) {
    if (this.inline.has(type)) return true;
    if (type === NIL) return this.impls.has(NIL);
    return type.ancestors().some((t) => this.impls.has(t));
  }

  toString() { return this.name; }
}

/** Clojure's error for a method no implementation was found for. */
export function noImplementation(protocol, method, x) {
  return illegalArgument(`No implementation of method: :${method} of protocol: #'${protocol.name} found for class: ${className(x)}`);
}

function dispatchFn(protocol, name, sym) {
  const implFor = (x) => {
    const impl = x === null || x === undefined ? protocol.resolve(NIL, name) : x[sym];
    return impl === undefined ? fallback(protocol, name, x) : impl;
  };
  const f = function (x, a, b, c) {
    const impl = implFor(x);
    switch (arguments.length) {
      case 1: return nu(impl(x));
      case 2: return nu(impl(x, a));
      case 3: return nu(impl(x, a, b));
      case 4: return nu(impl(x, a, b, c));
      default: return nu(impl(...arguments));
    }
  };
  f[METHOD] = { protocol, name };
  f[FIXED_ARITIES] = { 1: methodCall(1, sym, implFor, false), 2: methodCall(2, sym, implFor, false), 3: methodCall(3, sym, implFor, false) };
  f[CODE_ENTRIES] = { 1: methodCall(1, sym, implFor, true), 2: methodCall(2, sym, implFor, true), 3: methodCall(3, sym, implFor, true) };
  return f;
}

const ENTRY_ARGS = ['', 'x', 'x, a', 'x, a, b'];
/**
 * A call of a method with n arguments, `(x, ...) -> value`, or with `withSelf` its code-table
 * entry `(self, x, ...)`: an implementation that is a compiled fn runs its arity's code
 * directly (no arity switch, no JS frame between the dispatch and the method). Code of its
 * own for each method, where the page allows making code: closures of one function literal
 * share their type feedback, and one function for all methods would see every protocol's types
 * at once (megamorphic, several times slower than a method's own).
 */
function methodCall(n, sym, implFor, withSelf) {
  const args = ENTRY_ARGS[n];
  try {
    return new Function('sym', 'implFor', 'FN', `return function (${withSelf ? 'self, ' : ''}${args}) {
      let impl = x === null || x === undefined ? undefined : x[sym];
      if (impl === undefined) impl = implFor(x);
      const info = typeof impl === 'function' ? impl[FN] : undefined;
      const code = info === undefined ? undefined : info.fixed[${n}];
      if (code !== undefined) return code(impl, ${args});
      const r = impl(${args});
      return r === undefined ? null : r;
    };`)(sym, implFor, FN);
  } catch {
    const call = (args) => {
      const impl = implFor(args[0]);
      const code = typeof impl === 'function' ? impl[FN]?.fixed[n] : undefined;
      return code !== undefined ? code(impl, ...args) : nu(impl(...args));
    };
    return withSelf ? (self, ...args) => call(args) : (...args) => call(args);
  }
}

/** For values whose prototype chain has no entry (Object.create(null) objects). */
function fallback(protocol, name, x) {
  const impl = protocol.resolve(x === null || x === undefined ? NIL : typeOf(x), name);
  if (impl === undefined) throw noImplementation(protocol, name, x);
  return impl;
}

// ---------------------------------------------------------------------------------------
// Installing resolved methods
// ---------------------------------------------------------------------------------------

const isPlain = (x) => {
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
};

/** Installs `protocol`'s resolved methods (and its marker) on one type's prototype. */
function installOn(protocol, type) {
  if (type.proto === null) return;
  for (const [name, sym] of protocol.syms) type.proto[sym] = protocol.resolve(type, name);
  type.proto[protocol.marker] = protocol.resolvesFor(type) ? true : undefined;
}

/**
 * The entry of a prototype shared by two types (`test` tells a value of the first from one
 * of the second): their common implementation, or a function that picks.
 */
function sharedEntry(protocol, name, ia, ib, test) {
  if (ia === ib) return ia;
  return function (x, ...args) {
    const impl = test(x) ? ia : ib;
    if (impl === undefined) throw noImplementation(protocol, name, x);
    return impl(x, ...args);
  };
}

/** Installs on the prototypes shared by two types: Number (long, double) and Object. */
function installShared(protocol) {
  const share = (proto, a, b, test) => {
    for (const [name, sym] of protocol.syms) {
      proto[sym] = sharedEntry(protocol, name, protocol.resolve(a, name), protocol.resolve(b, name), test);
    }
    const ma = protocol.resolvesFor(a), mb = protocol.resolvesFor(b);
    proto[protocol.marker] = ma || mb ? true : undefined;
    return ma !== mb;
  };
  if (share(Number.prototype, LONG, DOUBLE, Number.isInteger)) numbersDiffer.add(protocol);
  else numbersDiffer.delete(protocol);
  share(Object.prototype, PLAIN_OBJECT, OBJECT, isPlain);
}

/** Marker protocols whose answer differs between longs and doubles. */
const numbersDiffer = new Set();

function reinstall(protocol) {
  for (const type of installSites()) installOn(protocol, type);
  installShared(protocol);
}

/** Installs every protocol on a type defined after them (deftype at run time). */
export function installProtocols(type) {
  for (const p of protocols) installOn(p, type);
}

/** Resolves and installs everything once the runtime's modules have all loaded. */
export function installAll() {
  for (const p of protocols) reinstall(p);
}

// ---------------------------------------------------------------------------------------
// What Clojure code does with protocols
// ---------------------------------------------------------------------------------------

/**
 * `(extend type protocol {method fn})`: `type` is a Type, a host constructor (js/Date), or
 * nil. Later extensions of the same type and protocol replace earlier ones, method by method
 * as Clojure's (a map merged into the protocol's impls).
 */
export function extend(type, protocol, methods) {
  checkMethods(protocol, methods);
  const key = type === null ? NIL : type;
  protocol.impls.set(key, { ...(protocol.impls.get(key) ?? {}), ...methods });
  reinstall(protocol);
}

/** deftype/defrecord/reify: `type` implements `protocol` itself with `methods`. */
export function implementInline(type, protocol, methods) {
  checkMethods(protocol, methods);
  protocol.inline.set(type, { ...(protocol.inline.get(type) ?? {}), ...methods });
  installOn(protocol, type);
}

function checkMethods(protocol, methods) {
  for (const name of Object.keys(methods)) {
    if (!protocol.syms.has(name)) {
      throw illegalArgument(`${name} is not a method of protocol ${protocol.name}`);
    }
  }
}

/**
 * The runtime's own implementations of a core protocol for one of its types: installed as
 * the type's own (like inline), so that users extending the protocol to an interface or to
 * Object do not change how the runtime's types behave.
 */
export function implement(type, protocol, methods) { implementInline(type, protocol, methods); }

/** `(satisfies? protocol x)`. */
export function satisfies(protocol, x) {
  if (x === null || x === undefined) return protocol.resolvesFor(NIL);
  if (typeof x === 'number' && numbersDiffer.has(protocol)) return protocol.resolvesFor(typeOf(x));
  const m = x[protocol.marker];
  return m === undefined ? protocol.resolvesFor(typeOf(x)) : m;
}

/** `(extends? protocol type)`. */
export function extendsType(protocol, type) {
  return protocol.resolvesFor(type === null ? NIL : type);
}

/** `(extenders protocol)`: the types extended with `extend` (not those implementing it inline). */
export function extenders(protocol) {
  return [...protocol.impls.keys()].map((t) => (t === NIL ? null : t));
}

/**
 * `(defprotocol name ...)` evaluated again: the same protocol object (so `extend`s made to it
 * stay, as Clojure's), with new method symbols, so implementations types made inline for the
 * previous definition are not found any more (as on the JVM, where the interface is new).
 */
export function redefine(protocol, methods, doc) {
  protocol.setMethods(methods);
  protocol.doc = doc;
  protocol.inline.clear();
  reinstall(protocol);
  return protocol;
}

export { Type, TYPE };
