// Reading data at run time: clojure.edn/read-string, and clojure.core's read-string for the
// same data syntax (plus 'quote and @deref). Code-only syntax (syntax-quote, #(), reader
// conditionals, metadata, regexes, #') is refused with a clear error: compiling code
// happens in the server, which the runtime cannot reach from here.

import { CljError } from '../errors.js';
import { castError } from '../types.js';
import { TextReader } from '../interrupts.js';
import { LocalVar } from '../refs.js';
import { BigNum, dbl, longOfBig, makeRatio, MAX_LONG, MIN_LONG } from '../numbers.js';
import { Sym, keyword, char } from '../scalars.js';
import { listOf } from '../seqs.js';
import { vectorOf } from '../vector.js';
import { EMPTY_MAP, mapOf } from '../hashmap.js';
import { EMPTY_SET } from '../set.js';
import { toStr, CHAR_NAMES } from '../print.js';
import { invoke1, invoke2 } from '../fns.js';
import { uuidOf, parseInstant } from './values.js';
import { parseDecimal } from '../decimals.js';
import { askCompiler, decodeConstant, hasCompilerLink } from '../compiler-link.js';
import { defn, libraries, coreLib } from './lib.js';

const readerError = (message) => new CljError('java.lang.RuntimeException', message);
/** Syntax only code has (`#()`, syntax-quote, `^meta`, ...): read-string asks the compiler's reader. */
const codeOnly = (message) => Object.assign(readerError(message), { codeOnly: true });
const eof = () => readerError('EOF while reading');

