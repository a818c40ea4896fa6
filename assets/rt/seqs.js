// Seqs: the seq abstraction and the seq types that are not a collection's own view: lists,
// Cons cells, seqs over arrays and strings, LazySeq, chunks and chunked seqs, and the
// generated seqs (range, iterate, repeat, cycle). Also `seq`, `first`, `next`, `rest` of any
// value, and sequential equality and hashing.
//
// Every seq type extends ASeq and has `first()` and `next()` (realizing, null at the end) and
// `more()` (the rest, possibly unrealized, the empty list at the end); `seqType` gives it the
// seq protocols through those.

import { nu, illegalArgument, illegalState } from './errors.js';
import { defType, STRING, ARRAY, className, twoArgs } from './types.js';
import { implement } from './protocol.js';
import {
  ISeq, INext, ISeqable, ISequential, IEquiv, IHash, ICollection, IEmptyableCollection,
  IPrintWithWriter, IMeta, IWithMeta, ICounted, IIndexed, IReduce, IStack, IList, IPending, IChunk,
  IChunkedSeq, IChunkedNext, IDrop, SEQ, FIRST, NEXT, REST, SEQUENTIAL, COUNT, CHUNKED_SEQ,
  CHUNKED_FIRST, CHUNKED_REST,
} from './core-protocols.js';
import { mixCollHash } from './hash.js';
import { equiv, hasheq, javaHash } from './equality.js';
import { printSeq, prStr } from './print.js';
import { add, lt, gt, signum, isLong, numEquiv } from './numbers.js';
import { char } from './scalars.js';
import { Reduced, Handed } from './reduced.js';
import { ownLoops } from './step-loops.js';

// ---------------------------------------------------------------------------------------
// Walking any seqable
// ---------------------------------------------------------------------------------------

/** Clojure's `seq`: null for empty, else a seq. */
export function seq(x) {
  if (x === null || x === undefined) return null;
  const f = x[SEQ];
  if (f !== undefined) return f(x);
  if (typeof x === 'object' && typeof x[Symbol.iterator] === 'function' && !(x instanceof Error)) {
    const a = Array.from(x, nu);
    return a.length === 0 ? null : new IndexedSeq(a, 0);
  }
  throw illegalArgument(`Don't know how to create ISeq from: ${className(x)}`);
}

export function first(x) {
  if (x === null || x === undefined) return null;
  const f = x[FIRST];
  if (f !== undefined) return f(x);
  const s = seq(x);
  return s === null ? null : s[FIRST](s);
}

export function next(x) {
  if (x === null || x === undefined) return null;
  const f = x[NEXT];
  if (f !== undefined) return f(x);
  const s = seq(x);
  if (s === null) return null;
  return s[NEXT] !== undefined ? s[NEXT](s) : seq(s[REST](s)); // an ISeq without INext
}

export function rest(x) {
  if (x === null || x === undefined) return EMPTY_LIST;
  const f = x[REST];
  if (f !== undefined) return f(x);
  const s = seq(x);
  return s === null ? EMPTY_LIST : s[REST](s);
}

/** The elements of any seqable as a fresh JS array. */
export function toArray(x) {
  if (x === null || x === undefined) return [];
  if (Array.isArray(x)) return x.map(nu);
  if (typeof x.toArray === 'function') return x.toArray();
  const out = [];
  for (let s = seq(x); s !== null; s = next(s)) out.push(s[FIRST](s));
  return out;
}

/** Whether x is sequential (lists, vectors, seqs): `=` compares those elementwise. */
export const isSequential = (x) => x !== null && x !== undefined && x[SEQUENTIAL] === true;

/** Whether x is a seq (implements ISeq). */
export const isSeq = (x) => x !== null && x !== undefined && x[FIRST] !== undefined;

