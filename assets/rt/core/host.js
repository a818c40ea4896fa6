// clojure.core: arrays (JS arrays stand in for Java's), the hashing helpers and chunked-seq
// primitives collections written in Clojure use, taps, and small fns about names and characters.

import { CljError, illegalArgument } from '../errors.js';
import { castError } from '../types.js';
import { dbl, toDouble, toIndex, toLong } from '../numbers.js';
import { hashCombine, mixCollHash } from '../hash.js';
import { hasheq } from '../equality.js';
import { Char, Sym, char } from '../scalars.js';
import { seq, next, toArray, listOf, hashOrdered, hashUnordered, ChunkBuffer, chunkCons } from '../seqs.js';
import { CHUNKED_FIRST, CHUNKED_REST, CHUNKED_NEXT } from '../core-protocols.js';
import { mapOf } from '../hashmap.js';
import { CHAR_NAMES } from '../print.js';
import { count } from '../colls.js';
import { invoke1 } from '../fns.js';
import { core, coreValue, coreLib } from './lib.js';

// ---------------------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------------------

const checkArray = (a) => {
  if (!Array.isArray(a)) throw castError(a, 'java.lang.Object[]');
  return a;
};

function checkIndex(a, i) {
  const n = toIndex(i);
  if (n < 0 || n >= a.length) {
    throw new CljError('ArrayIndexOutOfBoundsException', `Index ${n} out of bounds for length ${a.length}`);
  }
  return n;
}

/**
 * `(long-array size-or-seq)`, `(long-array size init-value-or-seq)` and the like: `zero` fills,
 * `coerce` converts each element.
 */
function typedArray(zero, coerce) {
  const make = (sizeOrSeq, init) => {
    if (typeof sizeOrSeq === 'number' || typeof sizeOrSeq === 'bigint') {
      const n = toIndex(sizeOrSeq);
      const out = new Array(n).fill(zero);
      if (init === undefined) return out;
      if (init !== null && (typeof init === 'object' || typeof init === 'string')) {
        const xs = toArray(init);
        for (let i = 0; i < n && i < xs.length; i++) out[i] = coerce(xs[i]);
        return out;
      }
      return out.fill(coerce(init));
    }
    return toArray(sizeOrSeq).map(coerce);
  };
  return { 1: (x) => make(x), 2: (size, init) => make(size, init) };
}

const asLong = (x) => toLong(x);
const asDouble = (x) => dbl(toDouble(x));
const asBoolean = (x) => x !== null && x !== false;
const asChar = (x) => {
  if (x instanceof Char) return x;
  throw castError(x, 'java.lang.Character');
};

core('object-array', { 1: (x) => (typeof x === 'number' || typeof x === 'bigint' ? new Array(toIndex(x)).fill(null) : toArray(x)) });
core('long-array', typedArray(0, asLong));
core('int-array', typedArray(0, (x) => toLong(x, 'int', -2147483648n, 2147483647n)));
core('short-array', typedArray(0, (x) => toLong(x, 'short', -32768n, 32767n)));
core('byte-array', typedArray(0, (x) => toLong(x, 'byte', -128n, 127n)));
core('double-array', typedArray(dbl(0), asDouble));
core('float-array', typedArray(dbl(0), asDouble));
core('boolean-array', typedArray(false, asBoolean));
core('char-array', typedArray(char('\0'), asChar));
core('to-array', { 1: (coll) => (coll === null ? [] : toArray(coll)) });
core('into-array', { 1: (coll) => (coll === null ? [] : toArray(coll)), 2: (_type, coll) => (coll === null ? [] : toArray(coll)) });
core('to-array-2d', { 1: (coll) => toArray(coll).map((row) => toArray(row)) });
core('make-array', {
  va: (xs) => {
    const dims = xs.slice(1).map(toIndex);
    const build = (d) => (d === dims.length - 1
      ? new Array(dims[d]).fill(null)
      : Array.from({ length: dims[d] }, () => build(d + 1)));
    if (dims.length === 0) throw illegalArgument('make-array needs at least one dimension');
    return build(0);
  },
  vmin: 2,
});
core('alength', { 1: (a) => checkArray(a).length });
core('aclone', { 1: (a) => checkArray(a).slice() });
core('aget', {
  2: (a, i) => checkArray(a)[checkIndex(a, i)],
  va: (xs) => xs.slice(1).reduce((a, i) => checkArray(a)[checkIndex(a, i)], xs[0]),
  vmin: 2,
});
core('aset', {
  3: (a, i, v) => { checkArray(a)[checkIndex(a, i)] = v; return v; },
  va: (xs) => {
    const v = xs[xs.length - 1];
    const path = xs.slice(1, -1);
    const inner = path.slice(0, -1).reduce((a, i) => checkArray(a)[checkIndex(a, i)], xs[0]);
    checkArray(inner)[checkIndex(inner, path[path.length - 1])] = v;
    return v;
  },
  vmin: 3,
});
// Casts to a primitive array type: the array itself.
for (const name of ['booleans', 'bytes', 'chars', 'doubles', 'floats', 'ints', 'longs', 'shorts']) {
  core(name, { 1: (a) => (a === null ? null : checkArray(a)) });
}

