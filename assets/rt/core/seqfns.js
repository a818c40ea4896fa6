// clojure.core: the lazy sequence functions and their transducers.
//
// As in Clojure, map, filter, remove, keep, keep-indexed, map-indexed and concat work a chunk at
// a time on chunked seqs (vectors, ranges), so their side effects happen when Clojure's do:
// (first (map f (range 100))) calls f 32 times.

import { arityError, truthy } from '../errors.js';
import { NAME, STEP } from '../types.js';
import {
  FIRST, CHUNKED_SEQ, CHUNKED_FIRST, CHUNKED_REST, SORTED_SEQ, SORTED_SEQ_FROM, ENTRY_KEY,
} from '../core-protocols.js';
import { toIndex } from '../numbers.js';
import { equiv } from '../equality.js';
import {
  seq, first, next, rest, toArray, isSequential, lazySeq, LazySeq, Cons, EMPTY_LIST, ChunkBuffer,
  chunkCons, rangeOf, iterateOf, repeatOf, cycleOf, listOf,
} from '../seqs.js';
import { vectorOf } from '../vector.js';
import { MapBuilder } from '../hashmap.js';
import { Reduced, Handed } from '../reduced.js';
import { get } from '../colls.js';
import { invoke0, invoke1, invoke2, invokeArray, caller1, caller2 } from '../fns.js';
import { core, consumes, internal } from './lib.js';
import { sortedParts } from './colls.js';

const isChunked = (s) => s !== null && s[CHUNKED_SEQ] === true;
const chunkFirst = (s) => s[CHUNKED_FIRST](s);
const chunkRest = (s) => s[CHUNKED_REST](s);
/** A count argument (doubles count as Clojure's do, up to their value). */
const countArg = (n) => (typeof n === 'number' ? n : toIndex(n));

// --- transducer helpers -----------------------------------------------------------------

/** A reducing fn of the three arities: () init, (acc) completion, (acc x) step. */
export const rfArity = (init, complete, step) => {
  const rf = function (acc, x) {
    switch (arguments.length) {
      case 0: return init();
      case 1: return complete(acc);
      case 2: return step(acc, x);
      default: throw arityError(arguments.length, 'clojure.core/rf');
    }
  };
  rf[STEP] = step; // (what reduce calls: types.js, STEP)
  return rf;
};
/** A transducer whose step is `makeStep(rf)`; init and completion pass through. */
export const xform = (makeStep) => (rf) => {
  const step = makeStep(rf);
  return rfArity(() => invoke0(rf), (acc) => invoke1(rf, acc), step);
};
/** A stateful transducer: `make(rf)` gives {step, complete?} with state of its own. */
const statefulXform = (make) => (rf) => {
  const { step, complete } = make(rf);
  return rfArity(() => invoke0(rf), complete ?? ((acc) => invoke1(rf, acc)), step);
};

// --- map, filter, keep: chunked ---------------------------------------------------------

/** Maps a chunked seq's chunks through `eachChunk(chunk, buffer)`, the rest lazily. */
function chunkwise(s, eachChunk, restFn) {
  const c = chunkFirst(s);
  const n = c.count();
  const b = new ChunkBuffer(n);
  eachChunk(c, n, b);
  return chunkCons(b.chunk(), restFn(chunkRest(s)));
}

function map1(f, coll) { return mapWith(caller1(f), coll); }
/** map1 calling `call` (f as caller1 makes it, once for the whole seq). */
function mapWith(call, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null) return null;
    if (isChunked(s)) return chunkwise(s, (c, n, b) => { for (let i = 0; i < n; i++) b.add(call(c.nth(i))); }, (r) => mapWith(call, r));
    return new Cons(call(s[FIRST](s)), mapWith(call, rest(s)));
  });
}
function mapN(f, colls) {
  return lazySeq(() => {
    const ss = colls.map(seq);
    if (ss.some((s) => s === null)) return null;
    return new Cons(invokeArray(f, ss.map((s) => s[FIRST](s))), mapN(f, ss.map(rest)));
  });
}
core('map', {
  // (rfArity calls the step with exactly acc and x)
  1: (f) => (rf) => {
    const call = caller1(f), step = caller2(rf);
    return rfArity(() => invoke0(rf), (acc) => invoke1(rf, acc), (acc, x) => step(acc, call(x)));
  },
  2: map1,
  3: (f, a, b) => mapN(f, [a, b]),
  va: (xs) => mapN(xs[0], xs.slice(1)),
  vmin: 4,
});

