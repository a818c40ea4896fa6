// Printing: pr-str, print-str and str of any value.
//
// Values print themselves through IPrintWithWriter (`-pr-writer [x writer opts]`) onto a
// Writer (IWriter); the printer here handles nil, strings, numbers, booleans and fns itself,
// and host values (JS arrays and objects, other objects) that implement nothing. While a value
// prints, `settings` holds *print-length*, *print-level*, *print-meta* and readability; a
// Writer can have a quota, past which printing stops with a marker (a huge or infinite value
// at the REPL).

import { nu, CljError, errorMessage } from './errors.js';
import { defType, typeOf, fnClassName } from './types.js';
import { implement } from './protocol.js';
import { IWriter, PR_WRITER, FIRST, NEXT, REST, SEQ, META, TO_STR } from './core-protocols.js';
import { identityHash } from './hash.js';
import { printDouble, doubleToString, longToString } from './numbers.js';

/** Thrown by a Writer whose quota is used up; caught where printing started. */
const QUOTA_EXCEEDED = Symbol('print quota exceeded');

/** Where printing goes: text parts, with an optional quota of characters. */
export class Writer {
  constructor(quota = Infinity) {
    this.parts = [];
    this.size = 0;
    this.quota = quota;
  }
  write(s) {
    s = String(s);
    this.size += s.length;
    if (this.size > this.quota) {
      this.parts.push(s.slice(0, s.length - (this.size - this.quota)));
      throw QUOTA_EXCEEDED;
    }
    this.parts.push(s);
    return null;
  }
  // java.io.Writer's other methods, for code that writes to a StringWriter it was given
  append(s) { this.write(s); return this; }
  flush() { return null; }
  close() { return null; }
  toString() { return this.parts.join(''); }
}
// user -pr-writer code writes with (-write writer "...")
implement(defType('java.io.StringWriter', ['java.lang.Object'], { ctor: Writer }), IWriter, {
  '-write': (w, s) => w.write(s),
  '-flush': () => null,
});

/**
 * The print settings while a value prints (the *print-...* vars' values at the time):
 * `length`, `level` (null: no limit), `meta`, `readably`.
 */
export const settings = { length: null, level: null, meta: false, readably: true, namespaceMaps: false };

/** The limit a *print-length* / *print-level* value sets: a number, or null for none. */
export function printLimit(x) {
  if (typeof x === 'number') return x === x ? Math.trunc(x) : null;
  if (typeof x === 'bigint') return Number(x);
  if (x !== null && typeof x === 'object' && typeof x.v !== 'undefined') return Number(x.v);
  return null;
}

/** Characters printed by name (`\newline`): char -> name. */
export const CHAR_NAMES = { '\n': 'newline', '\t': 'tab', ' ': 'space', '\b': 'backspace', '\f': 'formfeed', '\r': 'return' };
const STRING_ESCAPES = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\b': '\\b' };

