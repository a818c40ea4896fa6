// Numbers: Clojure's numeric tower on JavaScript values.
//
// | Clojure            | JavaScript                                                  |
// |--------------------|-------------------------------------------------------------|
// | long               | an integral `number` within +-(2^53 - 1); beyond it a `bigint` |
// |                    | (always within 64 bits; a long that fits a safe number is never a bigint) |
// | double             | a non-integral `number` (fractions, NaN, +-Infinity), or a `Dbl` |
// |                    | box for an integral value (2.0, -0.0)                        |
// | clojure.lang.BigInt | `BigNum` (a bigint inside)                                   |
// | ratio              | `Ratio` (bigint numerator and denominator, reduced, den > 1) |
// | BigDecimal         | `BigDec` (decimals.js: a bigint and a scale)                 |
//
// So most longs and most doubles are plain JS numbers, which JS code takes and gives as they
// are, and arithmetic on them is JS arithmetic plus a check; long and double stay distinct:
// `Number.isInteger` tells them apart. Everything that makes a double from a JS number goes
// through `dbl`, which boxes integral values.

import { overflow, divideByZero, CljError } from './errors.js';
import { defType, attachPrototype, LONG, DOUBLE, castError } from './types.js';
import { implement } from './protocol.js';
import { IHash, IEquiv, IComparable, IPrintWithWriter } from './core-protocols.js';
import {
  hashLongBits, numberWords, bigintWords, javaDoubleHash, javaBigIntegerHash, javaLongHash,
} from './hash.js';
import {
  BigDec, BIGDEC, addDecimals, subDecimals, mulDecimals, divDecimals, quotDecimals, remDecimals,
  compareDecimals, negateDecimal, exactQuotient, decimalSignum, decimalToDouble, decimalToBigInt,
  decimalToString, hashDecimal, javaDecimalHash,
} from './decimals.js';

export { BigDec };

export const MAX_LONG = 9223372036854775807n;
export const MIN_LONG = -9223372036854775808n;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** An integral double (2.0, -0.0): a plain number would read as a long. */
export class Dbl {
  constructor(v) { this.v = v; }
  toString() { return doubleToString(this.v); }
}

/** A ratio: bigint numerator and denominator, reduced, den > 1. */
export class Ratio {
  constructor(num, den) { this.num = num; this.den = den; }
  toString() { return `${this.num}/${this.den}`; }
}

/** clojure.lang.BigInt: an arbitrary precision integer (prints with an N suffix). */
export class BigNum {
  constructor(v) { this.v = v; }
  toString() { return this.v.toString(); }
}

attachPrototype(DOUBLE, Dbl.prototype);
export const RATIO = defType('clojure.lang.Ratio', ['java.lang.Number', 'java.lang.Comparable'], { ctor: Ratio });
export const BIGINT = defType('clojure.lang.BigInt', ['java.lang.Number', 'clojure.lang.IHashEq'], { ctor: BigNum });

/** A double of the JS number `v` (boxed when integral). */
export const dbl = (v) => (Number.isInteger(v) ? new Dbl(v) : v);

