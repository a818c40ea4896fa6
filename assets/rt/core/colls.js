// clojure.core: making, reading and changing collections, transients and sorted collections.

import { illegalArgument, truthy } from '../errors.js';
import { castError } from '../types.js';
import { FIRST, SORTED } from '../core-protocols.js';
import { compare } from '../equality.js';
import { prStr } from '../print.js';
import {
  seq, first, next, rest, toArray, cons, listOf, EMPTY_LIST, Cons, IndexedSeq, reduceSeq,
} from '../seqs.js';
import { PVector, EMPTY_VECTOR, vectorOf, subvec, MapEntry } from '../vector.js';
import { PMap, EMPTY_MAP, EMPTY_HASH_MAP, MapBuilder, arrayMapOf, hashMapOf } from '../hashmap.js';
import { PSet, EMPTY_SET, SetBuilder } from '../set.js';
import { TreeMap, TreeSet, emptyTreeMap } from '../sorted.js';
import {
  count, get, nth, conj, assoc, dissoc, contains, find, peek, pop, disj, empty, meta, withMeta,
  rseq, entryKey, entryVal, keys, transient, conjBang, persistentBang, assocBang, dissocBang,
  popBang, disjBang, countHanded,
} from '../colls.js';
import { Handed } from '../reduced.js';
import { Keyword } from '../scalars.js';
import { invoke1, invoke2, invokeArray } from '../fns.js';
import { core, consumes, internal } from './lib.js';

core('list', { 0: () => EMPTY_LIST, va: listOf });
core('list*', {
  1: (s) => seq(s),
  va: (xs) => {
    let s = seq(xs[xs.length - 1]);
    for (let i = xs.length - 2; i >= 0; i--) s = new Cons(xs[i], s);
    return s;
  },
  vmin: 1,
});
core('vector', { 0: () => EMPTY_VECTOR, va: vectorOf });
core('vec', { 1: (c) => (c instanceof PVector && !(c instanceof MapEntry) && c._meta === null ? c : vectorOf(toArray(c))) });
core('hash-map', { 0: () => EMPTY_HASH_MAP, va: hashMapOf });
core('array-map', {
  0: () => EMPTY_MAP,
  va: (kvs) => {
    if (kvs.length % 2 === 1) throw illegalArgument(`No value supplied for key: ${prStr(kvs[kvs.length - 1])}`);
    return arrayMapOf(kvs);
  },
});
core('hash-set', { 0: () => EMPTY_SET, va: (xs) => { const t = new SetBuilder(); for (const x of xs) t.conj(x); return t.persistent(); } });

// Literals whose elements are computed (`#{a b}`, `{a 1 b 2}`): equal elements or keys are an
// error, as Clojure's reader-built literals check (the constant ones are checked as read).
const duplicateKey = (k) => illegalArgument(`Duplicate key: ${prStr(k)}`);
internal('literal-set', {
  va: (xs) => {
    const t = new SetBuilder();
    for (const x of xs) {
      const before = t.count();
      t.conj(x);
      if (t.count() === before) throw duplicateKey(x);
    }
    return t.persistent();
  },
});
internal('literal-map', {
  va: (kvs) => {
    const m = kvs.length <= 16 ? arrayMapOf(kvs) : hashMapOf(kvs);
    if (m.count() * 2 !== kvs.length) {
      const seen = new SetBuilder();
      for (let i = 0; i < kvs.length; i += 2) {
        const before = seen.count();
        seen.conj(kvs[i]);
        if (seen.count() === before) throw duplicateKey(kvs[i]);
      }
    }
    return m;
  },
});
core('set', {
  1: (c) => {
    if (c instanceof PSet && c._meta === null) return c;
    const t = new SetBuilder();
    for (let s = seq(c); s !== null; s = next(s)) t.conj(s[FIRST](s));
    return t.persistent();
  },
});

// --- sorted collections ------------------------------------------------------------------

