// Scalars: keywords, symbols and characters, and what strings, booleans and nil implement.

import { illegalArgument } from './errors.js';
import { defType, STRING, BOOLEAN, castError } from './types.js';
import { implement } from './protocol.js';
import {
  IFn, INamed, IHash, IEquiv, IComparable, IPrintWithWriter, IMeta, IWithMeta, LOOKUP,
} from './core-protocols.js';
import { hashInt, hashCombine, hashUnencodedChars, javaStringHash } from './hash.js';
import { settings, quoteString, readableChar } from './print.js';
import { javaCompareStrings } from './equality.js';
import { arityError } from './errors.js';

/** `(get m k nf)` through ILookup only, for keywords and symbols used as functions (`(k m nf)`). */
export const lookupIn = (m, k, nf) => {
  if (m === null || m === undefined) return nf;
  const f = m[LOOKUP];
  return f === undefined ? nf : f(m, k, nf);
};

/** The lookup of keyword k in a value (see Keyword.lookup): made code, or lookupIn where none can be made. */
function ownLookup(k) {
  try {
    return new Function('LOOKUP', 'k', `return function lookup_${k.fqn.replace(/[^\w$]/g, '_').slice(0, 40)}(m, nf) {
      if (m === null || m === undefined) return nf;
      const f = m[LOOKUP];
      return f === undefined ? nf : f(m, k, nf);
    };`)(LOOKUP, k);
  } catch {
    return (m, nf) => lookupIn(m, k, nf);
  }
}

/** Named things compare by namespace (nil first), then name. */
function compareNamed(a, b, type) {
  if (!(b instanceof type)) throw castError(b, type === Keyword ? 'clojure.lang.Keyword' : 'clojure.lang.Symbol');
  if (a.ns === b.ns && a.name === b.name) return 0;
  if (a.ns === null && b.ns !== null) return -1;
  if (a.ns !== null) {
    if (b.ns === null) return 1;
    const c = javaCompareStrings(a.ns, b.ns);
    if (c !== 0) return c;
  }
  return javaCompareStrings(a.name, b.name);
}

// ---------------------------------------------------------------------------------------
// Symbols
// ---------------------------------------------------------------------------------------

/** A symbol (compared by value; it may carry metadata). */
export class Sym {
  constructor(ns, name, meta = null) {
    this.ns = ns ?? null;
    this.name = name;
    this.fqn = this.ns === null ? name : this.ns + '/' + name;
    this.meta = meta;
  }
  hasheq() { return hashCombine(hashUnencodedChars(this.name), this.ns === null ? 0 : javaStringHash(this.ns)); }
  javaHash() { return hashCombine(javaStringHash(this.name), this.ns === null ? 0 : javaStringHash(this.ns)); }
  toString() { return this.fqn; }
}

/** The symbol ns/name (or name when ns is null/omitted). */
export function symbol(ns, name) {
  if (name === undefined) { name = ns; ns = null; }
  return new Sym(ns, name);
}

export const SYMBOL = defType('clojure.lang.Symbol', ['clojure.lang.AFn', 'clojure.lang.IObj', 'java.lang.Comparable', 'clojure.lang.Named', 'clojure.lang.IHashEq'], { ctor: Sym });
implement(SYMBOL, INamed, { '-name': (s) => s.name, '-namespace': (s) => s.ns });
implement(SYMBOL, IHash, { '-hash': (s) => s.hasheq() });
implement(SYMBOL, IEquiv, { '-equiv': (a, b) => b instanceof Sym && b.name === a.name && b.ns === a.ns });
implement(SYMBOL, IComparable, { '-compare': (a, b) => compareNamed(a, b, Sym) });
implement(SYMBOL, IPrintWithWriter, { '-pr-writer': (s, w) => w.write(s.fqn) });
implement(SYMBOL, IMeta, { '-meta': (s) => s.meta });
implement(SYMBOL, IWithMeta, { '-with-meta': (s, m) => new Sym(s.ns, s.name, m) });
implement(SYMBOL, IFn, {
  '-invoke': function (s, m, nf) {
    if (arguments.length === 2) return lookupIn(m, s, null);
    if (arguments.length === 3) return lookupIn(m, s, nf);
    throw arityError(arguments.length - 1, s.fqn);
  },
});

// ---------------------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------------------

const keywords = new Map();

