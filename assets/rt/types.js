// Types: what `class`, `type`, `instance?` and protocol dispatch see.
//
// Every value has a Type (a Clojure "class"): `typeOf(x)`. Our own classes carry theirs on
// their prototype under the TYPE symbol; host values get theirs from the prototypes of
// String, Boolean, BigInt, Function, Array and Object (a symbol-keyed property, invisible to
// for-in, Object.keys and JSON), and numbers from a typeof test: a JS number is a long when
// integral, a double otherwise (integral doubles are `Dbl` boxes, numbers.js).
//
// A Type knows its supertypes (superclass and interfaces, by their JVM names), so
// `(instance? clojure.lang.IPersistentVector x)` and protocol extensions to an interface or
// to Object work as on the JVM. Types are found by name (`classNamed`): JVM names
// (`java.lang.String`, `clojure.lang.Keyword`), the simple names Clojure code uses (`String`,
// `Keyword`) and ClojureScript's (`string`, `number`, `object`, `default`, `PersistentVector`).

import { CljError, nullPointer, classCastError } from './errors.js';

/** The property of a prototype that holds its Type (or a function computing it). */
export const TYPE = Symbol('jank.type');

/** Where install sites' prototypes come from, for protocol dispatch (protocol.js). */
const sites = [];

/**
 * A Clojure class: a name, its supertypes, and, for a concrete type, the JS prototype its
 * values share (where protocol methods are installed).
 */
export class Type {
  constructor(name, { supers = [], kind = 'class', proto = null, ctor = null } = {}) {
    this.name = name;
    this.supers = supers;
    this.kind = kind; // 'class' | 'interface'
    this.proto = proto;
    this.ctor = ctor; // a JS constructor for `new` (user types)
    this._ancestors = null;
    this.fields = null; // deftype/defrecord field names
    this.record = false;
  }

  /**
   * This type and every supertype, in the order protocol dispatch tries them (as Clojure's
   * find-protocol-impl): the type, its superclasses, its interfaces nearest first, Object last.
   */
  ancestors() {
    if (this._ancestors !== null) return this._ancestors;
    const classes = [];
    const interfaces = [];
    const seen = new Set([this]);
    const queue = [...this.supers];
    while (queue.length > 0) {
      const t = queue.shift();
      if (seen.has(t)) continue;
      seen.add(t);
      if (t !== OBJECT) (t.kind === 'interface' ? interfaces : classes).push(t);
      queue.push(...t.supers);
    }
    this._ancestors = [this, ...classes, ...interfaces];
    if (this !== OBJECT) this._ancestors.push(OBJECT);
    return this._ancestors;
  }

  isa(other) { return this === other || this.ancestors().includes(other); }
  toString() { return this.name; }
}

const byName = new Map();

/** The Type of that name (any of its names), or null. */
export function classNamed(name) {
  return byName.get(name) ?? null;
}

/** Every name a Type is registered under (the compiler resolves class symbols against these). */
export const classNames = () => [...byName.keys()].sort();

/** Registers `type` under its name and `aliases`. */
function register(type, aliases) {
  byName.set(type.name, type);
  for (const a of aliases) if (!byName.has(a)) byName.set(a, type);
  const simple = type.name.slice(type.name.lastIndexOf('.') + 1);
  if (/^(java\.lang|clojure\.lang)\.[^.]+$/.test(type.name) && !byName.has(simple)) byName.set(simple, type);
  return type;
}

const supersOf = (names) => names.map((n) => {
  const t = byName.get(n);
  if (t === undefined) throw new Error(`internal: unknown supertype ${n}`);
  return t;
});

/** An interface (or abstract class) named `name` with supertypes `supers` (names). */
export function defInterface(name, supers = [], aliases = []) {
  return register(new Type(name, { supers: supersOf(supers), kind: 'interface' }), aliases);
}

/**
 * A concrete type whose values are instances of the JS class `ctor` (or, for host values,
 * share the prototype `proto`): it gets TYPE on its prototype and becomes an install site
 * for protocol methods.
 */
export function defType(name, supers, { ctor = null, proto = ctor ? ctor.prototype : null, aliases = [], kind = 'class' } = {}) {
  const type = new Type(name, { supers: supersOf(supers), proto, ctor, kind });
  if (proto !== null) {
    Object.defineProperty(proto, TYPE, { value: type, writable: true, configurable: true });
    sites.push(type);
  }
  return register(type, aliases);
}

