// Sorted collections: clojure.lang.PersistentTreeMap (a persistent red-black tree, sharing
// structure between versions) and PersistentTreeSet over it, with seqs in either direction
// from any key (what subseq and rsubseq use).
//
// Insertion balances as Okasaki's red-black trees; deletion is Kahrs', as Clojure's and
// ClojureScript's trees do. `cmp` is a JS comparator (a negative, zero or positive number);
// `comparator` the Clojure value `(comparator m)` gives back.

import { arityError } from './errors.js';
import { defType } from './types.js';
import { implement } from './protocol.js';
import {
  ICounted, ILookup, IAssociative, IFind, IMap, ICollection, ISeqable, IEquiv, IHash,
  IEmptyableCollection, IMeta, IWithMeta, IReduce, IKVReduce, IFn, IReversible, ISorted,
  IPrintWithWriter, ISet, IS_MAP,
} from './core-protocols.js';
import { compare } from './equality.js';
import { prStr } from './print.js';
import { ASeq, seqType, reduceArity } from './seqs.js';
import { MapEntry } from './vector.js';
import { Reduced } from './reduced.js';
import { equivMap, hashMap, conjMap, printMap } from './hashmap.js';
import { setType } from './set.js';

class Node {
  constructor(key, val, left, right, red) {
    this.key = key;
    this.val = val;
    this.left = left;
    this.right = right;
    this.red = red;
  }
}
const black = (k, v, l, r) => new Node(k, v, l, r, false);
const red = (k, v, l, r) => new Node(k, v, l, r, true);
const isRed = (n) => n !== null && n.red;
const isBlack = (n) => n !== null && !n.red;
const blacken = (n) => (n.red ? black(n.key, n.val, n.left, n.right) : n);
const redden = (n) => {
  if (n.red) throw new Error('red-black tree invariant violation');
  return red(n.key, n.val, n.left, n.right);
};

function balanceLeft(key, val, ins, right) {
  if (isRed(ins)) {
    if (isRed(ins.left)) return red(ins.key, ins.val, blacken(ins.left), black(key, val, ins.right, right));
    if (isRed(ins.right)) {
      return red(ins.right.key, ins.right.val, black(ins.key, ins.val, ins.left, ins.right.left), black(key, val, ins.right.right, right));
    }
  }
  return black(key, val, ins, right);
}

function balanceRight(key, val, left, ins) {
  if (isRed(ins)) {
    if (isRed(ins.right)) return red(ins.key, ins.val, black(key, val, left, ins.left), blacken(ins.right));
    if (isRed(ins.left)) {
      return red(ins.left.key, ins.left.val, black(key, val, left, ins.left.left), black(ins.key, ins.val, ins.left.right, ins.right));
    }
  }
  return black(key, val, left, ins);
}

/** The tree with k added, or null when k is there already (found.node is its node). */
function add(cmp, tree, k, v, found) {
  if (tree === null) return red(k, v, null, null);
  const c = cmp(k, tree.key);
  if (c === 0) { found.node = tree; return null; }
  if (c < 0) {
    const ins = add(cmp, tree.left, k, v, found);
    if (ins === null) return null;
    return tree.red ? red(tree.key, tree.val, ins, tree.right) : balanceLeft(tree.key, tree.val, ins, tree.right);
  }
  const ins = add(cmp, tree.right, k, v, found);
  if (ins === null) return null;
  return tree.red ? red(tree.key, tree.val, tree.left, ins) : balanceRight(tree.key, tree.val, tree.left, ins);
}

/** The tree with k's value replaced (k is in it). */
function replace(cmp, tree, k, v) {
  const c = cmp(k, tree.key);
  if (c === 0) return new Node(tree.key, v, tree.left, tree.right, tree.red);
  if (c < 0) return new Node(tree.key, tree.val, replace(cmp, tree.left, k, v), tree.right, tree.red);
  return new Node(tree.key, tree.val, tree.left, replace(cmp, tree.right, k, v), tree.red);
}

function balanceLeftDel(key, val, del, right) {
  if (isRed(del)) return red(key, val, blacken(del), right);
  if (isBlack(right)) return balanceRight(key, val, del, redden(right));
  if (isRed(right) && isBlack(right.left)) {
    return red(right.left.key, right.left.val, black(key, val, del, right.left.left),
      balanceRight(right.key, right.val, right.left.right, redden(right.right)));
  }
  throw new Error('red-black tree invariant violation');
}

