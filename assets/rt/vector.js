// Vectors: Clojure's PersistentVector (a 32-way trie with a tail), its transient, its chunked
// seq, map entries, subvectors (sharing their vector) and reversed seqs.
//
// The elements before the tail live in a trie of 32-way nodes (`root`, `shift` = 5 * the depth
// of its leaves); the last 1..32 elements live in `tail` (an array of exactly that length in a
// persistent vector). nth and assocN walk the trie (log32 n), conj copies at most the tail and
// one path. Transients own the nodes that carry their `edit` token and change them in place.

import {
  nu, CljError, illegalArgument, illegalState, indexOutOfBounds, arityError,
} from './errors.js';
import { defType, castError } from './types.js';
import { implement } from './protocol.js';
import {
  ICounted, IIndexed, ILookup, IAssociative, IVector, ICollection, IStack, ISeqable, ISequential,
  IEquiv, IHash, IEmptyableCollection, IMeta, IWithMeta, IReduce, IKVReduce, IFn, IReversible,
  IEditableCollection, IPrintWithWriter, IComparable, IFind, IMapEntry, ITransientCollection,
  ITransientAssociative, ITransientVector, IDrop, SEQUENTIAL, COUNT, NTH,
} from './core-protocols.js';
import { mixCollHash } from './hash.js';
import { equiv, hasheq, compare } from './equality.js';
import { printSeq, prStr } from './print.js';
import { isInteger, toIndex } from './numbers.js';
import {
  ASeq, seqType, chunkedSeqType, equivSequential, ArrayChunk, reduceArity, EMPTY_LIST,
} from './seqs.js';
import { Reduced } from './reduced.js';
import { ownLoops } from './step-loops.js';

/** A trie node of a vector: `arr` holds 32 children (inner nodes) or 32 elements (leaves). */
class VNode {
  constructor(edit, arr) {
    this.edit = edit; // the transient token that may change it in place, or null
    this.arr = arr;
  }
}
/**
 * A new array of n slots (holes), of V8's generic elements kind: null stored first, before
 * anything its caller stores, so neither it nor its allocation site takes the kind of what it
 * holds (ARCHITECTURE.md, "Invariants").
 */
export function genericArray(n) {
  const a = new Array(n);
  if (n > 0) a[0] = null;
  return a;
}

const NULL_ARRAYS = [];
/**
 * A new array of n nulls, of V8's generic elements kind. Small ones are copies of a kept
 * one: slice() copies memory, some 3x faster than fill(null) (a trie node per 32 conj!s).
 */
export const nulls = (n) => (n <= 64 ? (NULL_ARRAYS[n] ??= new Array(n).fill(null)).slice() : new Array(n).fill(null));
const EMPTY_VNODE = new VNode(null, nulls(32));

/** `node` wrapped in single-child nodes up to `level`. */
function newPath(edit, level, node) {
  for (; level > 0; level -= 5) {
    const r = new VNode(edit, nulls(32));
    r.arr[0] = node;
    node = r;
  }
  return node;
}

/** Put the full tail `tailnode` of a vector of cnt elements into its trie (in place for edit). */
function pushTail(cnt, level, parent, tailnode, edit) {
  const ret = edit !== null && parent.edit === edit ? parent : new VNode(edit, parent.arr.slice());
  const subidx = ((cnt - 1) >>> level) & 31;
  let node;
  if (level === 5) node = tailnode;
  else {
    const child = parent.arr[subidx];
    node = child !== null ? pushTail(cnt, level - 5, child, tailnode, edit) : newPath(edit, level - 5, tailnode);
  }
  ret.arr[subidx] = node;
  return ret;
}

/** The trie without its last leaf (null when that leaves nothing). */
function popTail(cnt, level, node) {
  const subidx = ((cnt - 2) >>> level) & 31;
  if (level > 5) {
    const child = popTail(cnt, level - 5, node.arr[subidx]);
    if (child === null && subidx === 0) return null;
    const ret = new VNode(null, node.arr.slice());
    ret.arr[subidx] = child;
    return ret;
  }
  if (subidx === 0) return null;
  const ret = new VNode(null, node.arr.slice());
  ret.arr[subidx] = null;
  return ret;
}

