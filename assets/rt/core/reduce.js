// clojure.core: reduce, reduce-kv, into, transduce and friends; searching (some, every?);
// sorting.

import { illegalArgument, arityError, truthy } from '../errors.js';
import { className } from '../types.js';
import {
  FIRST, REDUCE, KV_REDUCE, AS_TRANSIENT, CONJ_BANG, PERSISTENT_BANG,
} from '../core-protocols.js';
import { gte, lte } from '../numbers.js';
import { compare } from '../equality.js';
import { seq, next, toArray, reduceHanded, EMPTY_LIST, IndexedSeq, lazySeq, Cons } from '../seqs.js';
import { EMPTY_VECTOR, vectorOf } from '../vector.js';
import { Reduced, Handed } from '../reduced.js';
import { conj, count, nth } from '../colls.js';
import { invoke0, invoke1, invoke2, invoke3, invokeArray, caller2 } from '../fns.js';
import { core, consumes } from './lib.js';
import { comparator } from './colls.js';
import { rfArity, map1, mapN, filter } from './seqfns.js';

// The fns here that walk a seq to its end also take it handed over (fns.js, TAKES_HANDED),
// and then let go of each step as they pass it: reduce, run!, into, transduce, some, every?,
// not-every?, not-any?.

/** (reduce f init coll): IReduce when the collection has it, else its seq. */
export function reduceFrom(f, init, coll) { return reduceFromHanded(f, init, new Handed(coll)); }

/** The collection's own reduce (IReduce), if it has one. */
const reduceMethod = (coll) => (coll === null || coll === undefined ? undefined : coll[REDUCE]);

function reduceFromHanded(f, init, handed) {
  const r = reduceMethod(handed.peek());
  if (r !== undefined) return r(handed.take(), asFunction(f), init);
  return reduceHanded(handed, caller2(f), init);
}

/**
 * What a collection's own reduce gets: a fn as it is, anything else callable (a keyword, a
 * map, a user type implementing IFn) as a function of two arguments that invokes it.
 */
const asFunction = (f) => (typeof f === 'function' ? f : asInvoked(f));
/** A non-fn callable as a JS function of 0 or 2 arguments (reduce calls (f) on an empty coll). */
const asInvoked = (f) => function (acc, x) { return arguments.length === 0 ? invoke0(f) : invoke2(f, acc, x); };

/** (reduce f coll): the first element starts it; an empty coll gives (f). */
function reduceNoInitHanded(f, handed) {
  const r = reduceMethod(handed.peek());
  if (r !== undefined) return r(handed.take(), typeof f === 'function' ? f : asInvoked(f));
  let s = seq(handed.take());
  if (s === null) return invoke0(f);
  const init = s[FIRST](s);
  const rest = new Handed(next(s));
  s = null; // the head, let go of before the walk
  return reduceHanded(rest, caller2(f), init);
}

core('reduce', { 2: (f, coll) => reduceNoInitHanded(f, new Handed(coll)), 3: reduceFrom });
consumes('reduce', { 2: reduceNoInitHanded, 3: reduceFromHanded });
core('reduce-kv', {
  3: (f, init, m) => {
    if (m === null) return init;
    const kv = m[KV_REDUCE];
    if (kv === undefined) {
      throw illegalArgument(`No implementation of method: :kv-reduce of protocol: #'clojure.core.protocols/IKVReduce found for class: ${className(m)}`);
    }
    return kv(m, (acc, k, v) => invoke3(f, acc, k, v), init);
  },
});
core('reduced', { 1: (x) => new Reduced(x) });
core('unreduced', { 1: (x) => (x instanceof Reduced ? x.v : x) });
core('ensure-reduced', { 1: (x) => (x instanceof Reduced ? x : new Reduced(x)) });
// (f's reduced value stops the walk, as Clojure's run!, which reduces with (fn [_ x] (f x)))
const runHanded = (f, handed) => { reduceFromHanded((acc, x) => invoke1(f, x), null, handed); return null; };
core('run!', { 2: (f, c) => runHanded(f, new Handed(c)) });
consumes('run!', { 2: runHanded });

