// Hash maps: Clojure's PersistentArrayMap and PersistentHashMap in one class, their
// transients, seqs, and what they implement.
//
// A PMap with `arr` set is an array map ([k0, v0, k1, v1, ...] in insertion order, at most 8
// entries, as PersistentArrayMap). Otherwise (`arr` null) it is a hash array mapped trie like
// PersistentHashMap: `root` (null when empty) holds the non-nil keys (hashmap-nodes.js), a nil
// key lives in `hasNull`/`nullValue`.

import { nu, CljError, illegalArgument, arityError } from './errors.js';
import { defType, defInterface, typeByField, castError } from './types.js';
import { implement } from './protocol.js';
import {
  ICounted, ILookup, IAssociative, IFind, IMap, ICollection, ISeqable, IEquiv, IHash,
  IEmptyableCollection, IMeta, IWithMeta, IReduce, IKVReduce, IFn, IEditableCollection,
  IPrintWithWriter, ITransientCollection, ITransientAssociative, ITransientMap, SEQ, FIRST, NEXT,
  KEY, VAL, COUNT, NTH, LOOKUP, SEQUENTIAL, IS_MAP,
} from './core-protocols.js';
import { mixCollHash } from './hash.js';
import { equiv, hasheq } from './equality.js';
import { printMapEntries, settings, prStr } from './print.js';
import { Keyword, Sym, keyword, symbol } from './scalars.js';
import { ASeq, Cons, seq, seqType, reduceArity } from './seqs.js';
import { MapEntry, genericArray } from './vector.js';
import { Reduced } from './reduced.js';
import { EMPTY_BITMAP_NODE, entryOf } from './hashmap-nodes.js';

const ARRAY_MAP_MAX = 8;
export const NOT_FOUND = Symbol('not found');

function arrayMapIndex(a, k) {
  if (k instanceof Keyword) {
    for (let i = 0; i < a.length; i += 2) if (a[i] === k) return i;
    return -1;
  }
  for (let i = 0; i < a.length; i += 2) if (a[i] === k || equiv(a[i], k)) return i;
  return -1;
}

/**
 * A copy of array map entries `a` with the entry k v after them: one genericArray of the size
 * it needs (slice() and push() make two, the second with room to grow, of `a`'s kind).
 */
function withPair(a, k, v) {
  const n = a.length;
  const c = genericArray(n + 2);
  for (let i = 0; i < n; i++) c[i] = a[i];
  c[n] = k;
  c[n + 1] = v;
  return c;
}