/** Gives `type` (defined before the class of its values existed) the prototype `proto`. */
export function attachPrototype(type, proto) {
  type.proto = proto;
  Object.defineProperty(proto, TYPE, { value: type, writable: true, configurable: true });
  sites.push(type);
}

/**
 * For a JS class whose values belong to two Clojure classes (array and hash maps): `pick`
 * gives a value's Type. Methods stay installed through the Type defType gave the class.
 */
export function typeByField(ctor, pick) {
  Object.defineProperty(ctor.prototype, TYPE, { value: pick, writable: true, configurable: true });
}

/** A type made at run time (deftype, defrecord, reify): not registered by name. */
export function newUserType(name, supers, ctor) {
  const type = new Type(name, { supers, proto: ctor.prototype, ctor });
  byName.set(name, type); // `user.T` names the latest type of that name
  Object.defineProperty(ctor.prototype, TYPE, { value: type, writable: true, configurable: true });
  sites.push(type);
  return type;
}

/** Every concrete type (protocol.js installs methods on their prototypes). */
export const installSites = () => sites;

// ---------------------------------------------------------------------------------------
// The JVM's and Clojure's class tree, as far as Clojure code names it
// ---------------------------------------------------------------------------------------

export const OBJECT = register(new Type('java.lang.Object'), ['Object', 'default']);
for (const [name, supers, aliases = []] of [
  ['java.io.Serializable', []],
  ['java.lang.Comparable', []],
  ['java.lang.CharSequence', []],
  ['java.lang.Iterable', []],
  ['java.lang.Runnable', []],
  ['java.lang.AutoCloseable', []],
  ['java.io.Closeable', ['java.lang.AutoCloseable']],
  ['java.util.concurrent.Callable', []],
  ['java.util.RandomAccess', []],
  ['java.util.Collection', ['java.lang.Iterable']],
  ['java.util.List', ['java.util.Collection']],
  ['java.util.Set', ['java.util.Collection']],
  ['java.util.Map', []],
  ['java.util.Map$Entry', []],
  ['java.lang.Number', ['java.io.Serializable'], ['number']],
  ['clojure.lang.IMeta', [], ['IMeta']],
  ['clojure.lang.IObj', ['clojure.lang.IMeta'], ['IObj']],
  ['clojure.lang.IHashEq', []],
  ['clojure.lang.Seqable', [], ['ISeqable']],
  ['clojure.lang.IPersistentCollection', ['clojure.lang.Seqable']],
  ['clojure.lang.Counted', [], ['ICounted']],
  ['clojure.lang.ILookup', []],
  ['clojure.lang.Associative', ['clojure.lang.IPersistentCollection', 'clojure.lang.ILookup'], ['IAssociative']],
  ['clojure.lang.Indexed', ['clojure.lang.Counted'], ['IIndexed']],
  ['clojure.lang.Sequential', [], ['ISequential']],
  ['clojure.lang.Reversible', [], ['IReversible']],
  ['clojure.lang.Sorted', [], ['ISorted']],
  ['clojure.lang.IPersistentStack', ['clojure.lang.IPersistentCollection'], ['IStack']],
  ['clojure.lang.IPersistentVector', ['clojure.lang.Associative', 'clojure.lang.Sequential', 'clojure.lang.IPersistentStack', 'clojure.lang.Reversible', 'clojure.lang.Indexed'], ['IVector']],
  ['clojure.lang.IPersistentMap', ['java.lang.Iterable', 'clojure.lang.Associative', 'clojure.lang.Counted'], ['IMap']],
  ['clojure.lang.IPersistentSet', ['clojure.lang.IPersistentCollection', 'clojure.lang.Counted'], ['ISet']],
  ['clojure.lang.IPersistentList', ['clojure.lang.Sequential', 'clojure.lang.IPersistentStack'], ['IList']],
  ['clojure.lang.ISeq', ['clojure.lang.IPersistentCollection'], ['ISeq']],
  ['clojure.lang.IndexedSeq', ['clojure.lang.ISeq', 'clojure.lang.Sequential', 'clojure.lang.Counted']],
  ['clojure.lang.IChunkedSeq', ['clojure.lang.ISeq', 'clojure.lang.Sequential'], ['IChunkedSeq']],
  ['clojure.lang.IChunk', ['clojure.lang.Indexed'], ['IChunk']],
  ['clojure.lang.IMapEntry', ['java.util.Map$Entry'], ['IMapEntry']],
  ['clojure.lang.MapEquivalence', []],
  ['clojure.lang.IFn', ['java.util.concurrent.Callable', 'java.lang.Runnable'], ['IFn']],
  ['clojure.lang.Fn', []],
  ['clojure.lang.IDeref', [], ['IDeref']],
  ['clojure.lang.IBlockingDeref', []],
  ['clojure.lang.IRef', ['clojure.lang.IDeref']],
  ['clojure.lang.IAtom', [], ['IAtom']],
  ['clojure.lang.IAtom2', ['clojure.lang.IAtom']],
  ['clojure.lang.IReference', ['clojure.lang.IMeta']],
  ['clojure.lang.IPending', [], ['IPending']],
  ['clojure.lang.Named', [], ['INamed']],
  ['clojure.lang.IRecord', [], ['IRecord']],
  ['clojure.lang.IType', []],
  ['clojure.lang.IReduceInit', []],
  ['clojure.lang.IReduce', ['clojure.lang.IReduceInit'], ['IReduce']],
  ['clojure.lang.IKVReduce', [], ['IKVReduce']],
  ['clojure.lang.IDrop', []],
  ['clojure.lang.IEditableCollection', [], ['IEditableCollection']],
  ['clojure.lang.ITransientCollection', [], ['ITransientCollection']],
  ['clojure.lang.ITransientAssociative', ['clojure.lang.ITransientCollection', 'clojure.lang.ILookup'], ['ITransientAssociative']],
  ['clojure.lang.ITransientMap', ['clojure.lang.ITransientAssociative', 'clojure.lang.Counted'], ['ITransientMap']],
  ['clojure.lang.ITransientVector', ['clojure.lang.ITransientAssociative', 'clojure.lang.Indexed'], ['ITransientVector']],
  ['clojure.lang.ITransientSet', ['clojure.lang.ITransientCollection', 'clojure.lang.Counted'], ['ITransientSet']],
  ['clojure.lang.IExceptionInfo', []],
  ['clojure.lang.Obj', ['clojure.lang.IObj']],
  ['clojure.lang.AFn', ['clojure.lang.IFn']],
  ['clojure.lang.ASeq', ['clojure.lang.Obj', 'clojure.lang.ISeq', 'clojure.lang.Sequential', 'java.util.List', 'clojure.lang.IHashEq']],
  ['clojure.lang.APersistentVector', ['clojure.lang.AFn', 'clojure.lang.IPersistentVector', 'java.lang.Iterable', 'java.util.List', 'java.util.RandomAccess', 'java.lang.Comparable', 'clojure.lang.IHashEq']],
  ['clojure.lang.AMapEntry', ['clojure.lang.APersistentVector', 'clojure.lang.IMapEntry']],
  ['clojure.lang.APersistentMap', ['clojure.lang.AFn', 'clojure.lang.IPersistentMap', 'java.util.Map', 'java.lang.Iterable', 'clojure.lang.MapEquivalence', 'clojure.lang.IHashEq']],
  ['clojure.lang.APersistentSet', ['clojure.lang.AFn', 'clojure.lang.IPersistentSet', 'java.util.Collection', 'java.util.Set', 'clojure.lang.IHashEq']],
  ['clojure.lang.ATransientSet', ['clojure.lang.AFn', 'clojure.lang.ITransientSet']],
  ['clojure.lang.AReference', ['clojure.lang.IReference']],
  ['clojure.lang.ARef', ['clojure.lang.AReference', 'clojure.lang.IRef']],
  ['java.lang.Throwable', ['java.io.Serializable']],
  ['java.lang.Exception', ['java.lang.Throwable']],
  ['java.lang.RuntimeException', ['java.lang.Exception']],
  ['java.lang.Error', ['java.lang.Throwable']],
  ['java.lang.VirtualMachineError', ['java.lang.Error']],
  ['java.lang.IllegalArgumentException', ['java.lang.RuntimeException']],
  ['java.lang.IndexOutOfBoundsException', ['java.lang.RuntimeException']],
]) defInterface(name, supers, aliases);