/** A long of a bigint: a number when it fits, else the bigint; overflow beyond 64 bits. */
export function longOfBig(v) {
  if (v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  if (v > MAX_LONG || v < MIN_LONG) throw overflow();
  return v;
}

/** A long of an integral JS number (e.g. from Math.trunc), which may be past 2^53. */
export function longOfNumber(n) {
  if (n >= -MAX_SAFE && n <= MAX_SAFE) return n + 0; // + 0 turns -0 into 0
  return longOfBig(BigInt(n));
}

/** Truncates a bigint to 64 bits (Java's long wrap-around, for unchecked ops). */
export const wrapLong = (v) => longOfBig(BigInt.asIntN(64, v));

export const isLong = (x) => (typeof x === 'number' ? Number.isInteger(x) : typeof x === 'bigint');
export const isDouble = (x) => (typeof x === 'number' ? !Number.isInteger(x) : x instanceof Dbl);
export const isNumber = (x) => typeof x === 'number' || typeof x === 'bigint' || x instanceof Dbl || x instanceof Ratio || x instanceof BigNum || x instanceof BigDec;
/** long or BigInt */
export const isInteger = (x) => isLong(x) || x instanceof BigNum;

/** Numeric category: 0 long, 1 BigInt, 2 ratio, 3 BigDecimal, 4 double. Throws for non-numbers. */
export function cat(x) {
  switch (typeof x) {
    case 'number': return Number.isInteger(x) ? 0 : 4;
    case 'bigint': return 0;
  }
  if (x instanceof Dbl) return 4;
  if (x instanceof BigNum) return 1;
  if (x instanceof Ratio) return 2;
  if (x instanceof BigDec) return 3;
  throw castError(x, 'java.lang.Number');
}

/** The exact BigDecimal of a long, BigInt, ratio (when its expansion ends) or decimal. */
export function toDecimal(x) {
  if (x instanceof BigDec) return x;
  if (x instanceof Ratio) return exactQuotient(x.num, x.den, 0);
  return new BigDec(toBig(x), 0);
}

/** The bigint value of a long or BigInt. */
export const toBig = (x) => (typeof x === 'number' ? BigInt(x) : typeof x === 'bigint' ? x : x.v);

function ratParts(x) {
  if (x instanceof Ratio) return [x.num, x.den];
  return [toBig(x), 1n];
}

/** The JS number value of a number (Clojure's Number.doubleValue). */
export function toDouble(x) {
  switch (typeof x) {
    case 'number': return x;
    case 'bigint': return Number(x);
  }
  if (x instanceof Dbl) return x.v;
  if (x instanceof BigNum) return Number(x.v);
  if (x instanceof Ratio) return ratioToDouble(x.num, x.den);
  if (x instanceof BigDec) return decimalToDouble(x);
  throw castError(x, 'java.lang.Number');
}

// Clojure's Ratio.doubleValue divides as BigDecimals rounded to 16 digits (DECIMAL64,
// half-even) and converts that: (double 1/7) is 0.1428571428571429, not ...285.
function ratioToDouble(n, d) {
  const neg = n < 0n;
  const a = neg ? -n : n;
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

const bigAbs = (x) => (x < 0n ? -x : x);
function gcd(a, b) {
  a = bigAbs(a); b = bigAbs(b);
  while (b !== 0n) { const t = a % b; a = b; b = t; }
  return a;
}

/**
 * n/d reduced. An integral result is a long (bigResult false: long division, constants) or
 * a BigInt (bigResult true: ratio and BigInt arithmetic, as Clojure: (+ 1/2 1/2) is 1N).
 */
export function makeRatio(n, d, bigResult) {
  if (d === 0n) throw divideByZero();
  const g = gcd(n, d);
  n /= g; d /= g;
  if (d < 0n) { n = -n; d = -d; }
  if (d === 1n) return bigResult ? new BigNum(n) : wrapLong(n);
  return new Ratio(n, d);
}

export function isZero(x) {
  switch (typeof x) {
    case 'number': return x === 0;
    case 'bigint': return false; // big longs are never small
  }
  if (x instanceof Dbl) return x.v === 0;
  if (x instanceof BigNum) return x.v === 0n;
  if (x instanceof Ratio) return false;
  if (x instanceof BigDec) return x.unscaled === 0n;
  throw castError(x, 'java.lang.Number');
}

/** Sign of a number: -1, 0, 1 (NaN for NaN). */
export function signum(x) {
  if (typeof x === 'number') return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN;
  const c = cat(x);
  if (c === 4) { const v = toDouble(x); return v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN; }
  if (c === 2) return x.num > 0n ? 1 : -1;
  if (c === 3) return decimalSignum(x);
  const v = toBig(x);
  return v > 0n ? 1 : v < 0n ? -1 : 0;
}

// ---------------------------------------------------------------------------------------
// Arithmetic: a fast path for two plain numbers, then by category
// ---------------------------------------------------------------------------------------

function arith(a, b, longOp, bigOp, ratioOp, doubleOp, decimalOp) {
  const c = Math.max(cat(a), cat(b));
  if (c === 4) return dbl(doubleOp(toDouble(a), toDouble(b)));
  if (c === 3) return decimalOp(toDecimal(a), toDecimal(b));
  if (c === 0) return longOfBig(longOp(toBig(a), toBig(b)));
  if (c === 1) return new BigNum(bigOp(toBig(a), toBig(b)));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return ratioOp(an, ad, bn, bd);
}

/** Clojure `+` on two numbers. */
export function add(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isInteger(a) && Number.isInteger(b)) return Number.isSafeInteger(r) ? r : longOfBig(BigInt(a) + BigInt(b));
    return Number.isInteger(r) ? new Dbl(r) : r;
  }
  return arith(a, b, (x, y) => x + y, (x, y) => x + y, (an, ad, bn, bd) => makeRatio(an * bd + bn * ad, ad * bd, true), (x, y) => x + y, addDecimals);
}

