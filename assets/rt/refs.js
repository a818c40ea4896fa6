// References: atoms (with validators and watches), volatiles, delays, vars and namespaces.

import { nu, illegalState, truthy } from './errors.js';
import { defType, castError } from './types.js';
import { implement } from './protocol.js';
import {
  IDeref, IReset, ISwap, IWatchable, IMeta, IPending, IFn, IVolatile, IPrintWithWriter, IAtom,
  IHash, IEquiv,
} from './core-protocols.js';
import { identityHash } from './hash.js';
import { printTagged, hex } from './print.js';
import { printRef } from './reduced.js';
import { invoke1, invokeArray } from './fns.js';

// ---------------------------------------------------------------------------------------
// Atoms
// ---------------------------------------------------------------------------------------

/** A mutable reference (clojure.lang.Atom). */
export class Atom {
  constructor(v, meta = null) {
    this.v = v;
    this.validator = null;
    this.watches = []; // [key, fn] pairs, in the order they were added
    this._meta = meta;
  }
  toString() { return `clojure.lang.Atom@${hex(this)}`; }
}

function validate(a, v) {
  if (a.validator !== null && !truthy(invoke1(a.validator, v))) throw illegalState('Invalid reference state');
}

/** Sets an atom's value (validated, watches notified); returns the old value. */
export function setAtom(a, v) {
  validate(a, v);
  const old = a.v;
  a.v = v;
  notifyWatches(a, old, v);
  return old;
}

export function notifyWatches(ref, old, v) {
  for (const [k, f] of ref.watches) invokeArray(f, [k, ref, old, v]);
}

export function addWatch(ref, k, f) {
  ref.watches = ref.watches.filter(([key]) => key !== k);
  ref.watches.push([k, f]);
  return ref;
}

export function removeWatch(ref, k) {
  ref.watches = ref.watches.filter(([key]) => key !== k);
  return ref;
}

/** swap!: f applied to the value and args, set, and returned. */
export function swapAtom(a, f, args) {
  const v = invokeArray(f, [a.v, ...args]);
  setAtom(a, v);
  return v;
}

export function setValidator(ref, f) {
  if (f !== null && !truthy(invoke1(f, ref.v))) throw illegalState('Invalid reference state');
  ref.validator = f;
  return null;
}

export const ATOM_TYPE = defType('clojure.lang.Atom', ['clojure.lang.ARef', 'clojure.lang.IAtom2'], { ctor: Atom });
implement(ATOM_TYPE, IAtom, {});
implement(ATOM_TYPE, IDeref, { '-deref': (a) => a.v });
implement(ATOM_TYPE, IReset, { '-reset!': (a, v) => { setAtom(a, v); return v; } });
implement(ATOM_TYPE, ISwap, { '-swap!': (a, f, ...args) => swapAtom(a, f, args) });
implement(ATOM_TYPE, IWatchable, {
  '-notify-watches': (a, old, v) => { notifyWatches(a, old, v); return null; },
  '-add-watch': addWatch,
  '-remove-watch': removeWatch,
});
implement(ATOM_TYPE, IMeta, { '-meta': (a) => a._meta });
implement(ATOM_TYPE, IPrintWithWriter, { '-pr-writer': (a, w) => printRef('clojure.lang.Atom', a, a.v, w) });

// ---------------------------------------------------------------------------------------
// Volatiles and delays
// ---------------------------------------------------------------------------------------

/** clojure.lang.Volatile. */
export class Volatile {
  constructor(v) { this.v = v; }
  toString() { return `clojure.lang.Volatile@${hex(this)}`; }
}
export const VOLATILE_TYPE = defType('clojure.lang.Volatile', ['clojure.lang.IDeref'], { ctor: Volatile });
implement(VOLATILE_TYPE, IDeref, { '-deref': (v) => v.v });
implement(VOLATILE_TYPE, IVolatile, { '-vreset!': (v, x) => { v.v = x; return x; } });
implement(VOLATILE_TYPE, IPrintWithWriter, { '-pr-writer': (v, w) => printRef('clojure.lang.Volatile', v, v.v, w) });

/** clojure.lang.Delay: `fn` runs once, on the first deref (a throw is remembered). */
export class Delay {
  constructor(fn) {
    this.fn = fn;
    this.v = null;
    this.error = null;
  }
  force() {
    if (this.fn !== null) {
      const f = this.fn;
      this.fn = null;
      try {
        this.v = nu(f());
      } catch (e) {
        this.error = e;
      }
    }
    if (this.error !== null) throw this.error;
    return this.v;
  }
  toString() { return `clojure.lang.Delay@${hex(this)}`; }
}
export const DELAY_TYPE = defType('clojure.lang.Delay', ['clojure.lang.IDeref', 'clojure.lang.IPending'], { ctor: Delay });
implement(DELAY_TYPE, IDeref, { '-deref': (d) => d.force() });
implement(DELAY_TYPE, IPending, { '-realized?': (d) => d.fn === null });
implement(DELAY_TYPE, IPrintWithWriter, {
  '-pr-writer': (d, w) => printRef('clojure.lang.Delay', d, d.fn === null ? d.v : null, w, d.fn === null ? ':ready' : ':pending'),
});

// ---------------------------------------------------------------------------------------
// Namespaces and vars
// ---------------------------------------------------------------------------------------