function filter(pred, coll, keep) {
  return lazySeq(() => {
    for (let s = seq(coll); s !== null; s = next(s)) {
      if (isChunked(s)) {
        return chunkwise(s, (c, n, b) => {
          for (let i = 0; i < n; i++) { const x = c.nth(i); if (truthy(invoke1(pred, x)) === keep) b.add(x); }
        }, (r) => filter(pred, r, keep));
      }
      const x = s[FIRST](s);
      if (truthy(invoke1(pred, x)) === keep) return new Cons(x, filter(pred, rest(s), keep));
    }
    return null;
  });
}
core('filter', {
  1: (p) => xform((rf) => (acc, x) => (truthy(invoke1(p, x)) ? invoke2(rf, acc, x) : acc)),
  2: (p, c) => filter(p, c, true),
});
core('remove', {
  1: (p) => xform((rf) => (acc, x) => (truthy(invoke1(p, x)) ? acc : invoke2(rf, acc, x))),
  2: (p, c) => filter(p, c, false),
});

function keep(f, coll, indexed, start) {
  return lazySeq(() => {
    let i = start;
    for (let s = seq(coll); s !== null; s = next(s)) {
      if (isChunked(s)) {
        let j = i;
        return chunkwise(s, (c, n, b) => {
          for (let k = 0; k < n; k++, j++) {
            const v = indexed ? invoke2(f, j, c.nth(k)) : invoke1(f, c.nth(k));
            if (v !== null) b.add(v);
          }
        }, (r) => keep(f, r, indexed, j));
      }
      const v = indexed ? invoke2(f, i, s[FIRST](s)) : invoke1(f, s[FIRST](s));
      i++;
      if (v !== null) return new Cons(v, keep(f, rest(s), indexed, i));
    }
    return null;
  });
}
core('keep', {
  1: (f) => xform((rf) => (acc, x) => { const v = invoke1(f, x); return v === null ? acc : invoke2(rf, acc, v); }),
  2: (f, c) => keep(f, c, false, 0),
});
core('keep-indexed', {
  1: (f) => statefulXform((rf) => {
    let i = -1;
    return { step: (acc, x) => { i++; const v = invoke2(f, i, x); return v === null ? acc : invoke2(rf, acc, v); } };
  }),
  2: (f, c) => keep(f, c, true, 0),
});
function mapIndexed(f, coll, i) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null) return null;
    if (isChunked(s)) {
      let j = i;
      return chunkwise(s, (c, n, b) => { for (let k = 0; k < n; k++, j++) b.add(invoke2(f, j, c.nth(k))); }, (r) => mapIndexed(f, r, j));
    }
    return new Cons(invoke2(f, i, s[FIRST](s)), mapIndexed(f, rest(s), i + 1));
  });
}
core('map-indexed', {
  1: (f) => statefulXform((rf) => { let i = -1; return { step: (acc, x) => { i++; return invoke2(rf, acc, invoke2(f, i, x)); } }; }),
  2: (f, c) => mapIndexed(f, c, 0),
});

// --- take and drop ----------------------------------------------------------------------