/** Clojure `-` on two numbers. */
export function sub(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isInteger(a) && Number.isInteger(b)) return Number.isSafeInteger(r) ? r + 0 : longOfBig(BigInt(a) - BigInt(b));
    return Number.isInteger(r) ? new Dbl(r) : r;
  }
  return arith(a, b, (x, y) => x - y, (x, y) => x - y, (an, ad, bn, bd) => makeRatio(an * bd - bn * ad, ad * bd, true), (x, y) => x - y, subDecimals);
}

/** Clojure `*` on two numbers. */
export function mul(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isInteger(a) && Number.isInteger(b)) return Number.isSafeInteger(r) ? r + 0 : longOfBig(BigInt(a) * BigInt(b));
    return Number.isInteger(r) ? new Dbl(r) : r;
  }
  return arith(a, b, (x, y) => x * y, (x, y) => x * y, (an, ad, bn, bd) => makeRatio(an * bn, ad * bd, true), (x, y) => x * y, mulDecimals);
}

/**
 * Clojure `/` on two numbers: (/ 1 2) is 1/2, (/ 4 2) is 2, a zero divisor throws "Divide by
 * zero" unless a double is involved (then IEEE: (/ 1.0 0) is ##Inf, as in Clojure 1.11).
 */
export function div(a, b) {
  const c = Math.max(cat(a), cat(b));
  if (c === 4) return dbl(toDouble(a) / toDouble(b));
  if (isZero(b)) throw divideByZero();
  if (c === 3) return divDecimals(toDecimal(a), toDecimal(b));
  if (c === 0) {
    if (typeof a === 'number' && typeof b === 'number' && a % b === 0) return a / b + 0;
    return makeRatio(toBig(a), toBig(b), false);
  }
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return makeRatio(an * bd, ad * bn, true);
}

/** Clojure `quot`: truncating division. */
export function quot(a, b) {
  const c = Math.max(cat(a), cat(b));
  if (isZero(b)) throw divideByZero();
  if (c === 4) {
    const q = toDouble(a) / toDouble(b);
    return dbl(Math.trunc(q) + 0); // + 0 turns -0 into 0, as Java's (double)(long)q does
  }
  if (c === 0) {
    if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b) + 0;
    return wrapLong(toBig(a) / toBig(b)); // Long/MIN_VALUE / -1 wraps, as on the JVM
  }
  if (c === 1) return new BigNum(toBig(a) / toBig(b));
  if (c === 3) return quotDecimals(toDecimal(a), toDecimal(b));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  return new BigNum((an * bd) / (ad * bn));
}

/** Clojure `rem`: remainder of truncating division (sign of the dividend). */
export function rem(a, b) {
  // (two longs that are numbers: JS's % is exact on integers; + 0 turns -0 into 0)
  if (typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isInteger(a) && Number.isInteger(b)) return (a % b) + 0;
  const c = Math.max(cat(a), cat(b));
  if (isZero(b)) throw divideByZero();
  if (c === 4) {
    const x = toDouble(a), y = toDouble(b);
    return dbl(x - Math.trunc(x / y) * y);
  }
  if (c === 0) {
    if (typeof a === 'number' && typeof b === 'number') return (a % b) + 0;
    return longOfBig(toBig(a) % toBig(b));
  }
  if (c === 1) return new BigNum(toBig(a) % toBig(b));
  if (c === 3) return remDecimals(toDecimal(a), toDecimal(b));
  return sub(a, mul(quot(a, b), b));
}

/** Clojure `mod`: remainder of flooring division (sign of the divisor). */
export function mod(a, b) {
  if (typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isInteger(a) && Number.isInteger(b)) {
    // (|m| < |b|, so m + b is a safe integer too; -0 from % is turned into 0)
    const m = a % b;
    return m !== 0 && (m < 0) !== (b < 0) ? m + b : m + 0;
  }
  const m = rem(a, b);
  if (isZero(m) || signum(a) > 0 === signum(b) > 0) return m;
  return add(m, b);
}