function balanceRightDel(key, val, left, del) {
  if (isRed(del)) return red(key, val, left, blacken(del));
  if (isBlack(left)) return balanceLeft(key, val, redden(left), del);
  if (isRed(left) && isBlack(left.right)) {
    return red(left.right.key, left.right.val, balanceLeft(left.key, left.val, redden(left.left), left.right.left),
      black(key, val, left.right.right, del));
  }
  throw new Error('red-black tree invariant violation');
}

/** Joins the two children of a removed node. */
function append(left, right) {
  if (left === null) return right;
  if (right === null) return left;
  if (isRed(left)) {
    if (isRed(right)) {
      const app = append(left.right, right.left);
      if (isRed(app)) return red(app.key, app.val, red(left.key, left.val, left.left, app.left), red(right.key, right.val, app.right, right.right));
      return red(left.key, left.val, left.left, red(right.key, right.val, app, right.right));
    }
    return red(left.key, left.val, left.left, append(left.right, right));
  }
  if (isRed(right)) return red(right.key, right.val, append(left, right.left), right.right);
  const app = append(left.right, right.left);
  if (isRed(app)) return red(app.key, app.val, black(left.key, left.val, left.left, app.left), black(right.key, right.val, app.right, right.right));
  return balanceLeftDel(left.key, left.val, left.left, black(right.key, right.val, app, right.right));
}

/** The tree without k (null when that leaves nothing); found.node is set when k was there. */
function remove(cmp, tree, k, found) {
  if (tree === null) return null;
  const c = cmp(k, tree.key);
  if (c === 0) { found.node = tree; return append(tree.left, tree.right); }
  if (c < 0) {
    const del = remove(cmp, tree.left, k, found);
    if (del === null && found.node === null) return null;
    return isBlack(tree.left) ? balanceLeftDel(tree.key, tree.val, del, tree.right) : red(tree.key, tree.val, del, tree.right);
  }
  const del = remove(cmp, tree.right, k, found);
  if (del === null && found.node === null) return null;
  return isBlack(tree.right) ? balanceRightDel(tree.key, tree.val, tree.left, del) : red(tree.key, tree.val, tree.left, del);
}

function findNode(cmp, tree, k) {
  let t = tree;
  while (t !== null) {
    const c = cmp(k, t.key);
    if (c === 0) return t;
    t = c < 0 ? t.left : t.right;
  }
  return null;
}

/** Calls fn(node) in order (reverse when !ascending); a Reduced from fn stops it. */
function walk(node, fn, acc) {
  if (node === null) return acc;
  acc = walk(node.left, fn, acc);
  if (acc instanceof Reduced) return acc;
  acc = fn(acc, node);
  if (acc instanceof Reduced) return acc;
  return walk(node.right, fn, acc);
}

// ---------------------------------------------------------------------------------------
// Seqs
// ---------------------------------------------------------------------------------------

/** A seq of a tree's nodes from a stack (clojure.lang.PersistentTreeMap$Seq); mode 1: keys. */
export class TreeSeq extends ASeq {
  constructor(stack, ascending, count, mode) {
    super();
    this.stack = stack; // an array of nodes, the next one last
    this.ascending = ascending;
    this.cnt = count; // -1 when not known (seqs from a key)
    this.mode = mode;
  }
  first() {
    const n = this.stack[this.stack.length - 1];
    return this.mode === 1 ? n.key : new MapEntry(n.key, n.val);
  }
  next() {
    const stack = this.stack.slice(0, -1);
    const t = this.stack[this.stack.length - 1];
    pushSpine(stack, this.ascending ? t.right : t.left, this.ascending);
    if (stack.length === 0) return null;
    return new TreeSeq(stack, this.ascending, this.cnt < 0 ? -1 : this.cnt - 1, this.mode);
  }
  count() {
    if (this.cnt >= 0) return this.cnt;
    let n = 0;
    for (let s = this; s !== null; s = s.next()) n++;
    return n;
  }
}
seqType(defType('clojure.lang.PersistentTreeMap$Seq', ['clojure.lang.ASeq'], { ctor: TreeSeq }));