function take(n, coll) {
  return lazySeq(() => {
    if (n <= 0) return null;
    const s = seq(coll);
    return s === null ? null : new Cons(s[FIRST](s), take(n - 1, rest(s)));
  });
}
core('take', {
  1: (n) => statefulXform((rf) => {
    let left = countArg(n);
    return {
      step: (acc, x) => {
        const before = left;
        left -= 1;
        let r = before > 0 ? invoke2(rf, acc, x) : acc;
        if (left <= 0 && !(r instanceof Reduced)) r = new Reduced(r);
        return r;
      },
    };
  }),
  2: (n, c) => take(countArg(n), c),
});
function drop(n, coll) {
  return lazySeq(() => {
    let s = seq(coll);
    for (let i = n; i > 0 && s !== null; i--) s = next(s);
    return s;
  });
}
core('drop', {
  1: (n) => statefulXform((rf) => {
    let left = countArg(n);
    return { step: (acc, x) => { if (left > 0) { left -= 1; return acc; } return invoke2(rf, acc, x); } };
  }),
  2: (n, c) => drop(countArg(n), c),
});
function takeWhile(p, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null || !truthy(invoke1(p, s[FIRST](s)))) return null;
    return new Cons(s[FIRST](s), takeWhile(p, rest(s)));
  });
}
export { takeWhile };
core('take-while', {
  1: (p) => xform((rf) => (acc, x) => (truthy(invoke1(p, x)) ? invoke2(rf, acc, x) : new Reduced(acc))),
  2: takeWhile,
});
const dropWhileSeq = (p, c) => lazySeq(() => {
  let s = seq(c);
  while (s !== null && truthy(invoke1(p, s[FIRST](s)))) s = next(s);
  return s;
});
core('drop-while', {
  1: (p) => statefulXform((rf) => {
    let dropping = true;
    return {
      step: (acc, x) => {
        if (dropping && truthy(invoke1(p, x))) return acc;
        dropping = false;
        return invoke2(rf, acc, x);
      },
    };
  }),
  2: dropWhileSeq,
});
core('take-last', {
  2: (n, c) => {
    const a = toArray(c);
    const k = countArg(n);
    return k <= 0 || a.length === 0 ? null : seq(a.slice(Math.max(0, a.length - k)));
  },
});
core('drop-last', {
  1: (c) => lazySeq(() => { const a = toArray(c); a.pop(); return seq(a); }),
  2: (n, c) => lazySeq(() => { const a = toArray(c); return seq(a.slice(0, Math.max(0, a.length - countArg(n)))); }),
});
function takeNth(n, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    return s === null ? null : new Cons(s[FIRST](s), takeNth(n, drop(n, s)));
  });
}
core('take-nth', {
  1: (n) => statefulXform((rf) => {
    let i = -1;
    const k = countArg(n);
    return { step: (acc, x) => { i++; return i % k === 0 ? invoke2(rf, acc, x) : acc; } };
  }),
  2: (n, c) => takeNth(countArg(n), c),
});
core('split-at', { 2: (n, c) => vectorOf([take(countArg(n), c), drop(countArg(n), c)]) });
core('split-with', { 2: (p, c) => vectorOf([takeWhile(p, c), dropWhileSeq(p, c)]) });
core('nthnext', { 2: (c, n) => { let s = seq(c); for (let i = countArg(n); i > 0 && s !== null; i--) s = next(s); return s; } });
core('nthrest', { 2: (c, n) => { let s = c; for (let i = countArg(n); i > 0 && seq(s) !== null; i--) s = rest(s); return s; } });

// --- combining ------------------------------------------------------------------------

/** The lazy concatenation of seqables (chunks of chunked seqs kept whole). */
export function concat(colls, i = 0) {
  return lazySeq(() => {
    for (; i < colls.length; i++) {
      const s = seq(colls[i]);
      if (s !== null) return concatFrom(s, colls, i + 1);
    }
    return null;
  });
}
function concatFrom(s, colls, i) {
  if (isChunked(s)) return chunkCons(chunkFirst(s), lazySeq(() => {
    const r = seq(chunkRest(s));
    return r === null ? concat(colls, i) : concatFrom(r, colls, i);
  }));
  return new Cons(s[FIRST](s), lazySeq(() => {
    const n = next(s);
    return n === null ? concat(colls, i) : concatFrom(n, colls, i);
  }));
}
core('concat', { 0: () => lazySeq(() => null), va: (xs) => concat(xs, 0) });
internal('lazy-seq*', { 1: (thunk) => new LazySeq(() => invoke0(thunk)) });