function vectorAssoc(level, node, i, v) {
  const ret = new VNode(null, node.arr.slice());
  if (level === 0) ret.arr[i & 31] = v;
  else {
    const s = (i >>> level) & 31;
    ret.arr[s] = vectorAssoc(level - 5, node.arr[s], i, v);
  }
  return ret;
}

const EMPTY_ARRAY = [];
/**
 * A copy of `arr` with `x` after its elements, a genericArray. slice() and push(), or a
 * literal, keep or learn the kind of what the array holds: one vector with a double in it,
 * and every tail made after it was an array of unboxed doubles, each long stored in it
 * converted and each one read out boxed again (conj 40k into a vector: 20 -> 60 ms for the
 * rest of the program, after one `(conj v 0.25)`).
 */
function withPushed(arr, x) {
  const n = arr.length;
  const t = genericArray(n + 1);
  for (let i = 0; i < n; i++) t[i] = arr[i];
  t[n] = x;
  return t;
}

/**
 * conj onto a vector whose tail is full: the tail goes into the trie (a level higher when the
 * trie is full) and x starts a new tail. A function of its own, as rare paths are throughout the
 * collections: V8 then optimizes the common path of its caller with its own inlining budget.
 */
function conjPastFullTail(v, x) {
  const cnt = v.cnt;
  const tailnode = new VNode(null, v.tail);
  let root, shift = v.shift;
  if ((cnt >>> 5) > (1 << shift)) { // the trie is full: add a level
    root = new VNode(null, nulls(32));
    root.arr[0] = v.root;
    root.arr[1] = newPath(null, shift, tailnode);
    shift += 5;
  } else {
    root = pushTail(cnt, shift, v.root, tailnode, null);
  }
  return new PVector(cnt + 1, shift, root, withPushed(EMPTY_ARRAY, x), v._meta);
}