// Exceptions are classes (their values are CljErrors, typed by their `cls`).
const EXCEPTIONS = [
  ['java.lang.ArithmeticException', 'java.lang.RuntimeException'],
  ['java.lang.ClassCastException', 'java.lang.RuntimeException'],
  ['java.lang.IllegalStateException', 'java.lang.RuntimeException'],
  ['java.lang.NumberFormatException', 'java.lang.IllegalArgumentException'],
  ['java.lang.ArrayIndexOutOfBoundsException', 'java.lang.IndexOutOfBoundsException'],
  ['java.lang.StringIndexOutOfBoundsException', 'java.lang.IndexOutOfBoundsException'],
  ['java.lang.NullPointerException', 'java.lang.RuntimeException'],
  ['java.lang.UnsupportedOperationException', 'java.lang.RuntimeException'],
  ['java.lang.InterruptedException', 'java.lang.Exception'],
  ['java.lang.StackOverflowError', 'java.lang.VirtualMachineError'],
  ['java.lang.OutOfMemoryError', 'java.lang.VirtualMachineError'],
  ['java.lang.AssertionError', 'java.lang.Error'],
  ['java.lang.IllegalAccessError', 'java.lang.Error'],
  ['java.util.NoSuchElementException', 'java.lang.RuntimeException'],
  ['java.util.concurrent.TimeoutException', 'java.lang.Exception'],
  ['clojure.lang.ArityException', 'java.lang.IllegalArgumentException'],
  ['clojure.lang.ExceptionInfo', 'java.lang.RuntimeException', ['clojure.lang.IExceptionInfo']],
  ['clojure.lang.LispReader$ReaderException', 'java.lang.RuntimeException'],
  ['clojure.lang.Compiler$CompilerException', 'java.lang.RuntimeException'],
];
for (const [name, sup, more = []] of EXCEPTIONS) defInterface(name, [sup, ...more]).kind = 'class';
for (const name of ['java.lang.Throwable', 'java.lang.Exception', 'java.lang.RuntimeException', 'java.lang.Error',
  'java.lang.IllegalArgumentException', 'java.lang.IndexOutOfBoundsException']) classNamed(name).kind = 'class';

