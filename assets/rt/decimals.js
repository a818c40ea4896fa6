// java.math.BigDecimal: an arbitrary precision decimal, `unscaled * 10^-scale` (a bigint and
// an integer scale), with Java's exact arithmetic: + and - keep the larger scale, * adds
// scales, / gives the exact quotient or throws when it does not terminate. numbers.js puts it
// in the numeric tower (between ratios and doubles: a decimal and a ratio give a decimal, a
// decimal and a double a double).

import { CljError } from './errors.js';
import { defType } from './types.js';
import { javaBigIntegerHash } from './hash.js';

export class BigDec {
  constructor(unscaled, scale) {
    this.unscaled = unscaled;
    this.scale = scale;
  }
  toString() { return decimalToString(this); }
}
export const BIGDEC = defType('java.math.BigDecimal', ['java.lang.Number', 'java.lang.Comparable'], { ctor: BigDec });

const pow10 = (n) => 10n ** BigInt(n);
const abs = (x) => (x < 0n ? -x : x);

/** `d` at scale `scale` (not below its own): the same value, more digits. */
const rescaled = (d, scale) => d.unscaled * pow10(scale - d.scale);

export function addDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return new BigDec(rescaled(a, scale) + rescaled(b, scale), scale);
}
export function subDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return new BigDec(rescaled(a, scale) - rescaled(b, scale), scale);
}
export const mulDecimals = (a, b) => new BigDec(a.unscaled * b.unscaled, a.scale + b.scale);
export const negateDecimal = (d) => new BigDec(-d.unscaled, d.scale);

export function compareDecimals(a, b) {
  const scale = Math.max(a.scale, b.scale);
  const x = rescaled(a, scale), y = rescaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function gcd(a, b) {
  a = abs(a); b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The exact decimal `n / d` at the smallest scale not below `preferred` (Java's
 * BigDecimal.divide without a MathContext); ArithmeticException when it does not terminate.
 */
export function exactQuotient(n, d, preferred) {
  if (d === 0n) throw new CljError('ArithmeticException', n === 0n ? 'Division undefined' : 'Division by zero');
  const g = gcd(n, d) || 1n;
  let p = n / g, q = d / g;
  if (q < 0n) { p = -p; q = -q; }
  let twos = 0, fives = 0;
  while (q % 2n === 0n) { q /= 2n; twos++; }
  while (q % 5n === 0n) { q /= 5n; fives++; }
  if (q !== 1n) throw new CljError('ArithmeticException', 'Non-terminating decimal expansion; no exact representable decimal result.');
  const k = Math.max(twos, fives);
  // p / (2^twos 5^fives) = p * 2^(k - twos) * 5^(k - fives) / 10^k
  let unscaled = p * 2n ** BigInt(k - twos) * 5n ** BigInt(k - fives);
  let scale = k;
  if (scale < preferred) { unscaled *= pow10(preferred - scale); scale = preferred; }
  return stripZerosDownTo(new BigDec(unscaled, scale), preferred);
}

/** Drops trailing zeros while the scale stays at least `floor`. */
function stripZerosDownTo(d, floor) {
  let { unscaled, scale } = d;
  while (scale > floor && unscaled % 10n === 0n && unscaled !== 0n) { unscaled /= 10n; scale--; }
  return new BigDec(unscaled, scale);
}

export function divDecimals(a, b) {
  // (a.u / 10^a.s) / (b.u / 10^b.s) = (a.u * 10^(b.s - a.s)) / b.u
  const shift = b.scale - a.scale;
  const n = shift >= 0 ? a.unscaled * pow10(shift) : a.unscaled;
  const d = shift >= 0 ? b.unscaled : b.unscaled * pow10(-shift);
  if (b.unscaled === 0n) throw new CljError('ArithmeticException', a.unscaled === 0n ? 'Division undefined' : 'Division by zero');
  return exactQuotient(n, d, a.scale - b.scale);
}

/** The integral part of `a / b`, at the scale Java's divideToIntegralValue prefers. */
export function quotDecimals(a, b) {
  if (b.unscaled === 0n) throw new CljError('ArithmeticException', 'Division by zero');
  const scale = Math.max(a.scale, b.scale);
  const q = rescaled(a, scale) / rescaled(b, scale); // truncates toward zero
  const preferred = a.scale - b.scale;
  return preferred >= 0 ? new BigDec(q * pow10(preferred), preferred) : stripZerosDownTo(new BigDec(q, 0), preferred);
}

/** `a - b * (quot a b)`: the remainder with the dividend's sign. */
export const remDecimals = (a, b) => subDecimals(a, mulDecimals(b, quotDecimals(a, b)));

export const decimalSignum = (d) => (d.unscaled > 0n ? 1 : d.unscaled < 0n ? -1 : 0);
export const decimalToDouble = (d) => Number(`${d.unscaled}e${-d.scale}`);
/** The integral part, truncated toward zero. */
export const decimalToBigInt = (d) => (d.scale >= 0 ? d.unscaled / pow10(d.scale) : d.unscaled * pow10(-d.scale));
/** [numerator, denominator] of the exact value. */
export const decimalParts = (d) => (d.scale >= 0 ? [d.unscaled, pow10(d.scale)] : [d.unscaled * pow10(-d.scale), 1n]);

/** Clojure's hasheq of a decimal: Java's hashCode of it without trailing zeros (0 for zero). */
export function hashDecimal(d) {
  if (d.unscaled === 0n) return 0;
  const s = stripZerosDownTo(d, -Infinity);
  return (Math.imul(31, javaBigIntegerHash(s.unscaled)) + s.scale) | 0;
}

/** Java's hashCode: 31 * the unscaled value's hash + the scale. */
export const javaDecimalHash = (d) => (Math.imul(31, javaBigIntegerHash(d.unscaled)) + d.scale) | 0;

/**
 * A decimal of Java's `BigDecimal(String)` syntax ("1.50", "-2", "1.5E-7", "1e3"), or null.
 */
export function parseDecimal(text) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(String(text));
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  const unscaled = BigInt(`${sign}${whole}${fraction}` === sign ? '0' : `${sign}${whole}${fraction}`);
  return new BigDec(unscaled, fraction.length - Number(exponent));
}

/** Java's BigDecimal.toString: plain unless the scale is negative or the exponent below -6. */
export function decimalToString(d) {
  const negative = d.unscaled < 0n;
  const digits = abs(d.unscaled).toString();
  const sign = negative ? '-' : '';
  if (d.scale === 0) return sign + digits;
  const adjusted = -d.scale + (digits.length - 1);
  if (d.scale > 0 && adjusted >= -6) {
    if (digits.length > d.scale) return `${sign}${digits.slice(0, digits.length - d.scale)}.${digits.slice(digits.length - d.scale)}`;
    return `${sign}0.${'0'.repeat(d.scale - digits.length)}${digits}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
}