/** A namespace, as `*ns*`, `in-ns` and `find-ns` return it (the compiler owns its contents). */
export class Namespace {
  constructor(name) {
    this.name = name;
    this._meta = null;
    /** name -> Var: the vars interned in it that this runtime has seen (every def's patch names its var). */
    this.interns = new Map();
  }
  toString() { return this.name; }
}
const namespaces = new Map();

/** The namespace named `name`, made on first use. */
export function namespaceNamed(name) {
  let ns = namespaces.get(name);
  if (ns === undefined) {
    ns = new Namespace(name);
    namespaces.set(name, ns);
  }
  return ns;
}
export const findNamespace = (name) => namespaces.get(name) ?? null;
export const allNamespaces = () => [...namespaces.values()];
export const removeNamespace = (name) => { const ns = namespaces.get(name) ?? null; namespaces.delete(name); return ns; };

export const NAMESPACE_TYPE = defType('clojure.lang.Namespace', ['clojure.lang.AReference'], { ctor: Namespace });
implement(NAMESPACE_TYPE, IPrintWithWriter, { '-pr-writer': (ns, w) => printTagged('clojure.lang.Namespace', ns, ns.name, w) });
implement(NAMESPACE_TYPE, IMeta, { '-meta': (ns) => ns._meta });

/**
 * A var: its root value lives in slot `slot` of its runtime's table (patches read it there
 * directly); `meta` is its metadata map (or null), `dynamic` whether binding may rebind it.
 */
export class Var {
  constructor(runtime, ns, name, slot) {
    this.runtime = runtime;
    this.ns = ns;
    this.name = name;
    this.slot = slot;
    this.meta = null;
    this.watches = [];
    this.validator = null;
    if (ns !== null) namespaceNamed(ns).interns.set(name, this);
  }
  deref() { return nu(this.runtime.table.get(this.slot)); }
  get v() { return this.deref(); }
  bindRoot(v) {
    const old = this.deref();
    this.runtime.table.set(this.slot, nu(v));
    this.runtime.varChanged(this.slot);
    if (this.watches.length > 0) notifyWatches(this, old, v);
  }
  hasRoot() { return !(this.deref() instanceof Unbound); }
  /** A new root as a thread binding gives one: the code table follows, no watch fires. */
  setRootSilently(v) {
    this.runtime.table.set(this.slot, nu(v));
    this.runtime.varChanged(this.slot);
  }
  toString() { return this.ns === null ? '#<Var: --unnamed-->' : `#'${this.ns}/${this.name}`; }
}

/**
 * A var of no namespace (`with-local-vars`): its root is its own, not a table slot (no
 * compiled code calls it through the tables). Dynamic, as Clojure makes them.
 */
export class LocalVar extends Var {
  constructor() {
    super(null, null, null, -1);
    this.root = new Unbound(this);
  }
  deref() { return this.root; }
  bindRoot(v) {
    const old = this.root;
    this.root = nu(v);
    if (this.watches.length > 0) notifyWatches(this, old, v);
  }
  setRootSilently(v) { this.root = nu(v); }
}
export const VAR_TYPE = defType('clojure.lang.Var', ['clojure.lang.ARef', 'clojure.lang.IFn', 'clojure.lang.IRef'], { ctor: Var });
implement(VAR_TYPE, IDeref, { '-deref': (v) => v.deref() });
implement(VAR_TYPE, IFn, { '-invoke': (v, ...args) => invokeArray(v.deref(), args) });
/**
 * The metadata of a var of the runtime's library (`#'map`), which no def gave it: the
 * compiler knows it, and the core library installs how to ask.
 */
let libraryMeta = () => null;
export function setLibraryMeta(lookup) { libraryMeta = lookup; }
implement(VAR_TYPE, IMeta, {
  '-meta': (v) => {
    if (v.meta === null && v.ns !== null && !v.askedForMeta) {
      v.askedForMeta = true;
      v.meta = libraryMeta(v);
    }
    return v.meta;
  },
});
implement(VAR_TYPE, IWatchable, {
  '-notify-watches': (v, old, x) => { notifyWatches(v, old, x); return null; },
  '-add-watch': addWatch,
  '-remove-watch': removeWatch,
});
implement(VAR_TYPE, IHash, { '-hash': (v) => identityHash(v) });
implement(VAR_TYPE, IEquiv, { '-equiv': (a, b) => a === b });
implement(VAR_TYPE, IPrintWithWriter, { '-pr-writer': (v, w) => w.write(v.toString()) });

/** The root of a var that was never defined; calling it throws. */
export class Unbound {
  constructor(v) { this.v = v; }
  toString() { return `Unbound: ${this.v}`; }
}
export const UNBOUND_TYPE = defType('clojure.lang.Var$Unbound', ['clojure.lang.AFn'], { ctor: Unbound });
implement(UNBOUND_TYPE, IFn, {
  '-invoke': (u) => { throw illegalState(`Attempting to call unbound fn: #'${u.v.ns}/${u.v.name}`); },
});
implement(UNBOUND_TYPE, IPrintWithWriter, { '-pr-writer': (u, w) => printTagged('clojure.lang.Var$Unbound', u, u.toString(), w) });

/** A var argument (var-get, alter-var-root): a Var, else a ClassCastException. */
export function checkVar(v) {
  if (!(v instanceof Var)) throw castError(v, 'clojure.lang.Var');
  return v;
}