/** Elementwise equality of a sequential value with anything (false unless sequential). */
export function equivSequential(a, b) {
  if (!isSequential(b)) return false;
  if (a[COUNT] !== undefined && b[COUNT] !== undefined && a[COUNT](a) !== b[COUNT](b)) return false;
  let sa = seq(a), sb = seq(b);
  while (sa !== null) {
    if (sb === null || !equiv(sa[FIRST](sa), sb[FIRST](sb))) return false;
    sa = next(sa);
    sb = next(sb);
  }
  return sb === null;
}

/** Murmur3.hashOrdered over the elements of a seqable. */
export function hashOrdered(coll) {
  let n = 0, h = 1;
  for (let s = seq(coll); s !== null; s = next(s)) { h = (Math.imul(31, h) + hasheq(s[FIRST](s))) | 0; n++; }
  return mixCollHash(h, n);
}

/** Murmur3.hashUnordered over the elements of a seqable. */
export function hashUnordered(coll) {
  let n = 0, h = 0;
  for (let s = seq(coll); s !== null; s = next(s)) { h = (h + hasheq(s[FIRST](s))) | 0; n++; }
  return mixCollHash(h, n);
}

/** Reduces a seq with f(acc, x) from `acc`, walking chunks whole; a Reduced stops it (unwrapped). */
export function reduceSeq(s, f, acc) {
  return reduceHanded(new Handed(s), f, acc);
}

/** reduceSeq of the seq of the value in `handed`, keeping only the step it is at (not the head). */
export function reduceHanded(handed, f, acc) {
  let s = seq(handed.take());
  while (s !== null) {
    if (s[CHUNKED_SEQ] === true) {
      acc = s[CHUNKED_FIRST](s).reduceFrom(f, acc);
      if (acc instanceof Reduced) return acc.v;
      s = seq(s[CHUNKED_REST](s));
    } else {
      acc = f(acc, s[FIRST](s));
      if (acc instanceof Reduced) return acc.v;
      s = next(s);
    }
  }
  return acc;
}

// ---------------------------------------------------------------------------------------
// The seq base and what every seq type implements
// ---------------------------------------------------------------------------------------

/** Base of the seq types: subclasses implement first() and next(). */
export class ASeq {
  more() { const n = this.next(); return n === null ? EMPTY_LIST : n; }
  *[Symbol.iterator]() {
    for (let s = this; s !== null; s = s.next()) yield s.first();
  }
  toString() { return prStr(this); }
}

/** A copy of `x` (a seq or collection object) with metadata `m`. */
export function withMetaCopy(x, m) {
  const copy = Object.create(Object.getPrototypeOf(x));
  Object.assign(copy, x);
  copy._meta = m;
  copy._hash = x._hash ?? null;
  return copy;
}

/** Gives a seq type the seq protocols (through its first/next/more methods). */
export function seqType(type, { counted = false, print = true } = {}) {
  implement(type, ISeq, { '-first': (s) => s.first(), '-rest': (s) => s.more() });
  implement(type, INext, { '-next': (s) => s.next() });
  implement(type, ISeqable, { '-seq': (s) => s.seq() });
  implement(type, ISequential, {});
  implement(type, IEquiv, { '-equiv': equivSequential });
  implement(type, IHash, { '-hash': (s) => s._hash ?? (s._hash = hashOrdered(s)) });
  implement(type, ICollection, { '-conj': (s, x) => new Cons(x, s) });
  implement(type, IEmptyableCollection, { '-empty': () => EMPTY_LIST });
  implement(type, IMeta, { '-meta': (s) => s._meta ?? null });
  implement(type, IWithMeta, { '-with-meta': withMetaCopy });
  if (print) implement(type, IPrintWithWriter, { '-pr-writer': (s, w) => printSeq('(', ')', s.seq(), w) });
  if (counted) implement(type, ICounted, { '-count': (s) => s.count() });
  return type;
}
ASeq.prototype.seq = function () { return this; };

const seqClass = (name, ctor, supers = [], options = {}) =>
  seqType(defType(name, ['clojure.lang.ASeq', ...supers], { ctor }), options);

