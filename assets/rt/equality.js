// Equality, hashing and comparison of any two values: Clojure's `=`, `hash` and `compare`.
// Numbers and strings take a fast path; everything else dispatches through IEquiv, IHash and
// IComparable, and values that implement none of them compare by identity.

import { nu } from './errors.js';
import { castError } from './types.js';
import {
  EQUIV, HASH, COMPARE, KV_REDUCE, SEQUENTIAL, IS_MAP, IS_SET, SEQ, FIRST, NEXT,
} from './core-protocols.js';
import { hashInt, javaStringHash, identityHash } from './hash.js';
import { hashLong, isNumber, numCmp, numberEquals, javaNumberHash } from './numbers.js';

/** Clojure `=`: value equality ((= [1 2] '(1 2)) true, (= 1 1.0) false). */
export function equiv(a, b) {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return nu(a) === nu(b);
  switch (typeof a) {
    case 'number': return typeof b === 'number' ? false : numberEquals(a, b);
    case 'string': case 'boolean': return false;
  }
  const f = a[EQUIV];
  return f === undefined ? false : f(a, b);
}

/** Clojure's `hash` (hasheq): equal values (by `=`) have equal hashes. */
export function hasheq(x) {
  if (x === null || x === undefined) return 0;
  switch (typeof x) {
    case 'number': if (Number.isInteger(x)) return hashLong(x); break;
    case 'string': return hashInt(javaStringHash(x));
    case 'boolean': return x ? 1231 : 1237;
  }
  const f = x[HASH];
  return f === undefined ? identityHash(x) : f(x);
}

export function javaCompareStrings(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Clojure's `compare`: nil first, numbers across categories, else IComparable. */
export function compare(a, b) {
  a = nu(a); b = nu(b);
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string') {
    if (typeof b !== 'string') throw castError(b, 'java.lang.String');
    return javaCompareStrings(a, b); // String.compareTo's difference, as Clojure returns it
  }
  if (isNumber(a)) {
    if (!isNumber(b)) throw castError(b, 'java.lang.Number');
    const c = numCmp(a, b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  const f = a[COMPARE];
  if (f === undefined) throw castError(a, 'java.lang.Comparable');
  return f(a, b);
}

/**
 * Java's hashCode (where Clojure prints Object.toString, e.g. (str (map inc [1])) or a
 * record's str): strings, numbers, keywords and symbols as Java hashes them, sequential
 * collections as java.util.List does, maps and sets as the sums Java defines.
 */
export function javaHash(x) {
  if (x === null || x === undefined) return 0;
  switch (typeof x) {
    case 'string': return javaStringHash(x);
    case 'boolean': return x ? 1231 : 1237;
    case 'function': return identityHash(x);
  }
  if (isNumber(x)) return javaNumberHash(x);
  if (typeof x.javaHash === 'function') return x.javaHash();
  if (x[IS_MAP] === true) return x[KV_REDUCE](x, (h, k, v) => (h + (javaHash(k) ^ javaHash(v))) | 0, 0);
  if (x[SEQUENTIAL] === true || x[IS_SET] === true) {
    const set = x[IS_SET] === true;
    let h = set ? 0 : 1;
    for (let s = x[SEQ](x); s !== null; s = s[NEXT](s)) {
      const e = javaHash(s[FIRST](s));
      h = set ? (h + e) | 0 : (Math.imul(31, h) + e) | 0;
    }
    return h;
  }
  return identityHash(x);
}

