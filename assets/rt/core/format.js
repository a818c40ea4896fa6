// clojure.core: `format` and `printf`, with java.util.Formatter's syntax, which is what
// Clojure's format is: %[index$][flags][width][.precision]conversion, conversions
// s S d o x X e E f g G c C b B % n, flags - + space 0 , ( #.

import { CljError } from '../errors.js';
import { className } from '../types.js';
import { Char } from '../scalars.js';
import { Dbl, isLong, toBig } from '../numbers.js';
import { toStr } from '../print.js';
import { writeOut } from '../output.js';
import { core } from './lib.js';

const SPEC = /%(\d+\$|<)?([-#+ 0,(]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;

const formatError = (cls, message) => new CljError(cls, message);

/** Java's String.valueOf: nil is "null"; everything else as `str` makes it. */
const javaString = (x) => (x === null || x === undefined ? 'null' : toStr(x));

function pad(text, width, flags) {
  if (width === null || text.length >= width) return text;
  const fill = ' '.repeat(width - text.length);
  return flags.includes('-') ? text + fill : fill + text;
}

/** Digits with the sign, grouping, zero padding and parentheses the flags ask for. */
function signed(digits, negative, width, flags) {
  let body = digits;
  if (flags.includes(',')) {
    const [whole, fraction] = body.split('.');
    body = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction === undefined ? '' : '.' + fraction);
  }
  let prefix = '';
  let suffix = '';
  if (negative) {
    if (flags.includes('(')) { prefix = '('; suffix = ')'; } else prefix = '-';
  } else if (flags.includes('+')) prefix = '+';
  else if (flags.includes(' ')) prefix = ' ';
  if (flags.includes('0') && width !== null) {
    const zeros = width - prefix.length - body.length - suffix.length;
    if (zeros > 0) body = '0'.repeat(zeros) + body;
  }
  return pad(prefix + body + suffix, width, flags);
}

function conversionError(conv, x) {
  return formatError('java.util.IllegalFormatConversionException', `${conv} != ${className(x)}`);
}

/** A long's value; Clojure's BigInt is not a Java integer type, so %d refuses it as Java does. */
function integral(conv, x) {
  if (isLong(x)) return toBig(x);
  throw conversionError(conv, x);
}

function floating(conv, x) {
  if (typeof x === 'number') {
    if (Number.isInteger(x)) throw conversionError(conv, x); // a long
    return x;
  }
  if (x instanceof Dbl) return x.v;
  throw conversionError(conv, x);
}

/** Java's %e mantissa and exponent: "1.234500e+01" (at least two exponent digits). */
function scientific(v, precision) {
  const [mantissa, exponent] = Math.abs(v).toExponential(precision).split('e');
  const e = Number(exponent);
  const digits = String(Math.abs(e)).padStart(2, '0');
  return `${mantissa}e${e < 0 ? '-' : '+'}${digits}`;
}

/** Java's %g: scientific when the rounded value is below 10^-4 or at least 10^precision. */
function general(v, precision) {
  const p = precision === 0 ? 1 : precision;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 10 ** p)) return scientific(v, p - 1);
  const whole = a === 0 ? 1 : Math.floor(Math.log10(a)) + 1;
  return a.toFixed(Math.max(p - whole, 0));
}

function nonFinite(v, width, flags) {
  const text = Number.isNaN(v) ? 'NaN' : v > 0 ? (flags.includes('+') ? '+Infinity' : 'Infinity') : (flags.includes('(') ? '(Infinity)' : '-Infinity');
  return pad(text, width, flags);
}

function convert(conv, x, flags, width, precision) {
  const upper = conv === conv.toUpperCase() && conv !== '%';
  let out;
  switch (conv.toLowerCase()) {
    case 's': {
      const text = javaString(x);
      out = pad(precision === null ? text : text.slice(0, precision), width, flags);
      break;
    }
    case 'b': out = pad(String(x !== null && x !== undefined && x !== false), width, flags); break;
    case 'c': {
      let c;
      if (x instanceof Char) c = x.c;
      else if (x === null) c = 'null';
      else throw conversionError(conv, x);
      out = pad(c, width, flags);
      break;
    }
    case 'd': {
      if (x === null) { out = pad('null', width, flags); break; }
      const n = integral(conv, x);
      out = signed((n < 0n ? -n : n).toString(), n < 0n, width, flags);
      break;
    }
    case 'o':
    case 'x': {
      if (x === null) { out = pad('null', width, flags); break; }
      let n = integral(conv, x);
      if (n < 0n) n = BigInt.asUintN(64, n);
      let digits = n.toString(conv.toLowerCase() === 'x' ? 16 : 8);
      if (flags.includes('#')) digits = (conv.toLowerCase() === 'x' ? '0x' : '0') + digits;
      out = signed(digits.replace('-', ''), n < 0n, width, flags);
      break;
    }
    case 'e':
    case 'f':
    case 'g': {
      if (x === null) { out = pad('null', width, flags); break; }
      const v = floating(conv, x);
      if (!Number.isFinite(v)) { out = nonFinite(v, width, flags); break; }
      const p = precision ?? 6;
      const kind = conv.toLowerCase();
      const digits = kind === 'f' ? Math.abs(v).toFixed(p) : kind === 'e' ? scientific(v, p) : general(v, p);
      out = signed(digits, v < 0 || Object.is(v, -0), width, flags);
      break;
    }
    default:
      throw formatError('java.util.UnknownFormatConversionException', `Conversion = '${conv}'`);
  }
  return upper ? out.toUpperCase() : out;
}

/** `(format fmt & args)`. */
export function format(fmt, args) {
  if (typeof fmt !== 'string') throw formatError('ClassCastException', `class ${className(fmt)} cannot be cast to class java.lang.String`);
  let next = 0;
  let last = -1;
  return fmt.replace(SPEC, (whole, index, flags, width, precision, conv) => {
    if (conv === '%') return pad('%', width === undefined ? null : Number(width), flags);
    if (conv === 'n') return '\n';
    let i;
    if (index === '<') i = last;
    else if (index !== undefined) i = Number(index.slice(0, -1)) - 1;
    else i = next++;
    if (i < 0 || i >= args.length) {
      throw formatError('java.util.MissingFormatArgumentException', `Format specifier '${whole}'`);
    }
    last = i;
    return convert(conv, args[i], flags, width === undefined ? null : Number(width),
      precision === undefined ? null : Number(precision.slice(1)));
  });
}

core('format', { va: (xs) => format(xs[0], xs.slice(1)), vmin: 1 });
core('printf', { va: (xs) => { writeOut(format(xs[0], xs.slice(1))); return null; }, vmin: 1 });