// Host values' types. Numbers share Number.prototype (long or double by Number.isInteger:
// protocol.js installs a method there that picks); big longs are BigInts; integral doubles
// are Dbl boxes (their prototype is given to DOUBLE by numbers.js).
export const NIL = new Type('nil', { supers: [] });
export const LONG = defType('java.lang.Long', ['java.lang.Number', 'java.lang.Comparable'], { proto: BigInt.prototype });
export const DOUBLE = defType('java.lang.Double', ['java.lang.Number', 'java.lang.Comparable']);
export const BOOLEAN = defType('java.lang.Boolean', ['java.lang.Comparable', 'java.io.Serializable'], { proto: Boolean.prototype, aliases: ['boolean'] });
export const STRING = defType('java.lang.String', ['java.lang.CharSequence', 'java.lang.Comparable', 'java.io.Serializable'], { proto: String.prototype, aliases: ['string'] });
export const FUNCTION = defType('clojure.lang.AFunction', ['clojure.lang.AFn', 'clojure.lang.Fn', 'clojure.lang.IObj'], { proto: Function.prototype, aliases: ['function'] });
export const ARRAY = defType('js/Array', ['java.lang.Object'], { proto: Array.prototype, aliases: ['array'] });
/** A plain JS object ({} and Object.create(null)); other host objects get a Type per constructor. */
export const PLAIN_OBJECT = defType('js/Object', ['java.lang.Object'], { aliases: ['object'] });
export const CLASS = defType('java.lang.Class', ['java.io.Serializable'], { ctor: Type });
defType('java.lang.Throwable$JS', ['java.lang.RuntimeException'], { ctor: Error });

// Object.prototype gives the type of host objects: plain objects, or the type of their class.
Object.defineProperty(Object.prototype, TYPE, {
  value: (x) => hostTypeOf(x), writable: true, configurable: true,
});
Object.defineProperty(CljError.prototype, TYPE, {
  value: (e) => classNamed(e.cls) ?? classNamed('java.lang.Exception'), writable: true, configurable: true,
});

// The host constructors of the types above name those types (`js/String` is `string`);
// `js/Object`, whose prototype every host value inherits, is Object.
/** JS Dates are Clojure's instants: java.util.Date, as `js/Date` too. */
export const DATE = defType('java.util.Date', ['java.lang.Comparable', 'java.io.Serializable'], { ctor: Date, aliases: ['js/Date'] });
const hostTypes = new WeakMap([
  [Object, classNamed('java.lang.Object')], [Array, ARRAY], [String, STRING], [Boolean, BOOLEAN],
  [Function, FUNCTION], [Number, classNamed('java.lang.Number')], [Date, DATE],
]);