function mapcat(f, colls) {
  const mapped = colls.length === 1 ? map1(f, colls[0]) : mapN(f, colls);
  const step = (s) => lazySeq(() => {
    for (let m = seq(s); m !== null; m = next(m)) {
      const inner = seq(m[FIRST](m));
      if (inner !== null) return concatFrom(inner, [step(rest(m))], 0);
    }
    return null;
  });
  return step(mapped);
}
const catStep = (rf) => (acc, x) => {
  for (let s = seq(x); s !== null; s = next(s)) {
    acc = invoke2(rf, acc, s[FIRST](s));
    if (acc instanceof Reduced) return new Reduced(acc);
  }
  return acc;
};
core('cat', { 1: (rf) => rfArity(() => invoke0(rf), (acc) => invoke1(rf, acc), catStep(rf)) });
core('mapcat', {
  1: (f) => xform((rf) => { const c = catStep(rf); return (acc, x) => c(acc, invoke1(f, x)); }),
  va: (xs) => mapcat(xs[0], xs.slice(1)),
  vmin: 2,
});
function interleave(colls) {
  return lazySeq(() => {
    const ss = colls.map(seq);
    if (ss.some((s) => s === null)) return null;
    let out = interleave(ss.map(rest));
    for (let i = ss.length - 1; i >= 0; i--) out = new Cons(ss[i][FIRST](ss[i]), out);
    return out;
  });
}
core('interleave', { 0: () => EMPTY_LIST, 1: (c) => lazySeq(() => c), va: interleave });
function interpose(sep, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null) return null;
    const tail = (r) => lazySeq(() => {
      const t = seq(r);
      return t === null ? null : new Cons(sep, new Cons(t[FIRST](t), tail(rest(t))));
    });
    return new Cons(s[FIRST](s), tail(rest(s)));
  });
}
core('interpose', {
  1: (sep) => statefulXform((rf) => {
    let started = false;
    return {
      step: (acc, x) => {
        if (!started) { started = true; return invoke2(rf, acc, x); }
        const a = invoke2(rf, acc, sep);
        return a instanceof Reduced ? a : invoke2(rf, a, x);
      },
    };
  }),
  2: interpose,
});

// --- partitioning and filtering duplicates ----------------------------------------------