/** into: through a transient when the target has one. */
function into(to, from) { return intoHanded(to, new Handed(from)); }
function intoHanded(to, from) {
  if (to !== null && to[AS_TRANSIENT] !== undefined) {
    const t = reduceFromHanded((acc, x) => acc[CONJ_BANG](acc, x), to[AS_TRANSIENT](to), from);
    const p = t[PERSISTENT_BANG](t);
    const m = to._meta ?? null;
    return m === null || p._meta === m ? p : withMetaLike(p, m);
  }
  return reduceFromHanded((acc, x) => conj(acc, x), to, from);
}
const withMetaLike = (coll, m) => { const c = Object.create(Object.getPrototypeOf(coll)); Object.assign(c, coll); c._meta = m; c._hash = null; return c; };

const conjRf = rfArity(() => EMPTY_VECTOR, (acc) => acc, (acc, x) => conj(acc, x));
const conjBangRf = rfArity(() => null, (acc) => acc, (acc, x) => acc[CONJ_BANG](acc, x));

function transduceHanded(xf, f, init, coll) {
  const rf = invoke1(xf, f);
  const acc = reduceFromHanded(rf, init, coll);
  return invoke1(rf, acc);
}
function intoTransducedHanded(to, xf, from) {
  if (to !== null && to[AS_TRANSIENT] !== undefined) {
    const t = transduceHanded(xf, conjBangRf, to[AS_TRANSIENT](to), from);
    return t[PERSISTENT_BANG](t);
  }
  return transduceHanded(xf, conjRf, to, from);
}
core('into', {
  0: () => EMPTY_VECTOR,
  1: (to) => to,
  2: into,
  3: (to, xf, from) => intoTransducedHanded(to, xf, new Handed(from)),
});
consumes('into', { 2: intoHanded, 3: intoTransducedHanded });
const transduce3Handed = (xf, f, coll) => transduceHanded(xf, f, invoke0(f), coll);
core('transduce', {
  3: (xf, f, coll) => transduce3Handed(xf, f, new Handed(coll)),
  va: (xs) => {
    if (xs.length !== 4) throw arityError(xs.length, 'clojure.core/transduce');
    return transduceHanded(xs[0], xs[1], xs[2], new Handed(xs[3]));
  },
  vmin: 4,
});
consumes('transduce', { 3: transduce3Handed, 4: transduceHanded });
function completing(f, cf) {
  return rfArity(() => invoke0(f), (x) => invoke1(cf, x), (acc, x) => invoke2(f, acc, x));
}
core('completing', { 1: (f) => completing(f, (x) => x), 2: completing });
core('sequence', {
  1: (c) => (c !== null && c[FIRST] !== undefined ? c : seq(c) ?? EMPTY_LIST),
  2: (xf, c) => lazyTransduced(xf, [c]),
  va: (xs) => lazyTransduced(xs[0], xs.slice(1)),
});
/** (sequence xf colls...): the transducer run over the inputs, lazily, a step at a time. */
function lazyTransduced(xf, colls) {
  let buffer = [];
  const rf = invoke1(xf, rfArity(() => null, (acc) => acc, (acc, x) => { buffer.push(x); return acc; }));
  let inputs = colls.map(seq);
  let done = false;
  const step = () => lazySeq(() => {
    while (buffer.length === 0 && !done) {
      if (inputs.some((s) => s === null)) {
        rf(null);
        done = true;
        break;
      }
      const xs = inputs.map((s) => s[FIRST](s));
      inputs = inputs.map(next);
      const r = xs.length === 1 ? invoke2(rf, null, xs[0]) : invokeArray(rf, [null, ...xs]);
      if (r instanceof Reduced) { rf(null); done = true; }
    }
    if (buffer.length === 0) return null;
    const items = buffer;
    buffer = [];
    let out = step();
    for (let i = items.length - 1; i >= 0; i--) out = new Cons(items[i], out);
    return out;
  });
  return step();
}
core('eduction', {
  va: (xs) => {
    const coll = xs[xs.length - 1];
    const fs = xs.slice(0, -1);
    const xf = fs.length === 1 ? fs[0] : (rf) => fs.reduceRight((acc, f) => invoke1(f, acc), rf);
    return lazyTransduced(xf, [coll]);
  },
  vmin: 1,
});
core('mapv', {
  2: (f, c) => into(EMPTY_VECTOR, map1(f, c)),
  va: (xs) => vectorOf(toArray(mapN(xs[0], xs.slice(1)))),
  vmin: 3,
});
core('filterv', { 2: (p, c) => into(EMPTY_VECTOR, filter(p, c, true)) });
/** The first truthy (p x) of the seq in `handed` (nil when none), keeping only the step it is at. */
function someHanded(p, handed) {
  for (let s = seq(handed.take()); s !== null; s = next(s)) { const v = invoke1(p, s[FIRST](s)); if (truthy(v)) return v; }
  return null;
}
function everyHanded(p, handed) {
  for (let s = seq(handed.take()); s !== null; s = next(s)) if (!truthy(invoke1(p, s[FIRST](s)))) return false;
  return true;
}
const notEveryHanded = (p, handed) => !everyHanded(p, handed);
const notAnyHanded = (p, handed) => !truthy(someHanded(p, handed));
for (const [name, handedArity] of [['some', someHanded], ['every?', everyHanded], ['not-every?', notEveryHanded], ['not-any?', notAnyHanded]]) {
  core(name, { 2: (p, c) => handedArity(p, new Handed(c)) });
  consumes(name, { 2: handedArity });
}
const byKey = (better) => ({
  2: (k, x) => x,
  va: (xs) => {
    const k = xs[0];
    let best = xs[1], bk = invoke1(k, best);
    for (let i = 2; i < xs.length; i++) {
      const v = invoke1(k, xs[i]);
      if (better(v, bk)) { best = xs[i]; bk = v; }
    }
    return best;
  },
  vmin: 2,
});
core('max-key', byKey((v, b) => gte(v, b)));
core('min-key', byKey((v, b) => lte(v, b)));