/** A JS comparator from a Clojure one: a fn returning a number, or a boolean (less-than). */
export function comparator(f) {
  if (f === compareFn) return compare;
  return (a, b) => {
    const r = invoke2(f, a, b);
    if (typeof r === 'boolean' || r === null) {
      if (truthy(r)) return -1;
      return truthy(invoke2(f, b, a)) ? 1 : 0;
    }
    return typeof r === 'number' ? r : Number(r);
  };
}
const compareFn = core('compare', { 2: compare });

const sortedMapOf = (cmp, cf, kvs) => {
  if (kvs.length % 2 === 1) throw illegalArgument(`No value supplied for key: ${prStr(kvs[kvs.length - 1])}`);
  let m = emptyTreeMap(cmp, cf);
  for (let i = 0; i < kvs.length; i += 2) m = m.assoc(kvs[i], kvs[i + 1]);
  return m;
};
core('sorted-map', { 0: () => emptyTreeMap(), va: (kvs) => sortedMapOf(null, null, kvs) });
core('sorted-map-by', { 1: (f) => emptyTreeMap(comparator(f), f), va: (xs) => sortedMapOf(comparator(xs[0]), xs[0], xs.slice(1)), vmin: 1 });
const sortedSetOf = (cmp, cf, xs) => {
  let s = new TreeSet(emptyTreeMap(cmp, cf));
  for (const x of xs) s = s.conj(x);
  return s;
};
core('sorted-set', { 0: () => new TreeSet(emptyTreeMap()), va: (xs) => sortedSetOf(null, null, xs) });
core('sorted-set-by', { 1: (f) => new TreeSet(emptyTreeMap(comparator(f), f)), va: (xs) => sortedSetOf(comparator(xs[0]), xs[0], xs.slice(1)), vmin: 1 });
core('comparator', { 1: (pred) => (a, b) => (truthy(invoke2(pred, a, b)) ? -1 : truthy(invoke2(pred, b, a)) ? 1 : 0) });

// --- reading --------------------------------------------------------------------------

core('count', { 1: count });
consumes('count', { 1: countHanded });
core('first', { 1: first });
core('second', { 1: (x) => first(next(x)) });
core('ffirst', { 1: (x) => first(first(x)) });
core('nfirst', { 1: (x) => next(first(x)) });
core('fnext', { 1: (x) => first(next(x)) });
core('nnext', { 1: (x) => next(next(x)) });
core('rest', { 1: rest });
core('next', { 1: next });
/** (last coll) of the value in `handed`, walking without keeping the head. */
function lastHanded(handed) {
  let s = handed.take();
  if (s instanceof PVector) return s.peek();
  let l = null;
  for (s = seq(s); s !== null; s = next(s)) l = s[FIRST](s);
  return l;
}
core('last', {
  1: (x) => lastHanded(new Handed(x)),
});
consumes('last', { 1: lastHanded });
core('butlast', {
  1: (x) => {
    const a = toArray(x);
    a.pop();
    return a.length === 0 ? null : new IndexedSeq(a);
  },
});
core('seq', { 1: seq });
core('cons', { 2: cons });
core('conj', {
  0: () => EMPTY_VECTOR,
  1: (c) => c,
  2: conj,
  va: (xs) => { let c = xs[0]; for (let i = 1; i < xs.length; i++) c = conj(c, xs[i]); return c; },
});
core('disj', {
  1: (s) => s,
  2: disj,
  va: (xs) => { let s = xs[0]; for (let i = 1; i < xs.length; i++) s = disj(s, xs[i]); return s; },
});
core('nth', { 2: (c, i) => nth(c, i), 3: (c, i, nf) => nth(c, i, nf) });
core('get', { 2: (m, k) => get(m, k), 3: get });
core('assoc', {
  3: assoc,
  va: (xs) => {
    if (xs.length % 2 === 0) throw illegalArgument('assoc expects even number of arguments after map/vector, found odd number');
    let m = xs[0];
    for (let i = 1; i < xs.length; i += 2) m = assoc(m, xs[i], xs[i + 1]);
    return m;
  },
  vmin: 3,
});
core('dissoc', {
  1: (m) => m,
  2: dissoc,
  va: (xs) => { let m = xs[0]; for (let i = 1; i < xs.length; i++) m = dissoc(m, xs[i]); return m; },
});
core('contains?', { 2: contains });
core('find', { 2: find });
core('keys', { 1: (m) => keys(m, 0) });
core('vals', { 1: (m) => keys(m, 1) });
core('key', { 1: entryKey });
core('val', { 1: entryVal });
core('peek', { 1: peek });
core('pop', { 1: pop });
core('empty', { 1: empty });
core('subvec', { 2: (v, s) => subvec(v, s, null), 3: subvec });
core('rseq', { 1: rseq });
core('meta', { 1: meta });
core('with-meta', { 2: withMeta });
core('vary-meta', { va: (xs) => withMeta(xs[0], invokeArray(xs[1], [meta(xs[0]), ...xs.slice(2)])), vmin: 2 });

