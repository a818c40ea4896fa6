// The nodes of persistent hash maps: ports of Clojure's PersistentHashMap nodes
// (BitmapIndexedNode, ArrayNode, HashCollisionNode), keyed by Clojure's hasheq, so a big map
// iterates (and prints) in the order Clojure's does. Transient operations (`...T(edit, ...)`)
// change in place the nodes that carry the transient's edit token. Every node has find,
// findEntry, assoc, without, their transient forms, seq(mode), forEach and reduce.

import { equiv, hasheq } from './equality.js';
import { MapEntry, nulls, genericArray } from './vector.js';
import { Reduced } from './reduced.js';
import { ASeq, seqType } from './seqs.js';
import { defType } from './types.js';

export function bitCount(x) {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
export const hmask = (hash, shift) => (hash >>> shift) & 31;
export const bitpos = (hash, shift) => 1 << ((hash >>> shift) & 31);

export function cloneAndSet(a, i, x) {
  const c = a.slice();
  c[i] = x;
  return c;
}
/** The array without pair i (keys and values at 2i, 2i + 1). */
export function removePair(a, i) {
  const c = genericArray(a.length - 2);
  for (let j = 0; j < 2 * i; j++) c[j] = a[j];
  for (let j = 2 * (i + 1); j < a.length; j++) c[j - 2] = a[j];
  return c;
}

/** What a map seq yields in `mode`: 0 an entry, 1 the key, 2 the value. */
export const entryOf = (k, v, mode) => (mode === 0 ? new MapEntry(k, v) : mode === 1 ? k : v);

/** The node holding two entries whose keys differ at `shift` or deeper. */
export function createNode(edit, shift, k1, v1, h2, k2, v2) {
  const h1 = hasheq(k1);
  if (h1 === h2) return new HashCollisionNode(edit, h1, 2, [k1, v1, k2, v2]);
  const box = { val: false };
  const e = edit ?? {};
  return EMPTY_BITMAP_NODE.assocT(e, shift, h1, k1, v1, box).assocT(e, shift, h2, k2, v2, box);
}

/**
 * Up to 16 entries or subnodes in `array` (a null key means the value slot holds a node),
 * at the positions of the 1 bits of `bitmap`.
 */
export class BitmapIndexedNode {
  constructor(edit, bitmap, array) {
    this.edit = edit;
    this.bitmap = bitmap;
    this.array = array;
  }
  _index(bit) { return bitCount(this.bitmap & (bit - 1)); }
  find(shift, hash, key, notFound) {
    const bit = bitpos(hash, shift);
    if ((this.bitmap & bit) === 0) return notFound;
    const i = 2 * this._index(bit);
    const k = this.array[i];
    if (k === null) return this.array[i + 1].find(shift + 5, hash, key, notFound);
    return equiv(key, k) ? this.array[i + 1] : notFound;
  }
  findEntry(shift, hash, key) {
    const bit = bitpos(hash, shift);
    if ((this.bitmap & bit) === 0) return null;
    const i = 2 * this._index(bit);
    const k = this.array[i];
    if (k === null) return this.array[i + 1].findEntry(shift + 5, hash, key);
    return equiv(key, k) ? new MapEntry(k, this.array[i + 1]) : null;
  }
  assoc(shift, hash, key, val, box) {
    const bit = bitpos(hash, shift);
    const idx = this._index(bit);
    const a = this.array;
    if ((this.bitmap & bit) !== 0) {
      const k = a[2 * idx], v = a[2 * idx + 1];
      if (k === null) {
        const n = v.assoc(shift + 5, hash, key, val, box);
        return n === v ? this : new BitmapIndexedNode(null, this.bitmap, cloneAndSet(a, 2 * idx + 1, n));
      }
      if (equiv(key, k)) {
        return val === v ? this : new BitmapIndexedNode(null, this.bitmap, cloneAndSet(a, 2 * idx + 1, val));
      }
      box.val = true;
      const c = a.slice();
      c[2 * idx] = null;
      c[2 * idx + 1] = createNode(null, shift + 5, k, v, hash, key, val);
      return new BitmapIndexedNode(null, this.bitmap, c);
    }
    const n = bitCount(this.bitmap);
    if (n >= 16) return this._toArrayNode(null, shift, hash, key, val, box, n);
    const c = genericArray(2 * (n + 1));
    for (let j = 0; j < 2 * idx; j++) c[j] = a[j];
    c[2 * idx] = key;
    c[2 * idx + 1] = val;
    for (let j = 2 * idx; j < 2 * n; j++) c[j + 2] = a[j];
    box.val = true;
    return new BitmapIndexedNode(null, this.bitmap | bit, c);
  }
  _toArrayNode(edit, shift, hash, key, val, box, n) {
    const leaf = (h, k, v) => (edit === null
      ? EMPTY_BITMAP_NODE.assoc(shift + 5, h, k, v, box)
      : EMPTY_BITMAP_NODE.assocT(edit, shift + 5, h, k, v, box));
    const nodes = nulls(32);
    nodes[hmask(hash, shift)] = leaf(hash, key, val);
    const a = this.array;
    let j = 0;
    for (let i = 0; i < 32; i++) {
      if (((this.bitmap >>> i) & 1) !== 0) {
        nodes[i] = a[j] === null ? a[j + 1] : leaf(hasheq(a[j]), a[j], a[j + 1]);
        j += 2;
      }
    }
    return new ArrayNode(edit, n + 1, nodes);
  }
  without(shift, hash, key) {
    const bit = bitpos(hash, shift);
    if ((this.bitmap & bit) === 0) return this;
    const idx = this._index(bit);
    const k = this.array[2 * idx], v = this.array[2 * idx + 1];
    if (k === null) {
      const n = v.without(shift + 5, hash, key);
      if (n === v) return this;
      if (n !== null) return new BitmapIndexedNode(null, this.bitmap, cloneAndSet(this.array, 2 * idx + 1, n));
      if (this.bitmap === bit) return null;
      return new BitmapIndexedNode(null, this.bitmap ^ bit, removePair(this.array, idx));
    }
    if (equiv(key, k)) {
      if (this.bitmap === bit) return null;
      return new BitmapIndexedNode(null, this.bitmap ^ bit, removePair(this.array, idx));
    }
    return this;
  }
  _editable(edit) {
    if (this.edit === edit) return this;
    const n = bitCount(this.bitmap);
    const c = nulls(2 * (n + 1));
    for (let j = 0; j < 2 * n; j++) c[j] = this.array[j];
    return new BitmapIndexedNode(edit, this.bitmap, c);
  }
  assocT(edit, shift, hash, key, val, box) {
    const bit = bitpos(hash, shift);
    const idx = this._index(bit);
    if ((this.bitmap & bit) !== 0) {
      const k = this.array[2 * idx], v = this.array[2 * idx + 1];
      if (k === null) {
        const n = v.assocT(edit, shift + 5, hash, key, val, box);
        if (n === v) return this;
        const e = this._editable(edit);
        e.array[2 * idx + 1] = n;
        return e;
      }
      if (equiv(key, k)) {
        if (val === v) return this;
        const e = this._editable(edit);
        e.array[2 * idx + 1] = val;
        return e;
      }
      box.val = true;
      const e = this._editable(edit);
      e.array[2 * idx] = null;
      e.array[2 * idx + 1] = createNode(edit, shift + 5, k, v, hash, key, val);
      return e;
    }
    const n = bitCount(this.bitmap);
    if (n * 2 < this.array.length) { // room in place
      box.val = true;
      const e = this._editable(edit);
      e.array.copyWithin(2 * (idx + 1), 2 * idx, 2 * n);
      e.array[2 * idx] = key;
      e.array[2 * idx + 1] = val;
      e.bitmap |= bit;
      return e;
    }
    if (n >= 16) return this._toArrayNode(edit, shift, hash, key, val, box, n);
    const c = nulls(2 * (n + 4));
    const a = this.array;
    for (let j = 0; j < 2 * idx; j++) c[j] = a[j];
    c[2 * idx] = key;
    c[2 * idx + 1] = val;
    for (let j = 2 * idx; j < 2 * n; j++) c[j + 2] = a[j];
    box.val = true;
    const e = this._editable(edit);
    e.array = c;
    e.bitmap |= bit;
    return e;
  }
  withoutT(edit, shift, hash, key, box) {
    const bit = bitpos(hash, shift);
    if ((this.bitmap & bit) === 0) return this;
    const idx = this._index(bit);
    const k = this.array[2 * idx], v = this.array[2 * idx + 1];
    if (k === null) {
      const n = v.withoutT(edit, shift + 5, hash, key, box);
      if (n === v) return this;
      if (n !== null) {
        const e = this._editable(edit);
        e.array[2 * idx + 1] = n;
        return e;
      }
      return this._removePairT(edit, bit, idx);
    }
    if (equiv(key, k)) {
      box.val = true;
      return this._removePairT(edit, bit, idx);
    }
    return this;
  }
  _removePairT(edit, bit, i) {
    if (this.bitmap === bit) return null;
    const e = this._editable(edit);
    const a = e.array;
    e.bitmap ^= bit;
    a.copyWithin(2 * i, 2 * (i + 1));
    a[a.length - 2] = null;
    a[a.length - 1] = null;
    return e;
  }
  seq(mode) { return nodeSeq(this.array, 0, null, mode); }
  forEach(fn) {
    const a = this.array;
    for (let i = 0; i < a.length; i += 2) {
      if (a[i] !== null) fn(a[i], a[i + 1]);
      else if (a[i + 1] !== null) a[i + 1].forEach(fn);
    }
  }
  /** fn(acc, k, v) over the entries; stops at (and returns) a Reduced. */
  reduce(fn, acc) {
    const a = this.array;
    for (let i = 0; i < a.length; i += 2) {
      if (a[i] !== null) acc = fn(acc, a[i], a[i + 1]);
      else if (a[i + 1] !== null) acc = a[i + 1].reduce(fn, acc);
      else continue;
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  }
}
export const EMPTY_BITMAP_NODE = new BitmapIndexedNode(null, 0, []);

/** 32 subnode slots (null or a node), `count` of them used. */
export class ArrayNode {
  constructor(edit, count, array) {
    this.edit = edit;
    this.count = count;
    this.array = array;
  }
  find(shift, hash, key, notFound) {
    const node = this.array[hmask(hash, shift)];
    return node === null ? notFound : node.find(shift + 5, hash, key, notFound);
  }
  findEntry(shift, hash, key) {
    const node = this.array[hmask(hash, shift)];
    return node === null ? null : node.findEntry(shift + 5, hash, key);
  }
  assoc(shift, hash, key, val, box) {
    const idx = hmask(hash, shift);
    const node = this.array[idx];
    if (node === null) {
      return new ArrayNode(null, this.count + 1, cloneAndSet(this.array, idx, EMPTY_BITMAP_NODE.assoc(shift + 5, hash, key, val, box)));
    }
    const n = node.assoc(shift + 5, hash, key, val, box);
    return n === node ? this : new ArrayNode(null, this.count, cloneAndSet(this.array, idx, n));
  }
  without(shift, hash, key) {
    const idx = hmask(hash, shift);
    const node = this.array[idx];
    if (node === null) return this;
    const n = node.without(shift + 5, hash, key);
    if (n === node) return this;
    if (n === null) {
      if (this.count <= 8) return this._pack(null, idx); // shrink
      return new ArrayNode(null, this.count - 1, cloneAndSet(this.array, idx, null));
    }
    return new ArrayNode(null, this.count, cloneAndSet(this.array, idx, n));
  }
  /** A bitmap node of the subnodes but the one at idx. */
  _pack(edit, idx) {
    const c = nulls(2 * (this.count - 1));
    let j = 1, bitmap = 0;
    for (let i = 0; i < 32; i++) {
      if (i !== idx && this.array[i] !== null) {
        c[j] = this.array[i];
        bitmap |= 1 << i;
        j += 2;
      }
    }
    return new BitmapIndexedNode(edit, bitmap, c);
  }
  _editable(edit) { return this.edit === edit ? this : new ArrayNode(edit, this.count, this.array.slice()); }
  assocT(edit, shift, hash, key, val, box) {
    const idx = hmask(hash, shift);
    const node = this.array[idx];
    if (node === null) {
      const e = this._editable(edit);
      e.array[idx] = EMPTY_BITMAP_NODE.assocT(edit, shift + 5, hash, key, val, box);
      e.count++;
      return e;
    }
    const n = node.assocT(edit, shift + 5, hash, key, val, box);
    if (n === node) return this;
    const e = this._editable(edit);
    e.array[idx] = n;
    return e;
  }
  withoutT(edit, shift, hash, key, box) {
    const idx = hmask(hash, shift);
    const node = this.array[idx];
    if (node === null) return this;
    const n = node.withoutT(edit, shift + 5, hash, key, box);
    if (n === node) return this;
    if (n === null) {
      if (this.count <= 8) return this._pack(edit, idx);
      const e = this._editable(edit);
      e.array[idx] = null;
      e.count--;
      return e;
    }
    const e = this._editable(edit);
    e.array[idx] = n;
    return e;
  }
  seq(mode) { return arrayNodeSeq(this.array, 0, null, mode); }
  forEach(fn) {
    for (let i = 0; i < 32; i++) if (this.array[i] !== null) this.array[i].forEach(fn);
  }
  reduce(fn, acc) {
    for (let i = 0; i < 32; i++) {
      if (this.array[i] !== null) {
        acc = this.array[i].reduce(fn, acc);
        if (acc instanceof Reduced) return acc;
      }
    }
    return acc;
  }
}

/** Entries whose keys have the same hash: `count` pairs at the start of `array`. */
export class HashCollisionNode {
  constructor(edit, hash, count, array) {
    this.edit = edit;
    this.hash = hash;
    this.count = count;
    this.array = array;
  }
  _indexOf(key) {
    for (let i = 0; i < 2 * this.count; i += 2) if (equiv(key, this.array[i])) return i;
    return -1;
  }
  find(shift, hash, key, notFound) {
    const i = this._indexOf(key);
    return i < 0 ? notFound : this.array[i + 1];
  }
  findEntry(shift, hash, key) {
    const i = this._indexOf(key);
    return i < 0 ? null : new MapEntry(this.array[i], this.array[i + 1]);
  }
  assoc(shift, hash, key, val, box) {
    if (hash === this.hash) {
      const i = this._indexOf(key);
      if (i >= 0) {
        return this.array[i + 1] === val ? this : new HashCollisionNode(null, hash, this.count, cloneAndSet(this.array, i + 1, val));
      }
      const c = genericArray(2 * (this.count + 1));
      for (let j = 0; j < 2 * this.count; j++) c[j] = this.array[j];
      c[2 * this.count] = key;
      c[2 * this.count + 1] = val;
      box.val = true;
      return new HashCollisionNode(null, hash, this.count + 1, c);
    }
    // nest it in a bitmap node
    return new BitmapIndexedNode(null, bitpos(this.hash, shift), [null, this]).assoc(shift, hash, key, val, box);
  }
  without(shift, hash, key) {
    const i = this._indexOf(key);
    if (i < 0) return this;
    if (this.count === 1) return null;
    return new HashCollisionNode(null, this.hash, this.count - 1, removePair(this.array, i / 2));
  }
  _editable(edit) {
    if (this.edit === edit) return this;
    const c = nulls(2 * (this.count + 1));
    for (let j = 0; j < 2 * this.count; j++) c[j] = this.array[j];
    return new HashCollisionNode(edit, this.hash, this.count, c);
  }
  assocT(edit, shift, hash, key, val, box) {
    if (hash === this.hash) {
      const i = this._indexOf(key);
      if (i >= 0) {
        if (this.array[i + 1] === val) return this;
        const e = this._editable(edit);
        e.array[i + 1] = val;
        return e;
      }
      box.val = true;
      if (this.array.length > 2 * this.count) {
        const e = this._editable(edit);
        e.array[2 * e.count] = key;
        e.array[2 * e.count + 1] = val;
        e.count++;
        return e;
      }
      const c = this.array.slice();
      c.push(key, val);
      if (this.edit === edit) {
        this.array = c;
        this.count++;
        return this;
      }
      return new HashCollisionNode(edit, this.hash, this.count + 1, c);
    }
    return new BitmapIndexedNode(edit, bitpos(this.hash, shift), [null, this, null, null]).assocT(edit, shift, hash, key, val, box);
  }
  withoutT(edit, shift, hash, key, box) {
    const i = this._indexOf(key);
    if (i < 0) return this;
    box.val = true;
    if (this.count === 1) return null;
    const e = this._editable(edit);
    const a = e.array, last = 2 * e.count - 2;
    a[i] = a[last];
    a[i + 1] = a[last + 1];
    a[last] = a[last + 1] = null;
    e.count--;
    return e;
  }
  seq(mode) { return nodeSeq(this.array, 0, null, mode); }
  forEach(fn) {
    for (let i = 0; i < 2 * this.count; i += 2) fn(this.array[i], this.array[i + 1]);
  }
  reduce(fn, acc) {
    for (let i = 0; i < 2 * this.count; i += 2) {
      acc = fn(acc, this.array[i], this.array[i + 1]);
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  }
}

/** The seq of a bitmap or collision node's array from pair i (clojure.lang.PersistentHashMap$NodeSeq). */
export function nodeSeq(array, i, s, mode) {
  if (s !== null) return new NodeSeq(array, i, s, mode);
  for (let j = i; j < array.length; j += 2) {
    if (array[j] !== null) return new NodeSeq(array, j, null, mode);
    const node = array[j + 1];
    if (node !== null) {
      const ns = node.seq(mode);
      if (ns !== null) return new NodeSeq(array, j + 2, ns, mode);
    }
  }
  return null;
}
export class NodeSeq extends ASeq {
  constructor(array, i, s, mode) {
    super();
    this.array = array;
    this.i = i;
    this.s = s; // the seq of a subnode (then i is the pair after it), or null: pair i
    this.mode = mode;
  }
  first() { return this.s !== null ? this.s.first() : entryOf(this.array[this.i], this.array[this.i + 1], this.mode); }
  next() {
    return this.s !== null ? nodeSeq(this.array, this.i, this.s.next(), this.mode) : nodeSeq(this.array, this.i + 2, null, this.mode);
  }
}
export function arrayNodeSeq(nodes, i, s, mode) {
  if (s !== null) return new ArrayNodeSeq(nodes, i, s, mode);
  for (let j = i; j < nodes.length; j++) {
    if (nodes[j] !== null) {
      const ns = nodes[j].seq(mode);
      if (ns !== null) return new ArrayNodeSeq(nodes, j + 1, ns, mode);
    }
  }
  return null;
}
export class ArrayNodeSeq extends ASeq {
  constructor(nodes, i, s, mode) {
    super();
    this.nodes = nodes;
    this.i = i;
    this.s = s;
    this.mode = mode;
  }
  first() { return this.s.first(); }
  next() { return arrayNodeSeq(this.nodes, this.i, this.s.next(), this.mode); }
}

seqType(defType('clojure.lang.PersistentHashMap$NodeSeq', ['clojure.lang.ASeq'], { ctor: NodeSeq }));
seqType(defType('clojure.lang.PersistentHashMap$ArrayNode$Seq', ['clojure.lang.ASeq'], { ctor: ArrayNodeSeq }));
