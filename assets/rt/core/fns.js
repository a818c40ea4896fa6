// clojure.core: working with fns (apply, partial, comp, juxt, memoize, ...).

import { truthy } from '../errors.js';
import { keyword } from '../scalars.js';
import { seq, Cons, lazySeq } from '../seqs.js';
import { vectorOf } from '../vector.js';
import { MapBuilder } from '../hashmap.js';
import { get } from '../colls.js';
import { applyTo, argumentsArray, invoke0, invoke1, invokeArray, named } from '../fns.js';
import { core, coreLib } from './lib.js';

core('apply', {
  2: (f, args) => applyTo(f, args),
  va: (xs) => {
    let s = seq(xs[xs.length - 1]);
    for (let i = xs.length - 2; i >= 1; i--) s = new Cons(xs[i], s);
    return applyTo(xs[0], s);
  },
  vmin: 2,
});
core('partial', {
  1: (f) => f,
  va: (xs) => {
    const f = xs[0], args = xs.slice(1);
    return named('clojure.core/partial$fn', function () { return invokeArray(f, args.concat(argumentsArray(arguments))); });
  },
  vmin: 2,
});
core('comp', {
  0: () => coreLib.identity,
  1: (f) => f,
  va: (fs) => named('clojure.core/comp$fn', function () {
    let r = invokeArray(fs[fs.length - 1], argumentsArray(arguments));
    for (let i = fs.length - 2; i >= 0; i--) r = invoke1(fs[i], r);
    return r;
  }),
});
core('complement', { 1: (f) => named('clojure.core/complement$fn', function () { return !truthy(invokeArray(f, argumentsArray(arguments))); }) });
core('constantly', { 1: (x) => named('clojure.core/constantly$fn', () => x) });
core('juxt', {
  va: (fs) => named('clojure.core/juxt$fn', function () {
    const args = argumentsArray(arguments);
    return vectorOf(fs.map((f) => invokeArray(f, args)));
  }),
  vmin: 1,
});
core('fnil', {
  va: (xs) => {
    const f = xs[0], defaults = xs.slice(1);
    return named('clojure.core/fnil$fn', function () {
      const args = argumentsArray(arguments);
      defaults.forEach((d, i) => { if (i < args.length && args[i] === null) args[i] = d; });
      return invokeArray(f, args);
    });
  },
  vmin: 2,
});
core('memoize', {
  1: (f) => {
    const cache = new MapBuilder();
    const miss = {};
    return named('clojure.core/memoize$fn', function () {
      const args = argumentsArray(arguments);
      const k = vectorOf(args.slice());
      const hit = cache.get(k, miss);
      if (hit !== miss) return hit;
      const v = invokeArray(f, args);
      cache.assoc(k, v);
      return v;
    });
  },
});
core('trampoline', {
  1: (f) => { let r = invoke0(f); while (typeof r === 'function') r = invoke0(r); return r; },
  va: (xs) => { let r = invokeArray(xs[0], xs.slice(1)); while (typeof r === 'function') r = invoke0(r); return r; },
  vmin: 2,
});

core('every-pred', {
  va: (ps) => named('clojure.core/every-pred$ep', function () {
    const args = argumentsArray(arguments);
    return ps.every((p) => args.every((x) => truthy(invoke1(p, x))));
  }),
  vmin: 1,
});
core('some-fn', {
  va: (ps) => named('clojure.core/some-fn$sp', function () {
    const args = argumentsArray(arguments);
    for (const x of args) for (const p of ps) { const v = invoke1(p, x); if (truthy(v)) return v; }
    return args.length === 0 ? null : ps.length > 0 ? invoke1(ps[ps.length - 1], args[args.length - 1]) : null;
  }),
  vmin: 1,
});

/** (iteration step :somef :vf :kf :initk): the values of calling step on successive keys, lazily. */
core('iteration', {
  va: (xs) => {
    const step = xs[0];
    const opts = new Map();
    for (let i = 1; i + 1 < xs.length; i += 2) opts.set(xs[i], xs[i + 1]);
    const opt = (k, d) => (opts.has(keyword(k)) ? opts.get(keyword(k)) : d);
    const somef = opt('somef', (x) => x !== null);
    const vf = opt('vf', (x) => x);
    const kf = opt('kf', (x) => x);
    const from = (k) => lazySeq(() => {
      const ret = invoke1(step, k);
      if (!truthy(invoke1(somef, ret))) return null;
      const nk = invoke1(kf, ret);
      return new Cons(invoke1(vf, ret), nk === null ? null : from(nk));
    });
    return from(opt('initk', null));
  },
  vmin: 1,
});
