// JavaScript interop: js/ globals, (.method obj), (.-prop obj), (new Ctor), clj->js, js->clj.
//
// Values cross as they are, but for a few: a JS `undefined` is nil; a long past 2^53 (a bigint)
// or an integral double (a Dbl box) becomes a plain number for JS; a JS number coming back is
// a long when integral, else a double, as Clojure values already are; JS functions are wrapped
// so that Clojure calls convert their arguments and results.

import { nu, nullPointer, CljError, errorMessage } from './errors.js';
import { Type, FN, NAME, classNamed, typeOf, simpleName, defType } from './types.js';
import { Dbl, MAX_LONG, MIN_LONG, longOfBig } from './numbers.js';
import { prStr, toStr } from './print.js';
import { Keyword, Sym, keyword, Char, char } from './scalars.js';
import { compare, javaHash } from './equality.js';
import { seq, next, toArray } from './seqs.js';
import { vectorOf } from './vector.js';
import { PMap, mapOf } from './hashmap.js';
import { get } from './colls.js';
import { construct } from './deftype.js';

const HOST_FN = Symbol('jank.hostFn'); // the JS function a host-fn wrapper calls
const hostWrappers = new WeakMap(); // JS function -> its wrapper, so identity survives round trips

/** A value as JS code expects it: plain numbers, unwrapped host functions. */
export function toHost(x) {
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Dbl) return x.v;
  if (typeof x === 'function' && x[HOST_FN] !== undefined) return x[HOST_FN];
  return x;
}

/** A JS number as a Clojure value: a long when integral (within 64 bits), else a double. */
function numberFromHost(x) {
  if (!Number.isInteger(x) || Number.isSafeInteger(x)) return x + 0; // + 0: -0 reads as 0
  const b = BigInt(x);
  return b <= MAX_LONG && b >= MIN_LONG ? longOfBig(b) : new Dbl(x);
}

/** A value from JS code: undefined is nil; a JS function is wrapped (see toHost). */
export function fromHost(x) {
  if (x === undefined) return null;
  if (typeof x === 'number') return numberFromHost(x);
  if (typeof x === 'function' && x[FN] === undefined && x[NAME] === undefined && x[HOST_FN] === undefined && !(x instanceof Type)) {
    let wrapper = hostWrappers.get(x);
    if (wrapper === undefined) {
      const f = x;
      wrapper = function (...args) {
        return fromHost(new.target ? Reflect.construct(f, args.map(toHost)) : f.apply(this, args.map(toHost)));
      };
      wrapper[HOST_FN] = f;
      hostWrappers.set(x, wrapper);
    }
    return wrapper;
  }
  return x;
}

function hostArgs(args) {
  if (args === null) return [];
  const array = toArray(args);
  for (let i = 0; i < array.length; i++) array[i] = toHost(array[i]);
  return array;
}

/** `js/a.b.c` paths, split once. */
const globalPaths = new Map();

/** `js/a.b.c`: walks globalThis; a function found on an object is bound to it. */
export function jsGlobal(path) {
  let parent = undefined;
  let value = globalThis;
  let parts = globalPaths.get(path);
  if (parts === undefined) globalPaths.set(path, (parts = String(path).split('.')));
  for (const part of parts) {
    if (value === null || value === undefined) throw new CljError('Error', `js/${path} is not defined`);
    parent = value;
    value = value[part];
  }
  if (value === undefined && !(parts[parts.length - 1] in (parent ?? {}))) {
    throw new CljError('Error', `js/${path} is not defined`);
  }
  if (typeof value === 'function' && parent !== globalThis && !value.prototype) return fromHost(value.bind(parent));
  return fromHost(value);
}

/** The JS object interop acts on (a wrapped host function is unwrapped). */
function hostTarget(obj, what, name) {
  // (the message is built only when it is needed: interop calls are hot)
  if (obj === null || obj === undefined) throw nullPointer(`Cannot ${what} ${name} of nil`);
  return toHost(obj);
}

export function jsGet(obj, prop) { return fromHost(hostTarget(obj, 'read property', prop)[prop]); }

export function jsSet(obj, prop, value) {
  hostTarget(obj, 'set property', prop)[prop] = toHost(value);
  return value;
}

/**
 * `(.method obj args)`; with no args and no such method, a field's value (as Clojure's (.x r)),
 * or the JVM method Clojure code calls on such a value (JVM_METHODS).
 */
