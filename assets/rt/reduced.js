// `reduced`: the wrapper a reducing function returns to stop a reduction early, and `Handed`,
// the box a walked seq is handed over in.

import { defType } from './types.js';
import { implement } from './protocol.js';
import { IDeref, IPrintWithWriter } from './core-protocols.js';
import { printTagged, printTo, printItems, hex } from './print.js';

export class Reduced {
  constructor(v) { this.v = v; }
  toString() { return `clojure.lang.Reduced@${hex(this)}`; }
}

export const REDUCED = defType('clojure.lang.Reduced', ['clojure.lang.IDeref'], { ctor: Reduced });
implement(REDUCED, IDeref, { '-deref': (r) => r.v });

/** Prints a reference as Clojure does: #object[clojure.lang.Atom 0x1f {:status :ready, :val 1}]. */
export function printRef(cls, o, value, w, status = ':ready') {
  w.write(`#object[${cls} 0x${hex(o)} `);
  // printed as the map {:status :ready, :val v} (so *print-level* counts it)
  printItems('{', '}', ', ', [':status', ':val'], (k) => {
    w.write(k + ' ');
    if (k === ':status') w.write(status); else printTo(value, w);
  }, w);
  w.write(']');
}
implement(REDUCED, IPrintWithWriter, { '-pr-writer': (r, w) => printRef('clojure.lang.Reduced', r, r.v, w) });

/**
 * A value handed to a fn outside its arguments, so that no frame keeps it: a seq a fn walks
 * to its end (reduce, count, ...) is taken out with `take()`, and the walk lets go of each
 * step as it passes it (a parameter stays alive as long as its frame, whatever the fn does).
 */
export class Handed {
  constructor(v) { this.v = v; }
  /** The value, without letting go of it (to ask what it is). */
  peek() { return this.v; }
  take() { const v = this.v; this.v = null; return v; }
}

export const isReduced = (x) => x instanceof Reduced;
export const unreduced = (x) => (x instanceof Reduced ? x.v : x);
export { printTagged };