// ---------------------------------------------------------------------------------------
// Hashing, for collections written in Clojure
// ---------------------------------------------------------------------------------------

const int32 = (x) => Number(BigInt.asIntN(32, BigInt(toLong(x))));
core('hash-combine', { 2: (x, y) => hashCombine(int32(x), hasheq(y)) });
core('hash-ordered-coll', { 1: (coll) => hashOrdered(coll) });
core('hash-unordered-coll', { 1: (coll) => hashUnordered(coll) });
core('mix-collection-hash', { 2: (h, n) => mixCollHash(int32(h), int32(n)) });

// ---------------------------------------------------------------------------------------
// Taps: tap> hands the value to every tap once the running code is done (Clojure's tap thread)
// ---------------------------------------------------------------------------------------

const taps = new Set();
core('add-tap', { 1: (f) => { taps.add(f); return null; } });
core('remove-tap', { 1: (f) => { taps.delete(f); return null; } });
core('tap>', {
  1: (x) => {
    const now = [...taps];
    // After the running code, before anything else the runtime is sent.
    queueMicrotask(() => { for (const f of now) { try { invoke1(f, x); } catch { /* as Clojure: ignored */ } } });
    return true;
  },
});

// ---------------------------------------------------------------------------------------
// Counting, names and characters
// ---------------------------------------------------------------------------------------

core('bounded-count', {
  2: (n, coll) => {
    const limit = toIndex(n);
    if (coreLib['counted?'](coll)) return count(coll);
    let i = 0;
    for (let s = seq(coll); s !== null && i < limit; s = next(s)) i++;
    return i;
  },
});
core('replicate', { 2: (n, x) => listOf(new Array(Math.max(0, toIndex(n))).fill(x)) });

const SPECIAL = new Set(['def', 'loop*', 'recur', 'if', 'case*', 'let*', 'letfn*', 'do', 'fn*', 'quote',
  'var', 'import*', '.', 'set!', 'deftype*', 'reify*', 'try', 'catch', 'finally', 'throw',
  'monitor-enter', 'monitor-exit', 'new', '&']);
core('special-symbol?', { 1: (s) => s instanceof Sym && s.ns === null && SPECIAL.has(s.name) });

const MUNGE = {
  '-': '_', ':': '_COLON_', '+': '_PLUS_', '>': '_GT_', '<': '_LT_', '=': '_EQ_', '~': '_TILDE_',
  '!': '_BANG_', '@': '_CIRCA_', '#': '_SHARP_', "'": '_SINGLEQUOTE_', '"': '_DOUBLEQUOTE_',
  '%': '_PERCENT_', '^': '_CARET_', '&': '_AMPERSAND_', '*': '_STAR_', '|': '_BAR_', '{': '_LBRACE_',
  '}': '_RBRACE_', '[': '_LBRACK_', ']': '_RBRACK_', '/': '_SLASH_', '\\': '_BSLASH_', '?': '_QMARK_',
};
const mungeText = (s) => [...s].map((c) => MUNGE[c] ?? c).join('');
core('munge', { 1: (s) => (s instanceof Sym ? new Sym(null, mungeText(s.toString())) : mungeText(String(s))) });
core('namespace-munge', { 1: (ns) => String(ns instanceof Sym ? ns.name : ns).replaceAll('-', '_') });

const ESCAPES = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '"': '\\"', '\\': '\\\\', '\f': '\\f', '\b': '\\b' };
/** A map from characters to strings, as Clojure's `char-escape-string` is. */
const charMap = (table) => mapOf(...Object.entries(table).flatMap(([c, s]) => [char(c), s]));
coreValue('char-escape-string', charMap(ESCAPES));
coreValue('char-name-string', charMap(CHAR_NAMES));

// ---------------------------------------------------------------------------------------
// Chunked seqs, for lazy seqs written in Clojure that produce a chunk at a time
// ---------------------------------------------------------------------------------------

const checkBuffer = (b) => {
  if (!(b instanceof ChunkBuffer)) throw castError(b, 'clojure.lang.ChunkBuffer');
  return b;
};
core('chunk-buffer', { 1: (capacity) => new ChunkBuffer(toIndex(capacity)) });
core('chunk-append', { 2: (b, x) => { checkBuffer(b).add(x); return null; } });
core('chunk', { 1: (b) => checkBuffer(b).chunk() });
core('chunk-cons', { 2: (chunk, rest) => chunkCons(chunk, rest) });
core('chunk-first', { 1: (s) => s[CHUNKED_FIRST](s) });
core('chunk-rest', { 1: (s) => s[CHUNKED_REST](s) });
core('chunk-next', { 1: (s) => s[CHUNKED_NEXT](s) });