/** A persistent map: an array map up to 8 entries, else a hash map (see above). */
export class PMap {
  constructor(arr, cnt, root = null, hasNull = false, nullValue = null, meta = null) {
    this.arr = arr;
    this.cnt = cnt;
    this.root = root;
    this.hasNull = hasNull;
    this.nullValue = nullValue;
    this._meta = meta;
    this._hash = null;
  }
  count() { return this.cnt; }
  get(k, notFound = null) {
    if (k === undefined) k = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      return i < 0 ? notFound : this.arr[i + 1];
    }
    return getInTrie(this, k, notFound);
  }
  containsKey(k) { return this.get(k, NOT_FOUND) !== NOT_FOUND; }
  /** The MapEntry of key k (with the stored key), or null. */
  entryAt(k) {
    if (k === undefined) k = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      return i < 0 ? null : new MapEntry(this.arr[i], this.arr[i + 1]);
    }
    if (k === null) return this.hasNull ? new MapEntry(null, this.nullValue) : null;
    return this.root === null ? null : this.root.findEntry(0, hasheq(k), k);
  }
  assoc(k, v) {
    if (k === undefined) k = null;
    if (v === undefined) v = null;
    return this.arr !== null ? assocInArray(this, k, v) : assocInTrie(this, k, v);
  }
  dissoc(k) {
    if (k === undefined) k = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      if (i < 0) return this;
      if (this.cnt === 1) return withMeta(EMPTY_MAP, this._meta);
      const a = this.arr.slice();
      a.splice(i, 2);
      return new PMap(a, this.cnt - 1, null, false, null, this._meta);
    }
    if (k === null) return this.hasNull ? new PMap(null, this.cnt - 1, this.root, false, null, this._meta) : this;
    if (this.root === null) return this;
    const root = this.root.without(0, hasheq(k), k);
    if (root === this.root) return this;
    return new PMap(null, this.cnt - 1, root, this.hasNull, this.nullValue, this._meta);
  }
  /** Call fn(k, v) for each entry, in seq order. */
  forEach(fn) {
    if (this.arr !== null) {
      const a = this.arr;
      for (let i = 0; i < a.length; i += 2) fn(a[i], a[i + 1]);
      return;
    }
    if (this.hasNull) fn(null, this.nullValue);
    if (this.root !== null) this.root.forEach(fn);
  }
  /** Reduce with fn(acc, k, v) in seq order; a `Reduced` stops it (the result is unwrapped). */
  reduceKV(fn, acc) {
    if (this.arr !== null) {
      const a = this.arr;
      for (let i = 0; i < a.length; i += 2) {
        acc = fn(acc, a[i], a[i + 1]);
        if (acc instanceof Reduced) return acc.v;
      }
      return acc;
    }
    if (this.hasNull) {
      acc = fn(acc, null, this.nullValue);
      if (acc instanceof Reduced) return acc.v;
    }
    if (this.root !== null) acc = this.root.reduce(fn, acc);
    return acc instanceof Reduced ? acc.v : acc;
  }
  keysArray() { const out = []; this.forEach((k) => out.push(k)); return out; }
  _seq(mode) {
    if (this.cnt === 0) return null;
    if (this.arr !== null) return new ArrayMapSeq(this.arr, 0, mode);
    const s = this.root === null ? null : this.root.seq(mode);
    return this.hasNull ? new Cons(entryOf(null, this.nullValue, mode), s) : s;
  }
  seq() { return this._seq(0); }
  /** The seq of the keys (null when empty): APersistentMap$KeySeq. */
  keySeq() { const s = this._seq(1); return s === null ? null : new KeySeq(s); }
  /** The seq of the values (null when empty): APersistentMap$ValSeq. */
  valSeq() { const s = this._seq(2); return s === null ? null : new ValSeq(s); }
  empty() { return withMeta(this.arr !== null ? EMPTY_MAP : EMPTY_HASH_MAP, this._meta); }
  asTransient() { return new MapBuilder(this); }
  toString() { return prStr(this); }
}

/** The empty array map ({} and the start of maps built by assoc). */
export const EMPTY_MAP = new PMap([], 0);
/** The empty hash map (sets, and maps that were hash maps, stay hash maps when emptied). */
export const EMPTY_HASH_MAP = new PMap(null, 0, null, false, null);

const withMeta = (m, meta) => (meta === null ? m : copyWithMeta(m, meta));
const copyWithMeta = (m, meta) => new PMap(m.arr, m.cnt, m.root, m.hasNull, m.nullValue, meta);

// PMap.get's and PMap.assoc's halves for array maps and for tries are functions of their own,
// so V8 optimizes each with an inlining budget of its own: a program whose first hot assocs
// were of hash maps otherwise left the array map half calling its helpers out of line (an
// array map's assoc 20 -> 35 ns from then on).

/** assoc on an array map: a copy with the value replaced or the pair added, or a hash map past 8. */
function assocInArray(m, k, v) {
  const arr = m.arr;
  const i = arrayMapIndex(arr, k);
  if (i >= 0) {
    if (arr[i + 1] === v) return m;
    const a = arr.slice();
    a[i + 1] = v;
    return new PMap(a, m.cnt, null, false, null, m._meta);
  }
  if (m.cnt < ARRAY_MAP_MAX) return new PMap(withPair(arr, k, v), m.cnt + 1, null, false, null, m._meta);
  const t = new MapBuilder(EMPTY_HASH_MAP);
  for (let j = 0; j < arr.length; j += 2) t.assoc(arr[j], arr[j + 1]);
  return withMeta(t.assoc(k, v).persistent(), m._meta);
}