/** The Type of a host object: plain objects share one; others have one per constructor. */
function hostTypeOf(x) {
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return PLAIN_OBJECT;
  const ctor = proto.constructor;
  return typeof ctor === 'function' ? hostTypeFor(ctor) : PLAIN_OBJECT;
}

/** The Type of a host constructor's instances (`js/Date`): made on first use. */
export function hostTypeFor(ctor) {
  let type = hostTypes.get(ctor);
  if (type === undefined) {
    const sup = ctor.prototype instanceof Error || ctor === Error ? 'java.lang.Throwable$JS' : 'java.lang.Object';
    type = new Type(`js/${ctor.name || 'Object'}`, { supers: [classNamed(sup)], proto: ctor.prototype, ctor });
    Object.defineProperty(ctor.prototype, TYPE, { value: type, writable: true, configurable: true });
    sites.push(type);
    hostTypes.set(ctor, type);
  }
  return type;
}

/** The Type of any value. */
export function typeOf(x) {
  if (x === null || x === undefined) return NIL;
  if (typeof x === 'number') return Number.isInteger(x) ? LONG : DOUBLE;
  if (x instanceof RangeError && /call stack/i.test(x.message)) return classNamed('java.lang.StackOverflowError');
  const t = x[TYPE];
  if (t === undefined) return PLAIN_OBJECT;
  return typeof t === 'function' ? t(x) : t;
}

/** `(instance? type x)`: type is a Type, or a host constructor (`js/Date`). */
export function isInstance(type, x) {
  if (type instanceof Type) return x !== null && x !== undefined && typeOf(x).isa(type);
  if (typeof type === 'function') return x instanceof type;
  throw classCastError(`class ${className(type)} cannot be cast to class java.lang.Class`);
}

// ---------------------------------------------------------------------------------------
// Class names, as Clojure's messages word them
// ---------------------------------------------------------------------------------------

/**
 * A compiled fn's arities, captures and name (fns.js makes them). A string key, not a
 * symbol: V8 gives a fresh function a symbol-keyed property at about 30 ns, a string-keyed
 * one at about 1 (making closures is that much cheaper).
 */
export const FN = '__jankFn';
/**
 * On a fn implemented in JS (a library fn, a protocol method): its fixed arities as JS
 * functions of exactly their arguments, {0: f0, ..., 3: f3}, which compiled code's var calls
 * reach directly (patch.js, `libraryEntry`).
 */
export const FIXED_ARITIES = Symbol('jank.fixedArities');
/**
 * On a fn implemented in JS: code-table entries of its own, {1: e1, ...}, JS functions of
 * (self, a1..an) that never return undefined; preferred to wrapping FIXED_ARITIES.
 */
export const CODE_ENTRIES = Symbol('jank.codeEntries');
/**
 * A JS function of two arguments that calls fn `f` with them, as directly as can be: a
 * library fn's own 2-arity, a compiled fn's wasm code for two arguments, else `f` (what
 * reduce steps call a million times: no argument-count switch on each); nil as null, never
 * undefined. Only for arguments that are never undefined (collection elements, accumulators).
 */
export const twoArgs = (f) => (typeof f === 'function' && f[STEP] !== undefined ? f[STEP] : directCall(f, 2));

/**
 * On a reducing fn the library makes (a transducer's, into's): its step as a JS function of
 * exactly (acc, x) that never returns undefined, which `twoArgs` gives as it is: a
 * transduce's reduce then calls the step, not the fn's argument-count switch.
 */
export const STEP = Symbol('jank.step');

/** `twoArgs` for one argument (what `map` calls its fn with). */
export const oneArg = (f) => directCall(f, 1);

const CODE_CALLS = [undefined, (f, code) => (a) => code(f, a), (f, code) => (a, b) => code(f, a, b)];
const NIL_SAFE_CALLS = [
  undefined,
  (f) => (a) => { const r = f(a); return r === undefined ? null : r; },
  (f) => (a, b) => { const r = f(a, b); return r === undefined ? null : r; },
];
function directCall(f, n) {
  if (typeof f !== 'function') return f;
  const fixed = f[FIXED_ARITIES]?.[n];
  if (fixed !== undefined) return nilSafe(f, n, fixed);
  const code = f[FN]?.fixed[n];
  if (code !== undefined) return CODE_CALLS[n](f, code);
  return NIL_SAFE_CALLS[n](f);
}