/** A persistent vector (clojure.lang.PersistentVector). */
export class PVector {
  constructor(cnt, shift, root, tail, meta = null) {
    this.cnt = cnt;
    this.shift = shift;
    this.root = root;
    this.tail = tail;
    this._meta = meta;
    this._hash = null;
  }
  count() { return this.cnt; }
  _tailoff() { return this.cnt < 32 ? 0 : ((this.cnt - 1) >>> 5) << 5; }
  /**
   * The array holding element i (0 <= i < cnt): a leaf (32 elements, i at i & 31) or the
   * tail. Loop over a vector fast with `for (i = 0; i < cnt; i += 32) arrayFor(i)`.
   */
  arrayFor(i) {
    if (i >= this._tailoff()) return this.tail;
    let node = this.root;
    for (let level = this.shift; level > 0; level -= 5) node = node.arr[(i >>> level) & 31];
    return node.arr;
  }
  nth(i, notFound) {
    if (i >= 0 && i < this.cnt) return this.arrayFor(i)[i & 31];
    if (notFound !== undefined) return notFound;
    throw indexOutOfBounds();
  }
  seq() { return this.cnt === 0 ? null : new VecSeq(this, this.arrayFor(0), 0, 0); }
  conj(x) {
    const cnt = this.cnt;
    if (cnt - this._tailoff() < 32) return new PVector(cnt + 1, this.shift, this.root, withPushed(this.tail, x), this._meta);
    return conjPastFullTail(this, x);
  }
  assocN(i, v) {
    const cnt = this.cnt;
    if (i >= 0 && i < cnt) {
      if (i >= this._tailoff()) {
        const t = this.tail.slice();
        t[i & 31] = v;
        return new PVector(cnt, this.shift, this.root, t, this._meta);
      }
      return new PVector(cnt, this.shift, vectorAssoc(this.shift, this.root, i, v), this.tail, this._meta);
    }
    if (i === cnt) return this.conj(v);
    throw indexOutOfBounds();
  }
  peek() { return this.cnt === 0 ? null : this.tail[this.tail.length - 1]; }
  pop() {
    const cnt = this.cnt;
    if (cnt === 0) throw illegalState("Can't pop empty vector");
    if (cnt === 1) return this._meta === null ? EMPTY_VECTOR : new PVector(0, 5, EMPTY_VNODE, [], this._meta);
    if (cnt - this._tailoff() > 1) return new PVector(cnt - 1, this.shift, this.root, this.tail.slice(0, -1), this._meta);
    const tail = this.arrayFor(cnt - 2);
    let root = popTail(cnt, this.shift, this.root);
    let shift = this.shift;
    if (root === null) root = EMPTY_VNODE;
    if (shift > 5 && root.arr[1] === null) {
      root = root.arr[0];
      shift -= 5;
    }
    return new PVector(cnt - 1, shift, root, tail, this._meta);
  }
  /** A fresh JS array of the elements. */
  toArray() {
    const n = this.cnt;
    const out = new Array(n);
    for (let i = 0; i < n; i += 32) {
      const a = this.arrayFor(i);
      const m = Math.min(32, n - i);
      for (let j = 0; j < m; j++) out[i + j] = a[j];
    }
    return out;
  }
  /**
   * f(acc, x) over the elements from index `from` (through `own`, fn f's own loops, if
   * given); returns the Reduced itself when f stops.
   */
  reduceFrom(f, acc, from = 0, own = undefined) {
    const n = this.cnt;
    for (let i = from; i < n; i = (i | 31) + 1) {
      const a = this.arrayFor(i);
      const m = Math.min(32, n - (i & ~31));
      if (own !== undefined) {
        acc = own.array(acc, a, i & 31, m);
        if (acc instanceof Reduced) return acc;
        continue;
      }
      for (let j = i & 31; j < m; j++) {
        acc = f(acc, a[j]);
        if (acc instanceof Reduced) return acc;
      }
    }
    return acc;
  }
  asTransient() { return new TransientVector(this); }
  toString() { return prStr(this); }
  *[Symbol.iterator]() { for (let i = 0; i < this.cnt; i++) yield this.nth(i); }
}
export const EMPTY_VECTOR = new PVector(0, 5, EMPTY_VNODE, []);

/** A vector of the elements of a JS array (it owns the array: the caller must not change it). */
export function vectorOf(arr) {
  const n = arr.length;
  for (let i = 0; i < n; i++) if (arr[i] === undefined) arr[i] = null;
  if (n === 0) return EMPTY_VECTOR;
  if (n <= 32) return new PVector(n, 5, EMPTY_VNODE, arr);
  const t = new TransientVector();
  for (let i = 0; i < n; i++) t.conj(arr[i]);
  return t.persistent();
}

/** The seq of a vector (clojure.lang.PersistentVector$ChunkedSeq): leaf `node`, starting at i. */
export class VecSeq extends ASeq {
  constructor(vec, node, i, offset, meta = null) {
    super();
    this.vec = vec;
    this.node = node;
    this.i = i;
    this.offset = offset;
    this._meta = meta;
  }
  first() { return this.node[this.offset]; }
  next() {
    const o = this.offset + 1;
    if (o < this.node.length) return new VecSeq(this.vec, this.node, this.i, o);
    const j = this.i + this.node.length;
    return j < this.vec.cnt ? new VecSeq(this.vec, this.vec.arrayFor(j), j, 0) : null;
  }
  count() { return this.vec.cnt - this.i - this.offset; }
  chunkedFirst() { return new ArrayChunk(this.node, this.offset, this.node.length); }
  chunkedMore() {
    const j = this.i + this.node.length;
    return j < this.vec.cnt ? new VecSeq(this.vec, this.vec.arrayFor(j), j, 0) : EMPTY_LIST;
  }
}
const VEC_SEQ_TYPE = chunkedSeqType(seqType(defType('clojure.lang.PersistentVector$ChunkedSeq',
  ['clojure.lang.ASeq', 'clojure.lang.IChunkedSeq', 'clojure.lang.Counted', 'clojure.lang.IReduce', 'clojure.lang.IDrop'], { ctor: VecSeq }), { counted: true }));