/** get on a hash map (a trie below `root`, the nil key beside it). */
function getInTrie(m, k, notFound) {
  if (k === null) return m.hasNull ? m.nullValue : notFound;
  return m.root === null ? notFound : m.root.find(0, hasheq(k), k, notFound);
}

/** assoc on a hash map (a trie below `root`, the nil key beside it). */
function assocInTrie(m, k, v) {
  if (k === null) {
    if (m.hasNull && v === m.nullValue) return m;
    return new PMap(null, m.hasNull ? m.cnt : m.cnt + 1, m.root, true, v, m._meta);
  }
  const box = { val: false };
  const root = (m.root ?? EMPTY_BITMAP_NODE).assoc(0, hasheq(k), k, v, box);
  if (root === m.root) return m;
  return new PMap(null, box.val ? m.cnt + 1 : m.cnt, root, m.hasNull, m.nullValue, m._meta);
}

/** The seq of an array map from pair i (clojure.lang.PersistentArrayMap$Seq). */
export class ArrayMapSeq extends ASeq {
  constructor(arr, i, mode) {
    super();
    this.arr = arr;
    this.i = i;
    this.mode = mode;
  }
  first() { return entryOf(this.arr[this.i], this.arr[this.i + 1], this.mode); }
  next() { return this.i + 2 < this.arr.length ? new ArrayMapSeq(this.arr, this.i + 2, this.mode) : null; }
  count() { return (this.arr.length - this.i) / 2; }
}
seqType(defType('clojure.lang.PersistentArrayMap$Seq', ['clojure.lang.ASeq', 'clojure.lang.Counted'], { ctor: ArrayMapSeq }), { counted: true });

/** The keys (or, ValSeq, the values) of a map: wraps a map seq made in key (value) mode. */
export class KeySeq extends ASeq {
  constructor(s) { super(); this.s = s; }
  first() { return this.s.first(); }
  next() { const n = this.s.next(); return n === null ? null : new this.constructor(n); }
}
export class ValSeq extends KeySeq {}
seqType(defType('clojure.lang.APersistentMap$KeySeq', ['clojure.lang.ASeq'], { ctor: KeySeq }));
seqType(defType('clojure.lang.APersistentMap$ValSeq', ['clojure.lang.ASeq'], { ctor: ValSeq }));

// ---------------------------------------------------------------------------------------
// Transient maps
// ---------------------------------------------------------------------------------------

