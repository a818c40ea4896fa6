// clojure.core: arithmetic, comparison, number predicates and conversions, bit operations.

import { CljError, illegalArgument, numberFormat } from '../errors.js';
import { castError, className } from '../types.js';
import {
  add, sub, mul, div, quot, rem, mod, lt, gt, lte, gte, numEquiv, inc, dec, negate, isZero, signum,
  isLong, isDouble, isNumber, isInteger, toDouble, toLong, toBig, dbl, longOfBig, longOfNumber,
  wrapLong, Ratio, BigNum, Dbl, BigDec, MAX_LONG, MIN_LONG, toDecimal, doubleToString,
} from '../numbers.js';
import { parseDecimal } from '../decimals.js';
import { equiv, hasheq } from '../equality.js';
import { toStr } from '../print.js';
import { Char, charOfCode } from '../scalars.js';
import { seq, first, next } from '../seqs.js';
import { PVector } from '../vector.js';
import { REDUCE_LOOPS } from '../step-loops.js';
import { core, coreLib } from './lib.js';
import { reduceFrom } from './reduce.js';

/** One argument of a numeric fn: it must be a number (Clojure casts it). */
const one = (x) => {
  if (!isNumber(x)) {
    if (x === null) throw castError(x, 'java.lang.Number');
    throw new CljError('ClassCastException', `Cannot cast ${className(x)} to java.lang.Number`);
  }
  return x;
};

/**
 * The variadic arity of a numeric op: `op` over the arguments left to right (a loop, not
 * Array.prototype.reduce: `(apply + v)` of a big vector runs it over every element).
 */
function fold(op) {
  return (xs) => {
    let acc = xs[0];
    for (let i = 1; i < xs.length; i++) acc = op(acc, xs[i]);
    return acc;
  };
}

/**
 * `(apply op coll)` of a numeric fn whose variadic arity folds `op`: `coll` walked as reduce
 * walks it (a vector by its chunks), with no array of its elements; `none` is the fn of no
 * arguments, `single` of one.
 */
function applyFold(op, none, single, loops) {
  return (coll) => {
    if (coll instanceof PVector && coll.cnt > 1) return foldVector(op, coll, loops);
    const s = seq(coll);
    if (s === null) return none();
    const more = next(s);
    if (more === null) return single(first(s));
    return reduceFrom(op, op(first(s), first(more)), next(more));
  };
}

/**
 * `op` over a vector of two or more elements, by its leaves (the vector's own reduceFrom):
 * through `loops`, the op's own, when it has them (`op` never returns a Reduced).
 */
const foldVector = (op, v, loops) => v.reduceFrom(op, v.nth(0), 1, loops);

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/**
 * `+`'s own reduce loops (step-loops.js): longs added in the loop while the sum stays a safe
 * integer (so JS's + is exact and no overflow check is needed), with no call per element;
 * from the first value that is not such a long (a double, a ratio, a bigint, a sum past
 * 2^53, a non-number) on, the rest goes through `add`, which promotes, boxes or throws.
 */
const ADD_LOOPS = {
  range(acc, v, step, n) {
    if (typeof acc !== 'number' || !Number.isInteger(acc)) return addRange(acc, v, step, n);
    // (the sum in a variable of its own, and the general rest in another fn: V8 then keeps
    // it an unboxed double here, not a heap number per element)
    let sum = acc, i = 0;
    for (; i < n; i++, v += step) {
      const r = sum + v;
      if (r > MAX_SAFE || r < -MAX_SAFE) break;
      sum = r;
    }
    return i === n ? sum : addRange(sum, v, step, n - i);
  },
  array(acc, arr, from, to) {
    if (typeof acc !== 'number' || !Number.isInteger(acc)) return addArray(acc, arr, from, to);
    let sum = acc, i = from;
    for (; i < to; i++) {
      const x = arr[i];
      if (typeof x !== 'number' || !Number.isInteger(x)) break;
      const r = sum + x;
      if (r > MAX_SAFE || r < -MAX_SAFE) break;
      sum = r;
    }
    return i === to ? sum : addArray(sum, arr, i, to);
  },
};
function addRange(acc, v, step, n) {
  for (let i = 0; i < n; i++, v += step) acc = add(acc, v);
  return acc;
}
function addArray(acc, arr, from, to) {
  for (let i = from; i < to; i++) acc = add(acc, arr[i]);
  return acc;
}