// ---------------------------------------------------------------------------------------
// Lists and Cons
// ---------------------------------------------------------------------------------------

/** A persistent list (clojure.lang.PersistentList). */
export class PList extends ASeq {
  constructor(first, rest, count, meta = null) {
    super();
    this._first = first;
    this._rest = rest; // a PList or EMPTY_LIST
    this._count = count;
    this._meta = meta;
    this._hash = null;
  }
  first() { return this._first; }
  next() { return this._count === 1 ? null : this._rest; }
  more() { return this._rest; }
  count() { return this._count; }
}

/** The empty list (). */
export class EmptyList {
  constructor(meta = null) { this._meta = meta; }
  seq() { return null; }
  first() { return null; }
  next() { return null; }
  more() { return this; }
  count() { return 0; }
  *[Symbol.iterator]() {}
  toString() { return '()'; }
}

export const EMPTY_LIST = new EmptyList();
const EMPTY_ORDERED_HASH = mixCollHash(1, 0);

/** A list of the elements of a JS array. */
export function listOf(arr) {
  let l = EMPTY_LIST;
  for (let i = arr.length - 1; i >= 0; i--) l = new PList(nu(arr[i]), l, l.count() + 1);
  return l;
}

/** A seq cell: first element consed onto a seq (clojure.lang.Cons). */
export class Cons extends ASeq {
  constructor(first, more, meta = null) {
    super();
    this._first = first;
    this._more = more; // a seq, or null
    this._meta = meta;
  }
  first() { return this._first; }
  next() { return this._more === null ? null : seq(this._more); }
  more() { return this._more === null ? EMPTY_LIST : this._more; }
}

/** Clojure's cons: onto nil gives a one-element list. */
export function cons(x, coll) {
  if (coll === null || coll === undefined) return new PList(x, EMPTY_LIST, 1);
  if (isSeq(coll)) return new Cons(x, coll);
  return new Cons(x, seq(coll));
}

export const LIST_TYPE = seqClass('clojure.lang.PersistentList', PList, ['clojure.lang.IPersistentList', 'clojure.lang.IReduce', 'java.util.List', 'clojure.lang.Counted'], { counted: true });
implement(LIST_TYPE, IList, {});
implement(LIST_TYPE, ICollection, { '-conj': (l, x) => new PList(x, l, l._count + 1) });
implement(LIST_TYPE, IStack, { '-peek': (l) => l._first, '-pop': (l) => l._rest });
implement(LIST_TYPE, IWithMeta, { '-with-meta': (l, m) => new PList(l._first, l._rest, l._count, m) });

export const EMPTY_LIST_TYPE = defType('clojure.lang.PersistentList$EmptyList', ['clojure.lang.Obj', 'clojure.lang.IPersistentList', 'java.util.List', 'clojure.lang.ISeq', 'clojure.lang.Counted', 'clojure.lang.IHashEq'], { ctor: EmptyList });
implement(EMPTY_LIST_TYPE, ISeq, { '-first': () => null, '-rest': (l) => l });
implement(EMPTY_LIST_TYPE, INext, { '-next': () => null });
implement(EMPTY_LIST_TYPE, ISeqable, { '-seq': () => null });
implement(EMPTY_LIST_TYPE, ICounted, { '-count': () => 0 });
implement(EMPTY_LIST_TYPE, ISequential, {});
implement(EMPTY_LIST_TYPE, IList, {});
implement(EMPTY_LIST_TYPE, IEquiv, { '-equiv': (l, o) => isSequential(o) && seq(o) === null });
implement(EMPTY_LIST_TYPE, IHash, { '-hash': () => EMPTY_ORDERED_HASH });
implement(EMPTY_LIST_TYPE, ICollection, { '-conj': (l, x) => new PList(x, l, 1) });
implement(EMPTY_LIST_TYPE, IEmptyableCollection, { '-empty': (l) => l });
implement(EMPTY_LIST_TYPE, IStack, { '-peek': () => null, '-pop': () => { throw illegalState("Can't pop empty list"); } });
implement(EMPTY_LIST_TYPE, IMeta, { '-meta': (l) => l._meta });
implement(EMPTY_LIST_TYPE, IWithMeta, { '-with-meta': (l, m) => (m === null ? EMPTY_LIST : new EmptyList(m)) });
implement(EMPTY_LIST_TYPE, IPrintWithWriter, { '-pr-writer': (l, w) => printSeq('(', ')', null, w) });
implement(EMPTY_LIST_TYPE, IReduce, { '-reduce': function (l, f, init) { return arguments.length === 2 ? f() : init; } });