/** A transient map (TransientArrayMap / TransientHashMap); `persistent()` ends it. */
export class MapBuilder {
  constructor(m = EMPTY_MAP) {
    this.edit = {}; // the token of the nodes this transient owns; null once persistent
    this.arr = m.arr === null ? null : m.arr.slice();
    this.cnt = m.cnt;
    this.root = m.root;
    this.hasNull = m.hasNull;
    this.nullValue = m.nullValue;
  }
  _check() { if (this.edit === null) throw new CljError('IllegalAccessError', 'Transient used after persistent! call'); }
  count() { this._check(); return this.cnt; }
  get(k, notFound = null) {
    this._check();
    k = nu(k);
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      return i < 0 ? notFound : this.arr[i + 1];
    }
    if (k === null) return this.hasNull ? this.nullValue : notFound;
    return this.root === null ? notFound : this.root.find(0, hasheq(k), k, notFound);
  }
  containsKey(k) { return this.get(k, NOT_FOUND) !== NOT_FOUND; }
  assoc(k, v) {
    this._check();
    k = nu(k); v = nu(v);
    if (this.arr !== null) {
      const a = this.arr;
      const i = arrayMapIndex(a, k);
      if (i >= 0) { a[i + 1] = v; return this; }
      if (a.length < 2 * ARRAY_MAP_MAX) { a.push(k, v); this.cnt++; return this; }
      // a ninth key: become a hash map
      this.arr = null;
      this.cnt = 0;
      for (let j = 0; j < a.length; j += 2) this._assocHash(a[j], a[j + 1]);
    }
    this._assocHash(k, v);
    return this;
  }
  _assocHash(k, v) {
    if (k === null) {
      this.nullValue = v;
      if (!this.hasNull) { this.hasNull = true; this.cnt++; }
      return;
    }
    const box = { val: false };
    this.root = (this.root ?? EMPTY_BITMAP_NODE).assocT(this.edit, 0, hasheq(k), k, v, box);
    if (box.val) this.cnt++;
  }
  dissoc(k) {
    this._check();
    k = nu(k);
    if (this.arr !== null) {
      const a = this.arr;
      const i = arrayMapIndex(a, k);
      if (i >= 0) { // the last entry takes its place, as in Clojure's TransientArrayMap
        const n = a.length;
        a[i] = a[n - 2];
        a[i + 1] = a[n - 1];
        a.length = n - 2;
        this.cnt--;
      }
      return this;
    }
    if (k === null) {
      if (this.hasNull) { this.hasNull = false; this.nullValue = null; this.cnt--; }
      return this;
    }
    if (this.root === null) return this;
    const box = { val: false };
    this.root = this.root.withoutT(this.edit, 0, hasheq(k), k, box);
    if (box.val) this.cnt--;
    return this;
  }
  /** conj! of an entry, a pair vector, a map, or nil. */
  conj(x) {
    if (x === null) return this;
    if (x instanceof PMap) { x.forEach((k, v) => this.assoc(k, v)); return this; }
    const [k, v] = entryParts(x);
    return this.assoc(k, v);
  }
  persistent() {
    this._check();
    this.edit = null;
    if (this.arr !== null) return this.cnt === 0 ? EMPTY_MAP : new PMap(this.arr, this.cnt);
    return this.cnt === 0 ? EMPTY_HASH_MAP : new PMap(null, this.cnt, this.root, this.hasNull, this.nullValue);
  }
}
const TRANSIENT_ARRAY_MAP = defType('clojure.lang.PersistentArrayMap$TransientArrayMap', ['clojure.lang.AFn', 'clojure.lang.ITransientMap'], { ctor: MapBuilder });
implement(TRANSIENT_ARRAY_MAP, ITransientCollection, { '-conj!': (t, x) => t.conj(x), '-persistent!': (t) => t.persistent() });
implement(TRANSIENT_ARRAY_MAP, ITransientAssociative, { '-assoc!': (t, k, v) => t.assoc(k, v) });
implement(TRANSIENT_ARRAY_MAP, ITransientMap, { '-dissoc!': (t, k) => t.dissoc(k) });
implement(TRANSIENT_ARRAY_MAP, ICounted, { '-count': (t) => t.count() });
implement(TRANSIENT_ARRAY_MAP, ILookup, { '-lookup': (t, k, nf = null) => t.get(k, nf) });
implement(TRANSIENT_ARRAY_MAP, IFn, { '-invoke': (t, k, nf = null) => t.get(k, nf) });

/** The key and value of a map entry or a two-element vector (what maps conj). */
export function entryParts(x) {
  if (x instanceof MapEntry) return [x.key(), x.val()];
  if (x !== null && x[SEQUENTIAL] === true && x[NTH] !== undefined && x[COUNT] !== undefined) {
    if (x[COUNT](x) !== 2) throw illegalArgument('Vector arg to map conj must be a pair');
    return [x[NTH](x, 0), x[NTH](x, 1)];
  }
  if (x !== null && x[KEY] !== undefined) return [x[KEY](x), x[VAL](x)];
  throw castError(x, 'java.util.Map$Entry');
}

// ---------------------------------------------------------------------------------------
// Building maps
// ---------------------------------------------------------------------------------------

/**
 * An array map of the JS array of alternating keys and values, of any size (`array-map`):
 * it keeps insertion order until a new key is added past 8 entries.
 */
