// jank-wasm-nrepl runtime: the value model, the printer, the core library and the patch
// loader. One ES module for the browser page and for Node 20, no dependencies.
//
// The contract with compiled patches is docs/patch-abi.md: values are plain JS values or the
// classes below, vars live in one shared WebAssembly.Table, and every patch imports module
// "rt" (see `rtImportNames`) and its constants as globals of module "k".
//
// Collections are Clojure's, ported: vectors are 32-way tries with a tail (PersistentVector),
// maps are array maps up to 8 entries and hash array mapped tries beyond (PersistentArrayMap,
// PersistentHashMap, keyed by Clojure's hasheq so big maps iterate and print in Clojure's
// order), sets are hash maps of their elements; all share structure between versions and
// have transients for building. Everything outside the collection classes goes through their
// methods (get, assoc, dissoc, containsKey, entryAt, conj, nth, seq, count, forEach,
// reduceKV, asTransient ...) and the factory functions (vectorOf, mapOf, setOf, ...).

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

/** Normalise undefined (from host code) to nil. */
export const nu = (x) => (x === undefined ? null : x);

export const MAX_LONG = 9223372036854775807n;
export const MIN_LONG = -9223372036854775808n;

/**
 * The message of the ArithmeticException thrown when long arithmetic overflows. (Clojure up
 * to 1.10 says "integer overflow"; 1.11 says "long overflow".)
 */
export const OVERFLOW_MESSAGE = 'integer overflow';

/** Clojure truthiness: everything but nil and false. */
export const truthy = (x) => x !== null && x !== false && x !== undefined;

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

const JAVA_CLASSES = {
  ArithmeticException: 'java.lang.ArithmeticException',
  ClassCastException: 'java.lang.ClassCastException',
  IllegalArgumentException: 'java.lang.IllegalArgumentException',
  IllegalStateException: 'java.lang.IllegalStateException',
  IndexOutOfBoundsException: 'java.lang.IndexOutOfBoundsException',
  StringIndexOutOfBoundsException: 'java.lang.StringIndexOutOfBoundsException',
  ArrayIndexOutOfBoundsException: 'java.lang.ArrayIndexOutOfBoundsException',
  NullPointerException: 'java.lang.NullPointerException',
  UnsupportedOperationException: 'java.lang.UnsupportedOperationException',
  NumberFormatException: 'java.lang.NumberFormatException',
  StackOverflowError: 'java.lang.StackOverflowError',
  Exception: 'java.lang.Exception',
  RuntimeException: 'java.lang.RuntimeException',
  Error: 'java.lang.Error',
  Throwable: 'java.lang.Throwable',
  ArityException: 'clojure.lang.ArityException',
  ExceptionInfo: 'clojure.lang.ExceptionInfo',
};

/**
 * A Clojure exception. `cls` is the simple class name the REPL reports
 * ("ArithmeticException", "ExceptionInfo", ...), `cljMessage` the message (null when the
 * exception has none), `data` the ex-info map, `cause` the wrapped exception.
 */
export class CljError extends Error {
  constructor(cls, message = null, data = null, cause = null) {
    super(message === null || message === undefined ? '' : String(message),
      cause !== null && cause !== undefined ? { cause } : undefined);
    this.cls = cls;
    this.cljMessage = message === undefined ? null : message;
    this.data = data;
  }
  get name() { return this.cls; }
  /** The fully qualified Java class name, e.g. "java.lang.ArithmeticException". */
  get javaClass() { return JAVA_CLASSES[this.cls] ?? this.cls; }
}

const err = (cls) => (msg = null) => new CljError(cls, msg);
export const arithmeticError = err('ArithmeticException');
export const classCastError = err('ClassCastException');
export const illegalArgument = err('IllegalArgumentException');
export const illegalState = err('IllegalStateException');
export const indexOutOfBounds = err('IndexOutOfBoundsException');
export const unsupportedOperation = err('UnsupportedOperationException');
export const nullPointer = err('NullPointerException');
const overflow = () => new CljError('ArithmeticException', OVERFLOW_MESSAGE);
const divideByZero = () => new CljError('ArithmeticException', 'Divide by zero');

/** `Wrong number of args (n) passed to: name`. */
export function arityError(n, name) {
  return new CljError('ArityException', `Wrong number of args (${n}) passed to: ${name}`);
}

/** The ClassCastException (or NullPointerException for nil) of using `x` as a `to`. */
function castError(x, to, nilMessage = 'Cannot invoke "Object.getClass()" because "x" is null') {
  if (x === null || x === undefined) return nullPointer(nilMessage);
  return classCastError(`class ${className(x)} cannot be cast to class ${to}`);
}

/**
 * What the REPL reports for a thrown value: `{cls, message}` (message always a string).
 * Host errors report their JS name; a JS stack overflow reports StackOverflowError.
 */
export function errorInfo(e) {
  if (e instanceof CljError) return { cls: e.cls, message: e.cljMessage === null ? '' : String(e.cljMessage) };
  if (e instanceof Error) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return { cls: 'StackOverflowError', message: e.message };
    }
    return { cls: e.name || 'Error', message: e.message ?? '' };
  }
  return { cls: className(e), message: toStr(e) };
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

/** A ratio: BigInt numerator and denominator, reduced, den > 1. */
export class Ratio {
  constructor(num, den) { this.num = num; this.den = den; }
  toString() { return `${this.num}/${this.den}`; }
}

/** clojure.lang.BigInt: an arbitrary precision integer (prints with an N suffix). */
export class BigNum {
  constructor(v) { this.v = v; }
  toString() { return this.v.toString(); }
}

/** Check that a BigInt is a long; throw the overflow error if not. */
export function checkLong(x) {
  if (x > MAX_LONG || x < MIN_LONG) throw overflow();
  return x;
}

const bigAbs = (x) => (x < 0n ? -x : x);
function gcd(a, b) {
  a = bigAbs(a); b = bigAbs(b);
  while (b !== 0n) { const t = a % b; a = b; b = t; }
  return a;
}

/**
 * n/d reduced. An integral result is a long (bigResult false: long division, constants) or
 * a BigNum (bigResult true: ratio and BigInt arithmetic, as Clojure does: (+ 1/2 1/2) is 1N).
 */
function makeRatio(n, d, bigResult) {
  if (d === 0n) throw divideByZero();
  const g = gcd(n, d);
  n /= g; d /= g;
  if (d < 0n) { n = -n; d = -d; }
  if (d === 1n) return bigResult ? new BigNum(n) : BigInt.asIntN(64, n);
  return new Ratio(n, d);
}

/** Numeric category: 0 long, 1 BigInt, 2 ratio, 3 double. Throws for non-numbers. */
function numCat(x) {
  switch (typeof x) {
    case 'bigint': return 0;
    case 'number': return 3;
  }
  if (x instanceof BigNum) return 1;
  if (x instanceof Ratio) return 2;
  throw castError(x, 'java.lang.Number');
}

export const isNumber = (x) => typeof x === 'bigint' || typeof x === 'number' || x instanceof Ratio || x instanceof BigNum;
const isInteger = (x) => typeof x === 'bigint' || x instanceof BigNum;
const toBig = (x) => (typeof x === 'bigint' ? x : x.v);
function ratParts(x) {
  if (typeof x === 'bigint') return [x, 1n];
  if (x instanceof BigNum) return [x.v, 1n];
  return [x.num, x.den];
}

/** The double value of a number (Clojure's Number.doubleValue). */
export function toDouble(x) {
  switch (typeof x) {
    case 'number': return x;
    case 'bigint': return Number(x);
  }
  if (x instanceof BigNum) return Number(x.v);
  if (x instanceof Ratio) return ratioToDouble(x.num, x.den);
  throw castError(x, 'java.lang.Number');
}

