// Reduce's inner loops, with code of their own per step fn.
//
// A collection's reduce calls its step fn once per element. With one loop for every fn, that
// one call site sees every fn a program reduces with: V8 stops inlining it once it has seen a
// few (megamorphic), and then each step is a full call, several times slower (the perf
// suite's `(reduce conj! (transient []) (range 1000000))`: 11 ms alone, 17 ms after the other
// workloads had reduced with their fns). So a fn reduced over a large collection gets loops of
// its own, made once and kept on it (or on its compiled code): their call sites see one fn.
// A library fn may bring hand-written loops (REDUCE_LOOPS): clojure.core/+ adds its longs in
// the loop itself, with no call per element.

import { Reduced } from './reduced.js';
import { FIXED_ARITIES, FN } from './types.js';

/**
 * Collections this large get a fn's own loops: making them costs some 20 µs of compiling,
 * once per fn, against a few ns saved per element.
 */
const OWN_LOOPS_MIN = 512;

/**
 * On a library fn: its own loops, {range(acc, start, step, n), array(acc, arr, from, to)},
 * each reducing from `acc` as the fn's 2-arity would and returning the result (a Reduced
 * when one stopped it). `range` is only called for long ranges whose every element is a
 * safe integer: start, start + step, ..., n of them.
 */
export const REDUCE_LOOPS = Symbol('jank.reduceLoops');

const MADE_LOOPS = Symbol('jank.madeLoops');
/** Per compiled arity's code: a function of the fn that gives its loops. */
const codeLoops = new WeakMap();

// The loops' source: `call(acc, x)` is spliced in as the step.
const loopsSource = (call) => `return {
  range(acc, v, step, n) {
    for (let i = 0; i < n; i++, v += step) {
      acc = ${call};
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  },
  array(acc, arr, from, to) {
    for (let i = from; i < to; i++) {
      const v = arr[i];
      acc = ${call};
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  },
};`;

/**
 * Fn `f`'s own loops (see above) for reducing `n` elements, or undefined where the shared
 * loops serve: fewer than OWN_LOOPS_MIN elements, a callable that is not a fn, or a page
 * that does not let the runtime make code (a Content-Security-Policy without 'unsafe-eval').
 */
export function ownLoops(f, n) {
  if (n < OWN_LOOPS_MIN || typeof f !== 'function') return undefined;
  const given = f[REDUCE_LOOPS] ?? f[MADE_LOOPS];
  if (given !== undefined) return given ?? undefined;
  const fixed = f[FIXED_ARITIES]?.[2];
  if (fixed !== undefined) {
    // (null: none could be made; not tried again)
    const made = makeLoops('g', '(g(acc, v) ?? null)')?.(fixed) ?? null;
    f[MADE_LOOPS] = made;
    return made ?? undefined;
  }
  const code = f[FN]?.fixed[2];
  if (code === undefined) return undefined;
  let ofFn = codeLoops.get(code);
  if (ofFn === undefined) {
    ofFn = makeLoops('code', 'code(self, acc, v)', 'self') ?? null;
    codeLoops.set(code, ofFn);
  }
  return ofFn === null ? undefined : ofFn(code, f);
}

/** The loops made with `call` as their step, as a function of its free names; undefined if code cannot be made. */
function makeLoops(param, call, self) {
  try {
    const make = new Function('Reduced', param, ...(self ? [self] : []), loopsSource(call));
    return (g, s) => make(Reduced, g, s);
  } catch {
    return undefined;
  }
}