const WHITESPACE = /[\s,]/;
const DELIMITERS = /[\s,()[\]{}"\\;]/;
/** name -> character, for `\newline` and the like. */
const NAMED_CHARS = Object.fromEntries(Object.entries(CHAR_NAMES).map(([c, name]) => [name, c]));
const ESCAPES = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\' };
const INT = /^([-+]?)(?:(0)|([1-9][0-9]*)|0[xX]([0-9A-Fa-f]+)|0([0-7]+)|([1-9][0-9]?)[rR]([0-9A-Za-z]+))(N)?$/;
const RATIO = /^([-+]?[0-9]+)\/([0-9]+)$/;
const FLOAT = /^[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?(M)?$/;

class EdnReader {
  constructor(text, opts) {
    this.text = text;
    this.i = 0;
    this.opts = opts;
  }

  peek() { return this.text[this.i]; }

  skipSpace() {
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) return;
      if (WHITESPACE.test(c)) this.i++;
      else if (c === ';') { while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++; }
      else return;
    }
  }

  /** The next form, or `missing` at the end of the text. */
  read(missing) {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === undefined) return missing;
    this.i++;
    switch (c) {
      case '(': return listOf(this.readUntil(')'));
      case '[': return vectorOf(this.readUntil(']'));
      case '{': return this.map(this.readUntil('}'));
      case ')': case ']': case '}': throw readerError(`Unmatched delimiter: ${c}`);
      case '"': return this.string();
      case '\\': return this.character();
      case '#': return this.dispatch();
      case "'": return this.prefixed('quote', 'quote');
      case '@': return this.prefixed('deref', 'clojure.core/deref');
      case '`': case '~': case '^':
        throw codeOnly(`${c === '^' ? 'Metadata' : 'Syntax-quote'} is not supported when reading at run time; evaluate the code instead`);
      default:
        this.i--;
        return this.atom(this.token());
    }
  }

  prefixed(what, head) {
    if (!this.opts.code) throw readerError(`Invalid leading character: ${what === 'quote' ? "'" : '@'}`);
    const form = this.read(undefined);
    if (form === undefined) throw eof();
    const [ns, name] = head.includes('/') ? head.split('/') : [null, head];
    return listOf([new Sym(ns, name), form]);
  }

  readUntil(close) {
    const items = [];
    for (;;) {
      this.skipSpace();
      const c = this.text[this.i];
      if (c === undefined) throw eof();
      if (c === close) { this.i++; return items; }
      const form = this.read(undefined);
      if (form !== DISCARDED) items.push(form);
    }
  }

  map(items) {
    if (items.length % 2 !== 0) throw readerError('Map literal must contain an even number of forms');
    let m = EMPTY_MAP;
    for (let i = 0; i < items.length; i += 2) {
      if (m.containsKey(items[i])) throw duplicateKey(items[i]);
      m = m.assoc(items[i], items[i + 1]);
    }
    return m;
  }

  token() {
    const start = this.i;
    while (this.i < this.text.length && !DELIMITERS.test(this.text[this.i])) this.i++;
    return this.text.slice(start, this.i);
  }

  string() {
    let out = '';
    for (;;) {
      const c = this.text[this.i++];
      if (c === undefined) throw readerError('EOF while reading string');
      if (c === '"') return out;
      if (c !== '\\') { out += c; continue; }
      const e = this.text[this.i++];
      if (e === undefined) throw readerError('EOF while reading string');
      if (e === 'u') {
        const hex = this.text.slice(this.i, this.i + 4);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw readerError(`Invalid unicode escape: \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 4;
      } else if (ESCAPES[e] !== undefined) out += ESCAPES[e];
      else throw readerError(`Unsupported escape character: \\${e}`);
    }
  }

  character() {
    const first = this.text[this.i];
    if (first === undefined) throw readerError('EOF while reading character');
    this.i++;
    let rest = '';
    while (this.i < this.text.length && !DELIMITERS.test(this.text[this.i])) rest += this.text[this.i++];
    const token = first + rest;
    if (token.length === 1) return char(token);
    if (NAMED_CHARS[token] !== undefined) return char(NAMED_CHARS[token]);
    if (/^u[0-9A-Fa-f]{4}$/.test(token)) return char(String.fromCharCode(parseInt(token.slice(1), 16)));
    throw readerError(`Unsupported character: \\${token}`);
  }

  dispatch() {
    const c = this.text[this.i];
    if (c === undefined) throw eof();
    if (c === '{') { this.i++; return this.set(this.readUntil('}')); }
    if (c === '_') {
      this.i++;
      if (this.read(undefined) === undefined) throw eof();
      return DISCARDED;
    }
    if (c === '#') {
      this.i++;
      const name = this.token();
      const value = { Inf: Infinity, '-Inf': -Infinity, NaN }[name];
      if (value === undefined) throw readerError(`Unknown symbolic value: ##${name}`);
      return value;
    }
    if (/[A-Za-z]/.test(c)) return this.tagged(this.token());
    throw codeOnly(`${{ '(': 'Anonymous fns', '"': 'Regexes', "'": 'Var quotes', '?': 'Reader conditionals', '=': 'Read-eval' }[c] ?? `#${c}`} not supported when reading at run time; evaluate the code instead`);
  }

  set(items) {
    let s = EMPTY_SET;
    for (const x of items) {
      if (s.contains(x)) throw duplicateKey(x);
      s = s.conj(x);
    }
    return s;
  }

  tagged(tagText) {
    const form = this.read(undefined);
    if (form === undefined) throw eof();
    const tag = symbolOf(tagText);
    const readers = this.opts.readers;
    const custom = readers === null ? null : readers.get(tag, null);
    if (custom !== null) return invoke1(custom, form);
    if (tag.ns === null && tag.name === 'inst') {
      if (typeof form !== 'string') throw readerError('Instance literal expects a string as its representation.');
      const d = parseInstant(form);
      if (d === null) throw readerError(`Unrecognized date/time syntax: ${form}`);
      return d;
    }
    if (tag.ns === null && tag.name === 'uuid') {
      if (typeof form !== 'string') throw readerError('UUID literal expects a string as its representation.');
      const uuid = uuidOf(form);
      if (uuid === null) throw new CljError('IllegalArgumentException', `Invalid UUID string: ${form}`);
      return uuid;
    }
    if (this.opts.default !== null) return invoke2(this.opts.default, tag, form);
    throw readerError(`No reader function for tag ${tagText}`);
  }

  atom(token) {
    if (token === '') throw readerError(`Invalid token: ${this.text[this.i] ?? ''}`);
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (/^[-+]?[0-9]/.test(token)) return number(token);
    if (token.startsWith('::')) throw readerError(`Invalid token: ${token}`);
    if (token.startsWith(':')) {
      const s = symbolOf(token.slice(1));
      if (s.name === '') throw readerError(`Invalid token: ${token}`);
      return keyword(s.ns, s.name);
    }
    return symbolOf(token);
  }
}

const DISCARDED = Symbol('discarded');

function symbolOf(text) {
  if (text === '/') return new Sym(null, '/');
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) {
    if (slash === text.length - 1 && slash > 0) throw readerError(`Invalid token: ${text}`);
    return new Sym(null, text);
  }
  return new Sym(text.slice(0, slash), text.slice(slash + 1));
}

const duplicateKey = (k) => new CljError('IllegalArgumentException', `Duplicate key: ${toStr(k)}`);

function number(token) {
  let m = INT.exec(token);
  if (m !== null) {
    const [, sign, zero, dec, hex, oct, radix, digits, big] = m;
    let v;
    if (zero !== undefined) v = 0n;
    else if (dec !== undefined) v = BigInt(dec);
    else if (hex !== undefined) v = BigInt(`0x${hex}`);
    else if (oct !== undefined) v = BigInt(`0o${oct}`);
    else {
      const base = Number(radix);
      if (base < 2 || base > 36) throw new CljError('NumberFormatException', `Radix out of range: ${base}`);
      v = [...digits.toLowerCase()].reduce((acc, d) => {
        const n = parseInt(d, 36);
        if (n >= base) throw new CljError('NumberFormatException', `Invalid number: ${token}`);
        return acc * BigInt(base) + BigInt(n);
      }, 0n);
    }
    if (sign === '-') v = -v;
    if (big !== undefined || v > MAX_LONG || v < MIN_LONG) return new BigNum(v);
    return longOfBig(v);
  }
  m = RATIO.exec(token);
  if (m !== null) return makeRatio(BigInt(m[1]), BigInt(m[2]), false);
  m = FLOAT.exec(token);
  if (m !== null) {
    if (m[3] !== undefined) return parseDecimal(token.slice(0, -1));
    return dbl(Number(token));
  }
  throw new CljError('NumberFormatException', `Invalid number: ${token}`);
}

/**
 * The options map of clojure.edn/read-string (:eof, :readers, :default), and of the core
 * readers (`code`: :eof; the tags *data-readers* and *default-data-reader-fn* name).
 */
function optionsOf(opts, code) {
  const get = (k) => (opts === null ? null : opts.get(keyword(null, k), null));
  const eof = opts !== null && opts.containsKey(keyword(null, 'eof')) ? { value: get('eof') } : null;
  if (code) {
    const readers = coreLib['*data-readers*'];
    return { readers: readers === null || readers.count() === 0 ? null : readers, default: coreLib['*default-data-reader-fn*'] ?? null, eof, code };
  }
  return { readers: get('readers'), default: get('default'), eof, code };
}

/** Reads the first form of `text`; at the end of the text: the :eof value, else `whenEmpty()`. */
function readFirst(text, opts, whenEmpty) {
  if (text === null) return null;
  if (typeof text !== 'string') throw new CljError('ClassCastException', 'read-string needs a string');
  const reader = new EdnReader(text, opts);
  for (;;) {
    let form;
    try {
      form = reader.read(undefined);
    } catch (e) {
      if (!canAskTheCompiler(e, opts)) throw e;
      const [read] = readByTheCompiler(text);
      form = read;
    }
    if (form === DISCARDED) continue;
    if (form !== undefined) return form;
    if (opts.eof !== null) return opts.eof.value;
    return whenEmpty();
  }
}

// Code read at run time (read-string, read) with syntax only code has goes to the compiler's
// reader, which reads all of Clojure, when there is a link to it.
const canAskTheCompiler = (e, opts) => e.codeOnly === true && opts.code && hasCompilerLink();

/** The first form of `text` as the compiler reads it, and how much of `text` it took (undefined at the end). */
function readByTheCompiler(text) {
  const answer = askCompiler('read-string', { what: 'read', code: text });
  if (answer.form === undefined) return [undefined, text.length];
  return [decodeConstant('read-string', answer.form), answer.end];
}

export const ednLib = Object.create(null);
libraries['clojure.edn'] = ednLib;
defn(ednLib, 'clojure.edn', 'read-string', {
  1: (s) => readFirst(s, optionsOf(null, false), () => null),
  2: (opts, s) => readFirst(s, optionsOf(opts, false), () => null),
});
defn(coreLib, 'clojure.core', 'read-string', {
  1: (s) => readFirst(s, optionsOf(null, true), () => { throw eof(); }),
  2: (opts, s) => readFirst(s, optionsOf(opts, true), () => { throw eof(); }),
});

// --- read and read+string: a form at a time from a reader (*in*, or a PushbackReader) --------

const isEofError = (e) => e instanceof CljError && typeof e.cljMessage === 'string' && e.cljMessage.startsWith('EOF while reading');

/**
 * The next form of `stream` and the text it was read from, taking more of the stream while
 * the form is unfinished; at the end: the :eof value, or an EOF error.
 */
function readFrom(stream, opts, onEnd) {
  if (!(stream instanceof TextReader)) throw castError(stream, 'java.io.PushbackReader');
  for (;;) {
    const text = stream.buffer;
    const reader = new EdnReader(text, opts);
    let form;
    let end;
    try {
      form = reader.read(undefined);
      end = reader.i;
    } catch (e) {
      try {
        if (!canAskTheCompiler(e, opts)) throw e;
        [form, end] = readByTheCompiler(text);
      } catch (inner) {
        if (isEofError(inner) && stream.fill()) continue;
        throw inner;
      }
    }
    if (form === undefined) {
      if (stream.fill()) continue;
      stream.buffer = '';
      return [onEnd(), ''];
    }
    stream.buffer = text.slice(end);
    if (form === DISCARDED) continue;
    return [form, text.slice(0, end).trim()];
  }
}

/** `read`'s arities: (), (stream), (stream eof-error? eof-value [recursive?]), (opts stream). */
function readArities(pick) {
  const endOf = (opts) => () => {
    if (opts.eof !== null) return opts.eof.value;
    throw new CljError('RuntimeException', 'EOF while reading');
  };
  const withEof = (stream, eofError, eofValue) => {
    const opts = optionsOf(null, true);
    return pick(readFrom(stream, opts, () => {
      if (eofError !== null && eofError !== false) throw new CljError('RuntimeException', 'EOF while reading');
      return eofValue;
    }));
  };
  return {
    0: () => { const opts = optionsOf(null, true); return pick(readFrom(coreLib['*in*'], opts, endOf(opts))); },
    1: (stream) => { const opts = optionsOf(null, true); return pick(readFrom(stream, opts, endOf(opts))); },
    2: (opts, stream) => { const o = optionsOf(opts, true); return pick(readFrom(stream, o, endOf(o))); },
    3: withEof,
    4: (stream, eofError, eofValue) => withEof(stream, eofError, eofValue),
  };
}
defn(coreLib, 'clojure.core', 'read', readArities(([form]) => form));
defn(coreLib, 'clojure.core', 'read+string', readArities(([form, text]) => vectorOf([form, text])));

// default-data-readers: the tags the reader knows without *data-readers*, as Clojure's vars.
const readerVar = (ns, name, f) => Object.assign(new LocalVar(), { ns, name, root: f });
const readInstant = (s) => {
  const d = typeof s === 'string' ? parseInstant(s) : null;
  if (d === null) throw readerError(`Unrecognized date/time syntax: ${s}`);
  return d;
};
const readUuid = (s) => {
  const u = typeof s === 'string' ? uuidOf(s) : null;
  if (u === null) throw new CljError('IllegalArgumentException', `Invalid UUID string: ${s}`);
  return u;
};
coreLib['default-data-readers'] = mapOf(
  new Sym(null, 'uuid'), readerVar('clojure.uuid', 'default-uuid-reader', readUuid),
  new Sym(null, 'inst'), readerVar('clojure.instant', 'read-instant-date', readInstant),
);