implement(VEC_SEQ_TYPE, IReduce, {
  '-reduce': reduceArity((s, step, acc, f) => {
    const from = s.i + s.offset;
    const r = s.vec.reduceFrom(step, acc, from, ownLoops(f, s.vec.cnt - from));
    return r instanceof Reduced ? r.v : r;
  }),
});
implement(VEC_SEQ_TYPE, IIndexed, { '-nth': (s, n, nf) => s.vec.nth(s.i + s.offset + toIndex(n), nf) });

/** A seq over anything with count() and nth(i), from index i; step -1 walks back (rseq). */
export class IndexSeq extends ASeq {
  constructor(coll, i, step, meta = null) {
    super();
    this.coll = coll;
    this.i = i;
    this.step = step;
    this._meta = meta;
  }
  first() { return this.coll.nth(this.i); }
  next() {
    const j = this.i + this.step;
    return j >= 0 && j < this.coll.count() ? new IndexSeq(this.coll, j, this.step) : null;
  }
  count() { return this.step > 0 ? this.coll.count() - this.i : this.i + 1; }
}
seqType(defType('clojure.lang.APersistentVector$RSeq', ['clojure.lang.ASeq', 'clojure.lang.IndexedSeq', 'clojure.lang.Counted'], { ctor: IndexSeq }), { counted: true });

// ---------------------------------------------------------------------------------------
// What vectors (and map entries and subvectors) implement
// ---------------------------------------------------------------------------------------

const indexKey = (k) => (isInteger(k) ? toIndex(k) : null);

/** Vectors compare by length, then elementwise. */
function compareVectors(a, b) {
  if (b === null || b[SEQUENTIAL] !== true || b[NTH] === undefined) throw castError(b, 'clojure.lang.IPersistentVector');
  const na = a.count(), nb = b[COUNT](b);
  if (na !== nb) return na < nb ? -1 : 1;
  for (let i = 0; i < na; i++) {
    const c = compare(a.nth(i), b[NTH](b, i));
    if (c !== 0) return c;
  }
  return 0;
}

/** Vector equality: elementwise against vectors and other sequentials. */
function equivVector(a, b) {
  if (b instanceof PVector) {
    if (a.cnt !== b.cnt) return false;
    if (a._hash !== null && b._hash !== null && a._hash !== b._hash) return false;
    for (let i = 0; i < a.cnt; i += 32) {
      const x = a.arrayFor(i), y = b.arrayFor(i);
      if (x === y) continue; // a leaf the two share
      const n = Math.min(32, a.cnt - i);
      for (let j = 0; j < n; j++) if (x[j] !== y[j] && !equiv(x[j], y[j])) return false;
    }
    return true;
  }
  return equivSequential(a, b);
}

function hashVector(v) {
  if (v._hash !== null) return v._hash;
  let h = 1;
  const n = v.count();
  for (let i = 0; i < n; i++) h = (Math.imul(31, h) + hasheq(v.nth(i))) | 0;
  return (v._hash = mixCollHash(h, n));
}

/** Calls a vector as a fn: (v i). */
function invokeVector(v, k) {
  if (arguments.length !== 2) throw arityError(arguments.length - 1, 'clojure.lang.PersistentVector');
  if (!isInteger(k)) throw illegalArgument('Key must be integer');
  return v.nth(toIndex(k));
}

