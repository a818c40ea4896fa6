// The number directives of clojure.pprint/cl-format (core/cl-format.js): ~D ~B ~O ~X and
// ~nR (integers in a base, with commas), ~R (English words), ~@R (Roman numerals), ~F ~E ~$
// (floating point). Each takes the argument and the directive's parameters and returns the
// text. The floating point ones work on the digits of the value's Java toString as Clojure's
// cl_format.clj does, so their rounding and their odd corners come out as Clojure's do.

import { CljError, nullPointer, numberFormat } from '../errors.js';
import { castError } from '../types.js';
import { Char } from '../scalars.js';
import { BigDec, BigNum, Dbl, Ratio, isDouble, isLong, isNumber, negate, signum, toDecimal, toDouble, doubleToString } from '../numbers.js';
import { decimalToBigInt, decimalToString } from '../decimals.js';
import { printStr, toStr } from '../print.js';

/** A parameter's text: a char parameter is its char; one taken from the args prints as str. */
export const paramText = (x) => (x instanceof Char ? x.c : toStr(x));

export const repeatText = (x, n) => (n > 0 ? paramText(x).repeat(n) : '');

/** `(neg? x)`, with Clojure's error for a non-number. */
export function isNeg(x) {
  if (x === null || x === undefined) throw castError(x, 'java.lang.Number');
  return signum(x) < 0;
}

// ---------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------

/** Clojure's `integral?` (a BigDecimal always counts: Clojure's test looks at 0M, not at x). */
function isIntegral(x) {
  if (isLong(x) || x instanceof BigNum || x instanceof BigDec) return true;
  if (isDouble(x)) { const v = toDouble(x); return v === Math.floor(v); }
  return false;
}