export function quoteString(s) {
  return '"' + s.replace(/["\\\n\t\r\f\b]/g, (c) => STRING_ESCAPES[c]) + '"';
}

/** How a character prints readably: \a, \newline, \space. */
export const readableChar = (c) => '\\' + (CHAR_NAMES[c] ?? c);

/** The hex identity of an object, as #object[... 0x1f ...] shows it. */
export const hex = (o) => identityHash(o).toString(16);

/** Prints `x` onto writer `w`. */
/**
 * A printer that takes the values it wants first (`print-method`'s methods, once code adds
 * one): true when it printed `x`.
 */
let printOverride = null;
export function setPrintOverride(override) { printOverride = override; }

export function printTo(x, w) {
  if (printOverride !== null && printOverride(x, w)) return;
  printOwn(x, w);
}

/** `x` as the runtime prints it (its own IPrintWithWriter), its parts through `printTo`. */
export function printOwn(x, w) {
  if (x === null || x === undefined) { w.write('nil'); return; }
  switch (typeof x) {
    case 'string': w.write(settings.readably ? quoteString(x) : x); return;
    case 'number': w.write(Number.isInteger(x) ? longToString(x) : printDouble(x)); return;
    case 'bigint': w.write(longToString(x)); return;
    case 'boolean': w.write(x ? 'true' : 'false'); return;
    case 'function':
      // a fn with a type of its own (a multimethod) prints as its type says
      if (Object.getPrototypeOf(x) === Function.prototype || x[PR_WRITER] === undefined) { printFn(x, w); return; }
  }
  if (settings.meta) printMeta(x, w);
  const f = x[PR_WRITER];
  if (f !== undefined) { f(x, w, null); return; }
  printHost(x, w);
}

function printFn(f, w) {
  const c = fnClassName(f);
  printTagged(c, f, `${c}@${hex(f)}`, w);
}

function printMeta(x, w) {
  const m = x[META];
  if (m === undefined) return;
  const meta = m(x);
  if (meta === null || (typeof meta.count === 'function' && meta.count() === 0)) return;
  w.write('^');
  printTo(meta, w);
  w.write(' ');
}

/** #object[Class 0x1f "rep"], rep printed as a string. */
export function printTagged(cls, o, rep, w) {
  w.write(`#object[${cls} 0x${hex(o)} `);
  printTo(rep, w);
  w.write(']');
}

/** A Throwable as Clojure prints it: #error {:cause ... :via [...] :trace []}. */
function printError(e, w) {
  const via = [];
  for (let c = e; c instanceof Error && via.length < 20; c = c.cause) via.push(c);
  const root = via[via.length - 1];
  w.write('#error {\n :cause ');
  printTo(errorMessage(root), w);
  if (root instanceof CljError && root.data !== null) { w.write('\n :data '); printTo(root.data, w); }
  w.write('\n :via\n [');
  via.forEach((x, i) => {
    if (i > 0) w.write('\n  ');
    w.write('{:type ' + typeOf(x).name + '\n   :message ');
    printTo(errorMessage(x), w);
    if (x instanceof CljError && x.data !== null) { w.write('\n   :data '); printTo(x.data, w); }
    w.write('}');
  });
  w.write(']\n :trace\n []}');
}

/** Throwable.toString: the class, then the message (and an ex-info's data). */
function errorString(e) {
  const cls = typeOf(e).name;
  const m = errorMessage(e);
  const base = m === null ? cls : `${cls}: ${m}`;
  return e instanceof CljError && e.data !== null ? `${base} ${prStr(e.data)}` : base;
}

function printHost(x, w) {
  if (x instanceof Error) { printError(x, w); return; }
  if (Array.isArray(x)) { printSeq('#js [', ']', x.length === 0 ? null : x[SEQ](x), w); return; }
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(x);
    printItems('#js {', '}', ', ', keys, (k) => { w.write(':' + k + ' '); printTo(nu(x[k]), w); }, w);
    return;
  }
  printTagged(typeOf(x).name, x, objectString(x), w);
}

/**
 * An object's text as Java's toString gives it: its own toString's, else Object's,
 * Class@hash (user.Box@1f), where JavaScript's default would say [object Object].
 */
function objectString(x) {
  let s;
  try { s = String(x); } catch { s = null; }
  return s === null || /^\[object \w+\]$/.test(s) ? `${typeOf(x).name}@${hex(x)}` : s;
}

/** The next of an ISeq without INext: (seq (rest s)). */
const nextOf = (s) => { const r = s[REST](s); return r === null ? null : r[SEQ](r); };

/**
 * Prints items between `open` and `close`, as Clojure's print-sequential: past *print-level*
 * the collection prints as "#", past *print-length* items as "...". `items` is a seq (walked
 * with ISeq) or a JS array.
 */
export function printItems(open, close, sep, items, printOne, w) {
  const level = settings.level;
  if (level !== null) {
    if (level <= 0) { w.write('#'); return; }
    settings.level = level - 1;
  }
  try {
    w.write(open);
    let n = settings.length;
    if (Array.isArray(items)) {
      for (let i = 0; i < items.length; i++) {
        if (n === 0) { w.write('...'); break; }
        if (n !== null) n--;
        if (i > 0) w.write(sep);
        printOne(items[i]);
      }
    } else {
      let s = items;
      while (s !== null) {
        if (n === 0) { w.write('...'); break; }
        if (n !== null) n--;
        printOne(s[FIRST](s));
        s = s[NEXT] !== undefined ? s[NEXT](s) : nextOf(s);
        if (s !== null) w.write(sep);
      }
    }
    w.write(close);
  } finally {
    settings.level = level;
  }
}

/** Prints the items of seq `s` (or null) separated by spaces. */
export function printSeq(open, close, s, w) {
  printItems(open, close, ' ', s, (x) => printTo(x, w), w);
}

/** Prints map entries given as a seq of entries, `{k v, k v}`. */
export function printMapEntries(open, s, key, val, w) {
  printItems(open, '}', ', ', s, (e) => {
    printTo(key(e), w);
    w.write(' ');
    printTo(val(e), w);
  }, w);
}

/**
 * Prints `x` with the given settings (readably: pr-str; else print-str) onto a fresh writer
 * with `quota` characters at most; `{text, truncated}`.
 */
export function printWith(x, readably, quota = Infinity) {
  const saved = settings.readably;
  settings.readably = readably;
  const w = new Writer(quota);
  try {
    printTo(x, w);
    return { text: w.toString(), truncated: false };
  } catch (e) {
    if (e === QUOTA_EXCEEDED) return { text: w.toString(), truncated: true };
    throw e;
  } finally {
    settings.readably = saved;
  }
}

/**
 * A form as code that reads it back needs it (a macro's expansion for the compiler, a form
 * for eval): readable, with its metadata, whatever the print settings of the code that made
 * it; `{text, truncated}` past `quota` characters.
 */
export function printForm(x, quota = Infinity) {
  const saved = { ...settings };
  Object.assign(settings, { length: null, level: null, meta: true, namespaceMaps: false });
  try {
    return printWith(x, true, quota);
  } finally {
    Object.assign(settings, saved);
  }
}

/** pr-str of one value: readable text, as Clojure prints it. */
export function prStr(x) { return printWith(x, true).text; }

/** print-str of one value: like prStr but strings and chars (also nested) unquoted. */
export function printStr(x) { return printWith(x, false).text; }

/** `str` of one value (Java toString semantics): "" for nil, strings as they are. */
export function toStr(x) {
  if (x === null || x === undefined) return '';
  switch (typeof x) {
    case 'string': return x;
    case 'number': return Number.isInteger(x) ? longToString(x) : doubleToString(x);
    case 'bigint': return longToString(x);
    case 'boolean': return x ? 'true' : 'false';
    case 'function': return `${fnClassName(x)}@${hex(x)}`;
  }
  const own = x[TO_STR];
  if (own !== undefined) return own(x);
  if (x instanceof Error) return errorString(x);
  if (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype) return prStr(x);
  return objectString(x);
}