// Clojure's Ratio.doubleValue divides as BigDecimals rounded to 16 digits (DECIMAL64,
// half-even) and converts that: (double 1/7) is 0.1428571428571429, not ...285.
function ratioToDouble(n, d) {
  const neg = n < 0n;
  let a = neg ? -n : n;
  // scale so that the quotient has exactly 16 digits
  let k = 16 - (a.toString().length - d.toString().length);
  let q, r, den;
  for (;;) {
    const num = k >= 0 ? a * 10n ** BigInt(k) : a;
    den = k >= 0 ? d : d * 10n ** BigInt(-k);
    q = num / den; r = num % den;
    const digits = q.toString().length;
    if (digits > 16) { k--; continue; }
    if (digits < 16 && q !== 0n) { k++; continue; }
    break;
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  const v = Number(`${q}e${-k}`);
  return neg ? -v : v;
}

function isZero(x) {
  switch (typeof x) {
    case 'bigint': return x === 0n;
    case 'number': return x === 0;
  }
  if (x instanceof BigNum) return x.v === 0n;
  if (x instanceof Ratio) return false;
  throw castError(x, 'java.lang.Number');
}

/** Sign of a number: -1, 0, 1 (NaN for NaN). */
function signum(x) {
  switch (typeof x) {
    case 'bigint': return x > 0n ? 1 : x < 0n ? -1 : 0;
    case 'number': return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
  }
  if (x instanceof BigNum) return x.v > 0n ? 1 : x.v < 0n ? -1 : 0;
  if (x instanceof Ratio) return x.num > 0n ? 1 : -1;
  throw castError(x, 'java.lang.Number');
}

/** Clojure `+` on two numbers. */
export function add(a, b) {
  const ta = typeof a, tb = typeof b;
  if (ta === 'bigint') {
    if (tb === 'bigint') {
      const r = a + b;
      if (r > MAX_LONG || r < MIN_LONG) throw overflow();
      return r;
    }
    if (tb === 'number') return Number(a) + b;
  } else if (ta === 'number') {
    if (tb === 'number') return a + b;
    if (tb === 'bigint') return a + Number(b);
  }
  const c = Math.max(numCat(a), numCat(b));
  if (c === 3) return toDouble(a) + toDouble(b);
  if (c === 1) return new BigNum(toBig(a) + toBig(b));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return makeRatio(an * bd + bn * ad, ad * bd, true);
}

/** Clojure `-` on two numbers. */
export function sub(a, b) {
  const ta = typeof a, tb = typeof b;
  if (ta === 'bigint') {
    if (tb === 'bigint') {
      const r = a - b;
      if (r > MAX_LONG || r < MIN_LONG) throw overflow();
      return r;
    }
    if (tb === 'number') return Number(a) - b;
  } else if (ta === 'number') {
    if (tb === 'number') return a - b;
    if (tb === 'bigint') return a - Number(b);
  }
  const c = Math.max(numCat(a), numCat(b));
  if (c === 3) return toDouble(a) - toDouble(b);
  if (c === 1) return new BigNum(toBig(a) - toBig(b));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return makeRatio(an * bd - bn * ad, ad * bd, true);
}

/** Clojure `*` on two numbers. */
export function mul(a, b) {
  const ta = typeof a, tb = typeof b;
  if (ta === 'bigint') {
    if (tb === 'bigint') {
      const r = a * b;
      if (r > MAX_LONG || r < MIN_LONG) throw overflow();
      return r;
    }
    if (tb === 'number') return Number(a) * b;
  } else if (ta === 'number') {
    if (tb === 'number') return a * b;
    if (tb === 'bigint') return a * Number(b);
  }
  const c = Math.max(numCat(a), numCat(b));
  if (c === 3) return toDouble(a) * toDouble(b);
  if (c === 1) return new BigNum(toBig(a) * toBig(b));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return makeRatio(an * bn, ad * bd, true);
}

/**
 * Clojure `/` on two numbers: (/ 1 2) is 1/2, (/ 4 2) is 2, any zero divisor throws
 * "Divide by zero" (values are boxed, so (/ 1.0 0) throws as it does for Clojure's boxed
 * arguments), NaN operands give NaN.
 */
export function div(a, b) {
  if (typeof a === 'number' && a !== a) { numCat(b); return a; }
  if (typeof b === 'number' && b !== b) { numCat(a); return b; }
  const c = Math.max(numCat(a), numCat(b));
  if (isZero(b)) throw divideByZero();
  if (c === 3) return toDouble(a) / toDouble(b);
  if (c === 0) return makeRatio(a, b, false);
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return makeRatio(an * bd, ad * bn, true);
}

/** Clojure `quot`: truncating division. */
export function quot(a, b) {
  const c = Math.max(numCat(a), numCat(b));
  if (isZero(b)) throw divideByZero();
  if (c === 3) {
    const q = toDouble(a) / toDouble(b);
    return Math.trunc(q) + 0; // + 0 turns -0 into 0, as Java's (double)(long)q does
  }
  if (c === 0) return BigInt.asIntN(64, a / b);
  if (c === 1) return new BigNum(toBig(a) / toBig(b));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return new BigNum((an * bd) / (ad * bn));
}

/** Clojure `rem`: remainder of truncating division (sign of the dividend). */
export function rem(a, b) {
  const c = Math.max(numCat(a), numCat(b));
  if (isZero(b)) throw divideByZero();
  if (c === 3) {
    const x = toDouble(a), y = toDouble(b);
    return x - Math.trunc(x / y) * y;
  }
  if (c === 0) return a % b;
  if (c === 1) return new BigNum(toBig(a) % toBig(b));
  return sub(a, mul(quot(a, b), b));
}

/** Clojure `mod`: remainder of flooring division (sign of the divisor). */
export function mod(a, b) {
  const m = rem(a, b);
  if (isZero(m) || signum(a) > 0 === signum(b) > 0) return m;
  return add(m, b);
}

/** Compare two numbers: negative, 0, positive, or NaN when unordered (NaN operands). */
function numCmp(a, b) {
  const ta = typeof a, tb = typeof b;
  if (ta === 'bigint' && tb === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const c = Math.max(numCat(a), numCat(b));
  if (c === 3) {
    const x = toDouble(a), y = toDouble(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (c === 1) { const x = toBig(a), y = toBig(b); return x < y ? -1 : x > y ? 1 : 0; }
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  const l = an * bd, r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function lt(a, b) {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  return numCmp(a, b) < 0;
}
export function gt(a, b) {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a > b;
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  return numCmp(a, b) > 0;
}
export function lte(a, b) {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a <= b;
  if (typeof a === 'number' && typeof b === 'number') return a <= b;
  return numCmp(a, b) <= 0;
}
export function gte(a, b) {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a >= b;
  if (typeof a === 'number' && typeof b === 'number') return a >= b;
  return numCmp(a, b) >= 0;
}
/** Clojure `==`: numeric equality across categories ((== 1 1.0) is true). */
export function numEquiv(a, b) {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return numCmp(a, b) === 0;
}

/** Java's Double.toString (shortest representation, E notation outside [1e-3, 1e7)). */
export function doubleToString(x) {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const neg = x < 0;
  const a = neg ? -x : x;
  let [mant, ex] = a.toExponential().split('e');
  let digits = mant.replace('.', '');
  let exp = Number(ex);
  if (digits.length === 1 && a < 2.2250738585072014e-308) {
    // Java picks the closest decimal of length 2 when a 1-digit one exists (4.9E-324).
    const p = a.toPrecision(2); // d.de-NNN for subnormals
    if (Number(p) === a) {
      const [m2, e2] = p.split('e');
      digits = m2.replace('.', '').replace(/0+$/, '');
      exp = Number(e2);
    }
  }
  let s;
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      const ip = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
      s = ip + '.' + (digits.slice(exp + 1) || '0');
    } else {
      s = '0.' + '0'.repeat(-exp - 1) + digits;
    }
  } else {
    s = digits[0] + '.' + (digits.slice(1) || '0') + 'E' + exp;
  }
  return neg ? '-' + s : s;
}

// ---------------------------------------------------------------------------------------
// Hashing: Clojure's hasheq (Murmur3) and Java's hashCode
// ---------------------------------------------------------------------------------------

function mixK1(k1) {
  k1 = Math.imul(k1, 0xcc9e2d51);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, 0x1b873593);
}
function mixH1(h1, k1) {
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}
function fmix(h1, length) {
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 | 0;
}
function hashInt(input) {
  if (input === 0) return 0;
  return fmix(mixH1(0, mixK1(input)), 4);
}
function hashLong(v) {
  if (v === 0n) return 0;
  let low, high;
  if (v >= -2147483648n && v <= 2147483647n) { // the common case, without BigInt arithmetic
    low = Number(v);
    high = low < 0 ? -1 : 0;
  } else {
    low = Number(BigInt.asIntN(32, v));
    high = Number(BigInt.asIntN(32, v >> 32n));
  }
  return fmix(mixH1(mixH1(0, mixK1(low)), mixK1(high)), 8);
}
function hashUnencodedChars(s) {
  let h1 = 0;
  const n = s.length;
  for (let i = 1; i < n; i += 2) {
    h1 = mixH1(h1, mixK1(s.charCodeAt(i - 1) | (s.charCodeAt(i) << 16)));
  }
  if (n & 1) h1 ^= mixK1(s.charCodeAt(n - 1));
  return fmix(h1, 2 * n);
}
function mixCollHash(hash, count) {
  return fmix(mixH1(0, mixK1(hash)), count);
}
function hashCombine(seed, hash) {
  return (seed ^ ((hash + 0x9e3779b9 + (seed << 6) + (seed >> 2)) | 0)) | 0;
}
function javaStringHash(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function javaDoubleHash(x) {
  if (x === 0) return 0; // Clojure hashes -0.0 like 0.0
  f64[0] = x !== x ? NaN : x;
  return (u32[0] ^ u32[1]) | 0; // order does not matter for xor
}
function javaLongHash(v) {
  const u = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, u ^ (u >> 32n)));
}
function javaBigIntegerHash(v) {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const words = [];
  while (a > 0n) { words.push(Number(a & 0xffffffffn)); a >>= 32n; }
  let h = 0;
  for (let i = words.length - 1; i >= 0; i--) h = (Math.imul(31, h) + words[i]) | 0;
  return neg ? -h | 0 : h;
}
const fitsLong = (v) => v <= MAX_LONG && v >= MIN_LONG;

let nextIdentity = 0x2a5c1b7;
const identities = new WeakMap();
/** A stable pseudo-random identity hash for an object (Java's identityHashCode). */
export function identityHash(o) {
  let h = identities.get(o);
  if (h === undefined) {
    // xorshift32: spread like Java's identity hashes, never 0
    let x = nextIdentity;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    nextIdentity = x | 0;
    h = (x >>> 1) || 1;
    identities.set(o, h);
  }
  return h;
}

/** Clojure's `hash` (hasheq): equal values (by `=`) have equal hashes. */
export function hasheq(x) {
  if (x === null || x === undefined) return 0;
  switch (typeof x) {
    case 'bigint': return hashLong(x);
    case 'number': return javaDoubleHash(x);
    case 'string': return hashInt(javaStringHash(x));
    case 'boolean': return x ? 1231 : 1237;
    case 'function': return identityHash(x);
  }
  if (x instanceof Keyword) return x.hasheq();
  if (x instanceof Coll) return x.hasheq();
  if (x instanceof Char) return x.c.charCodeAt(0);
  if (x instanceof Sym) return x.hasheq();
  if (x instanceof BigNum) return fitsLong(x.v) ? hashLong(x.v) : javaBigIntegerHash(x.v);
  if (x instanceof Ratio) return javaBigIntegerHash(x.num) ^ javaBigIntegerHash(x.den);
  if (x instanceof JClass) return javaStringHash(x.name);
  return identityHash(x);
}

/** Java's hashCode (used where Clojure prints Object.toString, e.g. (str (map inc [1]))). */
export function javaHash(x) {
  if (x === null || x === undefined) return 0;
  switch (typeof x) {
    case 'bigint': return javaLongHash(x);
    case 'number': return javaDoubleHash(x) || (Object.is(x, -0) ? -2147483648 : 0);
    case 'string': return javaStringHash(x);
    case 'boolean': return x ? 1231 : 1237;
    case 'function': return identityHash(x);
  }
  if (x instanceof Keyword) return (x.sym().javaHash() + 0x9e3779b9) | 0;
  if (x instanceof Sym) return x.javaHash();
  if (x instanceof Char) return x.c.charCodeAt(0);
  if (x instanceof PMap) {
    let h = 0;
    x.forEach((k, v) => { h = (h + (javaHash(k) ^ javaHash(v))) | 0; });
    return h;
  }
  if (x instanceof PSet) {
    let h = 0;
    for (const k of x.m.keysArray()) h = (h + javaHash(k)) | 0;
    return h;
  }
  if (isSequential(x)) {
    let h = 1;
    for (let s = seq(x); s !== null; s = s.next()) h = (Math.imul(31, h) + javaHash(s.first())) | 0;
    return h;
  }
  if (x instanceof BigNum) return fitsLong(x.v) ? javaLongHash(x.v) : javaBigIntegerHash(x.v);
  if (x instanceof Ratio) return javaBigIntegerHash(x.num) ^ javaBigIntegerHash(x.den);
  return identityHash(x);
}

// ---------------------------------------------------------------------------------------
// Scalars: keywords, symbols, chars, vars, classes
// ---------------------------------------------------------------------------------------

const keywords = new Map();

/** An interned keyword (`ns` null when unqualified). Use `keyword(ns, name)`. */
export class Keyword {
  constructor(ns, name) {
    this.ns = ns;
    this.name = name;
    this.fqn = ns === null ? name : ns + '/' + name;
    this._hash = null;
    this._sym = null;
  }
  sym() { return this._sym ?? (this._sym = new Sym(this.ns, this.name)); }
  hasheq() {
    if (this._hash === null) this._hash = (this.sym().hasheq() + 0x9e3779b9) | 0;
    return this._hash;
  }
  toString() { return ':' + this.fqn; }
}

/** The interned keyword :ns/name (or :name when ns is null/omitted). */
export function keyword(ns, name) {
  if (name === undefined) { name = ns; ns = null; }
  ns = ns ?? null;
  const key = ns === null ? name : ns + '\u0000' + name;
  let k = keywords.get(key);
  if (k === undefined) { k = new Keyword(ns, name); keywords.set(key, k); }
  return k;
}

/** A symbol (compared by value). */
export class Sym {
  constructor(ns, name) {
    this.ns = ns ?? null;
    this.name = name;
    this.fqn = this.ns === null ? name : this.ns + '/' + name;
  }
  hasheq() { return hashCombine(hashUnencodedChars(this.name), this.ns === null ? 0 : javaStringHash(this.ns)); }
  javaHash() { return hashCombine(javaStringHash(this.name), this.ns === null ? 0 : javaStringHash(this.ns)); }
  equiv(o) { return o instanceof Sym && o.name === this.name && o.ns === this.ns; }
  toString() { return this.fqn; }
}

/** The symbol ns/name (or name when ns is null/omitted). */
export function symbol(ns, name) {
  if (name === undefined) { name = ns; ns = null; }
  return new Sym(ns, name);
}

const chars = new Map();
/** A character (interned); `c` is a one-character string. Use `char(c)`. */
export class Char {
  constructor(c) { this.c = c; }
  toString() { return this.c; }
}
/** The character of a one-character string. */
export function char(c) {
  let ch = chars.get(c);
  if (ch === undefined) { ch = new Char(c); chars.set(c, ch); }
  return ch;
}

/** A var: its root value lives in slot `slot` of its runtime's table. */
/** A namespace, as `*ns*`, `in-ns` and `find-ns` return it (the compiler owns its contents). */
export class Namespace {
  constructor(name) { this.name = name; }
  toString() { return this.name; }
}
const namespaces = new Map();
export function namespaceNamed(name) {
  let ns = namespaces.get(name);
  if (ns === undefined) {
    ns = new Namespace(name);
    namespaces.set(name, ns);
  }
  return ns;
}

export class Var {
  constructor(runtime, ns, name, slot) {
    this.runtime = runtime;
    this.ns = ns;
    this.name = name;
    this.slot = slot;
  }
  deref() { return nu(this.runtime.table.get(this.slot)); }
  bindRoot(v) {
    this.runtime.table.set(this.slot, nu(v));
    this.runtime.varChanged(this.slot);
  }
  toString() { return `#'${this.ns}/${this.name}`; }
}

/** The root of a var that was never defined; calling it throws. */
export class Unbound {
  constructor(v) { this.v = v; }
  toString() { return `Unbound: #'${this.v.ns}/${this.v.name}`; }
}

/** What `class`/`type` return: prints as the Java class name. */
export class JClass {
  constructor(name) { this.name = name; }
  equiv(o) { return o instanceof JClass && o.name === this.name; }
  toString() { return this.name; }
}

/** A mutable reference (clojure.lang.Atom). */
export class Atom {
  constructor(v) {
    this.v = v;
    this.validator = null;
    this.watches = null;
  }
  deref() { return this.v; }
}

/** The wrapper `reduced` returns. */
export class Reduced {
  constructor(v) { this.v = v; }
  deref() { return this.v; }
}

/** clojure.lang.Volatile. */
export class Volatile {
  constructor(v) { this.v = v; }
  deref() { return this.v; }
}

// ---------------------------------------------------------------------------------------
// Collections
// ---------------------------------------------------------------------------------------

/** Base of every persistent collection and seq. */
export class Coll {
  seq() { return null; }
  count() {
    let n = 0;
    for (let s = this.seq(); s !== null; s = s.next()) n++;
    return n;
  }
  *[Symbol.iterator]() {
    for (let s = this.seq(); s !== null; s = s.next()) yield s.first();
  }
  toString() { return toStr(this); }
}

/** Base of the non-empty seqs: subclasses implement first() and next(). */
export class ASeq extends Coll {
  seq() { return this; }
  more() { const n = this.next(); return n === null ? EMPTY_LIST : n; }
  conj(x) { return new Cons(x, this); }
  empty() { return EMPTY_LIST; }
  equiv(o) { return isSequential(o) && equivSequential(this, o); }
  hasheq() { return hashOrdered(this); }
}

/** A persistent list (clojure.lang.PersistentList). */
export class PList extends ASeq {
  constructor(first, rest, count) {
    super();
    this._first = first;
    this._rest = rest; // a PList or EMPTY_LIST
    this._count = count;
    this._hash = null;
  }
  first() { return this._first; }
  next() { return this._count === 1 ? null : this._rest; }
  more() { return this._rest; }
  count() { return this._count; }
  conj(x) { return new PList(x, this, this._count + 1); }
  peek() { return this._first; }
  pop() { return this._rest; }
  hasheq() { return this._hash ?? (this._hash = hashOrdered(this)); }
}

/** The empty list (). */
export class EmptyList extends Coll {
  seq() { return null; }
  first() { return null; }
  next() { return null; }
  more() { return this; }
  count() { return 0; }
  conj(x) { return new PList(x, this, 1); }
  empty() { return this; }
  peek() { return null; }
  pop() { throw illegalState("Can't pop empty list"); }
  equiv(o) { return isSequential(o) && seq(o) === null; }
  hasheq() { return EMPTY_ORDERED_HASH; }
}
const EMPTY_ORDERED_HASH = mixCollHash(1, 0);
export const EMPTY_LIST = new EmptyList();

/** A list of the elements of a JS array. */
export function listOf(arr) {
  let l = EMPTY_LIST;
  for (let i = arr.length - 1; i >= 0; i--) l = new PList(nu(arr[i]), l, l.count() + 1);
  return l;
}

/** A seq cell: first element consed onto a seq (clojure.lang.Cons). */
export class Cons extends ASeq {
  constructor(first, more) {
    super();
    this._first = first;
    this._more = more; // a seq (ASeq, LazySeq, EmptyList) or null
  }
  first() { return this._first; }
  next() { return this._more === null ? null : seq(this._more); }
  more() { return this._more === null ? EMPTY_LIST : this._more; }
}

/** A seq over part of a JS array (vector seqs and rest arguments). */
export class ArraySeq extends ASeq {
  constructor(arr, i = 0, end = arr.length) {
    super();
    this.arr = arr;
    this.i = i;
    this.end = end;
  }
  first() { return nu(this.arr[this.i]); }
  next() { return this.i + 1 < this.end ? new ArraySeq(this.arr, this.i + 1, this.end) : null; }
  count() { return this.end - this.i; }
}

/** The seq of a string's characters. */
export class StringSeq extends ASeq {
  constructor(s, i = 0) {
    super();
    this.s = s;
    this.i = i;
  }
  first() { return char(this.s[this.i]); }
  next() { return this.i + 1 < this.s.length ? new StringSeq(this.s, this.i + 1) : null; }
  count() { return this.s.length - this.i; }
}

/** (range ...): a seq of numbers from start by step until end (null: forever). */
export class Range extends ASeq {
  constructor(start, end, step) {
    super();
    this.start = start;
    this.end = end;
    this.step = step;
    this._next = undefined;
  }
  first() { return this.start; }
  next() {
    if (this._next !== undefined) return this._next;
    let n = null;
    let v;
    try { v = add(this.start, this.step); } catch (e) { v = undefined; }
    if (v !== undefined) {
      if (this.end === null) n = new Range(v, null, this.step);
      else {
        const s = signum(this.step);
        if (s > 0 ? lt(v, this.end) : s < 0 ? gt(v, this.end) : true) n = new Range(v, this.end, this.step);
      }
    }
    return (this._next = n);
  }
  count() {
    if (this.end === null) throw overflow(); // Clojure would never return
    if (typeof this.start === 'bigint' && typeof this.end === 'bigint' && typeof this.step === 'bigint' && this.step !== 0n) {
      const st = this.step;
      return Number(st > 0n ? (this.end - this.start + st - 1n) / st : (this.start - this.end - st - 1n) / -st);
    }
    return super.count();
  }
}

/** A lazily realised seq (clojure.lang.LazySeq): `fn` returns something seqable. */
export class LazySeq extends Coll {
  constructor(fn) {
    super();
    this.fn = fn;
    this.sv = null;
    this.s = null;
  }
  sval() {
    if (this.fn !== null) {
      const f = this.fn;
      this.sv = nu(typeof f === 'function' ? f() : invoke0(f));
      this.fn = null;
    }
    if (this.sv !== null) return this.sv;
    return this.s;
  }
  seq() {
    this.sval();
    if (this.sv !== null) {
      let ls = this.sv;
      this.sv = null;
      while (ls instanceof LazySeq) ls = ls.sval();
      this.s = seq(ls);
    }
    return this.s;
  }
  first() { const s = this.seq(); return s === null ? null : s.first(); }
  next() { const s = this.seq(); return s === null ? null : s.next(); }
  more() { const s = this.seq(); return s === null ? EMPTY_LIST : s.more(); }
  conj(x) { return new Cons(x, this); }
  empty() { return EMPTY_LIST; }
  equiv(o) { return isSequential(o) && equivSequential(this, o); }
  hasheq() { return hashOrdered(this); }
  isRealized() { return this.fn === null; }
}

/** A lazy seq whose elements `thunk()` (a JS function) returns when first needed. */
export const lazySeq = (thunk) => new LazySeq(thunk);

// --- vectors: Clojure's PersistentVector ----------------------------------------------------
//
// The elements before the tail live in a trie of 32-way nodes (`root`, `shift` = 5 * the depth
// of its leaves); the last 1..32 elements live in `tail` (an array of exactly that length in a
// persistent vector). nth and assocN walk the trie (log32 n), conj copies at most the tail and
// one path. Transients (TransientVector) own the nodes that carry their `edit` token and change
// them in place.

/** A trie node of a vector: `arr` holds 32 children (inner nodes) or 32 elements (leaves). */
class VNode {
  constructor(edit, arr) {
    this.edit = edit; // the TransientVector token that may change it in place, or null
    this.arr = arr;
  }
}
const nulls = (n) => new Array(n).fill(null);
const EMPTY_VNODE = new VNode(null, nulls(32));

/** `node` wrapped in single-child nodes up to `level`. */
function newPath(edit, level, node) {
  for (; level > 0; level -= 5) {
    const r = new VNode(edit, nulls(32));
    r.arr[0] = node;
    node = r;
  }
  return node;
}

/** Put the full tail `tailnode` of a vector of cnt elements into its trie (in place for edit). */
function pushTail(cnt, level, parent, tailnode, edit) {
  const ret = edit !== null && parent.edit === edit ? parent : new VNode(edit, parent.arr.slice());
  const subidx = ((cnt - 1) >>> level) & 31;
  let node;
  if (level === 5) node = tailnode;
  else {
    const child = parent.arr[subidx];
    node = child !== null ? pushTail(cnt, level - 5, child, tailnode, edit) : newPath(edit, level - 5, tailnode);
  }
  ret.arr[subidx] = node;
  return ret;
}

/** The trie without its last leaf (null when that leaves nothing). */
function popTail(cnt, level, node) {
  const subidx = ((cnt - 2) >>> level) & 31;
  if (level > 5) {
    const child = popTail(cnt, level - 5, node.arr[subidx]);
    if (child === null && subidx === 0) return null;
    const ret = new VNode(null, node.arr.slice());
    ret.arr[subidx] = child;
    return ret;
  }
  if (subidx === 0) return null;
  const ret = new VNode(null, node.arr.slice());
  ret.arr[subidx] = null;
  return ret;
}

function vectorAssoc(level, node, i, v) {
  const ret = new VNode(null, node.arr.slice());
  if (level === 0) ret.arr[i & 31] = v;
  else {
    const s = (i >>> level) & 31;
    ret.arr[s] = vectorAssoc(level - 5, node.arr[s], i, v);
  }
  return ret;
}

/** A persistent vector (clojure.lang.PersistentVector). */
export class PVector extends Coll {
  constructor(cnt, shift, root, tail) {
    super();
    this.cnt = cnt;
    this.shift = shift;
    this.root = root;
    this.tail = tail;
    this._hash = null;
  }
  count() { return this.cnt; }
  _tailoff() { return this.cnt < 32 ? 0 : ((this.cnt - 1) >>> 5) << 5; }
  /**
   * The array holding element i (0 <= i < cnt): a leaf (32 elements, i at i & 31) or the
   * tail. Loop over a vector fast with `for (i = 0; i < cnt; i += 32) arrayFor(i)`.
   */
  arrayFor(i) {
    if (i >= this._tailoff()) return this.tail;
    let node = this.root;
    for (let level = this.shift; level > 0; level -= 5) node = node.arr[(i >>> level) & 31];
    return node.arr;
  }
  nth(i, notFound) {
    if (i >= 0 && i < this.cnt) return this.arrayFor(i)[i & 31];
    if (notFound !== undefined) return notFound;
    throw indexOutOfBounds();
  }
  seq() { return this.cnt === 0 ? null : new VecSeq(this, this.arrayFor(0), 0, 0); }
  conj(x) {
    const cnt = this.cnt;
    if (cnt - this._tailoff() < 32) {
      const t = this.tail.slice();
      t.push(x);
      return new PVector(cnt + 1, this.shift, this.root, t);
    }
    const tailnode = new VNode(null, this.tail);
    let root, shift = this.shift;
    if ((cnt >>> 5) > (1 << shift)) { // the trie is full: add a level
      root = new VNode(null, nulls(32));
      root.arr[0] = this.root;
      root.arr[1] = newPath(null, shift, tailnode);
      shift += 5;
    } else {
      root = pushTail(cnt, shift, this.root, tailnode, null);
    }
    return new PVector(cnt + 1, shift, root, [x]);
  }
  assocN(i, v) {
    const cnt = this.cnt;
    if (i >= 0 && i < cnt) {
      if (i >= this._tailoff()) {
        const t = this.tail.slice();
        t[i & 31] = v;
        return new PVector(cnt, this.shift, this.root, t);
      }
      return new PVector(cnt, this.shift, vectorAssoc(this.shift, this.root, i, v), this.tail);
    }
    if (i === cnt) return this.conj(v);
    throw indexOutOfBounds();
  }
  peek() { return this.cnt === 0 ? null : this.tail[this.tail.length - 1]; }
  pop() {
    const cnt = this.cnt;
    if (cnt === 0) throw illegalState("Can't pop empty vector");
    if (cnt === 1) return EMPTY_VECTOR;
    if (cnt - this._tailoff() > 1) return new PVector(cnt - 1, this.shift, this.root, this.tail.slice(0, -1));
    const tail = this.arrayFor(cnt - 2);
    let root = popTail(cnt, this.shift, this.root);
    let shift = this.shift;
    if (root === null) root = EMPTY_VNODE;
    if (shift > 5 && root.arr[1] === null) {
      root = root.arr[0];
      shift -= 5;
    }
    return new PVector(cnt - 1, shift, root, tail);
  }
  empty() { return EMPTY_VECTOR; }
  equiv(o) { return isSequential(o) && equivSequential(this, o); }
  hasheq() { return this._hash ?? (this._hash = hashOrdered(this)); }
  /** A fresh JS array of the elements. */
  toArray() {
    const n = this.cnt;
    const out = new Array(n);
    for (let i = 0; i < n; i += 32) {
      const a = this.arrayFor(i);
      const m = Math.min(32, n - i);
      for (let j = 0; j < m; j++) out[i + j] = a[j];
    }
    return out;
  }
  /** A fresh JS array of the elements from index `from` (inclusive) to `to` (exclusive). */
  slice(from, to) {
    const out = new Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = this.arrayFor(i)[i & 31];
    return out;
  }
  asTransient() { return new TransientVector(this); }
}
export const EMPTY_VECTOR = new PVector(0, 5, EMPTY_VNODE, []);

/** The seq of a vector (clojure.lang.PersistentVector$ChunkedSeq): leaf `node`, starting at i. */
export class VecSeq extends ASeq {
  constructor(vec, node, i, offset) {
    super();
    this.vec = vec;
    this.node = node;
    this.i = i;
    this.offset = offset;
  }
  first() { return this.node[this.offset]; }
  next() {
    const o = this.offset + 1;
    if (o < this.node.length) return new VecSeq(this.vec, this.node, this.i, o);
    const j = this.i + this.node.length;
    return j < this.vec.cnt ? new VecSeq(this.vec, this.vec.arrayFor(j), j, 0) : null;
  }
  count() { return this.vec.cnt - this.i - this.offset; }
}

/** A vector of the elements of a JS array (it owns the array: the caller must not change it). */
export function vectorOf(arr) {
  const n = arr.length;
  for (let i = 0; i < n; i++) if (arr[i] === undefined) arr[i] = null;
  if (n === 0) return EMPTY_VECTOR;
  if (n <= 32) return new PVector(n, 5, EMPTY_VNODE, arr);
  const t = new TransientVector();
  for (let i = 0; i < n; i++) t.conj(arr[i]);
  return t.persistent();
}

/** A map entry: a vector of two (key, val). */
export class MapEntry extends PVector {
  constructor(k, v) { super(2, 5, EMPTY_VNODE, [k, v]); }
  key() { return this.tail[0]; }
  val() { return this.tail[1]; }
}

/** A transient vector (clojure.lang.PersistentVector$TransientVector); `persistent()` ends it. */
export class TransientVector {
  constructor(v = EMPTY_VECTOR) {
    this.edit = {}; // the token of the nodes this transient owns; null once persistent
    this.cnt = v.cnt;
    this.shift = v.shift;
    this.root = new VNode(this.edit, v.root.arr.slice());
    const t = nulls(32);
    for (let i = 0; i < v.tail.length; i++) t[i] = v.tail[i];
    this.tail = t; // always 32 long here
  }
  _check() { if (this.edit === null) throw illegalState('Transient used after persistent! call'); }
  _tailoff() { return this.cnt < 32 ? 0 : ((this.cnt - 1) >>> 5) << 5; }
  count() { this._check(); return this.cnt; }
  nth(i, notFound) {
    this._check();
    if (i >= 0 && i < this.cnt) {
      if (i >= this._tailoff()) return this.tail[i & 31];
      let node = this.root;
      for (let level = this.shift; level > 0; level -= 5) node = node.arr[(i >>> level) & 31];
      return node.arr[i & 31];
    }
    if (notFound !== undefined) return notFound;
    throw indexOutOfBounds();
  }
  conj(x) {
    this._check();
    x = nu(x);
    const cnt = this.cnt;
    if (cnt - this._tailoff() < 32) {
      this.tail[cnt & 31] = x;
      this.cnt = cnt + 1;
      return this;
    }
    const edit = this.edit;
    const tailnode = new VNode(edit, this.tail);
    this.tail = nulls(32);
    this.tail[0] = x;
    if ((cnt >>> 5) > (1 << this.shift)) {
      const root = new VNode(edit, nulls(32));
      root.arr[0] = this.root;
      root.arr[1] = newPath(edit, this.shift, tailnode);
      this.root = root;
      this.shift += 5;
    } else {
      this.root = pushTail(cnt, this.shift, this.root, tailnode, edit);
    }
    this.cnt = cnt + 1;
    return this;
  }
  assocN(i, v) {
    this._check();
    v = nu(v);
    if (i >= 0 && i < this.cnt) {
      if (i >= this._tailoff()) this.tail[i & 31] = v;
      else this.root = this._assoc(this.shift, this.root, i, v);
      return this;
    }
    if (i === this.cnt) return this.conj(v);
    throw indexOutOfBounds();
  }
  _assoc(level, node, i, v) {
    const ret = node.edit === this.edit ? node : new VNode(this.edit, node.arr.slice());
    if (level === 0) ret.arr[i & 31] = v;
    else {
      const s = (i >>> level) & 31;
      ret.arr[s] = this._assoc(level - 5, ret.arr[s], i, v);
    }
    return ret;
  }
  persistent() {
    this._check();
    this.edit = null;
    if (this.cnt === 0) return EMPTY_VECTOR;
    return new PVector(this.cnt, this.shift, this.root, this.tail.slice(0, this.cnt - this._tailoff()));
  }
}

// --- maps: Clojure's PersistentArrayMap and PersistentHashMap -------------------------------
//
// A PMap with `arr` set is an array map ([k0, v0, k1, v1, ...] in insertion order, at most 8
// entries, as PersistentArrayMap). Otherwise (`arr` null) it is a hash array mapped trie like
// PersistentHashMap: `root` (null when empty) holds the non-nil keys, a nil key lives in
// `hasNull`/`nullValue`. The nodes are ports of Clojure's (BitmapIndexedNode, ArrayNode,
// HashCollisionNode), keyed by Clojure's hasheq, so a big map iterates (and prints) in the
// order Clojure's does. Transient operations (`...T(edit, ...)`) change in place the nodes
// that carry the transient's edit token.

const ARRAY_MAP_MAX = 8;
const NOT_FOUND = Symbol('not found');

function bitCount(x) {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
const hmask = (hash, shift) => (hash >>> shift) & 31;
const bitpos = (hash, shift) => 1 << ((hash >>> shift) & 31);

function cloneAndSet(a, i, x) {
  const c = a.slice();
  c[i] = x;
  return c;
}
/** The array without pair i (keys and values at 2i, 2i + 1). */
function removePair(a, i) {
  const c = new Array(a.length - 2);
  for (let j = 0; j < 2 * i; j++) c[j] = a[j];
  for (let j = 2 * (i + 1); j < a.length; j++) c[j - 2] = a[j];
  return c;
}

/** What a map seq yields in `mode`: 0 an entry, 1 the key, 2 the value. */
const entryOf = (k, v, mode) => (mode === 0 ? new MapEntry(k, v) : mode === 1 ? k : v);

/** The node holding two entries whose keys differ at `shift` or deeper. */
function createNode(edit, shift, k1, v1, h2, k2, v2) {
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
class BitmapIndexedNode {
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
    const c = new Array(2 * (n + 1));
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
const EMPTY_BITMAP_NODE = new BitmapIndexedNode(null, 0, []);

/** 32 subnode slots (null or a node), `count` of them used. */
class ArrayNode {
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
class HashCollisionNode {
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
      const c = new Array(2 * (this.count + 1));
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
function nodeSeq(array, i, s, mode) {
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
function arrayNodeSeq(nodes, i, s, mode) {
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
/** The seq of an array map from pair i (clojure.lang.PersistentArrayMap$Seq). */
export class ArrayMapSeq extends ASeq {
  constructor(arr, i, mode) {
    super();
    this.arr = arr;
    this.i = i;
    this.mode = mode;
  }
  first() { return entryOf(this.arr[this.i], this.arr[this.i + 1], this.mode); }
  next() { return this.i + 2 < this.arr.length ? new ArrayMapSeq(this.arr, this.i + 2, this.mode) : null; }
  count() { return (this.arr.length - this.i) / 2; }
}

function arrayMapIndex(a, k) {
  if (k instanceof Keyword) {
    for (let i = 0; i < a.length; i += 2) if (a[i] === k) return i;
    return -1;
  }
  for (let i = 0; i < a.length; i += 2) if (a[i] === k || equiv(a[i], k)) return i;
  return -1;
}

/** A persistent map: an array map up to 8 entries, else a hash map (see above). */
export class PMap extends Coll {
  constructor(arr, cnt, root = null, hasNull = false, nullValue = null) {
    super();
    this.arr = arr;
    this.cnt = cnt;
    this.root = root;
    this.hasNull = hasNull;
    this.nullValue = nullValue;
    this._hash = null;
  }
  count() { return this.cnt; }
  get(k, notFound = null) {
    if (k === undefined) k = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      return i < 0 ? notFound : this.arr[i + 1];
    }
    if (k === null) return this.hasNull ? this.nullValue : notFound;
    return this.root === null ? notFound : this.root.find(0, hasheq(k), k, notFound);
  }
  containsKey(k) { return this.get(k, NOT_FOUND) !== NOT_FOUND; }
  /** The MapEntry of key k (with the stored key), or null. */
  entryAt(k) {
    if (k === undefined) k = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      return i < 0 ? null : new MapEntry(this.arr[i], this.arr[i + 1]);
    }
    if (k === null) return this.hasNull ? new MapEntry(null, this.nullValue) : null;
    return this.root === null ? null : this.root.findEntry(0, hasheq(k), k);
  }
  assoc(k, v) {
    if (k === undefined) k = null;
    if (v === undefined) v = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      if (i >= 0) {
        if (this.arr[i + 1] === v) return this;
        const a = this.arr.slice();
        a[i + 1] = v;
        return new PMap(a, this.cnt);
      }
      if (this.cnt < ARRAY_MAP_MAX) {
        const a = this.arr.slice();
        a.push(k, v);
        return new PMap(a, this.cnt + 1);
      }
      const t = new MapBuilder(EMPTY_HASH_MAP);
      for (let j = 0; j < this.arr.length; j += 2) t.assoc(this.arr[j], this.arr[j + 1]);
      return t.assoc(k, v).persistent();
    }
    if (k === null) {
      if (this.hasNull && v === this.nullValue) return this;
      return new PMap(null, this.hasNull ? this.cnt : this.cnt + 1, this.root, true, v);
    }
    const box = { val: false };
    const root = (this.root ?? EMPTY_BITMAP_NODE).assoc(0, hasheq(k), k, v, box);
    if (root === this.root) return this;
    return new PMap(null, box.val ? this.cnt + 1 : this.cnt, root, this.hasNull, this.nullValue);
  }
  dissoc(k) {
    if (k === undefined) k = null;
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      if (i < 0) return this;
      if (this.cnt === 1) return EMPTY_MAP;
      const a = this.arr.slice();
      a.splice(i, 2);
      return new PMap(a, this.cnt - 1);
    }
    if (k === null) return this.hasNull ? new PMap(null, this.cnt - 1, this.root, false, null) : this;
    if (this.root === null) return this;
    const root = this.root.without(0, hasheq(k), k);
    if (root === this.root) return this;
    return new PMap(null, this.cnt - 1, root, this.hasNull, this.nullValue);
  }
  /** Call fn(k, v) for each entry, in seq order. */
  forEach(fn) {
    if (this.arr !== null) {
      const a = this.arr;
      for (let i = 0; i < a.length; i += 2) fn(a[i], a[i + 1]);
      return;
    }
    if (this.hasNull) fn(null, this.nullValue);
    if (this.root !== null) this.root.forEach(fn);
  }
  /** Reduce with fn(acc, k, v) in seq order; a `Reduced` stops it (the result is unwrapped). */
  reduceKV(fn, acc) {
    if (this.arr !== null) {
      const a = this.arr;
      for (let i = 0; i < a.length; i += 2) {
        acc = fn(acc, a[i], a[i + 1]);
        if (acc instanceof Reduced) return acc.v;
      }
      return acc;
    }
    if (this.hasNull) {
      acc = fn(acc, null, this.nullValue);
      if (acc instanceof Reduced) return acc.v;
    }
    if (this.root !== null) acc = this.root.reduce(fn, acc);
    return acc instanceof Reduced ? acc.v : acc;
  }
  /** The entries as a JS array of MapEntry. */
  entries() { const out = []; this.forEach((k, v) => out.push(new MapEntry(k, v))); return out; }
  keysArray() { const out = []; this.forEach((k) => out.push(k)); return out; }
  valsArray() { const out = []; this.forEach((k, v) => out.push(v)); return out; }
  _seq(mode) {
    if (this.cnt === 0) return null;
    if (this.arr !== null) return new ArrayMapSeq(this.arr, 0, mode);
    const s = this.root === null ? null : this.root.seq(mode);
    return this.hasNull ? new Cons(entryOf(null, this.nullValue, mode), s) : s;
  }
  seq() { return this._seq(0); }
  /** The seq of the keys (null when empty). */
  keySeq() { return this._seq(1); }
  /** The seq of the values (null when empty). */
  valSeq() { return this._seq(2); }
  conj(x) {
    if (x === null) return this;
    if (x instanceof PVector) {
      if (x.cnt !== 2) throw illegalArgument('Vector arg to map conj must be a pair');
      return this.assoc(x.nth(0), x.nth(1));
    }
    if (x instanceof PMap) {
      if (x.cnt === 0) return this;
      const t = this.asTransient();
      x.forEach((k, v) => t.assoc(k, v));
      return t.persistent();
    }
    const t = this.asTransient();
    for (let s = seq(x); s !== null; s = s.next()) {
      const e = s.first();
      if (!(e instanceof PVector) || e.cnt !== 2) throw castError(e, 'java.util.Map$Entry');
      t.assoc(e.nth(0), e.nth(1));
    }
    return t.persistent();
  }
  empty() { return this.arr !== null ? EMPTY_MAP : EMPTY_HASH_MAP; }
  equiv(o) {
    if (!(o instanceof PMap) || o.cnt !== this.cnt) return false;
    return this.reduceKV((eq, k, v) => {
      const ov = o.get(k, NOT_FOUND);
      return ov !== NOT_FOUND && equiv(v, ov) ? true : new Reduced(false);
    }, true);
  }
  hasheq() {
    if (this._hash === null) {
      let h = 0;
      this.forEach((k, v) => {
        h = (h + mixCollHash((Math.imul(31, (31 + hasheq(k)) | 0) + hasheq(v)) | 0, 2)) | 0;
      });
      this._hash = mixCollHash(h, this.cnt);
    }
    return this._hash;
  }
  asTransient() { return new MapBuilder(this); }
}
/** The empty array map ({} and the start of maps built by assoc). */
export const EMPTY_MAP = new PMap([], 0);
/** The empty hash map (sets, and maps that were hash maps, stay hash maps when emptied). */
export const EMPTY_HASH_MAP = new PMap(null, 0, null, false, null);

/** A transient map (TransientArrayMap / TransientHashMap); `persistent()` ends it. */
export class MapBuilder {
  constructor(m = EMPTY_MAP) {
    this.edit = {}; // the token of the nodes this transient owns; null once persistent
    this.arr = m.arr === null ? null : m.arr.slice();
    this.cnt = m.cnt;
    this.root = m.root;
    this.hasNull = m.hasNull;
    this.nullValue = m.nullValue;
  }
  _check() { if (this.edit === null) throw illegalState('Transient used after persistent! call'); }
  count() { this._check(); return this.cnt; }
  get(k, notFound = null) {
    this._check();
    k = nu(k);
    if (this.arr !== null) {
      const i = arrayMapIndex(this.arr, k);
      return i < 0 ? notFound : this.arr[i + 1];
    }
    if (k === null) return this.hasNull ? this.nullValue : notFound;
    return this.root === null ? notFound : this.root.find(0, hasheq(k), k, notFound);
  }
  containsKey(k) { return this.get(k, NOT_FOUND) !== NOT_FOUND; }
  assoc(k, v) {
    this._check();
    k = nu(k); v = nu(v);
    if (this.arr !== null) {
      const a = this.arr;
      const i = arrayMapIndex(a, k);
      if (i >= 0) { a[i + 1] = v; return this; }
      if (a.length < 2 * ARRAY_MAP_MAX) { a.push(k, v); this.cnt++; return this; }
      // a ninth key: become a hash map
      this.arr = null;
      this.cnt = 0;
      for (let j = 0; j < a.length; j += 2) this._assocHash(a[j], a[j + 1]);
    }
    this._assocHash(k, v);
    return this;
  }
  _assocHash(k, v) {
    if (k === null) {
      this.nullValue = v;
      if (!this.hasNull) { this.hasNull = true; this.cnt++; }
      return;
    }
    const box = { val: false };
    this.root = (this.root ?? EMPTY_BITMAP_NODE).assocT(this.edit, 0, hasheq(k), k, v, box);
    if (box.val) this.cnt++;
  }
  dissoc(k) {
    this._check();
    k = nu(k);
    if (this.arr !== null) {
      const a = this.arr;
      const i = arrayMapIndex(a, k);
      if (i >= 0) { // the last entry takes its place, as in Clojure's TransientArrayMap
        const n = a.length;
        a[i] = a[n - 2];
        a[i + 1] = a[n - 1];
        a.length = n - 2;
        this.cnt--;
      }
      return this;
    }
    if (k === null) {
      if (this.hasNull) { this.hasNull = false; this.nullValue = null; this.cnt--; }
      return this;
    }
    if (this.root === null) return this;
    const box = { val: false };
    this.root = this.root.withoutT(this.edit, 0, hasheq(k), k, box);
    if (box.val) this.cnt--;
    return this;
  }
  persistent() {
    this._check();
    this.edit = null;
    if (this.arr !== null) return this.cnt === 0 ? EMPTY_MAP : new PMap(this.arr, this.cnt);
    return this.cnt === 0 ? EMPTY_HASH_MAP : new PMap(null, this.cnt, this.root, this.hasNull, this.nullValue);
  }
}

/**
 * An array map of the JS array of alternating keys and values, of any size (`array-map`):
 * it keeps insertion order until a new key is added past 8 entries.
 */
export function arrayMapOf(kvs) {
  const a = [];
  for (let i = 0; i + 1 < kvs.length; i += 2) {
    const k = nu(kvs[i]), v = nu(kvs[i + 1]);
    const j = arrayMapIndex(a, k);
    if (j >= 0) a[j + 1] = v;
    else a.push(k, v);
  }
  return a.length === 0 ? EMPTY_MAP : new PMap(a, a.length / 2);
}

/** A map of alternating keys and values (later keys win). */
export function mapOf(...kvs) {
  const t = new MapBuilder();
  for (let i = 0; i + 1 < kvs.length; i += 2) t.assoc(kvs[i], kvs[i + 1]);
  return t.persistent();
}

// --- sets ----------------------------------------------------------------------------------

/**
 * A persistent hash set (clojure.lang.PersistentHashSet): a hash map (never an array map,
 * so even small sets iterate in Clojure's order) from each element to itself.
 */
export class PSet extends Coll {
  constructor(m) {
    super();
    this.m = m;
    this._hash = null;
  }
  count() { return this.m.cnt; }
  contains(k) { return this.m.containsKey(k); }
  /** The element equal to k (the stored one), else notFound. */
  get(k, notFound = null) { return this.m.get(k, notFound); }
  conj(x) { return this.m.containsKey(x) ? this : new PSet(this.m.assoc(x, x)); }
  disj(x) {
    if (!this.m.containsKey(x)) return this;
    const m = this.m.dissoc(x);
    return m.cnt === 0 ? EMPTY_SET : new PSet(m);
  }
  seq() { return this.m.keySeq(); }
  /** Call fn(x) for each element, in seq order. */
  forEach(fn) { this.m.forEach((k) => fn(k)); }
  empty() { return EMPTY_SET; }
  equiv(o) {
    if (!(o instanceof PSet) || o.count() !== this.count()) return false;
    return this.m.reduceKV((eq, k) => (o.contains(k) ? true : new Reduced(false)), true);
  }
  hasheq() {
    if (this._hash === null) {
      let h = 0;
      this.m.forEach((k) => { h = (h + hasheq(k)) | 0; });
      this._hash = mixCollHash(h, this.count());
    }
    return this._hash;
  }
  asTransient() { return new SetBuilder(this); }
}
export const EMPTY_SET = new PSet(EMPTY_HASH_MAP);

/** A transient set; `persistent()` ends it. */
export class SetBuilder {
  constructor(s = EMPTY_SET) { this.t = s.m.asTransient(); }
  count() { return this.t.count(); }
  contains(x) { return this.t.containsKey(x); }
  conj(x) { x = nu(x); if (!this.t.containsKey(x)) this.t.assoc(x, x); return this; }
  disj(x) { this.t.dissoc(x); return this; }
  persistent() { const m = this.t.persistent(); return m.cnt === 0 ? EMPTY_SET : new PSet(m); }
}

/** A set of the given elements. */
export function setOf(...xs) {
  const t = new SetBuilder();
  for (const x of xs) t.conj(x);
  return t.persistent();
}

// Convenience constructors for host code and tests.
export const list = (...xs) => listOf(xs);
export const vector = (...xs) => vectorOf(xs);
export const hashMap = mapOf;
export const hashSet = setOf;

// Names the brief uses for the classes (Map/Set also exported under Clojure-ish names so
// that importing them does not shadow the JS globals).
export {
  PList as List, PVector as Vector, PMap as HashMap, PSet as HashSet, PMap as Map, PSet as Set,
};

// ---------------------------------------------------------------------------------------
// Seq functions, equality, comparison
// ---------------------------------------------------------------------------------------

/** True for values that compare elementwise with `=`: lists, vectors, seqs. */
export function isSequential(x) {
  return x instanceof ASeq || x instanceof PVector || x instanceof LazySeq || x instanceof EmptyList;
}
const isSeqLike = (x) => x instanceof ASeq || x instanceof LazySeq || x instanceof EmptyList;

/** Clojure's `seq`: null for empty, else a seq (ASeq). */
export function seq(x) {
  if (x === null || x === undefined) return null;
  if (x instanceof ASeq) return x;
  if (x instanceof Coll) return x.seq();
  if (typeof x === 'string') return x.length === 0 ? null : new StringSeq(x, 0);
  if (Array.isArray(x)) return x.length === 0 ? null : new ArraySeq(x, 0, x.length);
  if (typeof x === 'object' && typeof x[Symbol.iterator] === 'function' && !(x instanceof Error)) {
    const a = Array.from(x);
    return a.length === 0 ? null : new ArraySeq(a, 0, a.length);
  }
  throw illegalArgument(`Don't know how to create ISeq from: ${className(x)}`);
}

export function first(x) {
  if (x instanceof ASeq) return x.first();
  const s = seq(x);
  return s === null ? null : s.first();
}
export function next(x) {
  if (x instanceof ASeq) return x.next();
  const s = seq(x);
  return s === null ? null : s.next();
}
export function rest(x) {
  if (x instanceof ASeq) return x.more();
  const s = seq(x);
  return s === null ? EMPTY_LIST : s.more();
}

/** The elements of any seqable as a fresh JS array. */
export function toArray(x) {
  if (x === null || x === undefined) return [];
  if (x instanceof PVector) return x.toArray();
  if (Array.isArray(x)) return x.map(nu);
  const out = [];
  for (let s = seq(x); s !== null; s = s.next()) out.push(s.first());
  return out;
}

function equivSequential(a, b) {
  if (a instanceof PVector && b instanceof PVector) {
    if (a.cnt !== b.cnt) return false;
    for (let i = 0; i < a.cnt; i += 32) {
      const x = a.arrayFor(i), y = b.arrayFor(i);
      const n = Math.min(32, a.cnt - i);
      for (let j = 0; j < n; j++) if (!equiv(x[j], y[j])) return false;
    }
    return true;
  }
  let sa = seq(a), sb = seq(b);
  while (sa !== null) {
    if (sb === null || !equiv(sa.first(), sb.first())) return false;
    sa = sa.next();
    sb = sb.next();
  }
  return sb === null;
}

function hashOrdered(coll) {
  let n = 0, h = 1;
  if (coll instanceof PVector) {
    for (let i = 0; i < coll.cnt; i += 32) {
      const a = coll.arrayFor(i);
      const m = Math.min(32, coll.cnt - i);
      for (let j = 0; j < m; j++) h = (Math.imul(31, h) + hasheq(a[j])) | 0;
    }
    n = coll.cnt;
  } else {
    for (let s = seq(coll); s !== null; s = s.next()) { h = (Math.imul(31, h) + hasheq(s.first())) | 0; n++; }
  }
  return mixCollHash(h, n);
}

/** Clojure `=`: value equality ((= [1 2] '(1 2)) true, (= 1 1.0) false). */
export function equiv(a, b) {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return nu(a) === nu(b);
  switch (typeof a) {
    case 'bigint': return b instanceof BigNum && b.v === a;
    case 'number': case 'string': case 'boolean': case 'function': return false;
  }
  if (a instanceof Keyword || a instanceof Char) return false; // interned
  if (a instanceof Coll) return a.equiv(b);
  if (a instanceof Sym || a instanceof JClass) return a.equiv(b);
  if (a instanceof BigNum) return (typeof b === 'bigint' && a.v === b) || (b instanceof BigNum && a.v === b.v);
  if (a instanceof Ratio) return b instanceof Ratio && a.num === b.num && a.den === b.den;
  return false;
}

function javaCompareStrings(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Clojure's `compare`. */
export function compare(a, b) {
  a = nu(a); b = nu(b);
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (isNumber(a)) {
    const c = numCmp(a, b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (typeof a === 'string') {
    if (typeof b !== 'string') throw castError(b, 'java.lang.String');
    return javaCompareStrings(a, b);
  }
  if (typeof a === 'boolean') {
    if (typeof b !== 'boolean') throw castError(b, 'java.lang.Boolean');
    return a === b ? 0 : a ? 1 : -1;
  }
  if (a instanceof Keyword || a instanceof Sym) {
    const K = a instanceof Keyword ? Keyword : Sym;
    if (!(b instanceof K)) throw castError(b, className(a));
    if (a.ns === b.ns && a.name === b.name) return 0;
    if (a.ns === null && b.ns !== null) return -1;
    if (a.ns !== null) {
      if (b.ns === null) return 1;
      const c = javaCompareStrings(a.ns, b.ns);
      if (c !== 0) return c;
    }
    return javaCompareStrings(a.name, b.name);
  }
  if (a instanceof Char) {
    if (!(b instanceof Char)) throw castError(b, 'java.lang.Character');
    return a.c.charCodeAt(0) - b.c.charCodeAt(0);
  }
  if (a instanceof PVector) {
    if (!(b instanceof PVector)) throw castError(b, 'clojure.lang.IPersistentVector');
    if (a.cnt !== b.cnt) return a.cnt < b.cnt ? -1 : 1;
    for (let i = 0; i < a.cnt; i++) {
      const c = compare(a.nth(i), b.nth(i));
      if (c !== 0) return c;
    }
    return 0;
  }
  throw castError(a, 'java.lang.Comparable');
}

// ---------------------------------------------------------------------------------------
// Class names
// ---------------------------------------------------------------------------------------

const FN = Symbol('jank.fn'); // compiled fns: their arities and captures
/** A compiled fn's arities and captures, or null for anything else. */
const fnInfo = (x) => (typeof x === 'function' && x[FN] !== undefined ? x[FN] : null);
const NAME = Symbol('jank.name'); // qualified name of core fns ("clojure.core/inc")
const APPLY_ARRAY = Symbol('jank.applyArray'); // core variadics: call with a JS array of args

/** The Java-ish class name of a value (as Clojure error messages word it). */
export function className(x) {
  if (x === null || x === undefined) return 'nil';
  switch (typeof x) {
    case 'boolean': return 'java.lang.Boolean';
    case 'bigint': return 'java.lang.Long';
    case 'number': return 'java.lang.Double';
    case 'string': return 'java.lang.String';
    case 'function': return fnClassName(x);
  }
  if (x instanceof Keyword) return 'clojure.lang.Keyword';
  if (x instanceof Sym) return 'clojure.lang.Symbol';
  if (x instanceof Char) return 'java.lang.Character';
  if (x instanceof Ratio) return 'clojure.lang.Ratio';
  if (x instanceof BigNum) return 'clojure.lang.BigInt';
  if (x instanceof MapEntry) return 'clojure.lang.MapEntry';
  if (x instanceof PVector) return 'clojure.lang.PersistentVector';
  if (x instanceof PMap) return x.arr !== null ? 'clojure.lang.PersistentArrayMap' : 'clojure.lang.PersistentHashMap';
  if (x instanceof PSet) return 'clojure.lang.PersistentHashSet';
  if (x instanceof PList) return 'clojure.lang.PersistentList';
  if (x instanceof EmptyList) return 'clojure.lang.PersistentList$EmptyList';
  if (x instanceof Cons) return 'clojure.lang.Cons';
  if (x instanceof LazySeq) return 'clojure.lang.LazySeq';
  if (x instanceof StringSeq) return 'clojure.lang.StringSeq';
  if (x instanceof Range) {
    if (x.end === null) return 'clojure.lang.Iterate';
    return typeof x.start === 'bigint' && typeof x.step === 'bigint' ? 'clojure.lang.LongRange' : 'clojure.lang.Range';
  }
  if (x instanceof ArraySeq) return 'clojure.lang.ArraySeq';
  if (x instanceof VecSeq) return 'clojure.lang.PersistentVector$ChunkedSeq';
  if (x instanceof NodeSeq || x instanceof ArrayNodeSeq || x instanceof ArrayMapSeq) {
    if (x.mode !== 0) return x.mode === 1 ? 'clojure.lang.APersistentMap$KeySeq' : 'clojure.lang.APersistentMap$ValSeq';
    if (x instanceof ArrayMapSeq) return 'clojure.lang.PersistentArrayMap$Seq';
    return x instanceof NodeSeq ? 'clojure.lang.PersistentHashMap$NodeSeq' : 'clojure.lang.PersistentHashMap$ArrayNode$Seq';
  }
  if (x instanceof Var) return 'clojure.lang.Var';
  if (x instanceof Namespace) return 'clojure.lang.Namespace';
  if (x instanceof Unbound) return 'clojure.lang.Var$Unbound';
  if (x instanceof Atom) return 'clojure.lang.Atom';
  if (x instanceof Reduced) return 'clojure.lang.Reduced';
  if (x instanceof Volatile) return 'clojure.lang.Volatile';
  if (x instanceof JClass) return 'java.lang.Class';
  if (x instanceof CljError) return x.javaClass;
  if (x instanceof RegExp) return 'java.util.regex.Pattern';
  if (x instanceof Error) return x.name || 'Error';
  const c = x.constructor;
  return (c && c.name) || 'Object';
}

function simpleClassName(x) {
  const n = className(x);
  const s = n.slice(n.lastIndexOf('.') + 1);
  return n.startsWith('clojure.lang.') && s.includes('$') ? s.slice(s.lastIndexOf('$') + 1) : s;
}

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

function fnClassName(f) {
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

// ---------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------

const CHAR_NAMES = { '\n': 'newline', '\t': 'tab', ' ': 'space', '\b': 'backspace', '\f': 'formfeed', '\r': 'return' };
const STRING_ESCAPES = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\b': '\\b' };

function quoteString(s) {
  return '"' + s.replace(/["\\\n\t\r\f\b]/g, (c) => STRING_ESCAPES[c]) + '"';
}

function printDouble(x) {
  if (x === Infinity) return '##Inf';
  if (x === -Infinity) return '##-Inf';
  if (x !== x) return '##NaN';
  return doubleToString(x);
}

const regexSources = new WeakMap();
function regexSource(re) { return regexSources.get(re) ?? re.source; }

function hex(o) { return identityHash(o).toString(16); }

function printTagged(cls, o, rep, r, out) {
  out.push(`#object[${cls} 0x${hex(o)} `);
  printTo(rep, r, out);
  out.push(']');
}

function printRef(cls, o, v, r, out) {
  // #object[clojure.lang.Atom 0x1f {:status :ready, :val 1}]
  out.push(`#object[${cls} 0x${hex(o)} `);
  printTo(mapOf(keyword(null, 'status'), keyword(null, 'ready'), keyword(null, 'val'), v), r, out);
  out.push(']');
}

function printError(e, r, out) {
  const via = [];
  for (let c = e; c instanceof Error && via.length < 20; c = c.cause) via.push(c);
  const root = via[via.length - 1];
  const msgOf = (x) => (x instanceof CljError ? x.cljMessage : x.message ?? null);
  out.push('#error {\n :cause ');
  printTo(msgOf(root), r, out);
  if (root instanceof CljError && root.data !== null) { out.push('\n :data '); printTo(root.data, r, out); }
  out.push('\n :via\n [');
  via.forEach((x, i) => {
    if (i > 0) out.push('\n  ');
    out.push('{:type ' + className(x) + '\n   :message ');
    printTo(msgOf(x), r, out);
    if (x instanceof CljError && x.data !== null) { out.push('\n   :data '); printTo(x.data, r, out); }
    out.push('}');
  });
  out.push(']\n :trace\n []}');
}

// *print-length* and *print-level* while printing (null: no limit). prStr/printStr set them
// from the vars; printColl counts the level down as it enters a collection.
let printLength = null;
let printLevel = null;

/** The limit a *print-length* / *print-level* value sets: a number, or null for none. */
function printLimit(x) {
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'number') return x === x ? Math.trunc(x) : null;
  if (x instanceof BigNum) return Number(x.v);
  return null;
}

/**
 * Print the items of seq `s` between `open` and `close`, as Clojure's print-sequential: past
 * *print-level* the collection prints as "#", past *print-length* items as "...".
 */
function printColl(open, close, sep, s, printOne, out) {
  const level = printLevel;
  if (level !== null) {
    if (level <= 0) { out.push('#'); return; }
    printLevel = level - 1;
  }
  out.push(open);
  let n = printLength;
  while (s !== null) {
    if (n === 0) { out.push('...'); break; }
    if (n !== null) n--;
    printOne(s.first());
    s = s.next();
    if (s !== null) out.push(sep);
  }
  out.push(close);
  printLevel = level;
}

function printSeq(open, close, s, r, out) {
  printColl(open, close, ' ', s, (x) => printTo(x, r, out), out);
}

function printTo(x, r, out) {
  if (x === null || x === undefined) { out.push('nil'); return; }
  switch (typeof x) {
    case 'string': out.push(r ? quoteString(x) : x); return;
    case 'bigint': out.push(x.toString()); return;
    case 'number': out.push(printDouble(x)); return;
    case 'boolean': out.push(x ? 'true' : 'false'); return;
    case 'function': { const c = fnClassName(x); printTagged(c, x, `${c}@${hex(x)}`, r, out); return; }
  }
  if (x instanceof Keyword) { out.push(':' + x.fqn); return; }
  if (x instanceof Char) { out.push(r ? '\\' + (CHAR_NAMES[x.c] ?? x.c) : x.c); return; }
  if (x instanceof PVector) { printSeq('[', ']', x.seq(), r, out); return; }
  if (x instanceof PMap) {
    printColl('{', '}', ', ', x.seq(), (e) => {
      printTo(e.key(), r, out);
      out.push(' ');
      printTo(e.val(), r, out);
    }, out);
    return;
  }
  if (x instanceof PSet) { printSeq('#{', '}', x.seq(), r, out); return; }
  if (isSeqLike(x)) { printSeq('(', ')', seq(x), r, out); return; }
  if (x instanceof Sym) { out.push(x.fqn); return; }
  if (x instanceof Ratio) { out.push(`${x.num}/${x.den}`); return; }
  if (x instanceof BigNum) { out.push(`${x.v}N`); return; }
  if (x instanceof Var) { out.push(`#'${x.ns}/${x.name}`); return; }
  if (x instanceof Namespace) { out.push(`#namespace[${x.name}]`); return; }
  if (x instanceof Atom) { printRef('clojure.lang.Atom', x, x.v, r, out); return; }
  if (x instanceof Volatile) { printRef('clojure.lang.Volatile', x, x.v, r, out); return; }
  if (x instanceof Reduced) { printRef('clojure.lang.Reduced', x, x.v, r, out); return; }
  if (x instanceof Unbound) { printTagged('clojure.lang.Var$Unbound', x, x.toString(), r, out); return; }
  if (x instanceof JClass) { out.push(x.name); return; }
  if (x instanceof RegExp) { out.push('#"' + regexSource(x).replace(/(\\.)|"/g, (m, esc) => esc ?? '\\"') + '"'); return; }
  if (x instanceof Error) { printError(x, r, out); return; }
  if (Array.isArray(x)) { printSeq('#js [', ']', seq(x), r, out); return; }
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) {
    out.push('#js {');
    Object.keys(x).forEach((k, i) => {
      if (i > 0) out.push(', ');
      out.push(':' + k + ' ');
      printTo(x[k], r, out);
    });
    out.push('}');
    return;
  }
  let rep;
  try { rep = String(x); } catch { rep = className(x); }
  printTagged(className(x), x, rep, r, out);
}

function printWithLimits(x, r) {
  const length = printLength, level = printLevel;
  printLength = printLimit(coreLib['*print-length*']);
  printLevel = printLimit(coreLib['*print-level*']);
  const out = [];
  try {
    printTo(x, r, out);
  } finally {
    printLength = length;
    printLevel = level;
  }
  return out.join('');
}

/** pr-str of one value: readable text, as Clojure prints it (honouring *print-length* and *print-level*). */
export function prStr(x) { return printWithLimits(x, true); }

/** print-str of one value: like prStr but strings and chars (also nested) unquoted. */
export function printStr(x) { return printWithLimits(x, false); }

/** `str` of one value (Java toString semantics): "" for nil, strings and chars as is. */
export function toStr(x) {
  if (x === null || x === undefined) return '';
  switch (typeof x) {
    case 'string': return x;
    case 'bigint': return x.toString();
    case 'number': return doubleToString(x);
    case 'boolean': return x ? 'true' : 'false';
    case 'function': return `${fnClassName(x)}@${hex(x)}`;
  }
  if (x instanceof Char) return x.c;
  if (x instanceof LazySeq) return 'clojure.lang.LazySeq@' + (javaHash(x) >>> 0).toString(16);
  if (x instanceof BigNum) return x.v.toString();
  if (x instanceof Keyword || x instanceof Sym || x instanceof Coll || x instanceof Ratio || x instanceof Var || x instanceof JClass) return prStr(x);
  if (x instanceof RegExp) return regexSource(x);
  if (x instanceof Unbound) return x.toString();
  if (x instanceof CljError) {
    const m = x.cljMessage;
    const base = m === null ? x.javaClass : `${x.javaClass}: ${m}`;
    return x.cls === 'ExceptionInfo' ? `${base} ${prStr(x.data)}` : base;
  }
  if (x instanceof Atom || x instanceof Volatile || x instanceof Reduced) return `${className(x)}@${hex(x)}`;
  if (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype) return prStr(x);
  return String(x);
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

let lineBuffers = { out: '', err: '' };
function defaultWrite(which, s) {
  const p = globalThis.process;
  const stream = p && (which === 'err' ? p.stderr : p.stdout);
  if (stream && typeof stream.write === 'function') { stream.write(s); return; }
  // browser: console.log whole lines
  const buf = lineBuffers[which] + s;
  const lines = buf.split('\n');
  lineBuffers[which] = lines.pop();
  for (const l of lines) (which === 'err' ? console.error : console.log)(l);
}
let output = { out: (s) => defaultWrite('out', s), err: (s) => defaultWrite('err', s) };

/**
 * Install output sinks: `{out(text), err(text)}` (either may be omitted). println, print,
 * prn, pr and newline write to `out`. Returns the previous sinks (to restore them).
 */
export function setOutput(sinks = {}) {
  const prev = output;
  output = { out: sinks.out ?? prev.out, err: sinks.err ?? prev.err };
  return prev;
}
export const writeOut = (s) => output.out(s);
export const writeErr = (s) => output.err(s);

// ---------------------------------------------------------------------------------------
// Fns and invocation
// ---------------------------------------------------------------------------------------

let fnIds = 0;

/**
 * The eval whose code is running (its output is tagged with this id), or null between
 * evals. A fn remembers the eval that created it, so when host code calls it later (a
 * timer, an event handler) its output goes to the session that installed it.
 */
let currentEval = null;
export const currentEvalId = () => currentEval;

/** Runs `thunk` as part of eval `id`. */
export function withEval(id, thunk) {
  const previous = currentEval;
  currentEval = id;
  try {
    return thunk();
  } finally {
    currentEval = previous;
  }
}

/**
 * A compiled fn called by host code between evals: runs as part of the eval that created
 * it. A throw is reported on that eval's err (host callers, like timers, have nobody to
 * hand it to) and the call returns nil.
 */
function callAsCallback(f, info, args) {
  return withEval(info.evalId, () => {
    try {
      return f.apply(null, args);
    } catch (e) {
      const { cls, message } = errorInfo(e);
      writeErr(`${cls}: ${message}\n`);
      return null;
    }
  });
}
const NO_CAPTURES = [];

/**
 * A Clojure fn value (the ABI's fn_new): a real JS function dispatching on the argument
 * count to the arities added with `fnArity`. `name` is "ns/name", a bare name (qualified with
 * `ns`), or null for an anonymous fn.
 */
export function fnNew(name, ncaptures = 0, ns = 'user') {
  name = nu(name);
  let qname = null;
  if (typeof name === 'string' && name !== '') qname = name.includes('/') || !ns ? name : `${ns}/${name}`;
  const info = {
    name: qname ?? 'fn',
    anon: qname === null,
    ns,
    id: ++fnIds,
    fixed: [],
    maxFixed: -1,
    variadic: null,
    vreq: 0,
    caps: ncaptures > 0 ? new Array(ncaptures).fill(null) : NO_CAPTURES,
    evalId: currentEval,
  };
  const fixed = info.fixed;
  const f = function (a, b, c, d) {
    if (currentEval === null && info.evalId !== null) return callAsCallback(f, info, arguments);
    const n = arguments.length;
    const code = fixed[n];
    if (code !== undefined) {
      switch (n) {
        case 0: return nu(code(f));
        case 1: return nu(code(f, nu(a)));
        case 2: return nu(code(f, nu(a), nu(b)));
        case 3: return nu(code(f, nu(a), nu(b), nu(c)));
        case 4: return nu(code(f, nu(a), nu(b), nu(c), nu(d)));
      }
    }
    return fnSlow(f, info, arguments);
  };
  f[FN] = info;
  return f;
}

function fnSlow(f, info, args) {
  const n = args.length;
  const code = info.fixed[n];
  if (code !== undefined) return nu(code(f, ...Array.from(args, nu)));
  if (info.variadic !== null && n >= info.vreq) {
    const call = [f];
    for (let i = 0; i < info.vreq; i++) call.push(nu(args[i]));
    call.push(n > info.vreq ? new ArraySeq(Array.from(args, nu), info.vreq, n) : null);
    return nu(info.variadic(...call));
  }
  throw arityError(n, info.name);
}

/**
 * Add an arity to a fn (the ABI's fn_arity). `code(self, p1..pn)`; for a variadic arity pn
 * is the rest seq and nparams counts it (a compiler passing only the fixed count is detected
 * from code.length). Returns fn.
 */
export function fnArity(fn, nparams, variadic, code) {
  const info = fn[FN];
  if (info === undefined) throw new Error('fn_arity: not a fn made by fn_new');
  if (variadic) {
    info.variadic = code;
    info.vreq = typeof code.length === 'number' && code.length === nparams + 2 ? nparams : nparams - 1;
  } else {
    info.fixed[nparams] = code;
    if (nparams > info.maxFixed) info.maxFixed = nparams;
  }
  return fn;
}

/** Store captured local i of a fn (the ABI's fn_capture). Returns fn. */
export function fnCapture(fn, i, v) {
  fn[FN].caps[i] = nu(v);
  return fn;
}

/** Read captured local i of the running fn (the ABI's fn_captured). */
export function fnCaptured(self, i) {
  return self[FN].caps[i];
}

/** The ABI's throw: throw a Throwable (CljError or JS Error); anything else is a ClassCastException. */
export function throwValue(v) {
  if (v instanceof Error) throw v;
  throw castError(v, 'java.lang.Throwable', 'Cannot throw exception because "null" is null');
}

/** Call a non-function value: keywords, symbols, maps, sets, vectors, vars. */
function invokeObj(f, args) {
  const n = args.length;
  if (f === null || f === undefined) {
    throw nullPointer(`Cannot invoke "clojure.lang.IFn.invoke(${Array(n).fill('Object').join(', ')})" because fn is nil`);
  }
  if (f instanceof Keyword) {
    if (n === 1) return get(args[0], f);
    if (n === 2) return get(args[0], f, args[1]);
    throw arityError(n, ':' + f.fqn);
  }
  if (f instanceof PMap) {
    if (n === 1) return f.get(args[0]);
    if (n === 2) return f.get(args[0], args[1]);
  } else if (f instanceof PSet) {
    if (n === 1) return f.get(args[0]);
    if (n === 2) return f.get(args[0], args[1]);
  } else if (f instanceof PVector) {
    if (n === 1) {
      if (!isInteger(args[0])) throw illegalArgument('Key must be integer');
      return f.nth(toIndex(args[0]));
    }
  } else if (f instanceof Sym) {
    if (n === 1) return get(args[0], f);
    if (n === 2) return get(args[0], f, args[1]);
  } else if (f instanceof Var) {
    return invokeArray(f.deref(), args);
  } else if (f instanceof Unbound) {
    throw illegalState(`Attempting to call unbound fn: #'${f.v.ns}/${f.v.name}`);
  } else {
    throw castError(f, 'clojure.lang.IFn');
  }
  throw arityError(n, className(f));
}

/** Call any callable with a JS array of arguments. */
export function invokeArray(f, args) {
  if (typeof f === 'function') {
    if (args.length > 64 && f[APPLY_ARRAY] !== undefined) return nu(f[APPLY_ARRAY](args));
    return nu(f(...args));
  }
  return invokeObj(f, args);
}

export function invoke0(f) { return typeof f === 'function' ? nu(f()) : invokeObj(f, []); }
export function invoke1(f, a) { return typeof f === 'function' ? nu(f(a)) : invokeObj(f, [a]); }
export function invoke2(f, a, b) { return typeof f === 'function' ? nu(f(a, b)) : invokeObj(f, [a, b]); }
export function invoke3(f, a, b, c) { return typeof f === 'function' ? nu(f(a, b, c)) : invokeObj(f, [a, b, c]); }
export function invoke4(f, a, b, c, d) { return typeof f === 'function' ? nu(f(a, b, c, d)) : invokeObj(f, [a, b, c, d]); }
/** Call f with the given arguments, with Clojure's rules for what is callable. */
export function invoke(f, ...args) { return invokeArray(f, args); }
export { invoke as invokeN };

/**
 * Clojure's apply: call f with the elements of a seq. A compiled variadic fn gets the tail
 * of the seq as its rest argument unrealised, so (apply f (range)) works as in Clojure.
 */
export function applyTo(f, argSeq) {
  const info = typeof f === 'function' ? f[FN] : undefined;
  if (info !== undefined && info.variadic !== null) {
    const limit = Math.max(info.maxFixed + 1, info.vreq);
    const head = [];
    let s = seq(argSeq);
    while (s !== null && head.length < limit) { head.push(s.first()); s = s.next(); }
    if (s === null) return invokeArray(f, head);
    let restSeq = s;
    for (let i = head.length - 1; i >= info.vreq; i--) restSeq = new Cons(head[i], restSeq);
    return nu(info.variadic(f, ...head.slice(0, info.vreq), restSeq));
  }
  return invokeArray(f, toArray(argSeq));
}

// ---------------------------------------------------------------------------------------
// Generic collection operations
// ---------------------------------------------------------------------------------------

/** An index argument (a long, or a double truncated as Clojure's intCast does). */
function toIndex(x) {
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'number') return Math.trunc(x);
  if (x instanceof BigNum) return Number(x.v);
  if (x instanceof Ratio) return Number(x.num / x.den);
  throw castError(x, 'java.lang.Number');
}

/** Clojure's count as a JS number. */
export function count(x) {
  if (x === null || x === undefined) return 0;
  if (x instanceof Coll) return x.count();
  if (typeof x === 'string' || Array.isArray(x)) return x.length;
  if (x instanceof globalThis.Map || x instanceof globalThis.Set) return x.size;
  throw unsupportedOperation(`count not supported on this type: ${simpleClassName(x)}`);
}

/** Clojure's get. */
export function get(m, k, notFound = null) {
  if (m === null || m === undefined) return notFound;
  if (m instanceof PMap) return m.get(k, notFound);
  if (m instanceof PVector) {
    if (!isInteger(k)) return notFound;
    const i = toIndex(k);
    return i >= 0 && i < m.cnt ? m.nth(i) : notFound;
  }
  if (m instanceof PSet) return m.get(k, notFound);
  if (typeof m === 'string' || Array.isArray(m)) {
    if (!isInteger(k)) return notFound;
    const i = toIndex(k);
    if (i < 0 || i >= m.length) return notFound;
    return typeof m === 'string' ? char(m[i]) : nu(m[i]);
  }
  return notFound;
}

/** Clojure's nth (notFound undefined: throw when out of range). */
export function nth(coll, index, notFound) {
  const i = toIndex(index);
  if (coll === null || coll === undefined) return notFound === undefined ? null : notFound;
  if (coll instanceof PVector) return coll.nth(i, notFound);
  if (typeof coll === 'string') {
    if (i >= 0 && i < coll.length) return char(coll[i]);
    if (notFound !== undefined) return notFound;
    throw new CljError('StringIndexOutOfBoundsException', `String index out of range: ${i}`);
  }
  if (Array.isArray(coll)) {
    if (i >= 0 && i < coll.length) return nu(coll[i]);
    if (notFound !== undefined) return notFound;
    throw new CljError('ArrayIndexOutOfBoundsException', `Index ${i} out of bounds for length ${coll.length}`);
  }
  if (isSequential(coll)) {
    if (coll instanceof ArraySeq) {
      if (i >= 0 && i < coll.count()) return nu(coll.arr[coll.i + i]);
    } else if (coll instanceof VecSeq) {
      if (i >= 0 && i < coll.count()) return coll.vec.nth(coll.i + coll.offset + i);
    } else if (i >= 0) {
      let s = seq(coll);
      for (let j = 0; s !== null && j < i; j++) s = s.next();
      if (s !== null) return s.first();
    }
    if (notFound !== undefined) return notFound;
    throw indexOutOfBounds();
  }
  throw unsupportedOperation(`nth not supported on this type: ${simpleClassName(coll)}`);
}

/** Clojure's conj of one value. */
export function conj(coll, x) {
  x = nu(x);
  if (coll === null || coll === undefined) return new PList(x, EMPTY_LIST, 1);
  if (coll instanceof Coll) return coll.conj(x);
  throw castError(coll, 'clojure.lang.IPersistentCollection');
}

/** Clojure's assoc of one key. */
export function assoc(m, k, v) {
  k = nu(k); v = nu(v);
  if (m === null || m === undefined) return EMPTY_MAP.assoc(k, v);
  if (m instanceof PMap) return m.assoc(k, v);
  if (m instanceof PVector) {
    if (!isInteger(k)) throw illegalArgument('Key must be integer');
    return m.assocN(toIndex(k), v);
  }
  throw castError(m, 'clojure.lang.Associative');
}

export function dissoc(m, k) {
  if (m === null || m === undefined) return null;
  if (m instanceof PMap) return m.dissoc(k);
  throw castError(m, 'clojure.lang.IPersistentMap');
}

export function contains(coll, k) {
  if (coll === null || coll === undefined) return false;
  if (coll instanceof PMap) return coll.containsKey(k);
  if (coll instanceof PSet) return coll.contains(k);
  if (coll instanceof PVector || typeof coll === 'string' || Array.isArray(coll)) {
    if (!isInteger(k)) return false;
    const i = toIndex(k);
    return i >= 0 && i < count(coll);
  }
  throw illegalArgument(`contains? not supported on type: ${className(coll)}`);
}

/** Clojure's deref. */
export function deref(x) {
  if (x instanceof Atom || x instanceof Var || x instanceof Reduced || x instanceof Volatile) return x.deref();
  throw castError(x, 'java.util.concurrent.Future');
}

// ---------------------------------------------------------------------------------------
// Regular expressions (JS RegExp, printed with the Java pattern text)
// ---------------------------------------------------------------------------------------

/** A regex from Java pattern text (leading inline flags (?i) (?m) (?s) become JS flags). */
export function regex(pattern) {
  let src = pattern;
  let flags = '';
  const m = /^\(\?([imsux]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  let re;
  try { re = new RegExp(src, flags + 'u'); } catch { re = new RegExp(src, flags); }
  regexSources.set(re, pattern);
  return re;
}

function globalRegex(re) {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  return g;
}

function matchResult(m) {
  if (m.length === 1) return m[0];
  return vectorOf(Array.from(m, nu));
}

function reFind(re, s) {
  if (!(re instanceof RegExp)) throw castError(re, 'java.util.regex.Pattern');
  if (typeof s !== 'string') throw castError(s, 'java.lang.CharSequence');
  const m = re.exec(s);
  return m === null ? null : matchResult(m);
}

const anchoredCache = new WeakMap();
function reMatches(re, s) {
  if (!(re instanceof RegExp)) throw castError(re, 'java.util.regex.Pattern');
  if (typeof s !== 'string') throw castError(s, 'java.lang.CharSequence');
  let a = anchoredCache.get(re);
  if (a === undefined) {
    a = new RegExp('^(?:' + re.source + ')$', re.flags.replace(/[gmy]/g, ''));
    anchoredCache.set(re, a);
  }
  const m = a.exec(s);
  return m === null ? null : matchResult(m);
}

function reSeq(re, s) {
  if (typeof s !== 'string') throw castError(s, 'java.lang.CharSequence');
  if (!(re instanceof RegExp)) throw castError(re, 'java.util.regex.Pattern');
  const g = globalRegex(re);
  // like Clojure: the first match is found eagerly (nil when there is none), the rest lazily
  const step = (from) => {
    if (from > s.length) return null;
    g.lastIndex = from;
    const m = g.exec(s);
    if (m === null) return null;
    const nextFrom = m[0] === '' ? m.index + 1 : g.lastIndex;
    return new Cons(matchResult(m), lazySeq(() => step(nextFrom)));
  };
  return step(0);
}

// ---------------------------------------------------------------------------------------
// The core library
// ---------------------------------------------------------------------------------------

/** clojure.core: name -> value (JS functions with Clojure semantics). */
export const coreLib = Object.create(null);
/** clojure.string: name -> value. */
export const stringLib = Object.create(null);

/**
 * Define a library fn with arities {0: f0, 1: f1, 2: f2, 3: f3, va: fAll, vmin: n}:
 * fixed arities get their arguments directly, `va` gets all arguments as an array when at
 * least `vmin` were passed and no fixed arity fits. Anything else is an ArityException.
 */
function defn(lib, ns, name, arities) {
  const qn = `${ns}/${name}`;
  const a0 = arities[0], a1 = arities[1], a2 = arities[2], a3 = arities[3];
  const va = arities.va, vmin = arities.vmin ?? 0;
  const f = function (x, y, z) {
    switch (arguments.length) {
      case 0: if (a0 !== undefined) return nu(a0()); break;
      case 1: if (a1 !== undefined) return nu(a1(nu(x))); break;
      case 2: if (a2 !== undefined) return nu(a2(nu(x), nu(y))); break;
      case 3: if (a3 !== undefined) return nu(a3(nu(x), nu(y), nu(z))); break;
    }
    const n = arguments.length;
    if (va !== undefined && n >= vmin) return nu(va(Array.from(arguments, nu)));
    throw arityError(n, qn);
  };
  f[NAME] = qn;
  if (va !== undefined) {
    f[APPLY_ARRAY] = (args) => {
      if (args.length < vmin) throw arityError(args.length, qn);
      return va(args);
    };
  }
  lib[name] = f;
  return f;
}
const core = (name, arities) => defn(coreLib, 'clojure.core', name, arities);
const cstr = (name, arities) => defn(stringLib, 'clojure.string', name, arities);

// --- arithmetic ------------------------------------------------------------------------

const one = (x) => { numCat(x); return x; };
core('+', { 0: () => 0n, 1: one, 2: add, va: (xs) => xs.reduce(add) });
core('*', { 0: () => 1n, 1: one, 2: mul, va: (xs) => xs.reduce(mul) });
core('-', { 1: (x) => sub(0n, x), 2: sub, va: (xs) => xs.reduce(sub), vmin: 1 });
core('/', { 1: (x) => div(1n, x), 2: div, va: (xs) => xs.reduce(div), vmin: 1 });
core('quot', { 2: quot });
core('rem', { 2: rem });
core('mod', { 2: mod });
core('inc', { 1: (x) => add(x, 1n) });
core('dec', { 1: (x) => sub(x, 1n) });
const maxOf = (x, y) => {
  if (typeof x === 'number' && x !== x) { numCat(y); return x; }
  if (typeof y === 'number' && y !== y) { numCat(x); return y; }
  return gt(x, y) ? x : y;
};
const minOf = (x, y) => {
  if (typeof x === 'number' && x !== x) { numCat(y); return x; }
  if (typeof y === 'number' && y !== y) { numCat(x); return y; }
  return lt(x, y) ? x : y;
};
core('max', { 1: (x) => x, 2: maxOf, va: (xs) => xs.reduce(maxOf), vmin: 1 });
core('min', { 1: (x) => x, 2: minOf, va: (xs) => xs.reduce(minOf), vmin: 1 });
core('abs', {
  1: (x) => {
    if (typeof x === 'bigint') return x < 0n && x !== MIN_LONG ? -x : x;
    if (typeof x === 'number') return Math.abs(x);
    return signum(x) < 0 ? sub(0n, x) : x;
  },
});

const chain = (name, test) => core(name, {
  1: () => true,
  2: test,
  va: (xs) => { for (let i = 0; i + 1 < xs.length; i++) if (!test(xs[i], xs[i + 1])) return false; return true; },
  vmin: 1,
});
chain('<', lt);
chain('>', gt);
chain('<=', lte);
chain('>=', gte);
chain('==', numEquiv);
core('=', {
  1: () => true,
  2: equiv,
  va: (xs) => { for (let i = 0; i + 1 < xs.length; i++) if (!equiv(xs[i], xs[i + 1])) return false; return true; },
  vmin: 1,
});
core('not=', {
  1: () => false,
  2: (a, b) => !equiv(a, b),
  va: (xs) => { for (let i = 0; i + 1 < xs.length; i++) if (!equiv(xs[i], xs[i + 1])) return true; return false; },
  vmin: 1,
});
core('compare', { 2: (a, b) => BigInt(compare(a, b)) });
core('identical?', { 2: (a, b) => a === b });
core('hash', { 1: (x) => BigInt(hasheq(x)) });

core('zero?', { 1: isZero });
core('pos?', { 1: (x) => signum(x) > 0 });
core('neg?', { 1: (x) => signum(x) < 0 });
const checkInteger = (x) => {
  if (typeof x === 'bigint') return x;
  if (x instanceof BigNum) return x.v;
  if (x === null) throw castError(x, 'java.lang.Number');
  throw illegalArgument(`Argument must be an integer: ${toStr(x)}`);
};
core('even?', { 1: (x) => (checkInteger(x) & 1n) === 0n });
core('odd?', { 1: (x) => (checkInteger(x) & 1n) !== 0n });

core('number?', { 1: isNumber });
core('integer?', { 1: isInteger });
core('int?', { 1: (x) => typeof x === 'bigint' });
core('pos-int?', { 1: (x) => typeof x === 'bigint' && x > 0n });
core('neg-int?', { 1: (x) => typeof x === 'bigint' && x < 0n });
core('nat-int?', { 1: (x) => typeof x === 'bigint' && x >= 0n });
core('float?', { 1: (x) => typeof x === 'number' });
core('double?', { 1: (x) => typeof x === 'number' });
core('ratio?', { 1: (x) => x instanceof Ratio });
core('rational?', { 1: (x) => isInteger(x) || x instanceof Ratio });
core('NaN?', { 1: (x) => { numCat(x); return typeof x === 'number' && x !== x; } });
core('infinite?', { 1: (x) => { numCat(x); return x === Infinity || x === -Infinity; } });
// Clojure returns a java.math.BigInteger (printed without N): a long when it fits here
const bigInteger = (v) => (fitsLong(v) ? v : new BigNum(v));
core('numerator', { 1: (x) => { if (!(x instanceof Ratio)) throw castError(x, 'clojure.lang.Ratio'); return bigInteger(x.num); } });
core('denominator', { 1: (x) => { if (!(x instanceof Ratio)) throw castError(x, 'clojure.lang.Ratio'); return bigInteger(x.den); } });

function toLong(x, what = 'long', lo = MIN_LONG, hi = MAX_LONG) {
  let v;
  if (typeof x === 'bigint') v = x;
  else if (typeof x === 'number') {
    if (x !== x) return 0n;
    if (x < Number(lo) || x > Number(hi)) throw illegalArgument(`Value out of range for ${what}: ${doubleToString(x)}`);
    v = BigInt(Math.trunc(x));
  } else if (x instanceof BigNum) v = x.v;
  else if (x instanceof Ratio) v = x.num / x.den;
  else if (x instanceof Char) v = BigInt(x.c.charCodeAt(0));
  else throw castError(x, 'java.lang.Number', 'Cannot invoke "java.lang.Number.doubleValue()" because "x" is null');
  if (v < lo || v > hi) {
    // like Clojure: an integer out of int range is an overflow, anything else out of range
    if (what === 'int' && (typeof x === 'bigint' || x instanceof BigNum)) throw arithmeticError('integer overflow');
    throw illegalArgument(`Value out of range for ${what}: ${v}`);
  }
  return v;
}
core('long', { 1: (x) => toLong(x) });
core('int', { 1: (x) => toLong(x, 'int', -2147483648n, 2147483647n) });
core('double', { 1: toDouble });
core('num', { 1: one });
core('bigint', {
  1: (x) => {
    if (typeof x === 'bigint') return new BigNum(x);
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw new CljError('NumberFormatException', `Character ${x !== x ? 'N' : 'I'} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
      return new BigNum(BigInt(Math.trunc(x)));
    }
    if (x instanceof BigNum) return x;
    if (x instanceof Ratio) return new BigNum(x.num / x.den);
    throw castError(x, 'java.lang.Number');
  },
});
core('char', {
  1: (x) => {
    if (x instanceof Char) return x;
    const n = Number(toLong(x));
    if (n < 0 || n > 0xffff) throw illegalArgument(`Value out of range for char: ${n}`);
    return char(String.fromCharCode(n));
  },
});
core('rand', { 0: () => Math.random(), 1: (n) => toDouble(n) * Math.random() });
core('rand-int', { 1: (n) => toLong(Math.trunc(toDouble(n) * Math.random())) });

// --- predicates --------------------------------------------------------------------------

core('nil?', { 1: (x) => x === null });
core('some?', { 1: (x) => x !== null });
core('true?', { 1: (x) => x === true });
core('false?', { 1: (x) => x === false });
core('not', { 1: (x) => !truthy(x) });
core('boolean', { 1: truthy });
core('boolean?', { 1: (x) => typeof x === 'boolean' });
core('string?', { 1: (x) => typeof x === 'string' });
core('char?', { 1: (x) => x instanceof Char });
core('keyword?', { 1: (x) => x instanceof Keyword });
core('symbol?', { 1: (x) => x instanceof Sym });
core('simple-keyword?', { 1: (x) => x instanceof Keyword && x.ns === null });
core('qualified-keyword?', { 1: (x) => x instanceof Keyword && x.ns !== null });
core('simple-symbol?', { 1: (x) => x instanceof Sym && x.ns === null });
core('qualified-symbol?', { 1: (x) => x instanceof Sym && x.ns !== null });
core('fn?', { 1: (x) => typeof x === 'function' });
core('ifn?', {
  1: (x) => typeof x === 'function' || x instanceof Keyword || x instanceof Sym || x instanceof PMap ||
    x instanceof PSet || x instanceof PVector || x instanceof Var,
});
core('map?', { 1: (x) => x instanceof PMap });
core('vector?', { 1: (x) => x instanceof PVector });
core('set?', { 1: (x) => x instanceof PSet });
core('list?', { 1: (x) => x instanceof PList || x instanceof EmptyList });
core('seq?', { 1: isSeqLike });
core('coll?', { 1: (x) => x instanceof Coll });
core('sequential?', { 1: isSequential });
core('associative?', { 1: (x) => x instanceof PMap || x instanceof PVector });
core('counted?', {
  1: (x) => x instanceof PVector || x instanceof PMap || x instanceof PSet || x instanceof PList ||
    x instanceof EmptyList || x instanceof ArraySeq || x instanceof VecSeq || x instanceof ArrayMapSeq,
});
core('seqable?', {
  1: (x) => x === null || x instanceof Coll || typeof x === 'string' || Array.isArray(x),
});
core('var?', { 1: (x) => x instanceof Var });
core('any?', { 1: () => true });
core('empty?', { 1: (x) => seq(x) === null });
core('not-empty', { 1: (x) => (seq(x) === null ? null : x) });
core('identity', { 1: (x) => x });

const classOf = (x) => (x === null ? null : new JClass(className(x)));
core('class', { 1: classOf });
core('type', { 1: classOf });

// --- strings, symbols, keywords ------------------------------------------------------------

core('str', {
  0: () => '',
  1: toStr,
  2: (a, b) => toStr(a) + toStr(b),
  va: (xs) => xs.map(toStr).join(''),
});
core('subs', {
  2: (s, start) => substring(s, start, null),
  3: (s, start, end) => substring(s, start, end),
});
function substring(s, start, end) {
  if (typeof s !== 'string') throw castError(s, 'java.lang.String');
  const b = toIndex(start);
  const e = end === null ? s.length : toIndex(end);
  if (b < 0 || e > s.length || b > e) {
    throw new CljError('StringIndexOutOfBoundsException', `begin ${b}, end ${e}, length ${s.length}`);
  }
  return s.slice(b, e);
}
function splitName(s) {
  const i = s.indexOf('/');
  return i <= 0 || s === '/' ? [null, s] : [s.slice(0, i), s.slice(i + 1)];
}
core('keyword', {
  1: (x) => {
    if (x instanceof Keyword) return x;
    if (x instanceof Sym) return keyword(x.ns, x.name);
    if (typeof x === 'string') { const [ns, n] = splitName(x); return keyword(ns, n); }
    return null;
  },
  2: (ns, name) => keyword(ns === null ? null : toStr(ns), toStr(name)),
});
core('symbol', {
  1: (x) => {
    if (x instanceof Sym) return x;
    if (x instanceof Keyword) return x.sym();
    if (x instanceof Var) return new Sym(x.ns, x.name);
    if (typeof x === 'string') { const [ns, n] = splitName(x); return new Sym(ns, n); }
    throw illegalArgument('no conversion to symbol');
  },
  2: (ns, name) => new Sym(ns === null ? null : toStr(ns), toStr(name)),
});
core('name', {
  1: (x) => {
    if (typeof x === 'string') return x;
    if (x instanceof Keyword || x instanceof Sym) return x.name;
    throw castError(x, 'clojure.lang.Named');
  },
});
core('namespace', {
  1: (x) => {
    if (x instanceof Keyword || x instanceof Sym) return x.ns;
    throw castError(x, 'clojure.lang.Named');
  },
});
let gensymCounter = 0;
core('gensym', { 0: () => new Sym(null, `G__${++gensymCounter}`), 1: (p) => new Sym(null, `${toStr(p)}${++gensymCounter}`) });

// --- printing ------------------------------------------------------------------------------

const joinWith = (xs, f) => xs.map(f).join(' ');
core('pr-str', { 0: () => '', 1: prStr, va: (xs) => joinWith(xs, prStr) });
core('prn-str', { 0: () => '\n', va: (xs) => joinWith(xs, prStr) + '\n' });
core('print-str', { 0: () => '', 1: printStr, va: (xs) => joinWith(xs, printStr) });
core('println-str', { 0: () => '\n', va: (xs) => joinWith(xs, printStr) + '\n' });
core('pr', { 0: () => null, va: (xs) => { writeOut(joinWith(xs, prStr)); return null; } });
core('prn', { 0: () => { writeOut('\n'); return null; }, va: (xs) => { writeOut(joinWith(xs, prStr) + '\n'); return null; } });
core('print', { 0: () => null, va: (xs) => { writeOut(joinWith(xs, printStr)); return null; } });
// --- JavaScript interop ------------------------------------------------------------------

const HOST_FN = Symbol('jank.hostFn'); // the JS function a host-fn wrapper calls
const hostWrappers = new WeakMap(); // JS function -> its wrapper, so identity survives round trips

/** A value as JS code expects it: longs become numbers (JS APIs reject BigInt). */
function toHost(x) {
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'function' && x[HOST_FN] !== undefined) return x[HOST_FN];
  return x;
}

/**
 * A value from JS code: undefined is nil, integral numbers are longs (as CLJS prints
 * them), and a JS function is wrapped so Clojure calls convert its arguments and result.
 */
function fromHost(x) {
  if (x === undefined) return null;
  if (typeof x === 'number' && Number.isSafeInteger(x)) return BigInt(x);
  if (typeof x === 'function' && x[FN] === undefined && x[NAME] === undefined && x[HOST_FN] === undefined) {
    let wrapper = hostWrappers.get(x);
    if (wrapper === undefined) {
      const f = x;
      wrapper = function (...args) {
        return fromHost(new.target ? Reflect.construct(f, args.map(toHost)) : f.apply(this, args.map(toHost)));
      };
      wrapper[HOST_FN] = f;
      hostWrappers.set(x, wrapper);
    }
    return wrapper;
  }
  return x;
}

const hostArgs = (args) => (args === null ? [] : toArray(args).map(toHost));

/** `js/a.b.c`: walks globalThis; a function found on an object is bound to it. */
function jsGlobal(path) {
  let parent = undefined;
  let value = globalThis;
  for (const part of String(path).split('.')) {
    if (value === null || value === undefined) throw new CljError('Error', `js/${path} is not defined`);
    parent = value;
    value = value[part];
  }
  if (value === undefined && !(String(path).split('.').pop() in (parent ?? {}))) {
    throw new CljError('Error', `js/${path} is not defined`);
  }
  if (typeof value === 'function' && parent !== globalThis && !value.prototype) return fromHost(value.bind(parent));
  return fromHost(value);
}

/** The JS object interop acts on (a wrapped host function is unwrapped). */
function hostTarget(obj, what) {
  if (obj === null || obj === undefined) throw nullPointer(`Cannot ${what} of nil`);
  return toHost(obj);
}

function jsGet(obj, prop) { return fromHost(hostTarget(obj, `read property ${prop}`)[prop]); }

function jsSet(obj, prop, value) {
  hostTarget(obj, `set property ${prop}`)[prop] = toHost(value);
  return value;
}

function jsCall(obj, method, args) {
  const target = hostTarget(obj, `call method ${method}`);
  const f = target[method];
  if (typeof f !== 'function') throw new CljError('Error', `${method} is not a function on ${className(target)}`);
  return fromHost(f.apply(target, hostArgs(args)));
}

function jsNew(ctor, args) {
  const host = toHost(ctor);
  if (typeof host !== 'function') throw new CljError('Error', `${prStr(ctor)} is not a constructor`);
  return fromHost(Reflect.construct(host, hostArgs(args)));
}

/** clj->js: maps to objects (keyword keys by name), collections to arrays, keywords to strings. */
function cljToJs(x) {
  if (x === null) return null;
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Keyword) return x.ns === null ? x.name : `${x.ns}/${x.name}`;
  if (x instanceof Sym) return toStr(x);
  if (x instanceof PMap) {
    const out = {};
    for (let s = seq(x); s !== null; s = s.next()) {
      const e = s.first();
      const k = nth(e, 0);
      out[k instanceof Keyword ? cljToJs(k) : toStr(k)] = cljToJs(nth(e, 1));
    }
    return out;
  }
  if (x instanceof Coll) return toArray(x).map(cljToJs);
  return x;
}

/** js->clj: arrays to vectors, plain objects to maps (keyword keys with :keywordize-keys). */
function jsToClj(x, keywordize) {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number') return fromHost(x);
  if (Array.isArray(x)) return vectorOf(x.map((v) => jsToClj(v, keywordize)));
  if (typeof x === 'object' && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null)) {
    const kvs = [];
    for (const [k, v] of Object.entries(x)) kvs.push(keywordize ? keyword(null, k) : k, jsToClj(v, keywordize));
    return mapOf(...kvs);
  }
  return x;
}

core('clj->js', { 1: cljToJs });
core('js->clj', {
  1: (x) => jsToClj(x, false),
  va: (args) => {
    const opts = mapOf(...args.slice(1));
    return jsToClj(args[0], truthy(get(opts, keyword(null, 'keywordize-keys'))));
  },
  vmin: 1,
});

// --- input and interrupts ----------------------------------------------------------------

/** The interrupt flag shared with the control worker (an Int32Array; index 0), or null. */
let signal = null;
export function setSignal(flags) { signal = flags; }

/**
 * Polled by compiled loops at every `recur` (the ABI's poll): throws when the user has
 * interrupted the eval. The flag is cleared so the next eval runs.
 */
export function poll() {
  if (signal !== null && signal[0] !== 0 && interruptTargets(signal[0])) {
    Atomics.store(signal, 0, 0);
    throw new CljError('InterruptedException', 'Evaluation interrupted');
  }
}

/** The interrupt flag holds the id of the eval to stop: only that eval's code stops. */
const interruptTargets = (target) => (target >>> 0) === currentEval;

/** Where read-line gets a line (null at end of input); the connection installs one. */
let lineSource = () => {
  throw new CljError('UnsupportedOperationException', 'read-line: this runtime has no input channel');
};
export function setLineSource(source) {
  const previous = lineSource;
  lineSource = source;
  return previous;
}
core('read-line', { 0: () => lineSource() });

core('println', { 0: () => { writeOut('\n'); return null; }, va: (xs) => { writeOut(joinWith(xs, printStr) + '\n'); return null; } });
core('newline', { 0: () => { writeOut('\n'); return null; } });
core('flush', { 0: () => null });

// --- collections ---------------------------------------------------------------------------

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
core('vec', { 1: (c) => (c instanceof PVector && !(c instanceof MapEntry) ? c : vectorOf(toArray(c))) });
/** hash-map: always a hash map (array maps come from literals and array-map), as in Clojure. */
function hashMapOf(kvs) {
  if (kvs.length % 2 === 1) throw illegalArgument(`No value supplied for key: ${prStr(kvs[kvs.length - 1])}`);
  let m = EMPTY_HASH_MAP;
  for (let i = 0; i < kvs.length; i += 2) m = m.assoc(nu(kvs[i]), nu(kvs[i + 1]));
  return m;
}
core('hash-map', { 0: () => EMPTY_HASH_MAP, va: hashMapOf });
core('array-map', {
  0: () => EMPTY_MAP,
  va: (kvs) => {
    if (kvs.length % 2 === 1) throw illegalArgument(`No value supplied for key: ${prStr(kvs[kvs.length - 1])}`);
    return arrayMapOf(kvs);
  },
});
core('hash-set', { 0: () => EMPTY_SET, va: (xs) => setOf(...xs) });
core('set', {
  1: (c) => {
    if (c instanceof PSet) return c;
    const t = new SetBuilder();
    for (let s = seq(c); s !== null; s = s.next()) t.conj(s.first());
    return t.persistent();
  },
});

core('count', { 1: (x) => BigInt(count(x)) });
core('first', { 1: first });
core('second', { 1: (x) => first(next(x)) });
core('ffirst', { 1: (x) => first(first(x)) });
core('nfirst', { 1: (x) => next(first(x)) });
core('fnext', { 1: (x) => first(next(x)) });
core('nnext', { 1: (x) => next(next(x)) });
core('rest', { 1: rest });
core('next', { 1: next });
core('last', {
  1: (x) => {
    if (x instanceof PVector) return x.peek();
    let s = seq(x), l = null;
    for (; s !== null; s = s.next()) l = s.first();
    return l;
  },
});
core('butlast', {
  1: (x) => {
    const a = toArray(x);
    a.pop();
    return a.length === 0 ? null : new ArraySeq(a);
  },
});
core('seq', { 1: seq });
core('cons', {
  2: (x, c) => {
    if (c === null) return new PList(x, EMPTY_LIST, 1);
    if (isSeqLike(c)) return new Cons(x, c);
    return new Cons(x, seq(c));
  },
});
function conjAll(coll, xs, from) {
  let c = coll;
  for (let i = from; i < xs.length; i++) c = conj(c, xs[i]);
  return c;
}
core('conj', { 0: () => EMPTY_VECTOR, 1: (c) => c, 2: conj, va: (xs) => conjAll(xs[0], xs, 1) });
core('disj', {
  1: (s) => s,
  2: (s, k) => disj(s, k),
  va: (xs) => { let s = xs[0]; for (let i = 1; i < xs.length; i++) s = disj(s, xs[i]); return s; },
});
function disj(s, k) {
  if (s === null) return null;
  if (s instanceof PSet) return s.disj(k);
  throw castError(s, 'clojure.lang.IPersistentSet');
}
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
core('find', {
  2: (m, k) => {
    if (m === null) return null;
    if (m instanceof PMap) return m.entryAt(k);
    if (m instanceof PVector) return contains(m, k) ? new MapEntry(k, get(m, k)) : null;
    throw castError(m, 'java.util.Map');
  },
});
function keysOrVals(m, which) {
  if (m === null) return null;
  if (m instanceof PMap) return which === 0 ? m.keySeq() : m.valSeq();
  const out = [];
  for (let s = seq(m); s !== null; s = s.next()) {
    const e = s.first();
    if (!(e instanceof PVector) || e.cnt !== 2) throw castError(e, 'java.util.Map$Entry');
    out.push(e.nth(which));
  }
  return out.length === 0 ? null : new ArraySeq(out);
}
core('keys', { 1: (m) => keysOrVals(m, 0) });
core('vals', { 1: (m) => keysOrVals(m, 1) });
const entryPart = (e, i) => {
  if (e instanceof PVector && e.cnt === 2) return e.nth(i);
  throw castError(e, 'java.util.Map$Entry');
};
core('key', { 1: (e) => entryPart(e, 0) });
core('val', { 1: (e) => entryPart(e, 1) });
core('peek', {
  1: (c) => {
    if (c === null) return null;
    if (c instanceof PVector || c instanceof PList || c instanceof EmptyList) return c.peek();
    throw castError(c, 'clojure.lang.IPersistentStack');
  },
});
core('pop', {
  1: (c) => {
    if (c === null) return null;
    if (c instanceof PVector || c instanceof PList || c instanceof EmptyList) return c.pop();
    throw castError(c, 'clojure.lang.IPersistentStack');
  },
});
core('empty', { 1: (c) => (c instanceof Coll ? c.empty() : null) });
core('subvec', {
  2: (v, s) => subvec(v, s, null),
  3: (v, s, e) => subvec(v, s, e),
});
function subvec(v, s, e) {
  if (!(v instanceof PVector)) throw castError(v, 'clojure.lang.IPersistentVector');
  const b = toIndex(s), en = e === null ? v.cnt : toIndex(e);
  if (b < 0 || en > v.cnt || b > en) throw indexOutOfBounds();
  return vectorOf(v.slice(b, en));
}

function getIn(m, ks, nf) {
  const miss = {};
  for (let s = seq(ks); s !== null; s = s.next()) {
    m = get(m, s.first(), miss);
    if (m === miss) return nf;
  }
  return m;
}
core('get-in', { 2: (m, ks) => getIn(m, ks, null), 3: getIn });
function assocIn(m, ks, v) {
  const s = seq(ks);
  if (s === null) return assoc(m, null, v);
  const k = s.first(), r = s.next();
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
  const k = s === null ? null : s.first();
  const r = s === null ? null : s.next();
  if (r === null) return assoc(m, k, invokeArray(f, [get(m, k), ...args]));
  return assoc(m, k, updateIn(get(m, k), r, f, args));
}
core('update-in', { 3: (m, ks, f) => updateIn(m, ks, f, []), va: (xs) => updateIn(xs[0], xs[1], xs[2], xs.slice(3)), vmin: 3 });
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
      for (let s = seq(m); s !== null; s = s.next()) {
        const e = s.first();
        const k = e.nth(0), v = e.nth(1);
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
    const t = new MapBuilder();
    for (let s = seq(ks); s !== null; s = s.next()) {
      const e = m instanceof PMap ? m.entryAt(s.first()) : contains(m, s.first()) ? new MapEntry(s.first(), get(m, s.first())) : null;
      if (e !== null) t.assoc(e.nth(0), e.nth(1));
    }
    return t.persistent();
  },
});
core('zipmap', {
  2: (ks, vs) => {
    const t = new MapBuilder();
    let a = seq(ks), b = seq(vs);
    for (; a !== null && b !== null; a = a.next(), b = b.next()) t.assoc(a.first(), b.first());
    return t.persistent();
  },
});
core('frequencies', {
  1: (c) => {
    const t = new MapBuilder();
    for (let s = seq(c); s !== null; s = s.next()) t.assoc(s.first(), add(t.get(s.first(), 0n), 1n));
    return t.persistent();
  },
});
core('group-by', {
  2: (f, c) => {
    const t = new MapBuilder();
    for (let s = seq(c); s !== null; s = s.next()) {
      const k = invoke1(f, s.first());
      t.assoc(k, conj(t.get(k, EMPTY_VECTOR), s.first()));
    }
    return t.persistent();
  },
});

// --- seqs ------------------------------------------------------------------------------------

// transducer helpers: an rf is a JS function dispatching on the argument count
const rfArity = (rf, init, complete, step) => function (acc, x) {
  switch (arguments.length) {
    case 0: return init();
    case 1: return complete(acc);
    default: return step(acc, x);
  }
};
const xform = (makeStep) => (rf) => {
  const step = makeStep(rf);
  return rfArity(rf, () => invoke0(rf), (acc) => invoke1(rf, acc), step);
};

function map1(f, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    return s === null ? null : new Cons(invoke1(f, s.first()), map1(f, s.more()));
  });
}
function mapN(f, colls) {
  return lazySeq(() => {
    const ss = colls.map(seq);
    if (ss.some((s) => s === null)) return null;
    return new Cons(invokeArray(f, ss.map((s) => s.first())), mapN(f, ss.map((s) => s.more())));
  });
}
core('map', {
  1: (f) => xform((rf) => (acc, x) => invoke2(rf, acc, invoke1(f, x))),
  2: map1,
  3: (f, a, b) => mapN(f, [a, b]),
  va: (xs) => mapN(xs[0], xs.slice(1)),
  vmin: 4,
});
function filter(pred, coll, keep) {
  return lazySeq(() => {
    for (let s = seq(coll); s !== null; s = s.next()) {
      const x = s.first();
      if (truthy(invoke1(pred, x)) === keep) return new Cons(x, filter(pred, s.more(), keep));
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
function keep(f, coll) {
  return lazySeq(() => {
    for (let s = seq(coll); s !== null; s = s.next()) {
      const v = invoke1(f, s.first());
      if (v !== null) return new Cons(v, keep(f, s.more()));
    }
    return null;
  });
}
core('keep', {
  1: (f) => xform((rf) => (acc, x) => { const v = invoke1(f, x); return v === null ? acc : invoke2(rf, acc, v); }),
  2: keep,
});
function mapIndexed(f, coll, i) {
  return lazySeq(() => {
    const s = seq(coll);
    return s === null ? null : new Cons(invoke2(f, BigInt(i), s.first()), mapIndexed(f, s.more(), i + 1));
  });
}
core('map-indexed', { 2: (f, c) => mapIndexed(f, c, 0) });
function take(n, coll) {
  return lazySeq(() => {
    if (n <= 0) return null;
    const s = seq(coll);
    return s === null ? null : new Cons(s.first(), take(n - 1, s.more()));
  });
}
const countArg = (n) => toDouble(n);
core('take', {
  1: (n) => (rf) => {
    let left = countArg(n);
    return rfArity(rf, () => invoke0(rf), (acc) => invoke1(rf, acc), (acc, x) => {
      const before = left;
      left -= 1;
      let r = before > 0 ? invoke2(rf, acc, x) : acc;
      if (left <= 0 && !(r instanceof Reduced)) r = new Reduced(r);
      return r;
    });
  },
  2: (n, c) => take(countArg(n), c),
});
function drop(n, coll) {
  return lazySeq(() => {
    let s = seq(coll);
    for (let i = n; i > 0 && s !== null; i--) s = s.next();
    return s;
  });
}
core('drop', {
  1: (n) => (rf) => {
    let left = countArg(n);
    return rfArity(rf, () => invoke0(rf), (acc) => invoke1(rf, acc), (acc, x) => {
      if (left > 0) { left -= 1; return acc; }
      return invoke2(rf, acc, x);
    });
  },
  2: (n, c) => drop(countArg(n), c),
});
function takeWhile(p, coll) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null || !truthy(invoke1(p, s.first()))) return null;
    return new Cons(s.first(), takeWhile(p, s.more()));
  });
}
core('take-while', {
  1: (p) => xform((rf) => (acc, x) => (truthy(invoke1(p, x)) ? invoke2(rf, acc, x) : new Reduced(acc))),
  2: takeWhile,
});
core('drop-while', {
  1: (p) => (rf) => {
    let dropping = true;
    return rfArity(rf, () => invoke0(rf), (acc) => invoke1(rf, acc), (acc, x) => {
      if (dropping && truthy(invoke1(p, x))) return acc;
      dropping = false;
      return invoke2(rf, acc, x);
    });
  },
  2: (p, c) => lazySeq(() => {
    let s = seq(c);
    while (s !== null && truthy(invoke1(p, s.first()))) s = s.next();
    return s;
  }),
});
core('take-last', {
  2: (n, c) => {
    const a = toArray(c);
    const k = countArg(n);
    return k <= 0 || a.length === 0 ? null : seq(a.slice(Math.max(0, a.length - k)));
  },
});
core('drop-last', {
  1: (c) => { const a = toArray(c); a.pop(); return seq(a) ?? EMPTY_LIST; },
  2: (n, c) => { const a = toArray(c); return seq(a.slice(0, Math.max(0, a.length - countArg(n)))) ?? EMPTY_LIST; },
});
core('split-at', { 2: (n, c) => vectorOf([take(countArg(n), c), drop(countArg(n), c)]) });
core('split-with', {
  2: (p, c) => vectorOf([takeWhile(p, c), lazySeq(() => {
    let s = seq(c);
    while (s !== null && truthy(invoke1(p, s.first()))) s = s.next();
    return s;
  })]),
});
core('nthnext', { 2: (c, n) => { let s = seq(c); for (let i = countArg(n); i > 0 && s !== null; i--) s = s.next(); return s; } });
core('nthrest', { 2: (c, n) => { let s = c; for (let i = countArg(n); i > 0 && seq(s) !== null; i--) s = rest(s); return s; } });

function concat(colls, i) {
  return lazySeq(() => {
    for (; i < colls.length; i++) {
      const s = seq(colls[i]);
      if (s !== null) return concatRest(s, colls, i + 1);
    }
    return null;
  });
}
function concatRest(s, colls, i) {
  return new Cons(s.first(), lazySeq(() => {
    const n = s.next();
    return n === null ? concat(colls, i) : concatRest(n, colls, i);
  }));
}
core('concat', { 0: () => lazySeq(() => null), va: (xs) => concat(xs, 0) });
function mapcat(f, colls) {
  const mapped = colls.length === 1 ? map1(f, colls[0]) : mapN(f, colls);
  const step = (s) => lazySeq(() => {
    for (let m = seq(s); m !== null; m = m.next()) {
      const inner = seq(m.first());
      if (inner !== null) return concatRest(inner, [step(m.more())], 0);
    }
    return null;
  });
  return step(mapped);
}
core('mapcat', {
  1: (f) => xform((rf) => (acc, x) => {
    for (let s = seq(invoke1(f, x)); s !== null; s = s.next()) {
      acc = invoke2(rf, acc, s.first());
      if (acc instanceof Reduced) return acc;
    }
    return acc;
  }),
  va: (xs) => mapcat(xs[0], xs.slice(1)),
  vmin: 2,
});
function interleave(colls) {
  return lazySeq(() => {
    const ss = colls.map(seq);
    if (ss.some((s) => s === null)) return null;
    let out = interleave(ss.map((s) => s.more()));
    for (let i = ss.length - 1; i >= 0; i--) out = new Cons(ss[i].first(), out);
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
      return t === null ? null : new Cons(sep, new Cons(t.first(), tail(t.more())));
    });
    return new Cons(s.first(), tail(s.more()));
  });
}
core('interpose', { 2: interpose });
function partition(n, step, pad, coll, all) {
  return lazySeq(() => {
    const s = seq(coll);
    if (s === null) return null;
    const chunk = toArray(take(n, s));
    if (chunk.length === n || all) return new Cons(listOf(chunk), partition(n, step, pad, drop(step, s), all));
    if (pad !== undefined) {
      const padded = chunk.concat(toArray(take(n - chunk.length, pad)));
      return new PList(listOf(padded), EMPTY_LIST, 1);
    }
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
  2: (n, c) => partition(countArg(n), countArg(n), undefined, c, true),
  3: (n, st, c) => partition(countArg(n), countArg(st), undefined, c, true),
});
function distinct(coll) {
  const seen = new MapBuilder();
  const step = (c) => lazySeq(() => {
    for (let s = seq(c); s !== null; s = s.next()) {
      const x = s.first();
      if (!seen.containsKey(x)) { seen.assoc(x, true); return new Cons(x, step(s.more())); }
    }
    return null;
  });
  return step(coll);
}
core('distinct', { 1: distinct });
core('dedupe', {
  1: (c) => {
    const step = (s, prev, hasPrev) => lazySeq(() => {
      for (let t = seq(s); t !== null; t = t.next()) {
        const x = t.first();
        if (!hasPrev || !equiv(x, prev)) return new Cons(x, step(t.more(), x, true));
      }
      return null;
    });
    return step(c, null, false);
  },
});
function flatten(x) {
  const out = [];
  const walk = (c) => {
    for (let s = seq(c); s !== null; s = s.next()) {
      const v = s.first();
      if (isSequential(v)) walk(v); else out.push(v);
    }
  };
  if (isSequential(x)) walk(x);
  return seq(out) ?? EMPTY_LIST;
}
core('flatten', { 1: flatten });
core('reverse', {
  1: (c) => {
    let l = EMPTY_LIST;
    for (let s = seq(c); s !== null; s = s.next()) l = l.conj(s.first());
    return l;
  },
});

function rangeOf(start, end, step) {
  for (const x of [start, end, step]) if (x !== null) numCat(x);
  const s = signum(step);
  if (end === null) return new Range(start, null, step);
  if (s > 0 ? lte(end, start) : s < 0 ? gte(end, start) : equiv(start, end) || numEquiv(start, end)) return EMPTY_LIST;
  return new Range(start, end, step);
}
core('range', {
  0: () => new Range(0n, null, 1n),
  1: (end) => rangeOf(0n, end, 1n),
  2: (start, end) => rangeOf(start, end, 1n),
  3: rangeOf,
});
function iterate(f, x) {
  return new Cons(x, lazySeq(() => iterate(f, invoke1(f, x))));
}
core('iterate', { 2: iterate });
function repeatForever(x) {
  const c = new Cons(x, null);
  c._more = c; // a cycle of one cell
  return c;
}
core('repeat', {
  1: repeatForever,
  2: (n, x) => take(countArg(n), repeatForever(x)),
});
function repeatedly(f) { return lazySeq(() => new Cons(invoke0(f), repeatedly(f))); }
core('repeatedly', { 1: repeatedly, 2: (n, f) => take(countArg(n), repeatedly(f)) });
core('cycle', {
  1: (c) => {
    const step = (s) => lazySeq(() => {
      const t = seq(s);
      return t === null ? step(c) : new Cons(t.first(), step(t.more()));
    });
    return lazySeq(() => (seq(c) === null ? null : step(c)));
  },
});
core('doall', {
  1: (c) => { for (let s = seq(c); s !== null; s = s.next()); return c; },
  2: (n, c) => { let s = seq(c); for (let i = countArg(n); i > 0 && s !== null; i--) s = s.next(); return c; },
});
core('dorun', {
  1: (c) => { for (let s = seq(c); s !== null; s = s.next()); return null; },
  2: (n, c) => { let s = seq(c); for (let i = countArg(n); i > 0 && s !== null; i--) s = s.next(); return null; },
});
core('run!', { 2: (f, c) => { reduceColl((acc, x) => { invoke1(f, x); return acc; }, null, c); return null; } });

// --- reduce, into, transduce ----------------------------------------------------------------

/** reduce with a JS step function (acc, x) -> acc; honours `reduced`; returns unwrapped. */
function reduceColl(step, acc, coll) {
  if (coll instanceof PVector) {
    const n = coll.cnt;
    for (let i = 0; i < n; i += 32) {
      const a = coll.arrayFor(i);
      const m = Math.min(32, n - i);
      for (let j = 0; j < m; j++) {
        acc = step(acc, a[j]);
        if (acc instanceof Reduced) return acc.v;
      }
    }
    return acc;
  }
  if (coll instanceof PMap) return coll.reduceKV((a, k, v) => step(a, new MapEntry(k, v)), acc);
  if (coll instanceof PSet) return coll.m.reduceKV((a, k) => step(a, k), acc);
  for (let s = seq(coll); s !== null; s = s.next()) {
    acc = step(acc, s.first());
    if (acc instanceof Reduced) return acc.v;
  }
  return acc;
}
function reduce2(f, coll) {
  const s = seq(coll);
  if (s === null) return invoke0(f);
  return reduceColl((a, x) => invoke2(f, a, x), s.first(), s.next());
}
core('reduce', { 2: reduce2, 3: (f, init, coll) => reduceColl((a, x) => invoke2(f, a, x), init, coll) });
core('reduce-kv', {
  3: (f, init, m) => {
    if (m === null) return init;
    if (m instanceof PMap) {
      return m.reduceKV((acc, k, v) => invoke3(f, acc, k, v), init);
    }
    if (m instanceof PVector) {
      let acc = init;
      for (let i = 0; i < m.cnt; i++) {
        acc = invoke3(f, acc, BigInt(i), m.nth(i));
        if (acc instanceof Reduced) return acc.v;
      }
      return acc;
    }
    throw illegalArgument(`No implementation of method: :kv-reduce of protocol: #'clojure.core.protocols/IKVReduce found for class: ${className(m)}`);
  },
});
core('reduced', { 1: (x) => new Reduced(x) });
core('reduced?', { 1: (x) => x instanceof Reduced });
core('unreduced', { 1: (x) => (x instanceof Reduced ? x.v : x) });
core('ensure-reduced', { 1: (x) => (x instanceof Reduced ? x : new Reduced(x)) });

function into(to, from) {
  if (to instanceof PVector || to instanceof PMap || to instanceof PSet) {
    const t = to.asTransient();
    if (to instanceof PMap) {
      reduceColl((acc, x) => {
        if (x === null) return acc;
        if (x instanceof PVector) {
          if (x.cnt !== 2) throw illegalArgument('Vector arg to map conj must be a pair');
          return acc.assoc(x.nth(0), x.nth(1));
        }
        if (x instanceof PMap) { x.forEach((k, v) => acc.assoc(k, v)); return acc; }
        throw castError(x, 'java.util.Map$Entry');
      }, t, from);
    } else {
      reduceColl((acc, x) => acc.conj(x), t, from);
    }
    return t.persistent();
  }
  return reduceColl(conj, to, from);
}
const conjFn = coreLib.conj;
function transduce(xf, f, init, coll) {
  const rf = invoke1(xf, f);
  const acc = reduceColl((a, x) => invoke2(rf, a, x), init, coll);
  return invoke1(rf, acc);
}
core('into', {
  0: () => EMPTY_VECTOR,
  1: (to) => to,
  2: into,
  3: (to, xf, from) => transduce(xf, conjFn, to, from),
});
core('transduce', {
  3: (xf, f, coll) => transduce(xf, f, invoke0(f), coll),
  va: (xs) => {
    if (xs.length !== 4) throw arityError(xs.length, 'clojure.core/transduce');
    return transduce(xs[0], xs[1], xs[2], xs[3]);
  },
  vmin: 4,
});
core('completing', {
  1: (f) => completing(f, coreLib.identity),
  2: (f, cf) => completing(f, cf),
});
function completing(f, cf) {
  return rfArity(f, () => invoke0(f), (x) => invoke1(cf, x), (acc, x) => invoke2(f, acc, x));
}
core('sequence', { 1: (c) => (isSeqLike(c) ? c : seq(c) ?? EMPTY_LIST), 2: (xf, c) => seq(transduce(xf, conjFn, EMPTY_VECTOR, c)) ?? EMPTY_LIST });
core('mapv', {
  2: (f, c) => vectorOf(toArray(c).map((x) => invoke1(f, x))),
  va: (xs) => vectorOf(toArray(mapN(xs[0], xs.slice(1)))),
  vmin: 3,
});
core('filterv', { 2: (p, c) => vectorOf(toArray(c).filter((x) => truthy(invoke1(p, x)))) });
core('some', {
  2: (p, c) => {
    for (let s = seq(c); s !== null; s = s.next()) { const v = invoke1(p, s.first()); if (truthy(v)) return v; }
    return null;
  },
});
const every = (p, c) => { for (let s = seq(c); s !== null; s = s.next()) if (!truthy(invoke1(p, s.first()))) return false; return true; };
core('every?', { 2: every });
core('not-every?', { 2: (p, c) => !every(p, c) });
core('not-any?', { 2: (p, c) => { for (let s = seq(c); s !== null; s = s.next()) if (truthy(invoke1(p, s.first()))) return false; return true; } });
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

// --- sorting ------------------------------------------------------------------------------

/** A JS comparator from a Clojure comparator (a fn returning a number or a boolean). */
function comparator(f) {
  if (f === coreLib.compare) return compare;
  return (a, b) => {
    const r = invoke2(f, a, b);
    if (typeof r === 'boolean') {
      if (r) return -1;
      return truthy(invoke2(f, b, a)) ? 1 : 0;
    }
    if (r === null) return 0;
    return Number(toLong(r));
  };
}
function sortBy(keyfn, cmp, coll) {
  const a = toArray(coll);
  if (a.length === 0) return EMPTY_LIST;
  if (keyfn === null) a.sort(cmp);
  else {
    const keyed = a.map((x) => [invoke1(keyfn, x), x]);
    keyed.sort((p, q) => cmp(p[0], q[0]));
    for (let i = 0; i < a.length; i++) a[i] = keyed[i][1];
  }
  return new ArraySeq(a);
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
core('rand-nth', { 1: (c) => nth(c, BigInt(Math.floor(Math.random() * count(c)))) });

// --- functions ----------------------------------------------------------------------------

/** Name a JS function made by a core fn (printed as clojure.core$partial$fn). */
const named = (qn, f) => { f[NAME] = qn; return f; };

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
    return named('clojure.core/partial$fn', function () { return invokeArray(f, args.concat(Array.from(arguments, nu))); });
  },
  vmin: 2,
});
core('comp', {
  0: () => coreLib.identity,
  1: (f) => f,
  va: (fs) => named('clojure.core/comp$fn', function () {
    let r = invokeArray(fs[fs.length - 1], Array.from(arguments, nu));
    for (let i = fs.length - 2; i >= 0; i--) r = invoke1(fs[i], r);
    return r;
  }),
});
core('complement', { 1: (f) => named('clojure.core/complement$fn', function () { return !truthy(invokeArray(f, Array.from(arguments, nu))); }) });
core('constantly', { 1: (x) => named('clojure.core/constantly$fn', () => x) });
core('juxt', {
  va: (fs) => named('clojure.core/juxt$fn', function () {
    const args = Array.from(arguments, nu);
    return vectorOf(fs.map((f) => invokeArray(f, args)));
  }),
  vmin: 1,
});
core('fnil', {
  va: (xs) => {
    const f = xs[0], defaults = xs.slice(1);
    return named('clojure.core/fnil$fn', function () {
      const args = Array.from(arguments, nu);
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
      const args = Array.from(arguments, nu);
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

// --- refs ---------------------------------------------------------------------------------

function validate(a, v) {
  if (a.validator !== null && !truthy(invoke1(a.validator, v))) throw illegalState('Invalid reference state');
}
function setAtom(a, v) {
  validate(a, v);
  const old = a.v;
  a.v = v;
  if (a.watches !== null) a.watches.forEach((k, f) => invokeArray(f, [k, a, old, v]));
  return old;
}
const checkAtom = (a) => { if (!(a instanceof Atom)) throw castError(a, 'clojure.lang.IAtom'); return a; };
core('atom', {
  1: (x) => new Atom(x),
  va: (xs) => {
    const a = new Atom(xs[0]);
    for (let i = 1; i + 1 < xs.length; i += 2) {
      if (xs[i] === keyword('validator')) a.validator = xs[i + 1];
    }
    validate(a, a.v);
    return a;
  },
  vmin: 1,
});
core('deref', { 1: deref });
core('swap!', {
  2: (a, f) => { checkAtom(a); const v = invoke1(f, a.v); setAtom(a, v); return v; },
  3: (a, f, x) => { checkAtom(a); const v = invoke2(f, a.v, x); setAtom(a, v); return v; },
  va: (xs) => { const a = checkAtom(xs[0]); const v = invokeArray(xs[1], [a.v, ...xs.slice(2)]); setAtom(a, v); return v; },
  vmin: 4,
});
core('swap-vals!', {
  va: (xs) => { const a = checkAtom(xs[0]); const v = invokeArray(xs[1], [a.v, ...xs.slice(2)]); const old = setAtom(a, v); return vectorOf([old, v]); },
  vmin: 2,
});
core('reset!', { 2: (a, v) => { setAtom(checkAtom(a), v); return v; } });
core('reset-vals!', { 2: (a, v) => vectorOf([setAtom(checkAtom(a), v), v]) });
core('compare-and-set!', {
  3: (a, old, v) => {
    checkAtom(a);
    if (a.v !== old) return false;
    setAtom(a, v);
    return true;
  },
});
core('add-watch', {
  3: (a, k, f) => {
    checkAtom(a);
    a.watches = (a.watches ?? EMPTY_MAP).assoc(k, f);
    return a;
  },
});
core('remove-watch', { 2: (a, k) => { checkAtom(a); if (a.watches !== null) a.watches = a.watches.dissoc(k); return a; } });
core('set-validator!', { 2: (a, f) => { checkAtom(a); if (f !== null) validate({ validator: f }, a.v); a.validator = f; return null; } });
core('volatile!', { 1: (x) => new Volatile(x) });
core('vreset!', { 2: (v, x) => { if (!(v instanceof Volatile)) throw castError(v, 'clojure.lang.Volatile'); v.v = x; return x; } });
core('volatile?', { 1: (x) => x instanceof Volatile });
core('var-get', { 1: (v) => { if (!(v instanceof Var)) throw castError(v, 'clojure.lang.Var'); return v.deref(); } });
core('alter-var-root', {
  va: (xs) => {
    const v = xs[0];
    if (!(v instanceof Var)) throw castError(v, 'clojure.lang.Var');
    const nv = invokeArray(xs[1], [v.deref(), ...xs.slice(2)]);
    v.bindRoot(nv);
    return nv;
  },
  vmin: 2,
});

// --- exceptions ---------------------------------------------------------------------------

function exInfo(msg, data, cause) {
  if (msg !== null && typeof msg !== 'string') throw castError(msg, 'java.lang.String');
  if (data === null) throw illegalArgument('Additional data must be non-nil.');
  if (!(data instanceof PMap)) throw castError(data, 'clojure.lang.IPersistentMap');
  if (cause !== null && !(cause instanceof Error)) throw castError(cause, 'java.lang.Throwable');
  return new CljError('ExceptionInfo', msg, data, cause);
}
core('ex-info', { 2: (m, d) => exInfo(m, d, null), 3: exInfo });
core('ex-data', { 1: (e) => (e instanceof CljError && e.cls === 'ExceptionInfo' ? e.data : null) });
core('ex-message', {
  1: (e) => {
    if (e instanceof CljError) return e.cljMessage;
    if (e instanceof Error) return e.message ?? null;
    return null;
  },
});
core('ex-cause', { 1: (e) => (e instanceof Error ? nu(e.cause) : null) });

// --- regular expressions ------------------------------------------------------------------

core('re-pattern', { 1: (s) => (s instanceof RegExp ? s : regex(s)) });
core('re-find', { 2: reFind });
core('re-matches', { 2: reMatches });
core('re-seq', { 2: reSeq });

// ---------------------------------------------------------------------------------------
// clojure.string
// ---------------------------------------------------------------------------------------

// Java's Character.isWhitespace (no-break spaces are not whitespace).
const isJavaWhitespace = (c) => /[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/.test(c);
function trimStart(s) { let i = 0; while (i < s.length && isJavaWhitespace(s[i])) i++; return s.slice(i); }
function trimEnd(s) { let i = s.length; while (i > 0 && isJavaWhitespace(s[i - 1])) i--; return s.slice(0, i); }
const str1 = (s) => {
  if (s === null) throw nullPointer('Cannot invoke "Object.toString()" because "s" is null');
  return toStr(s);
};
const charSeq = (s) => {
  if (typeof s === 'string') return s;
  throw castError(s, 'java.lang.CharSequence', 'Cannot invoke "java.lang.CharSequence.length()" because "s" is null');
};

cstr('join', {
  1: (c) => toArray(c).map(toStr).join(''),
  2: (sep, c) => toArray(c).map(toStr).join(toStr(sep)),
});
cstr('upper-case', { 1: (s) => str1(s).toUpperCase() });
cstr('lower-case', { 1: (s) => str1(s).toLowerCase() });
cstr('capitalize', {
  1: (s) => {
    s = str1(s);
    return s.length < 2 ? s.toUpperCase() : s[0].toUpperCase() + s.slice(1).toLowerCase();
  },
});
cstr('trim', { 1: (s) => trimEnd(trimStart(charSeq(s))) });
cstr('triml', { 1: (s) => trimStart(charSeq(s)) });
cstr('trimr', { 1: (s) => trimEnd(charSeq(s)) });
cstr('trim-newline', { 1: (s) => charSeq(s).replace(/[\r\n]+$/, '') });
cstr('blank?', { 1: (s) => s === null || trimStart(charSeq(s)) === '' });
cstr('includes?', { 2: (s, sub) => charSeq(s).includes(charSeq(sub)) });
cstr('starts-with?', { 2: (s, sub) => charSeq(s).startsWith(charSeq(sub)) });
cstr('ends-with?', { 2: (s, sub) => charSeq(s).endsWith(charSeq(sub)) });
cstr('reverse', { 1: (s) => Array.from(charSeq(s)).reverse().join('') });
cstr('index-of', {
  2: (s, v) => { const i = charSeq(s).indexOf(v instanceof Char ? v.c : charSeq(v)); return i < 0 ? null : BigInt(i); },
  3: (s, v, from) => { const i = charSeq(s).indexOf(v instanceof Char ? v.c : charSeq(v), toIndex(from)); return i < 0 ? null : BigInt(i); },
});
cstr('last-index-of', {
  2: (s, v) => { const i = charSeq(s).lastIndexOf(v instanceof Char ? v.c : charSeq(v)); return i < 0 ? null : BigInt(i); },
  3: (s, v, from) => { const i = charSeq(s).lastIndexOf(v instanceof Char ? v.c : charSeq(v), toIndex(from)); return i < 0 ? null : BigInt(i); },
});

/** Java's Pattern.split (limit 0 drops trailing empty strings). */
function javaSplit(s, re, limit) {
  const g = globalRegex(re);
  const parts = [];
  let index = 0;
  let from = 0;
  while (from <= s.length) {
    g.lastIndex = from;
    const m = g.exec(s);
    if (m === null) break;
    const start = m.index, end = m.index + m[0].length;
    from = end === start ? end + 1 : end;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue; // no leading empty string for a zero-width match
    parts.push(s.slice(index, start));
    index = end;
  }
  if (index === 0 && parts.length === 0) return [s];
  parts.push(s.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
const pattern = (re) => { if (re instanceof RegExp) return re; throw castError(re, 'java.util.regex.Pattern'); };
cstr('split', {
  2: (s, re) => vectorOf(javaSplit(charSeq(s), pattern(re), 0)),
  3: (s, re, limit) => vectorOf(javaSplit(charSeq(s), pattern(re), Number(toLong(limit)))),
});
cstr('split-lines', { 1: (s) => vectorOf(javaSplit(charSeq(s), /\r?\n/, 0)) });

/** Expand a Java replacement string ($1, ${name}, \$) for a match. */
function javaReplacement(rep, m) {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '\\') {
      i++;
      if (i >= rep.length) throw illegalArgument('character to be escaped is missing');
      out += rep[i];
    } else if (c === '$') {
      i++;
      if (i >= rep.length) throw illegalArgument('Illegal group reference: group index is missing');
      if (rep[i] === '{') {
        const close = rep.indexOf('}', i);
        const name = rep.slice(i + 1, close);
        if (close < 0 || !m.groups || !(name in m.groups)) throw illegalArgument(`No group with name {${name}}`);
        out += m.groups[name] ?? '';
        i = close;
      } else {
        if (!/[0-9]/.test(rep[i])) throw illegalArgument('Illegal group reference');
        let g = Number(rep[i]);
        if (g >= m.length) throw new CljError('IndexOutOfBoundsException', `No group ${g}`);
        while (i + 1 < rep.length && /[0-9]/.test(rep[i + 1]) && g * 10 + Number(rep[i + 1]) < m.length) {
          g = g * 10 + Number(rep[++i]);
        }
        out += m[g] ?? '';
      }
    } else out += c;
  }
  return out;
}
function replaceRegex(s, re, rep, firstOnly) {
  const g = globalRegex(re);
  let out = '';
  let last = 0;
  let from = 0;
  while (from <= s.length) {
    g.lastIndex = from;
    const m = g.exec(s);
    if (m === null) break;
    out += s.slice(last, m.index);
    out += typeof rep === 'string' ? javaReplacement(rep, m) : toStr(invoke1(rep, matchResult(m)));
    last = m.index + m[0].length;
    from = m[0] === '' ? last + 1 : last;
    if (firstOnly) break;
  }
  return out + s.slice(last);
}
function strReplace(s, match, rep, firstOnly) {
  s = charSeq(s);
  if (typeof match === 'string') {
    const r = charSeq(rep);
    return firstOnly ? s.replace(match, () => r) : s.split(match).join(r);
  }
  if (match instanceof Char) {
    if (!(rep instanceof Char)) throw castError(rep, 'java.lang.Character');
    return firstOnly ? s.replace(match.c, () => rep.c) : s.split(match.c).join(rep.c);
  }
  if (match instanceof RegExp) {
    if (typeof rep === 'string' || typeof rep === 'function' || rep instanceof PMap || rep instanceof Keyword) {
      return replaceRegex(s, match, rep, firstOnly);
    }
    throw illegalArgument(`Invalid replacement: ${toStr(rep)}`);
  }
  throw illegalArgument(`Invalid match arg: ${toStr(match)}`);
}
cstr('replace', { 3: (s, m, r) => strReplace(s, m, r, false) });
cstr('replace-first', { 3: (s, m, r) => strReplace(s, m, r, true) });
cstr('re-quote-replacement', { 1: (s) => charSeq(s).replace(/[\\$]/g, '\\$&') });
cstr('escape', {
  2: (s, cmap) => {
    let out = '';
    for (const c of charSeq(s)) {
      const r = invoke1(cmap, char(c));
      out += r === null ? c : toStr(r);
    }
    return out;
  },
});

/** Library maps by namespace: a var of one of these namespaces starts as the value here. */
// --- the REPL: namespaces, dynamic vars, *1 *2 *3 *e, clojure.stacktrace -----------------

const symbolName = (x) => (x instanceof Sym ? toStr(x) : x instanceof Namespace ? x.name : toStr(x));
core('find-ns', { 1: (sym) => namespaces.get(symbolName(sym)) ?? null });
core('the-ns', {
  1: (x) => {
    const ns = x instanceof Namespace ? x : namespaces.get(symbolName(x));
    if (ns === undefined) throw new CljError('Exception', `No namespace: ${symbolName(x)} found`);
    return ns;
  },
});
core('create-ns', { 1: (sym) => namespaceNamed(symbolName(sym)) });
core('ns-name', { 1: (ns) => new Sym(null, symbolName(ns)) });
core('all-ns', { 0: () => listOf([...namespaces.values()]) });
core('clojure-version', { 0: () => '1.11.1' });
// Namespaces are the compiler's business: loading one at run time has nothing to do.
core('require', { va: () => null });
core('use', { va: () => null });

/** Dynamic vars editors and libraries set or read; their roots start as Clojure's do. */
const DYNAMIC_DEFAULTS = {
  '*ns*': namespaceNamed('user'),
  '*print-length*': null,
  '*print-level*': null,
  '*print-meta*': false,
  '*print-dup*': false,
  '*print-readably*': true,
  '*print-namespace-maps*': false,
  '*flush-on-newline*': true,
  '*warn-on-reflection*': false,
  '*unchecked-math*': false,
  '*assert*': true,
  '*1': null,
  '*2': null,
  '*3': null,
  '*e': null,
  '*command-line-args*': null,
  '*clojure-version*': mapOf(keyword(null, 'major'), 1n, keyword(null, 'minor'), 11n, keyword(null, 'incremental'), 1n),
};
for (const [name, value] of Object.entries(DYNAMIC_DEFAULTS)) coreLib[name] = value;

/** clojure.stacktrace, as far as a REPL's error display uses it. */
export const stacktraceLib = Object.create(null);
const rootCause = (e) => {
  let cause = e;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause;
};
const printThrowable = (e) => {
  if (e === null) return null;
  const { cls, message } = errorInfo(e);
  const data = e instanceof CljError && e.data !== null ? ` ${prStr(e.data)}` : '';
  writeOut(`${e instanceof CljError ? e.javaClass : cls}: ${message}${data}\n`);
  return null;
};
const printCauseTrace = (e) => {
  for (let cause = e; cause instanceof Error; cause = cause.cause) {
    if (cause !== e) writeOut('Caused by: ');
    printThrowable(cause);
  }
  return null;
};
defn(stacktraceLib, 'clojure.stacktrace', 'root-cause', { 1: rootCause });
defn(stacktraceLib, 'clojure.stacktrace', 'print-throwable', { 1: printThrowable });
defn(stacktraceLib, 'clojure.stacktrace', 'print-stack-trace', { 1: printThrowable, 2: printThrowable });
defn(stacktraceLib, 'clojure.stacktrace', 'print-cause-trace', { 1: printCauseTrace, 2: printCauseTrace });

/** Helpers the core macros expand to (`with-out-str`, `time`, `assert`); not for users. */
export const internalLib = Object.create(null);
defn(internalLib, 'jank.runtime', 'capture-out', {
  1: (thunk) => {
    let text = '';
    const previous = setOutput({ out: (s) => { text += s; } });
    try {
      thunk();
    } finally {
      setOutput(previous);
    }
    return text;
  },
});
defn(internalLib, 'jank.runtime', 'time-call', {
  1: (thunk) => {
    const started = performance.now();
    const value = thunk();
    writeOut(`"Elapsed time: ${(performance.now() - started).toFixed(6)} msecs"\n`);
    return value;
  },
});
defn(internalLib, 'jank.runtime', 'assertion-error', { 1: (message) => new CljError('AssertionError', message) });

export const libraries = {
  'clojure.core': coreLib,
  'clojure.string': stringLib,
  'clojure.stacktrace': stacktraceLib,
  'jank.runtime': internalLib,
};

/** The names this runtime implements, per namespace. */
export const coreNames = Object.fromEntries(
  Object.entries(libraries).map(([ns, lib]) => [ns, Object.keys(lib).sort()]),
);

// ---------------------------------------------------------------------------------------
// Patches: the Runtime
// ---------------------------------------------------------------------------------------

/** The names of module "rt"'s imports (besides the `vars` table). */
export const rtImportNames = [
  'vars', 'truthy',
  ...Array.from({ length: 21 }, (_, i) => `invoke${i}`),
  ...Array.from({ length: 21 }, (_, i) => `dispatch${i}`),
  'add', 'sub', 'mul', 'div', 'lt', 'gt', 'lte', 'gte', 'num_eq', 'equiv',
  'fn_new', 'fn_arity', 'fn_capture', 'fn_captured', 'throw',
  'var_changed', 'is_unbound', 'try_catch', 'poll',
  'js_global', 'js_get', 'js_set', 'js_call', 'js_new',
];

/** Entries per var in the code table: one per positional arity, 0..20 (docs/patch-abi.md). */
export const CODE_STRIDE = 21;

/** Bytes of an unsigned LEB128 number. */
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const wasmName = (text) => [...leb(text.length), ...new TextEncoder().encode(text)];
const wasmSection = (id, items) => {
  const body = [...leb(items.length), ...items.flat()];
  return [id, ...leb(body.length), ...body];
};

/**
 * The dispatcher: a small module, built here, that owns the code table (one entry per var
 * and arity, docs/patch-abi.md) and exports, for each arity n,
 * - `d{n}(self, a1..an, index)`: `call_indirect` through the table: how compiled code calls
 *   a var, wasm to wasm with no JS frame in between;
 * - `t{n}(self, a1..an)`: a trampoline into the runtime's invoke_n, which the table holds
 *   wherever a var's value has no wasm code of its own for that arity (a core JS function, a
 *   keyword, a map, a variadic fn, Unbound).
 * Patches import the `d{n}` functions, not the table: in Node 20's V8 every instance that
 * imports a funcref table registers with it for good, so a table imported by every patch
 * leaks each patch and makes every table.set slower.
 */
function buildDispatcher(invokes) {
  const EXTERNREF = 0x6f;
  const I32 = 0x7f;
  const FUNCREF = 0x70;
  const N = CODE_STRIDE;
  const arities = Array.from({ length: N }, (_, n) => n);
  const externs = (n) => Array(n + 1).fill(EXTERNREF);
  const body = (n, tail) => {
    const code = [0x00];
    for (let i = 0; i <= n; i++) code.push(0x20, ...leb(i));
    code.push(...tail, 0x0b);
    return [...leb(code.length), ...code];
  };
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // types: n -> (self, a1..an) -> value; N + n -> (self, a1..an, index) -> value
    ...wasmSection(1, [
      ...arities.map((n) => [0x60, ...leb(n + 1), ...externs(n), 1, EXTERNREF]),
      ...arities.map((n) => [0x60, ...leb(n + 2), ...externs(n), I32, 1, EXTERNREF]),
    ]),
    ...wasmSection(2, arities.map((n) => [...wasmName('rt'), ...wasmName(`invoke${n}`), 0x00, ...leb(n)])),
    ...wasmSection(3, [...arities.map((n) => leb(n)), ...arities.map((n) => leb(N + n))]),
    ...wasmSection(4, [[FUNCREF, 0x00, 0x00]]),
    ...wasmSection(7, [
      ...arities.map((n) => [...wasmName(`t${n}`), 0x00, ...leb(N + n)]),
      ...arities.map((n) => [...wasmName(`d${n}`), 0x00, ...leb(2 * N + n)]),
      [...wasmName('code'), 0x01, 0x00],
    ]),
    ...wasmSection(10, [
      ...arities.map((n) => body(n, [0x10, ...leb(n)])),
      ...arities.map((n) => body(n, [0x20, ...leb(n + 1), 0x11, ...leb(n), 0x00])),
    ]),
  ];
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), { rt: invokes });
  return {
    table: exports.code,
    trampolines: arities.map((n) => exports[`t${n}`]),
    dispatchers: arities.map((n) => exports[`d${n}`]),
  };
}

/** Whether a thrown value is caught by `(catch Class e ...)`, Class as written. */
function catchMatches(className, e) {
  const simple = String(className).replace(/^(java\.lang\.|clojure\.lang\.|js\/)/, '');
  if (simple === 'Throwable' || simple === 'Object' || simple === ':default') return true;
  const info = errorInfo(e);
  if (simple === info.cls) return true;
  // Interrupts stop the eval even through (catch Exception e ...).
  const isError = ['StackOverflowError', 'Error', 'AssertionError', 'InterruptedException'].includes(info.cls);
  if (simple === 'Exception') return !isError;
  if (simple === 'RuntimeException') return !isError && info.cls !== 'Exception';
  if (simple === 'IndexOutOfBoundsException') return /IndexOutOfBounds/.test(info.cls);
  if (simple === 'IllegalArgumentException') return info.cls === 'ArityException' || info.cls === 'NumberFormatException';
  if (simple === 'Error') return isError || e instanceof Error && !(e instanceof CljError);
  return false;
}

/** The ABI's try_catch: run body, handing a throw to the first matching handler; always run finally. */
function tryCatch(body, catches, fin) {
  try {
    return nu(body());
  } catch (e) {
    if (catches !== null) {
      const n = count(catches);
      for (let i = 0; i + 1 < n; i += 2) {
        if (catchMatches(nth(catches, i), e)) return nu(nth(catches, i + 1)(e));
      }
    }
    throw e;
  } finally {
    if (fin !== null) fin();
  }
}

const textDecoder = new TextDecoder();

const IS_NODE = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
/** Browsers refuse to compile larger modules synchronously on the main thread. */
const SYNC_COMPILE_LIMIT = 4096;

/** The parsed `jank.patch` custom section of a compiled module. */
export function readPatchMeta(module) {
  const sections = WebAssembly.Module.customSections(module, 'jank.patch');
  if (sections.length === 0) throw new Error('not a jank patch: the module has no jank.patch custom section');
  const meta = JSON.parse(textDecoder.decode(sections[0]));
  return {
    ns: typeof meta.ns === 'string' ? meta.ns : 'user',
    source: typeof meta.source === 'string' ? meta.source : null,
    table_size: Number(meta.table_size ?? 0),
    vars: Array.isArray(meta.vars) ? meta.vars : [],
    consts: Array.isArray(meta.consts) ? meta.consts : [],
  };
}

/**
 * A runtime: the shared var table, the vars it has seen, and the patch loader. The same
 * Runtime must load all the patches of one compiler session (slot numbers are shared).
 */
export class Runtime {
  constructor() {
    this.table = new WebAssembly.Table({ element: 'externref', initial: 0 });

    this.varsBySlot = [];
    this.ns = 'user';
    this.rt = this.makeRtImports();
    const dispatcher = buildDispatcher(this.rt);
    this.code = dispatcher.table;
    this.trampolines = dispatcher.trampolines;
    dispatcher.dispatchers.forEach((d, n) => { this.rt[`dispatch${n}`] = d; });
  }

  /**
   * Points var `slot`'s code-table entries at its value's wasm code for each fixed arity it
   * has, and at the trampolines otherwise. Runs whenever a var gets a new root.
   */
  varChanged(slot) {
    const v = this.varsBySlot[slot];
    if (v !== undefined && v.ns === 'clojure.core' && Object.prototype.hasOwnProperty.call(DYNAMIC_DEFAULTS, v.name)) {
      // the runtime reads these (*print-length* ...) from coreLib: follow set! and binding
      coreLib[v.name] = nu(this.table.get(slot));
    }
    const info = fnInfo(this.table.get(slot));
    const base = slot * CODE_STRIDE;
    for (let n = 0; n < CODE_STRIDE; n++) {
      const own = info === null ? undefined : info.fixed[n];
      this.code.set(base + n, own !== undefined ? own : this.trampolines[n]);
    }
  }

  makeRtImports() {
    const rt = {
      vars: this.table,
      truthy: (x) => (x === null || x === false || x === undefined ? 0 : 1),
      invoke0, invoke1, invoke2, invoke3, invoke4,
      add, sub, mul, div, lt, gt, lte, gte, num_eq: numEquiv, equiv,
      fn_new: (name, ncaptures) => fnNew(name, ncaptures, this.ns),
      fn_arity: fnArity,
      fn_capture: fnCapture,
      fn_captured: fnCaptured,
      throw: throwValue,
      var_changed: (slot) => this.varChanged(slot),
      is_unbound: (x) => (x instanceof Unbound ? 1 : 0),
      try_catch: tryCatch,
      poll,
      js_global: jsGlobal,
      js_get: jsGet,
      js_set: jsSet,
      js_call: jsCall,
      js_new: jsNew,
    };
    for (let i = 5; i <= 20; i++) rt[`invoke${i}`] = (f, ...args) => invokeArray(f, args);
    return rt;
  }

  /** The Var of a slot, or null if no patch has mentioned it. */
  varAt(slot) { return this.varsBySlot[slot] ?? null; }

  /**
   * Records an eval's outcome for the REPL vars: a value shifts *1 *2 *3, an error sets *e.
   * (Per runtime, not per session: a runtime is usually one editor's.)
   */
  recordOutcome(value, error) {
    if (error !== undefined) {
      this.setCoreRoot('*e', error);
      return;
    }
    this.setCoreRoot('*3', coreLib['*2']);
    this.setCoreRoot('*2', coreLib['*1']);
    this.setCoreRoot('*1', value);
  }

  /** Sets a clojure.core var's root, whether or not a patch has mentioned it yet. */
  setCoreRoot(name, value) {
    coreLib[name] = value;
    const v = this.findVar('clojure.core', name);
    if (v !== null) v.bindRoot(value);
  }

  /** The Var ns/name, or null. */
  findVar(ns, name) {
    return this.varsBySlot.find((v) => v !== undefined && v.ns === ns && v.name === name) ?? null;
  }

  /** The initial root of a var never seen before: the library value, else Unbound. */
  initialRoot(v) {
    const lib = libraries[v.ns];
    if (lib !== undefined && Object.prototype.hasOwnProperty.call(lib, v.name)) return lib[v.name];
    return new Unbound(v);
  }

  registerVars(meta) {
    const needed = Math.max(meta.table_size, ...meta.vars.map((e) => Number(e[0]) + 1), 0);
    if (this.table.length < needed) this.table.grow(needed - this.table.length, null);
    const codeNeeded = needed * CODE_STRIDE;
    if (this.code.length < codeNeeded) this.code.grow(codeNeeded - this.code.length, null);
    for (const [slotRaw, ns, name] of meta.vars) {
      const slot = Number(slotRaw);
      if (this.varsBySlot[slot] !== undefined) continue;
      const v = new Var(this, ns, name, slot);
      this.varsBySlot[slot] = v;
      if (nu(this.table.get(slot)) === null) this.table.set(slot, this.initialRoot(v));
      this.varChanged(slot);
    }
  }

  /** The value of one constant from its JSON encoding (docs/patch-abi.md). */
  decodeConst(c) {
    if (c === null || c === true || c === false) return c;
    if (typeof c === 'number') return c;
    if (typeof c === 'string') {
      if (c === 'NaN') return NaN;
      if (c === 'Infinity') return Infinity;
      if (c === '-Infinity') return -Infinity;
      throw new Error(`unknown constant encoding: ${JSON.stringify(c)}`);
    }
    if ('long' in c) return checkLong(BigInt(c.long));
    if ('bigint' in c) {
      const v = BigInt(c.bigint);
      return fitsLong(v) ? v : new BigNum(v);
    }
    if ('double' in c) {
      const d = c.double;
      return typeof d === 'number' ? d : d === 'NaN' ? NaN : d === 'Infinity' ? Infinity : d === '-Infinity' ? -Infinity : Number(d);
    }
    if ('ratio' in c) return makeRatio(BigInt(c.ratio[0]), BigInt(c.ratio[1]), false);
    if ('str' in c) return c.str;
    if ('char' in c) return char(c.char);
    if ('kw' in c) return keyword(c.ns ?? null, c.kw);
    if ('sym' in c) return new Sym(c.ns ?? null, c.sym);
    if ('list' in c) return listOf(c.list.map((x) => this.decodeConst(x)));
    if ('vec' in c) return vectorOf(c.vec.map((x) => this.decodeConst(x)));
    if ('set' in c) return setOf(...c.set.map((x) => this.decodeConst(x)));
    if ('map' in c) return mapOf(...c.map.map((x) => this.decodeConst(x)));
    if ('regex' in c) return regex(c.regex);
    if ('namespace' in c) return namespaceNamed(c.namespace);
    if ('var' in c) {
      const v = this.varsBySlot[Number(c.var)];
      if (v === undefined) throw new Error(`constant refers to var slot ${c.var}, which no patch has declared`);
      return v;
    }
    throw new Error(`unknown constant encoding: ${JSON.stringify(c)}`);
  }

  /** Set up vars and constants for a compiled patch; returns its import object. */
  prepare(module) {
    const meta = readPatchMeta(module);
    namespaceNamed(meta.ns);
    for (const [, ns] of meta.vars) namespaceNamed(ns);
    this.lastSource = meta.source;
    this.registerVars(meta);
    const k = {};
    meta.consts.forEach((c, i) => {
      k[String(i)] = new WebAssembly.Global({ value: 'externref', mutable: false }, this.decodeConst(c));
    });
    return { meta, imports: { rt: this.rt, k } };
  }

  run(instance, meta, evalId) {
    const run = instance.exports.run;
    if (typeof run !== 'function') throw new Error('patch does not export run');
    this.ns = meta.ns;
    return withEval(evalId, () => nu(run()));
  }

  /** Compile, link and run a patch (bytes: BufferSource); resolves to the form's value. */
  async loadPatch(bytes, evalId = null) {
    // Synchronous compilation is several times faster for small modules; browsers allow it
    // on the main thread below 4 KB, Node always.
    if (IS_NODE || bytes.length < SYNC_COMPILE_LIMIT) return this.loadPatchSync(bytes, evalId);
    const module = await WebAssembly.compile(bytes);
    const { meta, imports } = this.prepare(module);
    const instance = await WebAssembly.instantiate(module, imports);
    return this.run(instance, meta, evalId);
  }

  /** loadPatch, synchronously (Node, or small modules in a browser). */
  loadPatchSync(bytes, evalId = null) {
    const module = new WebAssembly.Module(bytes);
    const { meta, imports } = this.prepare(module);
    return this.run(new WebAssembly.Instance(module, imports), meta, evalId);
  }
}