export function jsCall(obj, method, args) {
  const target = hostTarget(obj, 'call method', method);
  const f = target[method];
  if (typeof f !== 'function') {
    if (args === null && f !== undefined) return fromHost(f);
    const jvm = Object.hasOwn(JVM_METHODS, method) ? JVM_METHODS[method](obj, args === null ? [] : toArray(args)) : NO_METHOD;
    if (jvm !== NO_METHOD) return jvm;
    throw new CljError('Error', `${method} is not a function on ${prStr(obj)}`);
  }
  return fromHost(f.apply(target, hostArgs(args)));
}

const NO_METHOD = Symbol('no such method');
const EXCEPTION_INFO_CLASS = () => classNamed('clojure.lang.ExceptionInfo');
/** A JVM method of the values `is` accepts, taking `arity` arguments (NO_METHOD otherwise). */
const method = (is, arity, body) => (x, args) => (is(x) && args.length === arity ? body(x, ...args) : NO_METHOD);
const isThrowable = (x) => x instanceof Error;
const isClass = (x) => x instanceof Type;
const isString = (x) => typeof x === 'string';
const any = () => true;
const stringArg = (x, what) => {
  if (typeof x !== 'string') throw new CljError('ClassCastException', `class ${typeOf(x).name} cannot be cast to class java.lang.String (${what})`);
  return x;
};

/**
 * Methods of java.lang.Object, String, Throwable (and ExceptionInfo) and Class that Clojure
 * code calls on the values this runtime makes of them, where the JS value has no method of
 * that name: `(.getMessage e)` in a catch, `(.getName (class x))`, `(.contains s "x")`. A
 * string's JS methods (replace, split, charAt, ...) stay as they are, as in ClojureScript.
 */
const JVM_METHODS = {
  getClass: method(any, 0, (x) => typeOf(x)),
  hashCode: method(any, 0, (x) => javaHash(x)),
  getMessage: method(isThrowable, 0, errorMessage),
  getLocalizedMessage: method(isThrowable, 0, errorMessage),
  getCause: method(isThrowable, 0, (e) => nu(e.cause)),
  getData: (x, args) => (isThrowable(x) && args.length === 0 && typeOf(x) === EXCEPTION_INFO_CLASS() ? x.data : NO_METHOD),
  getName: method(isClass, 0, (t) => t.name),
  getSimpleName: method(isClass, 0, (t) => simpleName(t)),
  contains: method(isString, 1, (s, t) => s.includes(toStr(t))),
  equals: method(isString, 1, (s, t) => s === t),
  equalsIgnoreCase: method(isString, 1, (s, t) => typeof t === 'string' && s.toLowerCase() === t.toLowerCase()),
  isEmpty: method(isString, 0, (s) => s.length === 0),
  isBlank: method(isString, 0, (s) => s.trim().length === 0),
  compareTo: method(isString, 1, (s, t) => compare(s, stringArg(t, 'compareTo'))),
  compareToIgnoreCase: method(isString, 1, (s, t) => compare(s.toLowerCase(), stringArg(t, 'compareToIgnoreCase').toLowerCase())),
  toCharArray: method(isString, 0, (s) => Array.from(s, char)),
};

/**
 * java.lang.StringBuilder, `(StringBuilder.)`, `(StringBuilder. "start")` or with a capacity:
 * its text grows by append and insert (each returns the builder, for `doto` and `->`).
 */
export class StringBuilder {
  constructor(start = '') {
    // (a number is a capacity; a char too, as Java widens it to int)
    this.s = typeof start === 'number' || start instanceof Char ? '' : start instanceof StringBuilder ? start.s : stringArg(start, 'StringBuilder');
  }
  append(x) { this.s += appended(x); return this; }
  insert(i, x) { const at = checkedIndex(this, i, this.s.length); this.s = this.s.slice(0, at) + appended(x) + this.s.slice(at); return this; }
  toString() { return this.s; }
  length() { return this.s.length; }
  isEmpty() { return this.s.length === 0; }
  charAt(i) { return char(this.s[checkedIndex(this, i, this.s.length - 1)]); }
  indexOf(t) { return this.s.indexOf(stringArg(t, 'indexOf')); }
  lastIndexOf(t) { return this.s.lastIndexOf(stringArg(t, 'lastIndexOf')); }
  substring(from, to = this.s.length) { return this.s.substring(checkedIndex(this, from, this.s.length), checkedIndex(this, to, this.s.length)); }
  reverse() { this.s = Array.from(this.s).reverse().join(''); return this; }
  setLength(n) { this.s = n <= this.s.length ? this.s.slice(0, n) : this.s.padEnd(n, '\u0000'); return null; }
  deleteCharAt(i) { const at = checkedIndex(this, i, this.s.length - 1); this.s = this.s.slice(0, at) + this.s.slice(at + 1); return this; }
  delete(from, to) { const a = checkedIndex(this, from, this.s.length); this.s = this.s.slice(0, a) + this.s.slice(Math.max(a, Math.min(Number(to), this.s.length))); return this; }
}
/** Java's String.valueOf, as append and insert take their argument: nil is "null". */
const appended = (x) => (x === null || x === undefined ? 'null' : toStr(x));
function checkedIndex(sb, i, max) {
  const n = Number(i);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new CljError('StringIndexOutOfBoundsException', `index ${n},length ${sb.s.length}`);
  }
  return n;
}
defType('java.lang.StringBuilder', ['java.lang.CharSequence'], { ctor: StringBuilder });