export function arrayMapOf(kvs) {
  const a = [];
  for (let i = 0; i + 1 < kvs.length; i += 2) {
    const k = nu(kvs[i]), v = nu(kvs[i + 1]);
    const j = arrayMapIndex(a, k);
    if (j >= 0) a[j + 1] = v;
    else a.push(k, v);
  }
  return a.length === 0 ? EMPTY_MAP : new PMap(a, a.length / 2);
}

/** A map of alternating keys and values (later keys win): array map up to 8 entries. */
export function mapOf(...kvs) {
  const t = new MapBuilder();
  for (let i = 0; i + 1 < kvs.length; i += 2) t.assoc(kvs[i], kvs[i + 1]);
  return t.persistent();
}

/** hash-map: always a hash map (array maps come from literals and array-map), as Clojure's. */
export function hashMapOf(kvs) {
  if (kvs.length % 2 === 1) throw illegalArgument(`No value supplied for key: ${prStr(kvs[kvs.length - 1])}`);
  const t = new MapBuilder(EMPTY_HASH_MAP);
  for (let i = 0; i < kvs.length; i += 2) t.assoc(kvs[i], kvs[i + 1]);
  return t.persistent();
}

// ---------------------------------------------------------------------------------------
// What maps implement
// ---------------------------------------------------------------------------------------

/** Map equality: against any map that is not a record (MapEquivalence). */
export function equivMap(a, b) {
  if (b === null || b[IS_MAP] !== true || b[COUNT](b) !== a.count()) return false;
  return a.reduceKV((eq, k, v) => {
    const ov = b[LOOKUP](b, k, NOT_FOUND);
    return ov !== NOT_FOUND && equiv(v, ov) ? true : new Reduced(false);
  }, true);
}

/** Murmur3.hashUnordered over a map's entries. */
export function hashMap(m) {
  if (m._hash !== null && m._hash !== undefined) return m._hash;
  let h = 0;
  m.forEach((k, v) => {
    h = (h + mixCollHash((Math.imul(31, (31 + hasheq(k)) | 0) + hasheq(v)) | 0, 2)) | 0;
  });
  return (m._hash = mixCollHash(h, m.count()));
}

/** conj onto a persistent map: an entry, a pair vector, a map, a seq of entries, or nil. */
export function conjMap(m, x) {
  if (x === null) return m;
  if (x instanceof PMap) {
    if (x.cnt === 0) return m;
    let r = m;
    x.forEach((k, v) => { r = r.assoc(k, v); });
    return r;
  }
  if (x instanceof MapEntry || (x[SEQUENTIAL] === true && x[NTH] !== undefined)) {
    const [k, v] = entryParts(x);
    return m.assoc(k, v);
  }
  let r = m;
  for (let s = seq(x); s !== null; s = s[NEXT](s)) {
    const e = s[FIRST](s);
    if (!(e instanceof MapEntry) && (e === null || e[KEY] === undefined)) throw castError(e, 'java.util.Map$Entry');
    const [k, v] = entryParts(e);
    r = r.assoc(k, v);
  }
  return r;
}

const namespaceOf = (k) => (k instanceof Keyword || k instanceof Sym ? k.ns : null);
const stripNamespace = (k) => (k instanceof Keyword ? keyword(null, k.name) : symbol(null, k.name));

/**
 * The namespace all of a map's keys share, and the map with it taken off them, when
 * *print-namespace-maps* is on (Clojure's lift-ns); else null.
 */
export function liftNamespace(m, entries, empty) {
  if (!settings.namespaceMaps) return null;
  let ns = null;
  const stripped = [];
  for (let s = entries; s !== null; s = s[NEXT](s)) {
    const e = s[FIRST](s);
    const k = e.key(), kns = namespaceOf(k);
    if (kns === null || (ns !== null && kns !== ns)) return null;
    ns = kns;
    stripped.push(stripNamespace(k), e.val());
  }
  if (ns === null) return null;
  let lifted = EMPTY_MAP;
  for (let i = 0; i < stripped.length; i += 2) lifted = lifted.assoc(stripped[i], stripped[i + 1]);
  let out = empty;
  lifted.forEach((k, v) => { out = conjMap(out, new MapEntry(k, v)); });
  return [ns, out];
}