// --- sorting -----------------------------------------------------------------------------

/**
 * Sorts `a` in place as `compare` would when every element is a JS number but NaN (a long
 * within 2^53 or a non-integral double): by a Float64Array's own numeric sort, with no call
 * per comparison. Equal numbers are then the same value, so that this sort is not stable
 * cannot show. False (and `a` untouched) when some element is anything else.
 */
function sortNumbers(a) {
  const n = a.length;
  if (n < 16) return false;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (typeof x !== 'number' || x !== x) return false;
    xs[i] = x;
  }
  xs.sort();
  for (let i = 0; i < n; i++) a[i] = xs[i];
  return true;
}

function sortBy(keyfn, cmp, coll) {
  const a = toArray(coll);
  if (a.length === 0) return EMPTY_LIST;
  if (keyfn === null && cmp === compare && sortNumbers(a)) return new IndexedSeq(a);
  if (keyfn === null) a.sort(cmp);
  else {
    const keyed = a.map((x) => [invoke1(keyfn, x), x]);
    keyed.sort((p, q) => cmp(p[0], q[0]));
    for (let i = 0; i < a.length; i++) a[i] = keyed[i][1];
  }
  return new IndexedSeq(a);
}
core('sort', { 1: (c) => sortBy(null, compare, c), 2: (f, c) => sortBy(null, comparator(f), c) });
core('sort-by', { 2: (k, c) => sortBy(k, compare, c), 3: (k, f, c) => sortBy(k, comparator(f), c) });
core('shuffle', {
  1: (c) => {
    const a = toArray(c);
    for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
    return vectorOf(a);
  },
});
core('rand-nth', { 1: (c) => nth(c, Math.floor(Math.random() * count(c))) });