function partition(n, step, pad, coll, all) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null) return null;
    const chunk = toArray(take(n, s));
    if (chunk.length === n) return new Cons(listOf(chunk), partition(n, step, pad, drop(step, s), all));
    if (all) return new Cons(listOf(chunk), partition(n, step, pad, drop(step, s), all));
    if (pad !== undefined) return new Cons(listOf(chunk.concat(toArray(take(n - chunk.length, pad)))), null);
    return null;
  });
}
core('partition', {
  2: (n, c) => partition(countArg(n), countArg(n), undefined, c, false),
  3: (n, st, c) => partition(countArg(n), countArg(st), undefined, c, false),
  va: (xs) => {
    if (xs.length !== 4) throw arityError(xs.length, 'clojure.core/partition');
    return partition(countArg(xs[0]), countArg(xs[1]), xs[2], xs[3], false);
  },
  vmin: 4,
});
core('partition-all', {
  1: (n) => statefulXform((rf) => {
    let buf = [];
    const k = countArg(n);
    return {
      step: (acc, x) => {
        buf.push(x);
        if (buf.length < k) return acc;
        const v = vectorOf(buf);
        buf = [];
        return invoke2(rf, acc, v);
      },
      complete: (acc) => {
        if (buf.length > 0) { const v = vectorOf(buf); buf = []; acc = unreducedOf(invoke2(rf, acc, v)); }
        return invoke1(rf, acc);
      },
    };
  }),
  2: (n, c) => partition(countArg(n), countArg(n), undefined, c, true),
  3: (n, st, c) => partition(countArg(n), countArg(st), undefined, c, true),
});
const unreducedOf = (x) => (x instanceof Reduced ? x.v : x);
function partitionBy(f, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null) return null;
    const x = s[FIRST](s);
    const fv = invoke1(f, x);
    const run = [x];
    let r = next(s);
    while (r !== null && equiv(fv, invoke1(f, r[FIRST](r)))) { run.push(r[FIRST](r)); r = next(r); }
    return new Cons(listOf(run), partitionBy(f, r));
  });
}
const NONE = Symbol('none');
core('partition-by', {
  1: (f) => statefulXform((rf) => {
    let buf = [];
    let pv = NONE;
    return {
      step: (acc, x) => {
        const v = invoke1(f, x);
        if (pv === NONE || equiv(v, pv)) { pv = v; buf.push(x); return acc; }
        const out = vectorOf(buf);
        buf = [x];
        pv = v;
        return invoke2(rf, acc, out);
      },
      complete: (acc) => {
        if (buf.length > 0) { const v = vectorOf(buf); buf = []; acc = unreducedOf(invoke2(rf, acc, v)); }
        return invoke1(rf, acc);
      },
    };
  }),
  2: partitionBy,
});
function distinct(coll) {
  const seen = new MapBuilder();
  const step = (c) => lazySeq(() => {
    for (let s = seq(c); s !== null; s = next(s)) {
      const x = s[FIRST](s);
      if (!seen.containsKey(x)) { seen.assoc(x, true); return new Cons(x, step(rest(s))); }
    }
    return null;
  });
  return step(coll);
}
core('distinct', {
  0: () => statefulXform((rf) => {
    const seen = new MapBuilder();
    return { step: (acc, x) => { if (seen.containsKey(x)) return acc; seen.assoc(x, true); return invoke2(rf, acc, x); } };
  }),
  1: distinct,
});
core('dedupe', {
  0: () => statefulXform((rf) => {
    let prev = NONE;
    return { step: (acc, x) => { const p = prev; prev = x; return p !== NONE && equiv(p, x) ? acc : invoke2(rf, acc, x); } };
  }),
  1: (c) => {
    const step = (s, prev, hasPrev) => lazySeq(() => {
      for (let t = seq(s); t !== null; t = next(t)) {
        const x = t[FIRST](t);
        if (!hasPrev || !equiv(x, prev)) return new Cons(x, step(rest(t), x, true));
      }
      return null;
    });
    return step(c, null, false);
  },
});
core('distinct?', {
  1: () => true,
  2: (a, b) => !equiv(a, b),
  va: (xs) => { const seen = new MapBuilder(); for (const x of xs) { if (seen.containsKey(x)) return false; seen.assoc(x, true); } return true; },
});
function flatten(x) {
  const walk = (c) => lazySeq(() => {
    for (let s = seq(c); s !== null; s = next(s)) {
      const v = s[FIRST](s);
      if (isSequential(v)) return concat([walk(v), walk(rest(s))]);
      return new Cons(v, walk(rest(s)));
    }
    return null;
  });
  return isSequential(x) ? walk(x) : EMPTY_LIST;
}
core('flatten', { 1: (x) => { const f = flatten(x); return seq(f) === null ? EMPTY_LIST : f; } });
core('reverse', { 1: (c) => listOf(toArray(c).reverse()) });
core('replace', {
  1: (smap) => xform((rf) => (acc, x) => invoke2(rf, acc, get(smap, x, x))),
  2: (smap, c) => {
    if (c !== null && c.assocN !== undefined && c.constructor.name === 'PVector') {
      let v = c;
      for (let i = 0; i < c.count(); i++) { const x = c.nth(i); const r = get(smap, x, NONE); if (r !== NONE) v = v.assocN(i, r); }
      return v;
    }
    return map1((x) => get(smap, x, x), c);
  },
});

// --- generating ------------------------------------------------------------------------