core('+', { 0: () => 0, 1: one, 2: add, va: fold(add), applyColl: applyFold(add, () => 0, one, ADD_LOOPS) });
coreLib['+'][REDUCE_LOOPS] = ADD_LOOPS;
core('*', { 0: () => 1, 1: one, 2: mul, va: fold(mul), applyColl: applyFold(mul, () => 1, one) });
core('-', { 1: negate, 2: sub, va: fold(sub), vmin: 1 });
core('/', { 1: (x) => div(1, x), 2: div, va: fold(div), vmin: 1 });
core('quot', { 2: quot });
core('rem', { 2: rem });
core('mod', { 2: mod });
core('inc', { 1: inc });
core('dec', { 1: dec });

// The auto-promoting forms: BigInt results where a long would overflow.
const promoting = (op) => (a, b) => {
  try {
    return op(a, b);
  } catch (e) {
    if (!(e instanceof CljError) || e.cls !== 'ArithmeticException' || !isLong(a) || !isLong(b)) throw e;
    return op(new BigNum(toBig(a)), b);
  }
};
const addP = promoting(add), subP = promoting(sub), mulP = promoting(mul);
core("+'", { 0: () => 0, 1: one, 2: addP, va: fold(addP) });
core("*'", { 0: () => 1, 1: one, 2: mulP, va: fold(mulP) });
core("-'", { 1: (x) => subP(0, x), 2: subP, va: fold(subP), vmin: 1 });
core("inc'", { 1: (x) => addP(x, 1) });
core("dec'", { 1: (x) => subP(x, 1) });

// unchecked-*: 64-bit wrap-around on longs.
const unchecked = (op) => (a, b) => {
  if (isLong(a) && (b === undefined || isLong(b))) return wrapLong(op(toBig(a), b === undefined ? 0n : toBig(b)));
  throw castError(isLong(a) ? b : a, 'java.lang.Long');
};
const uAdd = unchecked((a, b) => a + b), uSub = unchecked((a, b) => a - b), uMul = unchecked((a, b) => a * b);
for (const [name, f] of [['unchecked-add', uAdd], ['unchecked-add-int', uAdd], ['unchecked-subtract', uSub],
  ['unchecked-subtract-int', uSub], ['unchecked-multiply', uMul], ['unchecked-multiply-int', uMul]]) {
  core(name, { 2: f });
}
core('unchecked-inc', { 1: (x) => uAdd(x, 1) });
core('unchecked-inc-int', { 1: (x) => uAdd(x, 1) });
core('unchecked-dec', { 1: (x) => uSub(x, 1) });
core('unchecked-dec-int', { 1: (x) => uSub(x, 1) });
core('unchecked-negate', { 1: (x) => uSub(0, x) });
core('unchecked-negate-int', { 1: (x) => uSub(0, x) });
core('unchecked-divide-int', { 2: (a, b) => quot(a, b) });
core('unchecked-remainder-int', { 2: (a, b) => rem(a, b) });
core('unchecked-long', { 1: (x) => (isLong(x) ? x : longOfNumber(Math.trunc(toDouble(x)))) });
core('unchecked-int', { 1: (x) => longOfBig(BigInt.asIntN(32, isLong(x) ? toBig(x) : BigInt(Math.trunc(toDouble(x))))) });
core('unchecked-short', { 1: (x) => longOfBig(BigInt.asIntN(16, toBig(isLong(x) ? x : Math.trunc(toDouble(x))))) });
core('unchecked-byte', { 1: (x) => longOfBig(BigInt.asIntN(8, toBig(isLong(x) ? x : Math.trunc(toDouble(x))))) });
core('unchecked-char', { 1: (x) => (x instanceof Char ? x : charOfCode(Number(BigInt.asUintN(16, toBig(x))))) });
core('unchecked-double', { 1: (x) => dbl(toDouble(x)) });
core('unchecked-float', { 1: (x) => dbl(toDouble(x)) });

const maxOf = (x, y) => {
  if (isDouble(x) && toDouble(x) !== toDouble(x)) { one(y); return x; }
  if (isDouble(y) && toDouble(y) !== toDouble(y)) { one(x); return y; }
  return gt(x, y) ? x : y;
};
const minOf = (x, y) => {
  if (isDouble(x) && toDouble(x) !== toDouble(x)) { one(y); return x; }
  if (isDouble(y) && toDouble(y) !== toDouble(y)) { one(x); return y; }
  return lt(x, y) ? x : y;
};
core('max', { 1: (x) => x, 2: maxOf, va: fold(maxOf), vmin: 1 });
core('min', { 1: (x) => x, 2: minOf, va: fold(minOf), vmin: 1 });
core('abs', {
  1: (x) => {
    if (typeof x === 'number') return Number.isInteger(x) ? Math.abs(x) : Math.abs(x);
    if (typeof x === 'bigint') return x < 0n && x !== MIN_LONG ? longOfBig(-x) : x;
    if (x instanceof Dbl) return new Dbl(Math.abs(x.v));
    return signum(x) < 0 ? negate(x) : x;
  },
});