// --- nested and combined -------------------------------------------------------------

function getIn(m, ks, nf) {
  const miss = {};
  for (let s = seq(ks); s !== null; s = next(s)) {
    m = get(m, s[FIRST](s), miss);
    if (m === miss) return nf;
  }
  return m;
}
core('get-in', { 2: (m, ks) => getIn(m, ks, null), 3: getIn });
function assocIn(m, ks, v) {
  const s = seq(ks);
  const k = s === null ? null : s[FIRST](s), r = s === null ? null : next(s);
  if (r === null) return assoc(m, k, v);
  return assoc(m, k, assocIn(get(m, k), r, v));
}
core('assoc-in', { 3: assocIn });
core('update', {
  3: (m, k, f) => assoc(m, k, invoke1(f, get(m, k))),
  va: (xs) => assoc(xs[0], xs[1], invokeArray(xs[2], [get(xs[0], xs[1]), ...xs.slice(3)])),
  vmin: 3,
});
function updateIn(m, ks, f, args) {
  const s = seq(ks);
  const k = s === null ? null : s[FIRST](s);
  const r = s === null ? null : next(s);
  if (r === null) return assoc(m, k, invokeArray(f, [get(m, k), ...args]));
  return assoc(m, k, updateIn(get(m, k), r, f, args));
}
core('update-in', { 3: (m, ks, f) => updateIn(m, ks, f, []), va: (xs) => updateIn(xs[0], xs[1], xs[2], xs.slice(3)), vmin: 3 });
core('update-keys', {
  2: (m, f) => {
    let out = EMPTY_MAP;
    for (let s = seq(m); s !== null; s = next(s)) { const e = s[FIRST](s); out = out.assoc(invoke1(f, entryKey(e)), entryVal(e)); }
    return withMetaOf(out, meta(m));
  },
});
core('update-vals', {
  2: (m, f) => {
    let out = m instanceof PMap || m instanceof TreeMap ? m : EMPTY_MAP;
    for (let s = seq(m); s !== null; s = next(s)) { const e = s[FIRST](s); out = out.assoc(entryKey(e), invoke1(f, entryVal(e))); }
    return withMetaOf(out, meta(m));
  },
});
const withMetaOf = (m, mt) => (mt === null ? m : withMeta(m, mt));
function merge(maps) {
  if (!maps.some(truthy)) return null;
  return maps.reduce((acc, m) => conj(acc === null ? EMPTY_MAP : acc, m));
}
core('merge', { 0: () => null, va: merge });
core('merge-with', {
  va: (xs) => {
    const f = xs[0];
    const maps = xs.slice(1);
    if (!maps.some(truthy)) return null;
    return maps.reduce((acc, m) => {
      if (m === null) return acc;
      let r = acc === null ? EMPTY_MAP : acc;
      const miss = {};
      for (let s = seq(m); s !== null; s = next(s)) {
        const e = s[FIRST](s);
        const k = entryKey(e), v = entryVal(e);
        const old = get(r, k, miss);
        r = assoc(r, k, old === miss ? v : invoke2(f, old, v));
      }
      return r;
    });
  },
  vmin: 1,
});
core('select-keys', {
  2: (m, ks) => {
    let out = EMPTY_MAP;
    for (let s = seq(ks); s !== null; s = next(s)) {
      const e = find(m, s[FIRST](s));
      if (e !== null) out = out.assoc(entryKey(e), entryVal(e));
    }
    return withMetaOf(out, meta(m));
  },
});
core('zipmap', {
  2: (ks, vs) => {
    const t = new MapBuilder();
    let a = seq(ks), b = seq(vs);
    for (; a !== null && b !== null; a = next(a), b = next(b)) t.assoc(a[FIRST](a), b[FIRST](b));
    return t.persistent();
  },
});
/**
 * frequencies' counts: in a JS Map while every key is one whose Clojure equality is JS's
 * identity (a string, a long or non-integral double that is not NaN, a boolean, nil, an
 * interned keyword), else in a MapBuilder. The Map keeps the order keys were first seen in,
 * the order a MapBuilder would have been given them, so the map made at the end is the one
 * counting in a MapBuilder from the start makes (its array-map order, its collision nodes).
 */