/** An interned keyword (`ns` null when unqualified). Use `keyword(ns, name)`. */
export class Keyword {
  constructor(ns, name) {
    this.ns = ns;
    this.name = name;
    this.fqn = ns === null ? name : ns + '/' + name;
    this._hash = null;
    this._sym = null;
    this._lookup = null;
  }
  sym() { return this._sym ?? (this._sym = new Sym(this.ns, this.name)); }
  /**
   * `(this m nf)` as compiled code calls it: a lookup with code of its own per keyword, so its
   * type feedback is of the values this keyword is looked up in (a program's (:b rec) and
   * (:b m) calls of other keywords do not make it megamorphic).
   */
  lookup(m, nf) { return (this._lookup ?? (this._lookup = ownLookup(this)))(m, nf); }
  javaHash() { return (this.sym().javaHash() + 0x9e3779b9) | 0; }
  hasheq() {
    if (this._hash === null) this._hash = (this.sym().hasheq() + 0x9e3779b9) | 0;
    return this._hash;
  }
  toString() { return ':' + this.fqn; }
}

/** The interned keyword :ns/name (or :name when ns is null/omitted). */
export function keyword(ns, name) {
  if (name === undefined) { name = ns; ns = null; }
  ns = ns ?? null;
  const key = ns === null ? name : ns + '\u0000' + name;
  let k = keywords.get(key);
  if (k === undefined) { k = new Keyword(ns, name); keywords.set(key, k); }
  return k;
}

/** The interned keyword if it exists (find-keyword), else null. */
export function findKeyword(ns, name) {
  return keywords.get(ns === null ? name : ns + '\u0000' + name) ?? null;
}

export const KEYWORD = defType('clojure.lang.Keyword', ['clojure.lang.IFn', 'java.lang.Comparable', 'clojure.lang.Named', 'clojure.lang.IHashEq'], { ctor: Keyword });
implement(KEYWORD, INamed, { '-name': (k) => k.name, '-namespace': (k) => k.ns });
implement(KEYWORD, IHash, { '-hash': (k) => k.hasheq() });
implement(KEYWORD, IEquiv, { '-equiv': (a, b) => a === b });
implement(KEYWORD, IComparable, { '-compare': (a, b) => compareNamed(a, b, Keyword) });
implement(KEYWORD, IPrintWithWriter, { '-pr-writer': (k, w) => w.write(':' + k.fqn) });
implement(KEYWORD, IFn, {
  '-invoke': function (k, m, nf) {
    if (arguments.length === 2) return lookupIn(m, k, null);
    if (arguments.length === 3) return lookupIn(m, k, nf);
    throw arityError(arguments.length - 1, ':' + k.fqn);
  },
});

// ---------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------

const chars = new Map();

/** A character (interned); `c` is a one-character string. Use `char(c)`. */
export class Char {
  constructor(c) { this.c = c; }
  javaHash() { return this.c.charCodeAt(0); }
  toString() { return this.c; }
}

/** The character of a one-character string. */
export function char(c) {
  let ch = chars.get(c);
  if (ch === undefined) { ch = new Char(c); chars.set(c, ch); }
  return ch;
}

/** The character of a char code (0..0xffff). */
export function charOfCode(n) {
  if (n < 0 || n > 0xffff) throw illegalArgument(`Value out of range for char: ${n}`);
  return char(String.fromCharCode(n));
}

export const CHAR = defType('java.lang.Character', ['java.lang.Comparable', 'java.io.Serializable'], { ctor: Char, aliases: ['char'] });
implement(CHAR, IHash, { '-hash': (c) => c.c.charCodeAt(0) });
implement(CHAR, IEquiv, { '-equiv': (a, b) => a === b });
implement(CHAR, IComparable, {
  '-compare': (a, b) => {
    if (!(b instanceof Char)) throw castError(b, 'java.lang.Character');
    return a.c.charCodeAt(0) - b.c.charCodeAt(0);
  },
});
implement(CHAR, IPrintWithWriter, { '-pr-writer': (c, w) => w.write(settings.readably ? readableChar(c.c) : c.c) });

// ---------------------------------------------------------------------------------------
// Strings and booleans (host values)
// ---------------------------------------------------------------------------------------

implement(STRING, IHash, { '-hash': (s) => hashInt(javaStringHash(s)) });
implement(STRING, IEquiv, { '-equiv': (a, b) => a === b });
implement(STRING, IComparable, {
  '-compare': (a, b) => {
    if (typeof b !== 'string') throw castError(b, 'java.lang.String');
    return javaCompareStrings(a, b);
  },
});
implement(STRING, IPrintWithWriter, { '-pr-writer': (s, w) => w.write(settings.readably ? quoteString(s) : s) });

implement(BOOLEAN, IHash, { '-hash': (b) => (b ? 1231 : 1237) });
implement(BOOLEAN, IEquiv, { '-equiv': (a, b) => a === b });
implement(BOOLEAN, IComparable, {
  '-compare': (a, b) => {
    if (typeof b !== 'boolean') throw castError(b, 'java.lang.Boolean');
    return a === b ? 0 : a ? 1 : -1;
  },
});
implement(BOOLEAN, IPrintWithWriter, { '-pr-writer': (b, w) => w.write(b ? 'true' : 'false') });