/** `(new Ctor args)`: a user type (deftype, defrecord) gets its arguments as they are. */
export function jsNew(ctor, args) {
  if (ctor instanceof Type) {
    if (ctor.ctor === null && ctor.isa(THROWABLE)) return newThrowable(ctor, args === null ? [] : toArray(args));
    if (ctor.ctor === null) throw noCtor(ctor);
    return construct(ctor, args === null ? [] : toArray(args));
  }
  const host = toHost(ctor);
  if (typeof host !== 'function') throw new CljError('Error', `${prStr(ctor)} is not a constructor`);
  return fromHost(Reflect.construct(host, hostArgs(args)));
}

const THROWABLE = classNamed('java.lang.Throwable');
const EXCEPTION_INFO = classNamed('clojure.lang.ExceptionInfo');
const noCtor = (type) => new CljError('IllegalArgumentException', `No matching ctor found for class ${type.name}`);
const isMessage = (x) => x === null || typeof x === 'string';
const isCause = (x) => x === null || x instanceof Error;

/**
 * `(IllegalArgumentException. "bad")` and the other exception classes' constructors, as
 * Java's: (), (message), (message, cause), (cause: its text becomes the message);
 * AssertionError takes any value; ExceptionInfo takes (message, map) and (message, map, cause).
 */
function newThrowable(type, args) {
  const [a, b, c] = args;
  if (type === EXCEPTION_INFO) {
    if ((args.length === 2 || args.length === 3) && isMessage(a) && b instanceof PMap && isCause(c ?? null)) {
      return new CljError(type.name, a, b, c ?? null);
    }
    throw noCtor(type);
  }
  switch (args.length) {
    case 0: return new CljError(type.name, null);
    case 1:
      if (a instanceof Error) return new CljError(type.name, toStr(a), null, a);
      if (isMessage(a)) return new CljError(type.name, a);
      if (type.name === 'java.lang.AssertionError') return new CljError(type.name, toStr(a));
      break;
    case 2:
      if (isMessage(a) && isCause(b)) return new CljError(type.name, a, null, b);
      break;
  }
  throw noCtor(type);
}

/** clj->js: maps to objects (keyword keys by name), collections to arrays, keywords to strings. */
export function cljToJs(x) {
  if (x === null) return null;
  if (typeof x === 'bigint' || x instanceof Dbl) return toHost(x);
  if (x instanceof Keyword) return x.ns === null ? x.name : `${x.ns}/${x.name}`;
  if (x instanceof Sym) return toStr(x);
  if (x instanceof PMap || (x !== null && typeof x === 'object' && x.constructor?.type?.record)) {
    const out = {};
    for (let s = seq(x); s !== null; s = next(s)) {
      const e = s.first();
      const k = e.key();
      out[k instanceof Keyword ? cljToJs(k) : toStr(k)] = cljToJs(e.val());
    }
    return out;
  }
  if (typeof x === 'object' && typeof x.seq === 'function' && !Array.isArray(x)) return toArray(x).map(cljToJs);
  return x;
}

/** js->clj: arrays to vectors, plain objects to maps (keyword keys with :keywordize-keys). */
export function jsToClj(x, keywordize) {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number') return numberFromHost(x);
  if (Array.isArray(x)) return vectorOf(x.map((v) => jsToClj(v, keywordize)));
  if (typeof x === 'object' && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null)) {
    const kvs = [];
    for (const [k, v] of Object.entries(x)) kvs.push(keywordize ? keyword(null, k) : k, jsToClj(v, keywordize));
    return mapOf(...kvs);
  }
  return x;
}

export const keywordizeOption = (opts) => nu(get(opts, keyword(null, 'keywordize-keys'))) !== null && get(opts, keyword(null, 'keywordize-keys')) !== false;