const chain = (name, test) => core(name, {
  1: (x) => { one(x); return true; },
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
core('identical?', { 2: (a, b) => a === b });
core('hash', { 1: hasheq });

/** `zero?`, `pos?` and `neg?` (patch.js imports them for compiled code too). */
export const zeroP = (x) => isZero(x);
export const posP = (x) => signum(x) > 0;
export const negP = (x) => signum(x) < 0;
core('zero?', { 1: zeroP });
core('pos?', { 1: posP });
core('neg?', { 1: negP });
/** An integer argument as a bigint, or Clojure's error. */
const integerArg = (x) => {
  if (isLong(x)) return x;
  if (x instanceof BigNum) return x.v;
  throw illegalArgument(`Argument must be an integer: ${toStr(x)}`);
};
/** `even?` and `odd?` (patch.js imports them for compiled code too). */
export const evenP = (x) => { const v = integerArg(x); return typeof v === 'number' ? v % 2 === 0 : (BigInt(v) & 1n) === 0n; };
export const oddP = (x) => !evenP(x);
core('even?', { 1: evenP });
core('odd?', { 1: oddP });

core('number?', { 1: isNumber });
core('integer?', { 1: isInteger });
core('int?', { 1: isLong });
core('pos-int?', { 1: (x) => isLong(x) && x > 0 });
core('neg-int?', { 1: (x) => isLong(x) && x < 0 });
core('nat-int?', { 1: (x) => isLong(x) && x >= 0 });
core('float?', { 1: isDouble });
core('double?', { 1: isDouble });
core('ratio?', { 1: (x) => x instanceof Ratio });
core('rational?', { 1: (x) => isInteger(x) || x instanceof Ratio || x instanceof BigDec });
core('decimal?', { 1: (x) => x instanceof BigDec });

/**
 * `bigdec`: a double by its shortest decimal text (BigDecimal.valueOf), a ratio exactly (or
 * an ArithmeticException when its expansion does not end), an integer at scale 0, a string
 * in Java's BigDecimal syntax.
 */
core('bigdec', {
  1: (x) => {
    if (x instanceof BigDec) return x;
    if (isDouble(x)) {
      const d = toDouble(x);
      if (!Number.isFinite(d)) throw numberFormat(`Character ${d > 0 ? 'I' : d < 0 ? '-' : 'N'} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
      return parseDecimal(doubleToString(d));
    }
    if (isNumber(x)) return toDecimal(x);
    if (typeof x === 'string') {
      const d = parseDecimal(x);
      if (d === null) throw numberFormat(`Character array is missing "exponent" mark 'e' or 'E'.`);
      return d;
    }
    throw castError(x, 'java.lang.Number');
  },
});
core('NaN?', { 1: (x) => { const v = toDouble(one(x)); return v !== v; } });
core('infinite?', { 1: (x) => { const v = toDouble(one(x)); return v === Infinity || v === -Infinity; } });
// Clojure returns a java.math.BigInteger (printed without N): a long when it fits here
const bigInteger = (v) => (v <= MAX_LONG && v >= MIN_LONG ? longOfBig(v) : new BigNum(v));
core('numerator', { 1: (x) => { if (!(x instanceof Ratio)) throw castError(x, 'clojure.lang.Ratio'); return bigInteger(x.num); } });
core('denominator', { 1: (x) => { if (!(x instanceof Ratio)) throw castError(x, 'clojure.lang.Ratio'); return bigInteger(x.den); } });

const charCode = (x) => (x instanceof Char ? x.c.charCodeAt(0) : null);
/** Clojure's `long` of a value (a char gives its code; out of range or not a number throws). */
export const longOf = (x) => toLong(x, 'long', MIN_LONG, MAX_LONG, charCode);
core('long', { 1: longOf });
core('int', { 1: (x) => toLong(x, 'int', -2147483648n, 2147483647n, charCode) });
core('short', { 1: (x) => toLong(x, 'short', -32768n, 32767n, charCode) });
core('byte', { 1: (x) => toLong(x, 'byte', -128n, 127n, charCode) });
core('double', { 1: (x) => dbl(toDouble(x)) });
core('float', { 1: (x) => dbl(toDouble(x)) });
core('num', { 1: one });
core('bigint', {
  1: (x) => {
    if (isLong(x)) return new BigNum(toBig(x));
    if (isDouble(x)) {
      const v = toDouble(x);
      if (!Number.isFinite(v)) throw numberFormat(`Character ${v !== v ? 'N' : 'I'} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
      return new BigNum(BigInt(Math.trunc(v)));
    }
    if (x instanceof BigNum) return x;
    if (x instanceof Ratio) return new BigNum(x.num / x.den);
    throw castError(x, 'java.lang.Number');
  },
});
core('biginteger', { 1: (x) => bigInteger(toBig(coreBigint(x))) });
const coreBigint = (x) => (isInteger(x) ? x : x instanceof Ratio ? new BigNum(x.num / x.den) : new BigNum(BigInt(Math.trunc(toDouble(x)))));
core('char', {
  1: (x) => {
    if (x instanceof Char) return x;
    return charOfCode(Number(toLong(x)));
  },
});
core('rand', { 0: () => Math.random(), 1: (n) => dbl(toDouble(n) * Math.random()) });
core('rand-int', { 1: (n) => longOfNumber(Math.trunc(toDouble(n) * Math.random())) });

// --- bit operations on longs --------------------------------------------------------------

const bitArg = (x) => {
  if (isLong(x)) return x;
  if (x === null) throw castError(x, 'java.lang.Number');
  throw illegalArgument(`bit operation not supported for: class ${className(x)}`);
};
const small = (x) => typeof x === 'number' && x >= -2147483648 && x <= 2147483647;
const bitOp = (jsOp, bigOp) => (a, b) => {
  a = bitArg(a); b = bitArg(b);
  if (small(a) && small(b)) return jsOp(a, b);
  return wrapLong(bigOp(toBig(a), toBig(b)));
};
const bitAnd = bitOp((a, b) => a & b, (a, b) => a & b);
const bitOr = bitOp((a, b) => a | b, (a, b) => a | b);
const bitXor = bitOp((a, b) => a ^ b, (a, b) => a ^ b);
const bitAndNot = bitOp((a, b) => a & ~b, (a, b) => a & ~b);
const variadicBits = (f) => ({ 2: f, va: fold(f), vmin: 2 });
core('bit-and', variadicBits(bitAnd));
core('bit-or', variadicBits(bitOr));
core('bit-xor', variadicBits(bitXor));
core('bit-and-not', variadicBits(bitAndNot));
core('bit-not', { 1: (x) => { x = bitArg(x); return small(x) ? ~x : wrapLong(~toBig(x)); } });
const shift = (n) => Number(BigInt.asUintN(6, toBig(bitArg(n))));
core('bit-shift-left', { 2: (x, n) => wrapLong(toBig(bitArg(x)) << BigInt(shift(n))) });
core('bit-shift-right', { 2: (x, n) => wrapLong(toBig(bitArg(x)) >> BigInt(shift(n))) });
core('unsigned-bit-shift-right', { 2: (x, n) => wrapLong(BigInt.asUintN(64, toBig(bitArg(x))) >> BigInt(shift(n))) });
const bit = (n) => 1n << BigInt(shift(n));
core('bit-set', { 2: (x, n) => wrapLong(toBig(bitArg(x)) | bit(n)) });
core('bit-clear', { 2: (x, n) => wrapLong(toBig(bitArg(x)) & ~bit(n)) });
core('bit-flip', { 2: (x, n) => wrapLong(toBig(bitArg(x)) ^ bit(n)) });
core('bit-test', { 2: (x, n) => (toBig(bitArg(x)) & bit(n)) !== 0n });

// --- parsing ----------------------------------------------------------------------------

const parseArg = (s) => { if (typeof s !== 'string') throw illegalArgument(`Expected string, got ${className(s)}`); return s; };
core('parse-long', {
  1: (s) => {
    if (!/^[+-]?\d+$/.test(parseArg(s))) return null;
    const v = BigInt(s);
    return v > MAX_LONG || v < MIN_LONG ? null : longOfBig(v);
  },
});
/** Java's Double.parseDouble of `text` (hex syntax aside), or null where it would throw. */
export function parseJavaDouble(text) {
  const t = text.trim();
  if (!/^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?)$/.test(t)) return null;
  return dbl(Number(t.replace(/[dDfF]$/, '')));
}
core('parse-double', { 1: (s) => parseJavaDouble(parseArg(s)) });
core('parse-boolean', { 1: (s) => { parseArg(s); return s === 'true' ? true : s === 'false' ? false : null; } });