/** Prints a map: `{k v, ...}`, or `#:ns{k v}` when its keys share a namespace. */
export function printMap(m, entries, empty, w) {
  const lifted = liftNamespace(m, entries, empty);
  if (lifted !== null) {
    const [ns, inner] = lifted;
    printMapEntries(`#:${ns}{`, inner[SEQ](inner), (e) => e.key(), (e) => e.val(), w);
    return;
  }
  printMapEntries('{', entries, (e) => e.key(), (e) => e.val(), w);
}

/** Calls a map as a fn: (m k) and (m k not-found). */
function invokeMap(m, k, nf) {
  if (arguments.length === 2) return m.get(k, null);
  if (arguments.length === 3) return m.get(k, nf);
  throw arityError(arguments.length - 1, m.arr !== null ? 'clojure.lang.PersistentArrayMap' : 'clojure.lang.PersistentHashMap');
}

/** The protocols PMap implements (array and hash maps alike). */
function mapType(type) {
  type.proto[IS_MAP] = true;
  implement(type, ICounted, { '-count': (m) => m.cnt });
  implement(type, ILookup, { '-lookup': (m, k, nf = null) => m.get(k, nf) });
  implement(type, IAssociative, { '-contains-key?': (m, k) => m.containsKey(k), '-assoc': (m, k, v) => m.assoc(k, v) });
  implement(type, IFind, { '-find': (m, k) => m.entryAt(k) });
  implement(type, IMap, { '-dissoc': (m, k) => m.dissoc(k) });
  implement(type, ICollection, { '-conj': conjMap });
  implement(type, ISeqable, { '-seq': (m) => m.seq() });
  implement(type, IEquiv, { '-equiv': equivMap });
  implement(type, IHash, { '-hash': hashMap });
  implement(type, IEmptyableCollection, { '-empty': (m) => m.empty() });
  implement(type, IMeta, { '-meta': (m) => m._meta });
  implement(type, IWithMeta, { '-with-meta': copyWithMeta });
  implement(type, IReduce, {
    '-reduce': reduceArity((m, f, acc) => m.reduceKV((a, k, v) => f(a, new MapEntry(k, v)), acc)),
  });
  implement(type, IKVReduce, { '-kv-reduce': (m, f, init) => m.reduceKV(f, init) });
  implement(type, IFn, { '-invoke': invokeMap });
  implement(type, IEditableCollection, { '-as-transient': (m) => m.asTransient() });
  implement(type, IPrintWithWriter, { '-pr-writer': (m, w) => printMap(m, m.seq(), m.empty(), w) });
  return type;
}

// One JS class, two Clojure classes: the array map and the hash map. Methods are installed
// on the shared prototype through the array map's Type (both have the same supertypes);
// `class` tells them apart by `arr`.
export const ARRAY_MAP_TYPE = mapType(defType('clojure.lang.PersistentArrayMap',
  ['clojure.lang.APersistentMap', 'clojure.lang.IObj', 'clojure.lang.IEditableCollection', 'clojure.lang.IKVReduce'], { ctor: PMap }));
export const HASH_MAP_TYPE = defInterface('clojure.lang.PersistentHashMap',
  ['clojure.lang.APersistentMap', 'clojure.lang.IObj', 'clojure.lang.IEditableCollection', 'clojure.lang.IKVReduce']);
HASH_MAP_TYPE.kind = 'class';
typeByField(PMap, (m) => (m.arr !== null ? ARRAY_MAP_TYPE : HASH_MAP_TYPE));
const TRANSIENT_HASH_MAP = defInterface('clojure.lang.PersistentHashMap$TransientHashMap', ['clojure.lang.AFn', 'clojure.lang.ITransientMap']);
TRANSIENT_HASH_MAP.kind = 'class';
typeByField(MapBuilder, (t) => (t.arr !== null ? TRANSIENT_ARRAY_MAP : TRANSIENT_HASH_MAP));
