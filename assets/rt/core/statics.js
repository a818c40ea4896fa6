// The JVM's static members that portable Clojure calls, on JavaScript: `Math/abs`, `Math/PI`,
// `Long/MAX_VALUE`, `Integer/parseInt`, `Double/isNaN`, `System/currentTimeMillis`,
// `Character/isDigit`, `String/valueOf`, ... Each class is a library namespace
// (`java.lang.Math`), which the compiler names by the class's simple name as Clojure's
// imports of java.lang do; the members take and give Clojure's numbers, as Java's would.

import { CljError } from '../errors.js';
import {
  dbl, toDouble, isLong, toBig, longOfBig, add, negate, numCmp, isNumber, MAX_LONG, MIN_LONG,
  doubleToString,
} from '../numbers.js';
import { castError } from '../types.js';
import { Char, char } from '../scalars.js';
import { toStr } from '../print.js';
import { toArray, seq } from '../seqs.js';
import { parseJavaDouble } from './arith.js';
import { defn, libraries } from './lib.js';

/** The library namespace of java.lang class `name`, with its fns and values. */
function javaClass(name, members) {
  const ns = `java.lang.${name}`;
  const lib = Object.create(null);
  libraries[ns] = lib;
  for (const [member, value] of Object.entries(members)) {
    if (typeof value === 'object' && value !== null && value.arities !== undefined) defn(lib, ns, member, value.arities);
    else lib[member] = value;
  }
}
/** A static method of these arities ({1: f, 2: g, ...}). */
const method = (arities) => ({ arities });
/** A method of one number argument giving a double. */
const ofDouble = (f) => method({ 1: (x) => dbl(f(toDouble(number(x)))) });

function number(x) {
  if (!isNumber(x)) throw castError(x, 'java.lang.Number');
  return x;
}

const numberFormat = (text) => new CljError('NumberFormatException', `For input string: "${text}"`);

/** Java's Long.parseLong / Integer.parseInt of `text` in `radix`, within [lo, hi]. */
function parseInteger(text, radix, lo, hi) {
  if (typeof text !== 'string') throw numberFormat(toStr(text));
  const r = radix === undefined ? 10 : Number(radix);
  const digits = /^[+-]?[0-9a-zA-Z]+$/.test(text) ? text : null;
  if (digits === null) throw numberFormat(text);
  const negative = digits[0] === '-';
  let v = 0n;
  for (const c of digits.replace(/^[+-]/, '')) {
    const d = parseInt(c, 36);
    if (!(d < r)) throw numberFormat(text);
    v = v * BigInt(r) + BigInt(d);
  }
  if (negative) v = -v;
  if (v < lo || v > hi) throw numberFormat(text);
  return longOfBig(v);
}

/** Java's Double.parseDouble: parse-double's reading, throwing where that gives nil. */
function parseDouble(text) {
  const d = typeof text === 'string' ? parseJavaDouble(text) : null;
  if (d === null) throw numberFormat(toStr(text));
  return d;
}

/** A long's digits in `radix` (Java's Long.toString(x, radix)). */
const longDigits = (x, radix = 10) => toBig(number(x)).toString(Number(radix));
/** Java's unsigned two's-complement digits of a long (toBinaryString, toHexString). */
const unsignedDigits = (x, bits, radix) => BigInt.asUintN(bits, toBig(number(x))).toString(radix);

/** Math/abs, max and min keep a long a long; otherwise they work on doubles. */
const bothLongs = (a, b) => isLong(a) && isLong(b);
const exact = (op) => (a, b) => {
  const r = op(toBig(number(a)), toBig(number(b)));
  if (r > MAX_LONG || r < MIN_LONG) throw new CljError('ArithmeticException', 'long overflow');
  return longOfBig(r);
};

