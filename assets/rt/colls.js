// The generic collection functions (count, get, nth, conj, assoc, ...): nil first, then the
// value's own implementation through the core protocols, then Clojure's error for a value
// that has none. What strings and JS arrays implement as collections is here too.

import { nu, illegalArgument, unsupportedOperation, indexOutOfBounds, CljError } from './errors.js';
import { STRING, ARRAY, simpleName, typeOf, className, castError } from './types.js';
import { implement } from './protocol.js';
import {
  ICounted, IIndexed, ILookup, COUNT, NTH, LOOKUP, CONJ, ASSOC, CONTAINS_KEY, DISSOC, FIND, PEEK,
  POP, DISJOIN, EMPTY, DEREF, META, WITH_META, RSEQ, KEY, VAL, AS_TRANSIENT, CONJ_BANG,
  PERSISTENT_BANG, ASSOC_BANG, DISSOC_BANG, POP_BANG, DISJOIN_BANG, REALIZED, GET_NAME,
  CHUNKED_SEQ, CHUNKED_FIRST, CHUNKED_REST,
  GET_NAMESPACE, SEQUENTIAL, FIRST,
} from './core-protocols.js';
import { isInteger, toIndex } from './numbers.js';
import { char } from './scalars.js';
import { seq, next, EMPTY_LIST, PList, IndexedSeq } from './seqs.js';
import { EMPTY_MAP } from './hashmap.js';
import { Handed } from './reduced.js';

implement(STRING, ICounted, { '-count': (s) => s.length });
implement(STRING, IIndexed, {
  '-nth': function (s, i, nf) {
    if (i >= 0 && i < s.length) return char(s[i]);
    if (arguments.length === 3) return nf;
    throw new CljError('StringIndexOutOfBoundsException', `String index out of range: ${i}`);
  },
});
implement(STRING, ILookup, {
  '-lookup': (s, k, nf = null) => {
    if (!isInteger(k)) return nf;
    const i = toIndex(k);
    return i >= 0 && i < s.length ? char(s[i]) : nf;
  },
});
implement(ARRAY, ICounted, { '-count': (a) => a.length });
implement(ARRAY, IIndexed, {
  '-nth': function (a, i, nf) {
    if (i >= 0 && i < a.length) return nu(a[i]);
    if (arguments.length === 3) return nf;
    throw new CljError('ArrayIndexOutOfBoundsException', `Index ${i} out of bounds for length ${a.length}`);
  },
});
implement(ARRAY, ILookup, {
  '-lookup': (a, k, nf = null) => {
    if (!isInteger(k)) return nf;
    const i = toIndex(k);
    return i >= 0 && i < a.length ? nu(a[i]) : nf;
  },
});

/** Clojure's count, as a JS number: constant time for counted values, else a walk. */
export function count(x) {
  if (x === null || x === undefined) return 0;
  const f = x[COUNT];
  if (f !== undefined) return f(x);
  return countHanded(new Handed(x));
}

/** count of the value in `handed`: a seq is walked without keeping its head. */
export function countHanded(handed) {
  let x = handed.take();
  if (x === null || x === undefined) return 0;
  if (x[COUNT] !== undefined) return x[COUNT](x);
  if (x instanceof globalThis.Map || x instanceof globalThis.Set) return x.size;
  let n = 0;
  try {
    x = seq(x);
  } catch {
    throw unsupportedOperation(`count not supported on this type: ${simpleName(typeOf(x))}`);
  }
  while (x !== null) {
    if (x[COUNT] !== undefined) return n + x[COUNT](x);
    if (x[CHUNKED_SEQ] === true) { // a chunk at a time: no seq step made per element
      n += x[CHUNKED_FIRST](x).count();
      x = seq(x[CHUNKED_REST](x));
    } else {
      n++;
      x = next(x);
    }
  }
  return n;
}

/** Clojure's get (nil for anything that is not a lookup). */
export function get(m, k, notFound = null) {
  if (m === null || m === undefined) return notFound;
  const f = m[LOOKUP];
  return f === undefined ? notFound : f(m, nu(k), notFound);
}

/** Clojure's nth (notFound undefined: throw when out of range). */
export function nth(coll, index, notFound) {
  const i = toIndex(index);
  if (coll === null || coll === undefined) return notFound === undefined ? null : notFound;
  const f = coll[NTH];
  if (f !== undefined) return notFound === undefined ? f(coll, i) : f(coll, i, notFound);
  if (coll[SEQUENTIAL] === true) {
    if (i >= 0) {
      let s = seq(coll);
      for (let j = 0; s !== null && j < i; j++) s = next(s);
      if (s !== null) return s[FIRST](s);
    }
    if (notFound !== undefined) return notFound;
    throw indexOutOfBounds();
  }
  throw unsupportedOperation(`nth not supported on this type: ${simpleName(typeOf(coll))}`);
}

/** Clojure's conj of one value. */
export function conj(coll, x) {
  x = nu(x);
  if (coll === null || coll === undefined) return new PList(x, EMPTY_LIST, 1);
  const f = coll[CONJ];
  if (f === undefined) throw castError(coll, 'clojure.lang.IPersistentCollection');
  return f(coll, x);
}

/** Clojure's assoc of one key. */
export function assoc(m, k, v) {
  k = nu(k); v = nu(v);
  if (m === null || m === undefined) return EMPTY_MAP.assoc(k, v);
  const f = m[ASSOC];
  if (f === undefined) throw castError(m, 'clojure.lang.Associative');
  return f(m, k, v);
}