export const CONS_TYPE = seqClass('clojure.lang.Cons', Cons, ['java.io.Serializable']);

// ---------------------------------------------------------------------------------------
// Seqs over arrays and strings
// ---------------------------------------------------------------------------------------

/** A seq over a JS array from index i (rest arguments, array seqs): clojure.lang.ArraySeq. */
export class IndexedSeq extends ASeq {
  constructor(arr, i = 0, meta = null) {
    super();
    this.arr = arr;
    this.i = i;
    this._meta = meta;
  }
  first() { return nu(this.arr[this.i]); }
  next() { return this.i + 1 < this.arr.length ? new IndexedSeq(this.arr, this.i + 1) : null; }
  count() { return this.arr.length - this.i; }
  nth(n, nf) {
    const j = this.i + n;
    if (n >= 0 && j < this.arr.length) return nu(this.arr[j]);
    return nf;
  }
  reduceFrom(f, acc) {
    for (let j = this.i; j < this.arr.length; j++) {
      acc = f(acc, nu(this.arr[j]));
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  }
}
export const INDEXED_SEQ_TYPE = seqClass('clojure.lang.ArraySeq', IndexedSeq, ['clojure.lang.IndexedSeq', 'clojure.lang.IReduce'], { counted: true });
implement(INDEXED_SEQ_TYPE, IReduce, { '-reduce': reduceArity((s, f, acc) => { const r = s.reduceFrom(f, acc); return r instanceof Reduced ? r.v : r; }) });

/** The seq of a string's characters (clojure.lang.StringSeq). */
export class StringSeq extends ASeq {
  constructor(s, i = 0) {
    super();
    this.s = s;
    this.i = i;
  }
  first() { return char(this.s[this.i]); }
  next() { return this.i + 1 < this.s.length ? new StringSeq(this.s, this.i + 1) : null; }
  count() { return this.s.length - this.i; }
}
seqClass('clojure.lang.StringSeq', StringSeq, ['clojure.lang.IndexedSeq'], { counted: true });

implement(STRING, ISeqable, { '-seq': (s) => (s.length === 0 ? null : new StringSeq(s, 0)) });
implement(ARRAY, ISeqable, { '-seq': (a) => (a.length === 0 ? null : new IndexedSeq(a, 0)) });

/**
 * `-reduce` for types that reduce from an optional init: `impl(coll, step, acc, f)` reduces
 * with step(acc, x), which calls f, from `acc` (f itself for its own loops, step-loops.js);
 * with no init, the first element is the start (none: `(f)`).
 */
export function reduceArity(impl) {
  return function (coll, f, init) {
    const direct = twoArgs(f);
    const step = typeof direct === 'function' ? direct : (acc, x) => f(acc, x);
    if (arguments.length === 3) return impl(coll, step, init, f);
    const s = seq(coll);
    if (s === null) return f();
    return reduceSeq(next(s), step, s[FIRST](s));
  };
}

// ---------------------------------------------------------------------------------------
// LazySeq
// ---------------------------------------------------------------------------------------

/** A lazily realized seq (clojure.lang.LazySeq): `fn` returns something seqable. */
export class LazySeq {
  constructor(fn, meta = null) {
    this.fn = fn;
    this.sv = null;
    this.s = null;
    this._meta = meta;
    this._hash = null;
  }
  sval() {
    if (this.fn !== null) {
      const f = this.fn;
      this.fn = null;
      this.sv = nu(f());
    }
    if (this.sv !== null) return this.sv;
    return this.s;
  }
  seq() {
    this.sval();
    if (this.sv !== null) {
      let ls = this.sv;
      this.sv = null;
      while (ls instanceof LazySeq) ls = ls.sval();
      this.s = seq(ls);
    }
    return this.s;
  }
  first() { const s = this.seq(); return s === null ? null : s[FIRST](s); }
  next() { const s = this.seq(); return s === null ? null : next(s); }
  more() { const s = this.seq(); return s === null ? EMPTY_LIST : s[REST](s); }
  isRealized() { return this.fn === null; }
  *[Symbol.iterator]() { for (let s = this.seq(); s !== null; s = next(s)) yield s[FIRST](s); }
  toString() { return `clojure.lang.LazySeq@${(javaHash(this) >>> 0).toString(16)}`; }
}

/** A lazy seq whose elements `thunk()` (a JS function) returns when first needed. */
export const lazySeq = (thunk) => new LazySeq(thunk);

export const LAZY_SEQ_TYPE = seqType(defType('clojure.lang.LazySeq', ['clojure.lang.Obj', 'clojure.lang.ISeq', 'clojure.lang.Sequential', 'java.util.List', 'clojure.lang.IPending', 'clojure.lang.IHashEq'], { ctor: LazySeq }));
implement(LAZY_SEQ_TYPE, IPending, { '-realized?': (s) => s.isRealized() });
implement(LAZY_SEQ_TYPE, IWithMeta, { '-with-meta': (s, m) => new LazySeq(() => s.seq(), m) });

// ---------------------------------------------------------------------------------------
// Chunks and chunked seqs
// ---------------------------------------------------------------------------------------

/** A chunk: elements off..end of a JS array (clojure.lang.ArrayChunk). */
export class ArrayChunk {
  constructor(arr, off = 0, end = arr.length) {
    this.arr = arr;
    this.off = off;
    this.end = end;
  }
  count() { return this.end - this.off; }
  nth(i) { return this.arr[this.off + i]; }
  dropFirst() {
    if (this.off === this.end) throw illegalState('dropFirst of empty chunk');
    return new ArrayChunk(this.arr, this.off + 1, this.end);
  }
  /** f(acc, x) over the elements; returns the Reduced itself when f stops early. */
  reduceFrom(f, acc) {
    for (let i = this.off; i < this.end; i++) {
      acc = f(acc, this.arr[i]);
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  }
}
const CHUNK_TYPE = defType('clojure.lang.ArrayChunk', ['clojure.lang.IChunk', 'java.io.Serializable'], { ctor: ArrayChunk });
implement(CHUNK_TYPE, ICounted, { '-count': (c) => c.count() });
implement(CHUNK_TYPE, IIndexed, { '-nth': (c, i, nf) => (i >= 0 && i < c.count() ? c.nth(i) : nf) });
implement(CHUNK_TYPE, IChunk, { '-drop-first': (c) => c.dropFirst() });

/** The buffer chunked seq functions fill (clojure.lang.ChunkBuffer). */
export class ChunkBuffer {
  constructor(capacity) {
    this.buffer = new Array(capacity);
    this.n = 0;
  }
  add(x) { this.buffer[this.n++] = x; }
  chunk() {
    const c = new ArrayChunk(this.buffer, 0, this.n);
    this.buffer = null;
    return c;
  }
  count() { return this.n; }
}
defType('clojure.lang.ChunkBuffer', ['clojure.lang.Counted'], { ctor: ChunkBuffer });

/** A chunk consed onto the rest of a seq (clojure.lang.ChunkedCons). */
export class ChunkedCons extends ASeq {
  constructor(chunk, more, meta = null) {
    super();
    this.chunk = chunk;
    this._more = more;
    this._meta = meta;
  }
  first() { return this.chunk.nth(0); }
  next() {
    if (this.chunk.count() > 1) return new ChunkedCons(this.chunk.dropFirst(), this._more);
    return this._more === null ? null : seq(this._more);
  }
  more() {
    if (this.chunk.count() > 1) return new ChunkedCons(this.chunk.dropFirst(), this._more);
    return this._more === null ? EMPTY_LIST : this._more;
  }
  chunkedFirst() { return this.chunk; }
  chunkedMore() { return this._more === null ? EMPTY_LIST : this._more; }
}

/** Gives a chunked seq type IChunkedSeq and IChunkedNext (chunkedFirst / chunkedMore methods). */
export function chunkedSeqType(type) {
  implement(type, IChunkedSeq, { '-chunked-first': (s) => s.chunkedFirst(), '-chunked-rest': (s) => s.chunkedMore() });
  implement(type, IChunkedNext, { '-chunked-next': (s) => seq(s.chunkedMore()) });
  return type;
}
chunkedSeqType(seqClass('clojure.lang.ChunkedCons', ChunkedCons, ['clojure.lang.IChunkedSeq']));

/** `(chunk-cons chunk rest)`: the rest unchanged when the chunk is empty. */
export function chunkCons(chunk, more) {
  return chunk.count() === 0 ? more : new ChunkedCons(chunk, more);
}

// ---------------------------------------------------------------------------------------
// Generated seqs: range, iterate, repeat, cycle
// ---------------------------------------------------------------------------------------

const RANGE_CHUNK = 32;

/**
 * (range start end step) of longs (clojure.lang.LongRange): counted, chunked by 32, reducible
 * without allocating.
 */
export class Range extends ASeq {
  constructor(start, end, step, count, meta = null) {
    super();
    this.start = start;
    this.end = end;
    this.step = step;
    this.cnt = count; // elements left, at least 1
    this._meta = meta;
    this._chunk = null;
  }
  first() { return this.start; }
  next() {
    if (this.cnt <= 1) return null;
    return new Range(add(this.start, this.step), this.end, this.step, this.cnt - 1);
  }
  count() { return this.cnt; }
  nthValue(i) { return typeof this.start === 'number' && typeof this.step === 'number' ? this.start + i * this.step : add(this.start, mulIndex(this.step, i)); }
  chunkedFirst() {
    const n = Math.min(RANGE_CHUNK, this.cnt);
    const a = new Array(n);
    let v = this.start;
    for (let i = 0; i < n; i++) { a[i] = v; if (i + 1 < n) v = add(v, this.step); }
    return new ArrayChunk(a, 0, n);
  }
  chunkedMore() {
    if (this.cnt <= RANGE_CHUNK) return EMPTY_LIST;
    return new Range(this.nthValue(RANGE_CHUNK), this.end, this.step, this.cnt - RANGE_CHUNK);
  }
  drop(n) {
    if (n >= this.cnt) return null;
    return new Range(this.nthValue(n), this.end, this.step, this.cnt - n);
  }
  /** f(acc, x) over the elements (through `own`, fn f's own loops, if given); a Reduced stops it. */
  reduceFrom(f, acc, own = undefined) {
    let v = this.start;
    const fast = typeof v === 'number' && typeof this.step === 'number' &&
      Number.isSafeInteger(this.start + this.cnt * this.step);
    if (fast && own !== undefined) return own.range(acc, v, this.step, this.cnt);
    for (let i = 0; i < this.cnt; i++) {
      acc = f(acc, v);
      if (acc instanceof Reduced) return acc;
      v = fast ? v + this.step : add(v, this.step);
    }
    return acc;
  }
}
const mulIndex = (step, i) => (typeof step === 'number' ? step * i : BigInt(step) * BigInt(i));

export const RANGE_TYPE = chunkedSeqType(seqClass('clojure.lang.LongRange', Range, ['clojure.lang.Counted', 'clojure.lang.IChunkedSeq', 'clojure.lang.IReduce', 'clojure.lang.IDrop'], { counted: true }));
implement(RANGE_TYPE, IReduce, {
  '-reduce': reduceArity((r, step, acc, f) => {
    const v = r.reduceFrom(step, acc, ownLoops(f, r.cnt));
    return v instanceof Reduced ? v.v : v;
  }),
});
implement(RANGE_TYPE, IDrop, { '-drop': (r, n) => r.drop(n) });

/** How many elements (range start end step) has (all longs, step non-zero). */
function rangeCount(start, end, step) {
  if (typeof start === 'number' && typeof end === 'number' && typeof step === 'number') {
    return Math.max(0, Math.ceil((end - start) / step));
  }
  const s = BigInt(start), e = BigInt(end), st = BigInt(step);
  const n = st > 0n ? (e - s + st - 1n) / st : (s - e - st - 1n) / -st;
  return n > 0n ? Number(n) : 0;
}

/** A range of non-long numbers (clojure.lang.Range): not chunked here, not counted. */
export class NumRange extends ASeq {
  constructor(start, end, step) {
    super();
    this.start = start;
    this.end = end;
    this.step = step;
  }
  first() { return this.start; }
  next() {
    const v = add(this.start, this.step);
    const s = signum(this.step);
    return (s > 0 ? lt(v, this.end) : gt(v, this.end)) ? new NumRange(v, this.end, this.step) : null;
  }
}
seqClass('clojure.lang.Range', NumRange, ['clojure.lang.IChunkedSeq', 'clojure.lang.IReduce']);

/** `(range start end step)` with Clojure's semantics (an empty list when it has nothing). */
export function rangeOf(start, end, step) {
  const s = signum(step);
  if (end === null) return iterateOf((x) => add(x, step), start);
  if (s === 0) return numEquiv(start, end) ? EMPTY_LIST : repeatOf(null, start);
  if (s > 0 ? !lt(start, end) : !gt(start, end)) return EMPTY_LIST;
  if (isLong(start) && isLong(end) && isLong(step)) return new Range(start, end, step, rangeCount(start, end, step));
  return new NumRange(start, end, step);
}

/** `(iterate f x)` (clojure.lang.Iterate): each element realized once, on demand. */
export class Iterate extends ASeq {
  constructor(f, seed) {
    super();
    this.f = f;
    this.seed = seed;
    this._next = null;
  }
  first() { return this.seed; }
  next() {
    if (this._next === null) this._next = new Iterate(this.f, this.f(this.seed));
    return this._next;
  }
}
export const iterateOf = (f, x) => new Iterate(f, x);
const ITERATE_TYPE = seqClass('clojure.lang.Iterate', Iterate, ['clojure.lang.IReduce', 'clojure.lang.IPending']);
implement(ITERATE_TYPE, IPending, { '-realized?': () => true });

/** `(repeat x)` and `(repeat n x)` (clojure.lang.Repeat); count null: forever. */
export class Repeat extends ASeq {
  constructor(count, x) {
    super();
    this.cnt = count;
    this.x = x;
  }
  first() { return this.x; }
  next() {
    if (this.cnt === null) return this;
    return this.cnt > 1 ? new Repeat(this.cnt - 1, this.x) : null;
  }
}
export const repeatOf = (count, x) => (count !== null && count <= 0 ? EMPTY_LIST : new Repeat(count, x));
seqClass('clojure.lang.Repeat', Repeat, ['clojure.lang.IReduce']);

/** `(cycle coll)` (clojure.lang.Cycle): the elements of a non-empty seq, forever. */
export class Cycle extends ASeq {
  constructor(all, current) {
    super();
    this.all = all;
    this.current = current;
  }
  first() { return this.current[FIRST](this.current); }
  next() {
    const n = next(this.current);
    return new Cycle(this.all, n === null ? this.all : n);
  }
}
export const cycleOf = (coll) => {
  const s = seq(coll);
  return s === null ? EMPTY_LIST : new Cycle(s, s);
};
seqClass('clojure.lang.Cycle', Cycle, ['clojure.lang.IReduce', 'clojure.lang.IPending']);