javaClass('Math', {
  PI: Math.PI,
  E: Math.E,
  // (Long/MIN_VALUE has no positive long: Java gives it back)
  abs: method({ 1: (x) => (isLong(number(x)) ? (x === MIN_LONG ? x : negateIfNegative(x)) : dbl(Math.abs(toDouble(x)))) }),
  max: method({ 2: (a, b) => (bothLongs(number(a), number(b)) ? (numCmp(a, b) >= 0 ? a : b) : dbl(Math.max(toDouble(a), toDouble(b)))) }),
  min: method({ 2: (a, b) => (bothLongs(number(a), number(b)) ? (numCmp(a, b) <= 0 ? a : b) : dbl(Math.min(toDouble(a), toDouble(b)))) }),
  pow: method({ 2: (a, b) => dbl(Math.pow(toDouble(number(a)), toDouble(number(b)))) }),
  sqrt: ofDouble(Math.sqrt),
  cbrt: ofDouble(Math.cbrt),
  floor: ofDouble(Math.floor),
  ceil: ofDouble(Math.ceil),
  rint: ofDouble((d) => { const f = Math.floor(d); const diff = d - f; return diff > 0.5 || (diff === 0.5 && f % 2 !== 0) ? f + 1 : f; }),
  // Java's round: the closest long, halves up
  round: method({ 1: (x) => (isLong(number(x)) ? x : longOfBig(BigInt(Math.floor(toDouble(x) + 0.5)))) }),
  exp: ofDouble(Math.exp),
  log: ofDouble(Math.log),
  log10: ofDouble(Math.log10),
  sin: ofDouble(Math.sin),
  cos: ofDouble(Math.cos),
  tan: ofDouble(Math.tan),
  asin: ofDouble(Math.asin),
  acos: ofDouble(Math.acos),
  atan: ofDouble(Math.atan),
  atan2: method({ 2: (y, x) => dbl(Math.atan2(toDouble(number(y)), toDouble(number(x)))) }),
  hypot: method({ 2: (a, b) => dbl(Math.hypot(toDouble(number(a)), toDouble(number(b)))) }),
  signum: ofDouble((d) => (d > 0 ? 1 : d < 0 ? -1 : d)),
  toRadians: ofDouble((d) => (d / 180) * Math.PI),
  toDegrees: ofDouble((d) => (d * 180) / Math.PI),
  random: method({ 0: () => dbl(Math.random()) }),
  floorDiv: method({ 2: (a, b) => { const x = toBig(number(a)), y = toBig(number(b)); if (y === 0n) throw new CljError('ArithmeticException', '/ by zero'); const q = x / y; return longOfBig((x % y !== 0n) && ((x < 0n) !== (y < 0n)) ? q - 1n : q); } }),
  floorMod: method({ 2: (a, b) => { const x = toBig(number(a)), y = toBig(number(b)); if (y === 0n) throw new CljError('ArithmeticException', '/ by zero'); const m = x % y; return longOfBig(m !== 0n && ((m < 0n) !== (y < 0n)) ? m + y : m); } }),
  addExact: method({ 2: exact((x, y) => x + y) }),
  subtractExact: method({ 2: exact((x, y) => x - y) }),
  multiplyExact: method({ 2: exact((x, y) => x * y) }),
  incrementExact: method({ 1: (x) => exact((a, b) => a + b)(x, 1) }),
  decrementExact: method({ 1: (x) => exact((a, b) => a - b)(x, 1) }),
  negateExact: method({ 1: (x) => exact((a, b) => a - b)(0, x) }),
});
function negateIfNegative(x) { return numCmp(x, 0) < 0 ? negate(x) : x; }

/**
 * What Long and Integer share, for a two's-complement integer of `bits` within [lo, hi]: its
 * bounds, `parse` (parseLong, parseInt) in a radix, valueOf, and its digits.
 */