const NIL_SAFE_ARITIES = Symbol('jank.nilSafeArities');
const PARAMS = ['', 'a', 'a, b', 'a, b, c'];
/**
 * Library fn `f`'s arity `fixed` for n arguments, returning null for undefined: made once per
 * fn and kept on it, with code of its own where the page allows making code. Closures of one
 * function literal share their type feedback, so one wrapper for every fn would make each
 * call through it megamorphic (not inlined, several times slower) once a few fns had used it.
 */
export function nilSafe(f, n, fixed) {
  let made = f[NIL_SAFE_ARITIES];
  if (made === undefined) made = f[NIL_SAFE_ARITIES] = [];
  if (made[n] !== undefined) return made[n];
  const params = PARAMS[n];
  try {
    made[n] = new Function('f', `return (${params}) => { const r = f(${params}); return r === undefined ? null : r; };`)(fixed);
  } catch {
    made[n] = (...args) => { const r = fixed(...args); return r === undefined ? null : r; };
  }
  return made[n];
}
/** The qualified name of a core fn implemented in JS ("clojure.core/inc"). */
export const NAME = Symbol('jank.name');

const MUNGE = {
  '-': '_', ':': '_COLON_', '+': '_PLUS_', '>': '_GT_', '<': '_LT_', '=': '_EQ_', '~': '_TILDE_',
  '!': '_BANG_', '@': '_CIRCA_', '#': '_SHARP_', "'": '_SINGLEQUOTE_', '"': '_DOUBLEQUOTE_',
  '%': '_PERCENT_', '^': '_CARET_', '&': '_AMPERSAND_', '*': '_STAR_', '|': '_BAR_', '{': '_LBRACE_',
  '}': '_RBRACE_', '[': '_LBRACK_', ']': '_RBRACK_', '/': '_SLASH_', '\\': '_BSLASH_', '?': '_QMARK_',
};

/** Clojure's munge: the JVM class name part for a Clojure name. */
export function munge(s) {
  let out = '';
  for (const c of s) out += MUNGE[c] ?? c;
  return out;
}

/** The JVM class name Clojure gives a fn: `user$f`, `user$fn__12`, `clojure.core$inc`. */
export function fnClassName(f) {
  const info = f[FN];
  if (info !== undefined) {
    if (info.anon) return `${munge(info.ns ?? 'user')}$fn__${info.id}`;
    const i = info.name.indexOf('/');
    return i < 0 ? munge(info.name) : `${munge(info.name.slice(0, i))}$${munge(info.name.slice(i + 1))}`;
  }
  const qn = f[NAME];
  if (qn !== undefined) {
    const i = qn.indexOf('/');
    return `${munge(qn.slice(0, i))}$${munge(qn.slice(i + 1))}`;
  }
  return f.name ? `js$${f.name}` : 'js$fn';
}

/** The class name of a value, as Clojure's error messages word it. */
export function className(x) {
  if (x === null || x === undefined) return 'nil';
  if (typeof x === 'function') return fnClassName(x);
  return typeOf(x).name;
}

/** A type's name without its package (and, for Clojure's inner classes, its outer class). */
export function simpleName(type) {
  const n = type.name;
  const s = n.slice(n.lastIndexOf('.') + 1);
  return n.startsWith('clojure.lang.') && s.includes('$') ? s.slice(s.lastIndexOf('$') + 1) : s;
}

/** The ClassCastException (or NullPointerException for nil) of using `x` as a `to`. */
export function castError(x, to, nilMessage = 'Cannot invoke "Object.getClass()" because "x" is null') {
  if (x === null || x === undefined) return nullPointer(nilMessage);
  return classCastError(`class ${className(x)} cannot be cast to class ${to}`);
}

/**
 * What the REPL reports for a thrown value: `{cls, message}`, `cls` the fully qualified
 * class (the REPL shows its simple name), message always a string.
 */
export function errorInfo(e) {
  if (e instanceof CljError) return { cls: typeOf(e).name, message: e.cljMessage === null ? '' : String(e.cljMessage) };
  if (e instanceof Error) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { cls: 'java.lang.StackOverflowError', message: e.message };
    return { cls: e.name || 'Error', message: e.message ?? '' };
  }
  return { cls: className(e), message: null };
}