function pushSpine(stack, node, ascending) {
  for (let t = node; t !== null; t = ascending ? t.left : t.right) stack.push(t);
}

function treeSeq(root, ascending, count, mode) {
  if (root === null) return null;
  const stack = [];
  pushSpine(stack, root, ascending);
  return new TreeSeq(stack, ascending, count, mode);
}

/** The seq from the first key >= k (ascending) or <= k (descending). */
function treeSeqFrom(cmp, root, k, ascending, mode) {
  const stack = [];
  let t = root;
  while (t !== null) {
    const c = cmp(k, t.key);
    if (c === 0) { stack.push(t); break; }
    if (ascending ? c < 0 : c > 0) { stack.push(t); t = ascending ? t.left : t.right; }
    else t = ascending ? t.right : t.left;
  }
  return stack.length === 0 ? null : new TreeSeq(stack, ascending, -1, mode);
}

// ---------------------------------------------------------------------------------------
// Sorted maps
// ---------------------------------------------------------------------------------------

/** A sorted map (clojure.lang.PersistentTreeMap). */
export class TreeMap {
  constructor(cmp, comparator, tree, cnt, meta = null) {
    this.cmp = cmp;
    this.comparator = comparator;
    this.tree = tree;
    this.cnt = cnt;
    this._meta = meta;
    this._hash = null;
  }
  count() { return this.cnt; }
  get(k, nf = null) { const n = findNode(this.cmp, this.tree, k); return n === null ? nf : n.val; }
  containsKey(k) { return findNode(this.cmp, this.tree, k) !== null; }
  entryAt(k) { const n = findNode(this.cmp, this.tree, k); return n === null ? null : new MapEntry(n.key, n.val); }
  assoc(k, v) {
    const found = { node: null };
    const t = add(this.cmp, this.tree, k, v, found);
    if (t === null) {
      if (found.node.val === v) return this;
      return new TreeMap(this.cmp, this.comparator, replace(this.cmp, this.tree, k, v), this.cnt, this._meta);
    }
    return new TreeMap(this.cmp, this.comparator, blacken(t), this.cnt + 1, this._meta);
  }
  dissoc(k) {
    const found = { node: null };
    const t = remove(this.cmp, this.tree, k, found);
    if (t === null) {
      if (found.node === null) return this;
      return new TreeMap(this.cmp, this.comparator, null, 0, this._meta);
    }
    return new TreeMap(this.cmp, this.comparator, blacken(t), this.cnt - 1, this._meta);
  }
  forEach(fn) { walk(this.tree, (acc, n) => { fn(n.key, n.val); return acc; }, null); }
  reduceKV(fn, acc) {
    const r = walk(this.tree, (a, n) => fn(a, n.key, n.val), acc);
    return r instanceof Reduced ? r.v : r;
  }
  seq(ascending = true) { return treeSeq(this.tree, ascending, this.cnt, 0); }
  keySeq(ascending = true) { return treeSeq(this.tree, ascending, this.cnt, 1); }
  seqFrom(k, ascending) { return treeSeqFrom(this.cmp, this.tree, k, ascending, 0); }
  empty() { return new TreeMap(this.cmp, this.comparator, null, 0, this._meta); }
  toString() { return prStr(this); }
}

function invokeTreeMap(m, k, nf) {
  if (arguments.length === 2) return m.get(k, null);
  if (arguments.length === 3) return m.get(k, nf);
  throw arityError(arguments.length - 1, 'clojure.lang.PersistentTreeMap');
}

export const TREE_MAP_TYPE = defType('clojure.lang.PersistentTreeMap',
  ['clojure.lang.APersistentMap', 'clojure.lang.IObj', 'clojure.lang.Reversible', 'clojure.lang.Sorted', 'clojure.lang.IKVReduce'], { ctor: TreeMap });