core('range', {
  0: () => rangeOf(0, null, 1),
  1: (end) => rangeOf(0, end, 1),
  2: (start, end) => rangeOf(start, end, 1),
  3: rangeOf,
});
core('iterate', { 2: (f, x) => iterateOf((v) => invoke1(f, v), x) });
core('repeat', { 1: (x) => repeatOf(null, x), 2: (n, x) => repeatOf(countArg(n), x) });
function repeatedly(f) { return lazySeq(() => new Cons(invoke0(f), repeatedly(f))); }
core('repeatedly', { 1: repeatedly, 2: (n, f) => take(countArg(n), repeatedly(f)) });
core('cycle', { 1: cycleOf });
core('doall', {
  1: (c) => { for (let s = seq(c); s !== null; s = next(s)); return c; },
  2: (n, c) => { let s = seq(c); for (let i = countArg(n); i > 0 && s !== null; i--) s = next(s); return c; },
});
/** (dorun coll) and (dorun n coll) of the seq in `handed`, keeping only the step it is at. */
const dorunHanded = (handed) => { for (let s = seq(handed.take()); s !== null; s = next(s)); return null; };
function dorunNHanded(n, handed) {
  let s = seq(handed.take());
  for (let i = countArg(n); i > 0 && s !== null; i--) s = next(s);
  return null;
}
core('dorun', {
  1: (c) => dorunHanded(new Handed(c)),
  2: (n, c) => dorunNHanded(n, new Handed(c)),
});
consumes('dorun', { 1: dorunHanded, 2: dorunNHanded });
function reductions(f, init, coll) {
  if (init instanceof Reduced) return listOf([init.v]);
  return new Cons(init, lazySeq(() => {
    const s = seq(coll);
    return s === null ? null : reductions(f, invoke2(f, init, s[FIRST](s)), rest(s));
  }));
}
core('reductions', {
  2: (f, c) => lazySeq(() => { const s = seq(c); return s === null ? listOf([invoke0(f)]) : reductions(f, s[FIRST](s), rest(s)); }),
  3: reductions,
});
core('tree-seq', {
  3: (branch, children, root) => {
    const walk = (node) => lazySeq(() => new Cons(node, truthy(invoke1(branch, node)) ? mapcat(walk, [invoke1(children, node)]) : null));
    return walk(root);
  },
});
core('random-sample', {
  1: (prob) => xform((rf) => (acc, x) => (Math.random() < Number(prob) ? invoke2(rf, acc, x) : acc)),
  2: (prob, c) => filter(() => Math.random() < Number(prob), c, true),
});
core('halt-when', {
  1: (pred) => haltWhen(pred, null),
  2: (pred, retf) => haltWhen(pred, retf),
});
const HALT = Symbol('halt');
function haltWhen(pred, retf) {
  return (rf) => rfArity(
    () => invoke0(rf),
    (acc) => (acc !== null && typeof acc === 'object' && acc[HALT] !== undefined ? acc[HALT] : invoke1(rf, acc)),
    (acc, x) => {
      if (truthy(invoke1(pred, x))) return new Reduced({ [HALT]: retf === null ? x : invoke2(retf, invoke1(rf, acc), x) });
      return invoke2(rf, acc, x);
    },
  );
}

// --- subseq and rsubseq ------------------------------------------------------------------

/** Keeps the entries e of sorted collection sc for which (test (compare (key e) k) 0). */
const boundFn = (sc, test, k) => (e) => truthy(invoke2(test, (sc.m ?? sc).cmp(sc[ENTRY_KEY](sc, e), k), 0));
/** Whether a subseq test is > or >= (which start from the key). */
const isGreater = (test) => test[NAME] === 'clojure.core/>' || test[NAME] === 'clojure.core/>=';

function subseq(sc, test, k) {
  sortedParts(sc);
  const include = boundFn(sc, test, k);
  if (isGreater(test)) {
    const s = sc[SORTED_SEQ_FROM](sc, k, true);
    if (s === null) return null;
    return include(s[FIRST](s)) ? s : next(s);
  }
  return takeWhile(include, sc[SORTED_SEQ](sc, true));
}
function subseq5(sc, startTest, startKey, endTest, endKey) {
  sortedParts(sc);
  const s = sc[SORTED_SEQ_FROM](sc, startKey, true);
  if (s === null) return null;
  return takeWhile(boundFn(sc, endTest, endKey), boundFn(sc, startTest, startKey)(s[FIRST](s)) ? s : next(s));
}
function rsubseq(sc, test, k) {
  sortedParts(sc);
  const include = boundFn(sc, test, k);
  if (!isGreater(test)) {
    const s = sc[SORTED_SEQ_FROM](sc, k, false);
    if (s === null) return null;
    return include(s[FIRST](s)) ? s : next(s);
  }
  return takeWhile(include, sc[SORTED_SEQ](sc, false));
}
function rsubseq5(sc, startTest, startKey, endTest, endKey) {
  sortedParts(sc);
  const s = sc[SORTED_SEQ_FROM](sc, endKey, false);
  if (s === null) return null;
  return takeWhile(boundFn(sc, startTest, startKey), boundFn(sc, endTest, endKey)(s[FIRST](s)) ? s : next(s));
}
core('subseq', { 3: subseq, va: (xs) => { if (xs.length !== 5) throw arityError(xs.length, 'clojure.core/subseq'); return subseq5(...xs); }, vmin: 5 });
core('rsubseq', { 3: rsubseq, va: (xs) => { if (xs.length !== 5) throw arityError(xs.length, 'clojure.core/rsubseq'); return rsubseq5(...xs); }, vmin: 5 });

export { map1, mapN, filter, take, drop };