/** Compare two numbers: negative, 0, positive, or NaN when unordered (NaN operands). */
export function numCmp(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  const c = Math.max(cat(a), cat(b));
  if (c === 4) {
    const x = toDouble(a), y = toDouble(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (c <= 1) { const x = toBig(a), y = toBig(b); return x < y ? -1 : x > y ? 1 : 0; }
  if (c === 3) return compareDecimals(toDecimal(a), toDecimal(b));
  const [an, ad] = ratParts(a), [bn, bd] = ratParts(b);
  const l = an * bd, r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function lt(a, b) { return typeof a === 'number' && typeof b === 'number' ? a < b : numCmp(a, b) < 0; }
export function gt(a, b) { return typeof a === 'number' && typeof b === 'number' ? a > b : numCmp(a, b) > 0; }
export function lte(a, b) { return typeof a === 'number' && typeof b === 'number' ? a <= b : numCmp(a, b) <= 0; }
export function gte(a, b) { return typeof a === 'number' && typeof b === 'number' ? a >= b : numCmp(a, b) >= 0; }
/** Clojure `==`: numeric equality across categories ((== 1 1.0) is true). */
export function numEquiv(a, b) { return typeof a === 'number' && typeof b === 'number' ? a === b : numCmp(a, b) === 0; }

/** `inc` and `dec`. */
export const inc = (x) => (typeof x === 'number' && Number.isInteger(x) && x < MAX_SAFE ? x + 1 : add(x, 1));
export const dec = (x) => (typeof x === 'number' && Number.isInteger(x) && x > -MAX_SAFE ? x - 1 : sub(x, 1));

/** Negation. */
export function negate(x) {
  if (typeof x === 'number') return Number.isInteger(x) ? 0 - x : -x;
  if (typeof x === 'bigint') return longOfBig(-x);
  if (x instanceof Dbl) return new Dbl(-x.v);
  if (x instanceof BigNum) return new BigNum(-x.v);
  if (x instanceof Ratio) return new Ratio(-x.num, x.den);
  if (x instanceof BigDec) return negateDecimal(x);
  throw castError(x, 'java.lang.Number');
}

// ---------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------

/**
 * `(long x)` and `(int x)`: lo/hi bound the result (`what` names the type in messages).
 * chars are integers here (Clojure's (long \a) is 97).
 */
export function toLong(x, what = 'long', lo = MIN_LONG, hi = MAX_LONG, charCode = null) {
  let v;
  if (typeof x === 'number' && Number.isInteger(x)) {
    if (x >= Number(lo) && x <= Number(hi)) return x;
    v = BigInt(x);
  } else if (typeof x === 'bigint') v = x;
  else if (typeof x === 'number' || x instanceof Dbl) {
    const d = toDouble(x);
    if (d !== d) return 0;
    if (d < Number(lo) || d > Number(hi)) throw new CljError('IllegalArgumentException', `Value out of range for ${what}: ${doubleToString(d)}`);
    return longOfNumber(Math.trunc(d));
  } else if (x instanceof BigNum) v = x.v;
  else if (x instanceof Ratio) v = x.num / x.den;
  else if (x instanceof BigDec) v = decimalToBigInt(x);
  else if (charCode !== null && charCode(x) !== null) return charCode(x);
  else throw castError(x, 'java.lang.Number', 'Cannot invoke "java.lang.Number.doubleValue()" because "x" is null');
  if (v < lo || v > hi) {
    // like Clojure: an integer out of int range is an overflow, anything else out of range
    if (what === 'int' && (typeof x === 'bigint' || typeof x === 'number' || x instanceof BigNum)) throw new CljError('ArithmeticException', 'integer overflow');
    throw new CljError('IllegalArgumentException', `Value out of range for ${what}: ${v}`);
  }
  return longOfBig(v);
}

/** An index or count argument as a JS number (doubles truncate, as Clojure's intCast). */
export function toIndex(x) {
  if (typeof x === 'number') return Math.trunc(x);
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Dbl) return Math.trunc(x.v);
  if (x instanceof BigNum) return Number(x.v);
  if (x instanceof Ratio) return Number(x.num / x.den);
  if (x instanceof BigDec) return Number(decimalToBigInt(x));
  throw castError(x, 'java.lang.Number');
}

/** The decimal text of a long. */
export const longToString = (x) => String(x);

/** Java's Double.toString (shortest representation, E notation outside [1e-3, 1e7)). */
export function doubleToString(x) {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const neg = x < 0;
  const a = neg ? -x : x;
  const [mant, ex] = a.toExponential().split('e');
  let digits = mant.replace('.', '');
  let exp = Number(ex);
  if (digits.length === 1 && a < 2.2250738585072014e-308) {
    // Java picks the closest decimal of length 2 when a 1-digit one exists (4.9E-324).
    const p = a.toPrecision(2);
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

/** How the printer shows a double: ##Inf, ##-Inf, ##NaN, else as Java does. */
export function printDouble(x) {
  if (x === Infinity) return '##Inf';
  if (x === -Infinity) return '##-Inf';
  if (x !== x) return '##NaN';
  return doubleToString(x);
}

/** A long from its decimal text (constants): a number, or a bigint past 2^53. */
export function parseLong(text) {
  return longOfBig(BigInt(text));
}

// ---------------------------------------------------------------------------------------
// Hashing, equality, comparison and printing of numbers
// ---------------------------------------------------------------------------------------

/** Clojure's hasheq of a long (Murmur3 of its 64 bits). */
export function hashLong(x) {
  const [lo, hi] = typeof x === 'number' ? numberWords(x) : bigintWords(x);
  return hashLongBits(lo, hi);
}

const fitsLong = (v) => v <= MAX_LONG && v >= MIN_LONG;

/** Clojure's hasheq of any number. */
export function hashNumber(x) {
  if (typeof x === 'number') return Number.isInteger(x) ? hashLong(x) : javaDoubleHash(x);
  if (typeof x === 'bigint') return hashLong(x);
  if (x instanceof Dbl) return javaDoubleHash(x.v);
  if (x instanceof BigNum) return fitsLong(x.v) ? hashLong(x.v) : javaBigIntegerHash(x.v);
  if (x instanceof BigDec) return hashDecimal(x);
  return javaBigIntegerHash(x.num) ^ javaBigIntegerHash(x.den);
}

/** Java's hashCode of a number (where Clojure prints Object.toString). */
export function javaNumberHash(x) {
  if (isLong(x)) {
    const [lo, hi] = typeof x === 'number' ? numberWords(x) : bigintWords(x);
    return javaLongHash(lo, hi);
  }
  if (isDouble(x)) {
    const v = toDouble(x);
    return javaDoubleHash(v) || (Object.is(v, -0) ? -2147483648 : 0);
  }
  if (x instanceof BigNum) return fitsLong(x.v) ? javaNumberHash(longOfBig(x.v)) : javaBigIntegerHash(x.v);
  if (x instanceof BigDec) return javaDecimalHash(x);
  return javaBigIntegerHash(x.num) ^ javaBigIntegerHash(x.den);
}

/** `=` between two numbers: same category and value (a long equals a BigInt of its value). */
export function numberEquals(a, b) {
  if (!isNumber(b)) return false;
  const ca = cat(a), cb = cat(b);
  if (ca <= 1 && cb <= 1) return toBig(a) === toBig(b);
  if (ca !== cb) return false;
  if (ca === 4) return toDouble(a) === toDouble(b);
  if (ca === 3) return compareDecimals(a, b) === 0;
  return a.num === b.num && a.den === b.den;
}

const compareNumbers = (a, b) => {
  if (!isNumber(b)) throw castError(b, 'java.lang.Number');
  const c = numCmp(a, b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
};

const numberProtocols = (type, text) => {
  implement(type, IHash, { '-hash': hashNumber });
  implement(type, IEquiv, { '-equiv': numberEquals });
  implement(type, IComparable, { '-compare': compareNumbers });
  implement(type, IPrintWithWriter, { '-pr-writer': (x, w) => w.write(text(x)) });
};
numberProtocols(LONG, longToString);
numberProtocols(DOUBLE, (x) => printDouble(toDouble(x)));
numberProtocols(RATIO, (x) => `${x.num}/${x.den}`);
numberProtocols(BIGINT, (x) => `${x.v}N`);
numberProtocols(BIGDEC, (x) => `${decimalToString(x)}M`);