/** The protocols every vector-like type (count, nth, assocN, conj, pop, seq) implements. */
function vectorType(type) {
  implement(type, ICounted, { '-count': (v) => v.count() });
  implement(type, IIndexed, { '-nth': (v, i, nf) => v.nth(toIndex(i), nf) });
  implement(type, ILookup, {
    '-lookup': (v, k, nf = null) => {
      const i = indexKey(k);
      return i !== null && i >= 0 && i < v.count() ? v.nth(i) : nf;
    },
  });
  implement(type, IAssociative, {
    '-contains-key?': (v, k) => { const i = indexKey(k); return i !== null && i >= 0 && i < v.count(); },
    '-assoc': (v, k, x) => {
      if (!isInteger(k)) throw illegalArgument('Key must be integer');
      return v.assocN(toIndex(k), x);
    },
  });
  implement(type, IFind, {
    '-find': (v, k) => { const i = indexKey(k); return i !== null && i >= 0 && i < v.count() ? new MapEntry(k, v.nth(i)) : null; },
  });
  implement(type, IVector, { '-assoc-n': (v, i, x) => v.assocN(toIndex(i), x) });
  implement(type, ICollection, { '-conj': (v, x) => v.conj(x) });
  implement(type, IStack, { '-peek': (v) => v.peek(), '-pop': (v) => v.pop() });
  implement(type, ISeqable, { '-seq': (v) => v.seq() });
  implement(type, ISequential, {});
  implement(type, IEquiv, { '-equiv': equivVector });
  implement(type, IHash, { '-hash': hashVector });
  implement(type, IEmptyableCollection, { '-empty': (v) => (v._meta === null ? EMPTY_VECTOR : new PVector(0, 5, EMPTY_VNODE, [], v._meta)) });
  implement(type, IMeta, { '-meta': (v) => v._meta });
  implement(type, IReduce, { '-reduce': reduceArity((v, step, acc, f) => { const r = reduceIndexed(v, step, acc, f); return r instanceof Reduced ? r.v : r; }) });
  implement(type, IKVReduce, {
    '-kv-reduce': (v, f, init) => {
      let acc = init;
      for (let i = 0; i < v.count(); i++) {
        acc = f(acc, i, v.nth(i));
        if (acc instanceof Reduced) return acc.v;
      }
      return acc;
    },
  });
  implement(type, IFn, { '-invoke': invokeVector });
  implement(type, IReversible, { '-rseq': (v) => (v.count() === 0 ? null : new IndexSeq(v, v.count() - 1, -1)) });
  implement(type, IPrintWithWriter, { '-pr-writer': (v, w) => printSeq('[', ']', v.seq(), w) });
  implement(type, IComparable, { '-compare': compareVectors });
  return type;
}

function reduceIndexed(v, step, acc, f) {
  if (v instanceof PVector) return v.reduceFrom(step, acc, 0, ownLoops(f, v.cnt));
  for (let i = 0; i < v.count(); i++) {
    acc = step(acc, v.nth(i));
    if (acc instanceof Reduced) return acc;
  }
  return acc;
}

export const VECTOR_TYPE = vectorType(defType('clojure.lang.PersistentVector',
  ['clojure.lang.APersistentVector', 'clojure.lang.IObj', 'clojure.lang.IEditableCollection', 'clojure.lang.IReduce', 'clojure.lang.IKVReduce', 'clojure.lang.IDrop'], { ctor: PVector }));
implement(VECTOR_TYPE, IWithMeta, { '-with-meta': (v, m) => new PVector(v.cnt, v.shift, v.root, v.tail, m) });
implement(VECTOR_TYPE, IEditableCollection, { '-as-transient': (v) => v.asTransient() });
implement(VECTOR_TYPE, IDrop, { '-drop': (v, n) => (n < v.cnt ? new VecSeq(v, v.arrayFor(n), n & ~31, n & 31) : null) });

// ---------------------------------------------------------------------------------------
// Map entries
// ---------------------------------------------------------------------------------------

/** A map entry (clojure.lang.MapEntry): a vector of two, key and val. */
export class MapEntry extends PVector {
  constructor(k, v) { super(2, 5, EMPTY_VNODE, [k, v]); }
  key() { return this.tail[0]; }
  val() { return this.tail[1]; }
}
export const MAP_ENTRY_TYPE = vectorType(defType('clojure.lang.MapEntry', ['clojure.lang.AMapEntry'], { ctor: MapEntry }));
implement(MAP_ENTRY_TYPE, IMapEntry, { '-key': (e) => e.tail[0], '-val': (e) => e.tail[1] });
implement(MAP_ENTRY_TYPE, IMeta, { '-meta': () => null });
implement(MAP_ENTRY_TYPE, IEmptyableCollection, { '-empty': () => null });