class Counts {
  constructor() {
    this.plain = new Map();
    this.builder = null;
  }
  add(x) {
    if (this.builder === null) {
      if (identityKey(x)) {
        this.plain.set(x, (this.plain.get(x) ?? 0) + 1);
        return this;
      }
      this.builder = this.plainCounts();
    }
    const t = this.builder;
    t.assoc(x, t.get(x, 0) + 1);
    return this;
  }
  persistent() { return (this.builder ?? this.plainCounts()).persistent(); }
  /** The Map's counts in a MapBuilder, in the order their keys were first seen. */
  plainCounts() {
    const t = new MapBuilder();
    for (const [k, n] of this.plain) t.assoc(k, n);
    return t;
  }
}
const countStep = (counts, x) => counts.add(x);
function identityKey(x) {
  switch (typeof x) {
    case 'string': case 'boolean': return true;
    case 'number': return x === x; // (not NaN)
  }
  return x === null || x instanceof Keyword;
}

core('frequencies', {
  1: (c) => {
    // (by reduceSeq: a chunked seq's chunks walked whole, no seq step per element)
    const counts = reduceSeq(seq(c), countStep, new Counts());
    return counts.persistent();
  },
});
core('group-by', {
  2: (f, c) => {
    const t = new MapBuilder();
    for (let s = seq(c); s !== null; s = next(s)) {
      const x = s[FIRST](s);
      const k = invoke1(f, x);
      t.assoc(k, t.get(k, EMPTY_VECTOR).conj(x));
    }
    return t.persistent();
  },
});

// --- transients ---------------------------------------------------------------------

core('transient', { 1: transient });
core('persistent!', { 1: persistentBang });
core('conj!', {
  0: () => transient(EMPTY_VECTOR),
  1: (t) => t,
  2: conjBang,
  va: (xs) => { let t = xs[0]; for (let i = 1; i < xs.length; i++) t = conjBang(t, xs[i]); return t; },
});
core('assoc!', {
  3: assocBang,
  va: (xs) => { let t = xs[0]; for (let i = 1; i + 1 < xs.length; i += 2) t = assocBang(t, xs[i], xs[i + 1]); return t; },
  vmin: 3,
});
core('dissoc!', { 2: dissocBang, va: (xs) => { let t = xs[0]; for (let i = 1; i < xs.length; i++) t = dissocBang(t, xs[i]); return t; }, vmin: 2 });
core('disj!', { 1: (t) => t, 2: disjBang, va: (xs) => { let t = xs[0]; for (let i = 1; i < xs.length; i++) t = disjBang(t, xs[i]); return t; } });
core('pop!', { 1: popBang });

// --- helpers other sections share -------------------------------------------------

/** The sorted collection's comparator (a JS function) and seq from a key, for subseq. */
export function sortedParts(sc) {
  if (sc === null || sc[SORTED] !== true) throw castError(sc, 'clojure.lang.Sorted');
  return sc;
}