const integerMembers = (parse, bits, lo, hi) => ({
  MAX_VALUE: longOfBig(hi),
  MIN_VALUE: longOfBig(lo),
  [parse]: method({ 1: (s) => parseInteger(s, 10, lo, hi), 2: (s, r) => parseInteger(s, r, lo, hi) }),
  valueOf: method({ 1: (x) => (typeof x === 'string' ? parseInteger(x, 10, lo, hi) : number(x)) }),
  toString: method({ 1: (x) => longDigits(x), 2: longDigits }),
  toBinaryString: method({ 1: (x) => unsignedDigits(x, bits, 2) }),
  toHexString: method({ 1: (x) => unsignedDigits(x, bits, 16) }),
  toOctalString: method({ 1: (x) => unsignedDigits(x, bits, 8) }),
});
javaClass('Long', {
  ...integerMembers('parseLong', 64, MIN_LONG, MAX_LONG),
  signum: method({ 1: (x) => Math.sign(numCmp(number(x), 0)) }),
  sum: method({ 2: (a, b) => add(a, b) }),
});
javaClass('Integer', integerMembers('parseInt', 32, -2147483648n, 2147483647n));
javaClass('Double', {
  MAX_VALUE: dbl(Number.MAX_VALUE),
  MIN_VALUE: dbl(Number.MIN_VALUE),
  POSITIVE_INFINITY: Infinity,
  NEGATIVE_INFINITY: -Infinity,
  NaN,
  parseDouble: method({ 1: parseDouble }),
  valueOf: method({ 1: (x) => (typeof x === 'string' ? parseDouble(x) : dbl(toDouble(number(x)))) }),
  isNaN: method({ 1: (x) => Number.isNaN(toDouble(number(x))) }),
  isInfinite: method({ 1: (x) => { const d = toDouble(number(x)); return d === Infinity || d === -Infinity; } }),
  isFinite: method({ 1: (x) => Number.isFinite(toDouble(number(x))) }),
  toString: method({ 1: (x) => doubleToString(toDouble(number(x))) }),
});
javaClass('Boolean', {
  TRUE: true,
  FALSE: false,
  parseBoolean: method({ 1: (s) => typeof s === 'string' && s.toLowerCase() === 'true' }),
  valueOf: method({ 1: (x) => (typeof x === 'string' ? x.toLowerCase() === 'true' : x === true) }),
  toString: method({ 1: (x) => String(x === true) }),
});

const charArg = (c) => {
  if (!(c instanceof Char)) throw castError(c, 'java.lang.Character');
  return c.c;
};
javaClass('Character', {
  isDigit: method({ 1: (c) => /^\p{Nd}$/u.test(charArg(c)) }),
  isLetter: method({ 1: (c) => /^\p{L}$/u.test(charArg(c)) }),
  isLetterOrDigit: method({ 1: (c) => /^[\p{L}\p{Nd}]$/u.test(charArg(c)) }),
  isAlphabetic: method({ 1: (c) => /^\p{Alphabetic}$/u.test(charArg(c)) }),
  isWhitespace: method({ 1: (c) => /^[ \t\n\r\f\v\u001c-\u001f\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]$/.test(charArg(c)) }),
  isUpperCase: method({ 1: (c) => /^\p{Lu}$/u.test(charArg(c)) }),
  isLowerCase: method({ 1: (c) => /^\p{Ll}$/u.test(charArg(c)) }),
  toUpperCase: method({ 1: (c) => char(charArg(c).toUpperCase()) }),
  toLowerCase: method({ 1: (c) => char(charArg(c).toLowerCase()) }),
  digit: method({ 2: (c, radix) => { const d = parseInt(charArg(c), 36); return d < Number(radix) ? d : -1; } }),
  getNumericValue: method({ 1: (c) => { const d = parseInt(charArg(c), 36); return Number.isNaN(d) ? -1 : d; } }),
});

javaClass('String', {
  valueOf: method({ 1: (x) => (x === null ? 'null' : toStr(x)) }),
  join: method({
    2: (sep, parts) => toArray(seq(parts)).map((p) => {
      if (typeof p !== 'string') throw castError(p, 'java.lang.CharSequence');
      return p;
    }).join(toStr(sep)),
  }),
});

const startedAt = performance.now();
javaClass('System', {
  currentTimeMillis: method({ 0: () => Date.now() }),
  nanoTime: method({ 0: () => longOfBig(BigInt(Math.round((performance.now() - startedAt) * 1e6))) }),
  // a runtime has no JVM properties or environment: nil, as for one that is not set
  getProperty: method({ 1: () => null, 2: (_, dflt) => dflt }),
  getenv: method({ 1: () => null }),
  lineSeparator: method({ 0: () => '\n' }),
});