export function dissoc(m, k) {
  if (m === null || m === undefined) return null;
  const f = m[DISSOC];
  if (f === undefined) throw castError(m, 'clojure.lang.IPersistentMap');
  return f(m, nu(k));
}

const MISSING = Symbol('missing');

/** contains?: a key of a map or set, an index of a vector, string or array. */
export function contains(coll, k) {
  if (coll === null || coll === undefined) return false;
  const f = coll[CONTAINS_KEY];
  if (f !== undefined) return f(coll, nu(k));
  if (coll[DISJOIN] !== undefined || typeof coll === 'string' || Array.isArray(coll)) {
    return coll[LOOKUP](coll, nu(k), MISSING) !== MISSING;
  }
  throw illegalArgument(`contains? not supported on type: ${className(coll)}`);
}

export function find(m, k) {
  if (m === null || m === undefined) return null;
  const f = m[FIND];
  if (f === undefined) throw illegalArgument(`find not supported on type: ${className(m)}`);
  return f(m, nu(k));
}

export function peek(c) {
  if (c === null || c === undefined) return null;
  const f = c[PEEK];
  if (f === undefined) throw castError(c, 'clojure.lang.IPersistentStack');
  return f(c);
}

export function pop(c) {
  if (c === null || c === undefined) return null;
  const f = c[POP];
  if (f === undefined) throw castError(c, 'clojure.lang.IPersistentStack');
  return f(c);
}

export function disj(s, k) {
  if (s === null || s === undefined) return null;
  const f = s[DISJOIN];
  if (f === undefined) throw castError(s, 'clojure.lang.IPersistentSet');
  return f(s, nu(k));
}

export function empty(c) {
  if (c === null || c === undefined) return null;
  const f = c[EMPTY];
  return f === undefined ? null : f(c);
}

export function deref(x) {
  const f = x === null || x === undefined ? undefined : x[DEREF];
  if (f === undefined) throw castError(x, 'java.util.concurrent.Future');
  return f(x);
}

export function meta(x) {
  if (x === null || x === undefined) return null;
  const f = x[META];
  return f === undefined ? null : f(x);
}

export function withMeta(x, m) {
  const f = x === null || x === undefined ? undefined : x[WITH_META];
  if (f === undefined) throw castError(x, 'clojure.lang.IObj');
  return f(x, nu(m));
}

export function rseq(x) {
  const f = x === null || x === undefined ? undefined : x[RSEQ];
  if (f === undefined) throw castError(x, 'clojure.lang.Reversible');
  return f(x);
}

/** key/val of a map entry. */
export function entryKey(e) {
  const f = e === null || e === undefined ? undefined : e[KEY];
  if (f === undefined) throw castError(e, 'java.util.Map$Entry');
  return f(e);
}
export function entryVal(e) {
  const f = e === null || e === undefined ? undefined : e[VAL];
  if (f === undefined) throw castError(e, 'java.util.Map$Entry');
  return f(e);
}

/** The keys (vals) of a map, or of any seq of entries. */
export function keys(m, which) {
  if (m === null || m === undefined) return null;
  if (typeof m.keySeq === 'function') return which === 0 ? m.keySeq() : m.valSeq();
  const out = [];
  for (let s = seq(m); s !== null; s = next(s)) out.push(which === 0 ? entryKey(s[FIRST](s)) : entryVal(s[FIRST](s)));
  return out.length === 0 ? null : new IndexedSeq(out);
}

export function name(x) {
  if (typeof x === 'string') return x;
  const f = x === null || x === undefined ? undefined : x[GET_NAME];
  if (f === undefined) throw castError(x, 'clojure.lang.Named');
  return f(x);
}
export function namespace(x) {
  const f = x === null || x === undefined ? undefined : x[GET_NAMESPACE];
  if (f === undefined) throw castError(x, 'clojure.lang.Named');
  return f(x);
}

export function isRealized(x) {
  const f = x === null || x === undefined ? undefined : x[REALIZED];
  if (f === undefined) throw castError(x, 'clojure.lang.IPending');
  return f(x);
}

// ---------------------------------------------------------------------------------------
// Transients
// ---------------------------------------------------------------------------------------

export function transient(c) {
  const f = c === null || c === undefined ? undefined : c[AS_TRANSIENT];
  if (f === undefined) throw castError(c, 'clojure.lang.IEditableCollection');
  return f(c);
}
/** Transient `t`'s method `sym`, or Clojure's ClassCastException to `iface`. */
function transientMethod(t, sym, iface) {
  const f = t === null || t === undefined ? undefined : t[sym];
  if (f === undefined) throw castError(t, iface);
  return f;
}
// (one function each, of exactly its arguments: conj! in a reduce runs a million times)
const ITRANSIENT = 'clojure.lang.ITransientCollection';
export function conjBang(t, x) {
  // (written out: the commonest transient op, in a reduce's inner loop)
  const f = t === null || t === undefined ? undefined : t[CONJ_BANG];
  if (f === undefined) throw castError(t, ITRANSIENT);
  return f(t, x);
}
export const persistentBang = (t) => transientMethod(t, PERSISTENT_BANG, ITRANSIENT)(t);
export const assocBang = (t, k, v) => transientMethod(t, ASSOC_BANG, 'clojure.lang.ITransientAssociative')(t, k, v);
export const dissocBang = (t, k) => transientMethod(t, DISSOC_BANG, 'clojure.lang.ITransientMap')(t, k);
export const popBang = (t) => transientMethod(t, POP_BANG, 'clojure.lang.ITransientVector')(t);
export const disjBang = (t, k) => transientMethod(t, DISJOIN_BANG, 'clojure.lang.ITransientSet')(t, k);
