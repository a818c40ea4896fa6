// Hash sets: clojure.lang.PersistentHashSet (a hash map, never an array map, so even small
// sets iterate in Clojure's order, from each element to itself) and its transient.

import { nu, arityError } from './errors.js';
import { defType } from './types.js';
import { implement } from './protocol.js';
import {
  ICounted, ILookup, ISet, ICollection, ISeqable, IEquiv, IHash, IEmptyableCollection, IMeta,
  IWithMeta, IReduce, IFn, IEditableCollection, IPrintWithWriter, ITransientCollection,
  ITransientSet, COUNT, SEQ, FIRST, NEXT, IS_SET,
} from './core-protocols.js';
import { mixCollHash } from './hash.js';
import { hasheq } from './equality.js';
import { printSeq, prStr } from './print.js';
import { reduceArity } from './seqs.js';
import { EMPTY_HASH_MAP } from './hashmap.js';

/** A persistent hash set. */
export class PSet {
  constructor(m, meta = null) {
    this.m = m;
    this._meta = meta;
    this._hash = null;
  }
  count() { return this.m.cnt; }
  contains(k) { return this.m.containsKey(k); }
  /** The element equal to k (the stored one), else notFound. */
  get(k, notFound = null) { return this.m.get(k, notFound); }
  conj(x) { return this.m.containsKey(x) ? this : new PSet(this.m.assoc(x, x), this._meta); }
  disj(x) {
    if (!this.m.containsKey(x)) return this;
    return new PSet(this.m.dissoc(x), this._meta);
  }
  seq() { return this.m.keySeq(); }
  /** Call fn(x) for each element, in seq order. */
  forEach(fn) { this.m.forEach((k) => fn(k)); }
  asTransient() { return new SetBuilder(this); }
  toString() { return prStr(this); }
  *[Symbol.iterator]() { yield* this.m.keysArray(); }
}
export const EMPTY_SET = new PSet(EMPTY_HASH_MAP);

/** Set equality: same size, and every element of one in the other. */
export function equivSet(a, b) {
  if (b === null || b[IS_SET] !== true || b[COUNT](b) !== a.count()) return false;
  for (let s = a[SEQ](a); s !== null; s = s[NEXT](s)) {
    if (!b.contains(s[FIRST](s))) return false;
  }
  return true;
}

/** Murmur3.hashUnordered over a set's elements. */
export function hashSet(s) {
  if (s._hash !== null) return s._hash;
  let h = 0;
  s.forEach((k) => { h = (h + hasheq(k)) | 0; });
  return (s._hash = mixCollHash(h, s.count()));
}

/** Calls a set as a fn: (s x) gives x if it is in s, else nil (or not-found). */
function invokeSet(s, k, nf) {
  if (arguments.length === 2) return s.get(k, null);
  if (arguments.length === 3) return s.get(k, nf);
  throw arityError(arguments.length - 1, 'clojure.lang.PersistentHashSet');
}

/** The protocols a set type (count, contains, get, conj, disj, seq, forEach) implements. */
export function setType(type, { empty }) {
  type.proto[IS_SET] = true;
  implement(type, ICounted, { '-count': (s) => s.count() });
  implement(type, ILookup, { '-lookup': (s, k, nf = null) => s.get(k, nf) });
  implement(type, ISet, { '-disjoin': (s, k) => s.disj(k) });
  implement(type, ICollection, { '-conj': (s, x) => s.conj(x) });
  implement(type, ISeqable, { '-seq': (s) => s.seq() });
  implement(type, IEquiv, { '-equiv': equivSet });
  implement(type, IHash, { '-hash': hashSet });
  implement(type, IEmptyableCollection, { '-empty': empty });
  implement(type, IMeta, { '-meta': (s) => s._meta });
  implement(type, IFn, { '-invoke': invokeSet });
  implement(type, IPrintWithWriter, { '-pr-writer': (s, w) => printSeq('#{', '}', s.seq(), w) });
  return type;
}

export const SET_TYPE = setType(defType('clojure.lang.PersistentHashSet',
  ['clojure.lang.APersistentSet', 'clojure.lang.IObj', 'clojure.lang.IEditableCollection'], { ctor: PSet }),
{ empty: (s) => (s._meta === null ? EMPTY_SET : new PSet(EMPTY_HASH_MAP, s._meta)) });
implement(SET_TYPE, IWithMeta, { '-with-meta': (s, m) => new PSet(s.m, m) });
implement(SET_TYPE, IEditableCollection, { '-as-transient': (s) => s.asTransient() });
implement(SET_TYPE, IReduce, {
  '-reduce': reduceArity((s, f, acc) => s.m.reduceKV((a, k) => f(a, k), acc)),
});

/** A transient set; `persistent()` ends it. */
export class SetBuilder {
  constructor(s = EMPTY_SET) { this.t = s.m.asTransient(); }
  count() { return this.t.count(); }
  contains(x) { return this.t.containsKey(x); }
  get(x, nf = null) { return this.t.containsKey(x) ? this.t.get(x) : nf; }
  conj(x) { x = nu(x); if (!this.t.containsKey(x)) this.t.assoc(x, x); return this; }
  disj(x) { this.t.dissoc(x); return this; }
  persistent() { const m = this.t.persistent(); return m.cnt === 0 ? EMPTY_SET : new PSet(m); }
}
const TRANSIENT_SET_TYPE = defType('clojure.lang.PersistentHashSet$TransientHashSet', ['clojure.lang.ATransientSet'], { ctor: SetBuilder });
implement(TRANSIENT_SET_TYPE, ITransientCollection, { '-conj!': (t, x) => t.conj(x), '-persistent!': (t) => t.persistent() });
implement(TRANSIENT_SET_TYPE, ITransientSet, { '-disjoin!': (t, x) => t.disj(x) });
implement(TRANSIENT_SET_TYPE, ICounted, { '-count': (t) => t.count() });
implement(TRANSIENT_SET_TYPE, ILookup, { '-lookup': (t, k, nf = null) => t.get(k, nf) });
implement(TRANSIENT_SET_TYPE, IFn, { '-invoke': (t, k, nf = null) => t.get(k, nf) });

/** A set of the given elements. */
export function setOf(...xs) {
  const t = new SetBuilder();
  for (const x of xs) t.conj(x);
  return t.persistent();
}