/** The whole part of a number as a bigint, toward zero (the digits Clojure's rem/quot yield). */
function wholePart(x) {
  if (typeof x === 'number' || x instanceof Dbl) {
    const v = toDouble(x);
    if (!Number.isFinite(v)) { // Clojure's rem turns it into a BigDecimal, which refuses it
      throw numberFormat(`Character ${Number.isNaN(v) ? 'N' : 'I'} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
    }
    return BigInt(Math.trunc(v));
  }
  if (typeof x === 'bigint') return x;
  if (x instanceof BigNum) return x.v;
  if (x instanceof BigDec) return decimalToBigInt(x);
  if (x instanceof Ratio) return x.num / x.den;
  throw castError(x, 'java.lang.Number');
}

/** Digits of a non-negative bigint in `base`, lower-case letters past 9 (Clojure's base-str). */
function baseDigits(n, base) {
  if (!Number.isInteger(base) || base < 2) throw new CljError('IllegalArgumentException', `cl-format: radix ${toStr(base)} is not supported`);
  if (base <= 36) return n.toString(base);
  const b = BigInt(base);
  let out = '';
  for (; n > 0n; n /= b) {
    const d = Number(n % b);
    out = String.fromCharCode(d < 10 ? 48 + d : 87 + d) + out;
  }
  return out || '0';
}

/** Digits grouped from the right, `interval` at a time, joined by `commachar`. */
function groupDigits(digits, interval, commachar) {
  if (!(interval > 0)) return ''; // Clojure's grouping takes nothing then
  const groups = [];
  for (let end = digits.length; end > 0; end -= interval) groups.unshift(digits.slice(Math.max(0, end - interval), end));
  return groups.join(paramText(commachar));
}

/**
 * ~D ~B ~O ~X ~nR: `p` has mincol, padchar, commachar, commainterval, colon (commas), at
 * (a plus sign). Null when x is not integral (the caller prints it as ~A would).
 */
export function integerText(x, base, p) {
  if (x === null || x === undefined || !isIntegral(x)) return null;
  const neg = isNeg(x);
  const digits = baseDigits(wholePart(neg ? negate(x) : x), base);
  const grouped = p.colon ? groupDigits(digits, p.commainterval, p.commachar) : digits;
  const signed = neg ? '-' + grouped : p.at ? '+' + grouped : grouped;
  return repeatText(p.padchar, p.mincol - signed.length) + signed;
}

const COMMAS = { mincol: 0, padchar: ' ', commachar: ',', commainterval: 3, colon: true, at: false };

/** ~:D with Clojure's defaults: where ~R and ~@R send what they cannot spell. */
export const commaInteger = (x) => integerText(x, 10, COMMAS) ?? printStr(x);

// ---------------------------------------------------------------------------------------
// English words (~R, ~:R) and Roman numerals (~@R, ~:@R)
// ---------------------------------------------------------------------------------------

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const ORDINAL_UNITS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth',
  'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth',
  'seventeenth', 'eighteenth', 'nineteenth'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_TENS = ['', '', 'twentieth', 'thirtieth', 'fortieth', 'fiftieth', 'sixtieth', 'seventieth',
  'eightieth', 'ninetieth'];
// the short scale, as far as Clojure names it; past it the number is printed with digits
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion',
  'sextillion', 'septillion', 'octillion', 'nonillion', 'decillion', 'undecillion', 'duodecillion',
  'tredecillion', 'quattuordecillion', 'quindecillion', 'sexdecillion', 'septendecillion',
  'octodecillion', 'novemdecillion', 'vigintillion'];

/** The base-`base` digits of a non-negative bigint, most significant first (as numbers). */
function remainders(n, base) {
  const b = BigInt(base);
  const out = [];
  for (; n > 0n; n /= b) out.unshift(Number(n % b));
  return out;
}

/**
 * Below 1000 in words; `ordinal` words the last part ("forty-second", "one hundredth").
 * `fraction`: the part had a fraction (a double's last part), which Clojure's positive
 * tests count, so 20.5 is "twenty-zero" there.
 */
function hundredsText(n, ordinal, fraction = false) {
  const hundreds = Math.floor(n / 100), tens = n % 100;
  const head = hundreds > 0 ? `${UNITS[hundreds]} hundred` : '';
  if (tens === 0 && !fraction) return head + (ordinal && hundreds > 0 ? 'th' : '');
  const sep = hundreds > 0 ? ' ' : '';
  if (tens < 20) return head + sep + (ordinal ? ORDINAL_UNITS : UNITS)[tens];
  const ten = Math.floor(tens / 10), unit = tens % 10;
  if (unit === 0 && !fraction) return head + sep + (ordinal ? ORDINAL_TENS : TENS)[ten];
  return `${head}${sep}${TENS[ten]}-${(ordinal ? ORDINAL_UNITS : UNITS)[unit]}`;
}

/** Worded parts of thousands joined with their scales: ["one" "" "five"] -> "one million, five". */
function withScales(parts, offset) {
  const words = [];
  parts.forEach((part, i) => {
    const scale = parts.length - 1 - i + offset;
    if (part !== '') words.push(scale > 0 ? `${part} ${SCALES[scale]}` : part);
  });
  return words.join(', ');
}

function hasFraction(x) {
  if (x instanceof Ratio) return true;
  if (x instanceof BigDec) return x.scale > 0 && x.unscaled % 10n ** BigInt(x.scale) !== 0n;
  if (isDouble(x)) { const v = toDouble(x); return v !== Math.trunc(v); }
  return false;
}

/**
 * x's magnitude in thousands, most significant first, as Clojure's rem and quot split it:
 * {neg, parts, fraction (kept in the last part)}; no parts for a zero that is not a long.
 */
function thousands(x) {
  const neg = isNeg(x);
  const fraction = hasFraction(x);
  const parts = remainders(wholePart(neg ? negate(x) : x), 1000);
  if (fraction && parts.length === 0) parts.push(0);
  return { neg, parts, fraction };
}

const isExactZero = (x) => (isLong(x) || x instanceof BigNum) && signum(x) === 0;

/** ~R with no base: "forty-two", "minus one thousand, one"; past the scales, ~:D. */
export function cardinalText(x) {
  if (isExactZero(x)) return 'zero';
  const { neg, parts, fraction } = thousands(x);
  if (parts.length > SCALES.length) return commaInteger(x);
  const words = parts.map((p, i) => hundredsText(p, false, fraction && i === parts.length - 1));
  return (neg ? 'minus ' : '') + withScales(words, 0);
}

/** ~:R: "forty-second", "one thousandth"; past the scales, ~:D and a suffix. */
export function ordinalText(x) {
  if (isExactZero(x)) return 'zeroth';
  const { neg, parts, fraction } = thousands(x);
  if (parts.length === 0) throw nullPointer('Cannot invoke "Object.getClass()" because "x" is null'); // 0.0: Clojure fails
  if (parts.length > SCALES.length) return commaInteger(x) + ordinalSuffix(wholePart(x));
  const head = withScales(parts.slice(0, -1).map((p) => hundredsText(p, false)), 1);
  const tail = hundredsText(parts[parts.length - 1], true, fraction);
  const words = head !== '' && tail !== '' ? `${head}, ${tail}` : head !== '' ? head + 'th' : tail;
  return (neg ? 'minus ' : '') + words;
}

/** The suffix Clojure puts after digits; its teens test always passes, so 11 gets "st". */
function ordinalSuffix(n) {
  const low = Number(n % 100n), digit = low % 10;
  const notTeens = low > 11 || low < 19;
  if (digit === 1 && notTeens) return 'st';
  if (digit === 2 && notTeens) return 'nd';
  if (digit === 3 && notTeens) return 'rd';
  return 'th';
}

const NEW_ROMAN = [['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'],
  ['X', 'XX', 'XXX', 'XL', 'L', 'LX', 'LXX', 'LXXX', 'XC'],
  ['C', 'CC', 'CCC', 'CD', 'D', 'DC', 'DCC', 'DCCC', 'CM'], ['M', 'MM', 'MMM']];
const OLD_ROMAN = [['I', 'II', 'III', 'IIII', 'V', 'VI', 'VII', 'VIII', 'VIIII'],
  ['X', 'XX', 'XXX', 'XXXX', 'L', 'LX', 'LXX', 'LXXX', 'LXXXX'],
  ['C', 'CC', 'CCC', 'CCCC', 'D', 'DC', 'DCC', 'DCCC', 'DCCCC'], ['M', 'MM', 'MMM']];

/** ~@R (`old`: ~:@R, IIII for 4): 1 to 3999; anything else as ~:D (or as ~A, not a number). */
export function romanText(x, old) {
  if (!isNumber(x) || !(toDouble(x) > 0 && toDouble(x) < 4000)) return commaInteger(x);
  const table = old ? OLD_ROMAN : NEW_ROMAN;
  const digits = remainders(wholePart(x), 10);
  // Clojure's digits of 10.5 are 1 and 0.5, and a digit of 0.5 is not 0: it writes an I
  if (hasFraction(x) && (digits.length === 0 || digits[digits.length - 1] === 0)) digits.splice(digits.length ? -1 : 0, 1, 1);
  return digits.map((d, i) => (d === 0 ? '' : table[digits.length - 1 - i][d - 1])).join('');
}

// ---------------------------------------------------------------------------------------
// Floating point: ~F ~E ~$
// ---------------------------------------------------------------------------------------

/** Java's toString of a number: what Clojure takes the digits from. */
function javaText(x) {
  if (isDouble(x)) return doubleToString(toDouble(x));
  if (x instanceof BigDec) return decimalToString(x);
  if (x instanceof BigNum) return x.v.toString();
  return String(x);
}

/** A ratio as a double, or a BigDecimal when the double would be 0 or infinite. */
function convertRatio(x) {
  if (!(x instanceof Ratio)) return x;
  const d = toDouble(x);
  return d === 0 || !Number.isFinite(d) ? toDecimal(x) : new Dbl(d);
}

const rtrim = (s, c) => { let n = s.length; while (n > 0 && s[n - 1] === c) n--; return s.slice(0, n); };
const ltrim = (s, c) => { let n = 0; while (n < s.length && s[n] === c) n++; return s.slice(n); };

/** The significant digits of x's text and the exponent of the first: 12.5 -> ["125", 1]. */
function floatParts(x) {
  const s = javaText(x).toLowerCase();
  const ex = s.indexOf('e'), dot = s.indexOf('.');
  let m, e;
  if (ex < 0) [m, e] = dot < 0 ? [s, String(s.length - 1)] : [s.slice(0, dot) + s.slice(dot + 1), String(dot - 1)];
  else [m, e] = dot < 0 ? [s.slice(0, ex), s.slice(ex + 1)] : [s.slice(0, 1) + s.slice(2, ex), s.slice(ex + 1)];
  const m1 = rtrim(m, '0'), m2 = ltrim(m1, '0');
  if (m2 === '') return ['0', 0];
  return [m2, Number(e.startsWith('+') ? e.slice(1) : e) - (m1.length - m2.length)];
}

/** A string of digits plus one, one longer when it carries out ("99" -> "100"). */
function incDigits(s) {
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] !== '9') return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) + 1) + '0'.repeat(s.length - 1 - i);
  }
  return '1' + '0'.repeat(s.length);
}

/**
 * Rounds digits m (first at exponent e) to d places after the point, or to fit width w:
 * [digits, exponent, expanded (a carry added a digit)].
 */
function roundDigits(m, e, d, w) {
  if (d === null && w === null) return [m, e, false];
  if (w !== null) w = Math.max(2, w);
  let len = m.length;
  let pos = d !== null ? e + d + 1 : e >= 0 ? Math.max(e + 1, w - 1) : w + e;
  let m1 = m, e1 = e;
  if (pos === 0) { m1 = '0' + m; e1 = e + 1; pos = 1; len += 1; }
  if (pos < 0) return ['0', 0, false];
  if (len <= pos) return [m, e, false];
  const kept = m1.slice(0, pos);
  if (m1[pos] < '5') return [kept, e1, false];
  const up = incDigits(kept);
  const expanded = up.length > kept.length;
  return [expanded ? up.slice(0, -1) : up, e1, expanded];
}

/** The digits written out with the point in place, zeros added up to d places. */
function fixedDigits(m, e, d) {
  const [m1, e1] = e < 0 ? ['0'.repeat(-e - 1) + m, -1] : [m, e];
  const target = d !== null ? e1 + d + 1 : e1 + 1;
  const full = m1.length < target ? m1 + '0'.repeat(target - m1.length) : m1;
  return e < 0 ? '.' + full : `${full.slice(0, e + 1)}.${full.slice(e + 1)}`;
}

/** ~F: `p` has w, d, k, overflowchar, padchar, at. */
export function fixedText(arg, p) {
  const neg = isNeg(arg);
  const [mantissa, exp] = floatParts(convertRatio(neg ? negate(arg) : arg));
  const addSign = p.at || neg;
  const signWidth = addSign ? 1 : 0;
  const scaled = exp + p.k;
  let appendZero = p.d === null && mantissa.length - 1 <= scaled;
  const [rounded, e, expanded] = roundDigits(mantissa, scaled, p.d, p.w !== null ? p.w - signWidth : null);
  let fixed = fixedDigits(rounded, expanded ? e + 1 : e, p.d);
  if (p.w !== null && p.d !== null && p.d >= 1 && fixed.startsWith('0.') && fixed.length > p.w - signWidth) {
    fixed = fixed.slice(1); // no room for the leading zero
  }
  let prependZero = fixed[0] === '.';
  const sign = addSign ? (neg ? '-' : '+') : '';
  if (p.w === null) return sign + (prependZero ? '0' : '') + fixed + (appendZero ? '0' : '');
  const signedLen = fixed.length + signWidth;
  prependZero = prependZero && signedLen < p.w;
  appendZero = appendZero && signedLen < p.w;
  const fullLen = prependZero || appendZero ? signedLen + 1 : signedLen;
  if (fullLen > p.w && p.overflowchar !== null) return repeatText(p.overflowchar, p.w);
  return repeatText(p.padchar, p.w - fullLen) + sign + (prependZero ? '0' : '') + fixed + (appendZero ? '0' : '');
}

/** `(dec d)` where Clojure does it on a missing parameter. */
function decParam(d) {
  if (d === null) throw nullPointer('Cannot invoke "Object.getClass()" because "x" is null');
  return d - 1;
}

/** The digits with the point after the first k (Clojure's subs fails past their end). */
function pointAfter(m, k) {
  if (k < 0) return '.' + m;
  if (k > m.length) throw new CljError('StringIndexOutOfBoundsException', `begin 0, end ${k}, length ${m.length}`);
  return `${m.slice(0, k)}.${m.slice(k)}`;
}

/** The exponent's text: "E+3", "E-004" (e digits at least). */
function exponentText(scaledExp, p) {
  const digits = String(Math.abs(scaledExp));
  const zeros = p.e !== null ? '0'.repeat(Math.max(0, p.e - digits.length)) : '';
  return (p.exponentchar !== null ? paramText(p.exponentchar) : 'E') + (scaledExp < 0 ? '-' : '+') + zeros + digits;
}

/** ~E: `p` has w, d, e, k, overflowchar, padchar, exponentchar, at. */
export function exponentialText(arg0, p) {
  const arg = convertRatio(arg0);
  const neg = isNeg(arg);
  let [mantissa, exp] = floatParts(neg ? negate(arg) : arg);
  const { w, d, e, k } = p;
  const addSign = p.at || neg;
  const sign = addSign ? (neg ? '-' : '+') : '';
  for (;;) {
    const expText = exponentText(exp - (k - 1), p);
    const expWidth = expText.length;
    const zeros = d !== null ? '0'.repeat(Math.max(0, d - (mantissa.length - 1) - (k < 0 ? -k : 0))) : '';
    const scaledMantissa = '0'.repeat(Math.max(0, -k)) + mantissa + zeros;
    const roundAt = k > 0 ? d : decParam(d);
    const wMantissa = w !== null ? w - expWidth - (addSign ? 1 : 0) : null;
    const [rounded, , carried] = roundDigits(scaledMantissa, 0, roundAt, wMantissa);
    if (carried) { mantissa = rounded; exp += 1; continue; }
    const full = pointAfter(rounded, k);
    let appendZero = k === rounded.length && d === null;
    let prependZero = k <= 0;
    if (w === null) return sign + (prependZero ? '0' : '') + full + (appendZero ? '0' : '') + expText;
    const signedLen = full.length + expWidth + (addSign ? 1 : 0);
    prependZero = prependZero && signedLen !== w;
    const fullLen = prependZero ? signedLen + 1 : signedLen;
    appendZero = appendZero && fullLen < w;
    if ((fullLen > w || (e !== null && expWidth - 2 > e)) && p.overflowchar !== null) return repeatText(p.overflowchar, w);
    return repeatText(p.padchar, w - fullLen - (appendZero ? 1 : 0)) + sign + (prependZero ? '0' : '')
      + full + (appendZero ? '0' : '') + expText;
  }
}

/** ~$: `p` has d (digits after the point), n (before it), w, padchar, at, colon (sign first). */
export function dollarText(arg, p) {
  const [mantissa, exp] = floatParts(new Dbl(Math.abs(toDouble(arg))));
  const neg = isNeg(arg);
  const addSign = p.at || neg;
  const [rounded, e, expanded] = roundDigits(mantissa, exp, p.d, null);
  const fixed = fixedDigits(rounded, expanded ? e + 1 : e, p.d);
  const full = '0'.repeat(Math.max(0, p.n - fixed.indexOf('.'))) + fixed;
  const sign = addSign ? (neg ? '-' : '+') : '';
  const pad = repeatText(p.padchar, p.w - full.length - (addSign ? 1 : 0));
  return p.colon ? sign + pad + full : pad + sign + full;
}