// ---------------------------------------------------------------------------------------
// Subvectors
// ---------------------------------------------------------------------------------------

/** (subvec v start end): a view of v, sharing its structure (APersistentVector$SubVector). */
export class Subvec {
  constructor(v, start, end, meta = null) {
    this.v = v;
    this.start = start;
    this.end = end;
    this._meta = meta;
    this._hash = null;
  }
  count() { return this.end - this.start; }
  nth(i, nf) {
    if (i >= 0 && i < this.end - this.start) return this.v.nth(this.start + i);
    if (nf !== undefined) return nf;
    throw indexOutOfBounds();
  }
  assocN(i, x) {
    const n = this.end - this.start;
    if (i === n) return this.conj(x);
    if (i < 0 || i > n) throw indexOutOfBounds();
    return new Subvec(this.v.assocN(this.start + i, x), this.start, this.end, this._meta);
  }
  conj(x) { return new Subvec(this.v.assocN(this.end, x), this.start, this.end + 1, this._meta); }
  peek() { return this.end === this.start ? null : this.v.nth(this.end - 1); }
  pop() {
    if (this.end === this.start) throw illegalState("Can't pop empty vector");
    if (this.end - 1 === this.start) return this._meta === null ? EMPTY_VECTOR : new PVector(0, 5, EMPTY_VNODE, [], this._meta);
    return new Subvec(this.v, this.start, this.end - 1, this._meta);
  }
  seq() { return this.end === this.start ? null : new IndexSeq(this, 0, 1); }
  toArray() { return Array.from({ length: this.count() }, (_, i) => this.nth(i)); }
  toString() { return prStr(this); }
}
export const SUBVEC_TYPE = vectorType(defType('clojure.lang.APersistentVector$SubVector',
  ['clojure.lang.APersistentVector', 'clojure.lang.IObj', 'clojure.lang.IKVReduce'], { ctor: Subvec }));
implement(SUBVEC_TYPE, IWithMeta, { '-with-meta': (s, m) => new Subvec(s.v, s.start, s.end, m) });

/** (subvec v start end), end null: to the end. */
export function subvec(v, start, end) {
  if (!(v instanceof PVector) && !(v instanceof Subvec)) throw castError(v, 'clojure.lang.IPersistentVector');
  const b = toIndex(start), n = v.count(), e = end === null ? n : toIndex(end);
  if (b < 0 || e > n || b > e) throw indexOutOfBounds();
  if (b === e) return EMPTY_VECTOR;
  if (v instanceof Subvec) return new Subvec(v.v, v.start + b, v.start + e);
  return new Subvec(v, b, e);
}

// ---------------------------------------------------------------------------------------
// Transient vectors
// ---------------------------------------------------------------------------------------