TREE_MAP_TYPE.proto[IS_MAP] = true;
implement(TREE_MAP_TYPE, ICounted, { '-count': (m) => m.cnt });
implement(TREE_MAP_TYPE, ILookup, { '-lookup': (m, k, nf = null) => m.get(k, nf) });
implement(TREE_MAP_TYPE, IAssociative, { '-contains-key?': (m, k) => m.containsKey(k), '-assoc': (m, k, v) => m.assoc(k, v) });
implement(TREE_MAP_TYPE, IFind, { '-find': (m, k) => m.entryAt(k) });
implement(TREE_MAP_TYPE, IMap, { '-dissoc': (m, k) => m.dissoc(k) });
implement(TREE_MAP_TYPE, ICollection, { '-conj': conjMap });
implement(TREE_MAP_TYPE, ISeqable, { '-seq': (m) => m.seq() });
implement(TREE_MAP_TYPE, IEquiv, { '-equiv': equivMap });
implement(TREE_MAP_TYPE, IHash, { '-hash': hashMap });
implement(TREE_MAP_TYPE, IEmptyableCollection, { '-empty': (m) => m.empty() });
implement(TREE_MAP_TYPE, IMeta, { '-meta': (m) => m._meta });
implement(TREE_MAP_TYPE, IWithMeta, { '-with-meta': (m, meta) => new TreeMap(m.cmp, m.comparator, m.tree, m.cnt, meta) });
implement(TREE_MAP_TYPE, IReduce, { '-reduce': reduceArity((m, f, acc) => m.reduceKV((a, k, v) => f(a, new MapEntry(k, v)), acc)) });
implement(TREE_MAP_TYPE, IKVReduce, { '-kv-reduce': (m, f, init) => m.reduceKV(f, init) });
implement(TREE_MAP_TYPE, IFn, { '-invoke': invokeTreeMap });
implement(TREE_MAP_TYPE, IReversible, { '-rseq': (m) => m.seq(false) });
implement(TREE_MAP_TYPE, ISorted, {
  '-sorted-seq': (m, ascending) => m.seq(ascending),
  '-sorted-seq-from': (m, k, ascending) => m.seqFrom(k, ascending),
  '-entry-key': (m, e) => e.key(),
  '-comparator': (m) => m.comparator,
});
implement(TREE_MAP_TYPE, IPrintWithWriter, { '-pr-writer': (m, w) => printMap(m, m.seq(), m.empty(), w) });

/** An empty sorted map ordered by `cmp` (null: `compare`). */
export const emptyTreeMap = (cmp = null, comparator = null) => new TreeMap(cmp ?? compare, comparator, null, 0);

// ---------------------------------------------------------------------------------------
// Sorted sets
// ---------------------------------------------------------------------------------------

/** A sorted set (clojure.lang.PersistentTreeSet): a sorted map from each element to itself. */
export class TreeSet {
  constructor(m, meta = null) {
    this.m = m;
    this._meta = meta;
    this._hash = null;
  }
  count() { return this.m.cnt; }
  contains(k) { return this.m.containsKey(k); }
  get(k, nf = null) { const n = findNode(this.m.cmp, this.m.tree, k); return n === null ? nf : n.key; }
  conj(x) { return this.m.containsKey(x) ? this : new TreeSet(this.m.assoc(x, x), this._meta); }
  disj(x) { return this.m.containsKey(x) ? new TreeSet(this.m.dissoc(x), this._meta) : this; }
  seq(ascending = true) { return this.m.keySeq(ascending); }
  forEach(fn) { this.m.forEach((k) => fn(k)); }
  toString() { return prStr(this); }
}

export const TREE_SET_TYPE = setType(defType('clojure.lang.PersistentTreeSet',
  ['clojure.lang.APersistentSet', 'clojure.lang.IObj', 'clojure.lang.Reversible', 'clojure.lang.Sorted'], { ctor: TreeSet }),
{ empty: (s) => new TreeSet(s.m.empty(), s._meta) });
implement(TREE_SET_TYPE, IWithMeta, { '-with-meta': (s, m) => new TreeSet(s.m, m) });
implement(TREE_SET_TYPE, IReduce, { '-reduce': reduceArity((s, f, acc) => s.m.reduceKV((a, k) => f(a, k), acc)) });
implement(TREE_SET_TYPE, IReversible, { '-rseq': (s) => s.seq(false) });
implement(TREE_SET_TYPE, ISet, { '-disjoin': (s, k) => s.disj(k) });
implement(TREE_SET_TYPE, ISorted, {
  '-sorted-seq': (s, ascending) => s.seq(ascending),
  '-sorted-seq-from': (s, k, ascending) => treeSeqFrom(s.m.cmp, s.m.tree, k, ascending, 1),
  '-entry-key': (s, e) => e,
  '-comparator': (s) => s.m.comparator,
});