/** A transient vector (clojure.lang.PersistentVector$TransientVector); `persistent()` ends it. */
export class TransientVector {
  constructor(v = EMPTY_VECTOR) {
    this.edit = {}; // the token of the nodes this transient owns; null once persistent
    this.cnt = v.cnt;
    this.shift = v.shift;
    this.root = new VNode(this.edit, v.root.arr.slice());
    const t = nulls(32);
    for (let i = 0; i < v.tail.length; i++) t[i] = v.tail[i];
    this.tail = t; // always 32 long here
  }
  _check() { if (this.edit === null) throw new CljError('IllegalAccessError', 'Transient used after persistent! call'); }
  _tailoff() { return this.cnt < 32 ? 0 : ((this.cnt - 1) >>> 5) << 5; }
  count() { this._check(); return this.cnt; }
  nth(i, notFound) {
    this._check();
    if (i >= 0 && i < this.cnt) {
      if (i >= this._tailoff()) return this.tail[i & 31];
      let node = this.root;
      for (let level = this.shift; level > 0; level -= 5) node = node.arr[(i >>> level) & 31];
      return node.arr[i & 31];
    }
    if (notFound !== undefined) return notFound;
    throw indexOutOfBounds();
  }
  conj(x) {
    this._check();
    x = nu(x);
    const cnt = this.cnt;
    if (cnt - this._tailoff() < 32) {
      this.tail[cnt & 31] = x;
      this.cnt = cnt + 1;
      return this;
    }
    const edit = this.edit;
    const tailnode = new VNode(edit, this.tail);
    this.tail = nulls(32);
    this.tail[0] = x;
    if ((cnt >>> 5) > (1 << this.shift)) {
      const root = new VNode(edit, nulls(32));
      root.arr[0] = this.root;
      root.arr[1] = newPath(edit, this.shift, tailnode);
      this.root = root;
      this.shift += 5;
    } else {
      this.root = pushTail(cnt, this.shift, this.root, tailnode, edit);
    }
    this.cnt = cnt + 1;
    return this;
  }
  assocN(i, v) {
    this._check();
    v = nu(v);
    if (i >= 0 && i < this.cnt) {
      if (i >= this._tailoff()) this.tail[i & 31] = v;
      else this.root = this._assoc(this.shift, this.root, i, v);
      return this;
    }
    if (i === this.cnt) return this.conj(v);
    throw indexOutOfBounds();
  }
  _assoc(level, node, i, v) {
    const ret = node.edit === this.edit ? node : new VNode(this.edit, node.arr.slice());
    if (level === 0) ret.arr[i & 31] = v;
    else {
      const s = (i >>> level) & 31;
      ret.arr[s] = this._assoc(level - 5, ret.arr[s], i, v);
    }
    return ret;
  }
  pop() {
    this._check();
    if (this.cnt === 0) throw illegalState("Can't pop empty vector");
    // a persistent pop, then made transient again: simple and rare
    const p = this.persistentCopy().pop();
    const t = new TransientVector(p);
    this.cnt = t.cnt; this.shift = t.shift; this.root = t.root; this.tail = t.tail; this.edit = t.edit;
    return this;
  }
  persistentCopy() {
    if (this.cnt === 0) return EMPTY_VECTOR;
    return new PVector(this.cnt, this.shift, this.root, this.tail.slice(0, this.cnt - this._tailoff()));
  }
  persistent() {
    this._check();
    this.edit = null;
    return this.persistentCopy();
  }
}
const TRANSIENT_VECTOR_TYPE = defType('clojure.lang.PersistentVector$TransientVector',
  ['clojure.lang.AFn', 'clojure.lang.ITransientVector', 'clojure.lang.Counted'], { ctor: TransientVector });
implement(TRANSIENT_VECTOR_TYPE, ITransientCollection, { '-conj!': (t, x) => t.conj(x), '-persistent!': (t) => t.persistent() });
implement(TRANSIENT_VECTOR_TYPE, ITransientAssociative, {
  '-assoc!': (t, k, v) => {
    if (!isInteger(k)) throw illegalArgument('Key must be integer');
    return t.assocN(toIndex(k), v);
  },
});
implement(TRANSIENT_VECTOR_TYPE, ITransientVector, { '-assoc-n!': (t, i, v) => t.assocN(toIndex(i), v), '-pop!': (t) => t.pop() });
implement(TRANSIENT_VECTOR_TYPE, ICounted, { '-count': (t) => t.count() });
implement(TRANSIENT_VECTOR_TYPE, IIndexed, { '-nth': (t, i, nf) => t.nth(toIndex(i), nf) });
implement(TRANSIENT_VECTOR_TYPE, ILookup, {
  '-lookup': (t, k, nf = null) => { const i = indexKey(k); return i !== null && i >= 0 && i < t.count() ? t.nth(i) : nf; },
});
implement(TRANSIENT_VECTOR_TYPE, IFn, { '-invoke': (t, k) => { if (!isInteger(k)) throw illegalArgument('Key must be integer'); return t.nth(toIndex(k)); } });

