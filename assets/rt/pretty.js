// The pretty printer behind clojure.pprint/pprint: Clojure's simple dispatch (lists and
// seqs, vectors, maps, sets, arrays and references each a logical block, anything else as
// `pr` prints it), laid out as Clojure's pretty writer lays out linear newlines.
//
// A value becomes a token stream: text, the start and end of a logical block (with its
// prefix and suffix), and a linear newline between items. A newline breaks when its block
// has broken a line already, or when the text after it up to the next newline of an
// enclosing block would not fit before the right margin (a line may reach the margin
// exactly; the spaces before a newline do not count, and are dropped when it breaks).
// Breaking a line inside a block breaks every later newline of the blocks around it.

import { nu } from './errors.js';
import { typeOf, simpleName } from './types.js';
import { satisfies } from './protocol.js';
import { IDeref, IPending, IRecord, SEQ, FIRST, NEXT, META, IS_MAP, IS_SET } from './core-protocols.js';
import { settings, printTo, Writer, hex } from './print.js';
import { PVector, Subvec } from './vector.js';
import { liftNamespace } from './hashmap.js';
import { Var } from './refs.js';

const TEXT = 0, START = 1, END = 2, NEWLINE = 3;

/** A logical block: the column its lines start at once one breaks, and whether one has. */
class Block {
  constructor(parent, prefix, suffix, indentOffset) {
    this.parent = parent;
    this.prefix = prefix;
    this.suffix = suffix;
    /** Where broken lines start, relative to the column after the prefix. */
    this.indentOffset = indentOffset;
    this.indent = 0;
    this.broken = false;
    /** The stream position the block's section ends at (see `sectionEnds`). */
    this.sectionEnd = -1;
  }
}

/** Builds the token stream of a value, under the print settings in effect. */
/** Thrown by Tokens whose text passes its quota; caught where pretty printing started. */
const OVER_QUOTA = Symbol('pretty print quota exceeded');

class Tokens {
  constructor(quota = Infinity) {
    this.kinds = [];
    this.items = [];
    this.block = null;
    this.left = quota; // characters of text still allowed
  }
  text(s) {
    if (s === '') return;
    this.left -= s.length;
    if (this.left < 0) throw OVER_QUOTA;
    this.kinds.push(TEXT);
    this.items.push(s);
  }
  newline() { this.kinds.push(NEWLINE); this.items.push(this.block); }
  start(prefix, suffix, indentOffset = 0) {
    this.block = new Block(this.block, prefix, suffix, indentOffset);
    this.kinds.push(START);
    this.items.push(this.block);
  }
  end() {
    this.kinds.push(END);
    this.items.push(this.block);
    this.block = this.block.parent;
  }
}

/** `x` as `pr` (or `print`) prints it. */
function printed(x) {
  const w = new Writer();
  printTo(x, w);
  return w.toString();
}

/** A logical block around what `body` adds, or `#` past *print-level*. */
function logicalBlock(tokens, open, close, indentOffset, body) {
  const level = settings.level;
  if (level !== null && level <= 0) { tokens.text('#'); return; }
  settings.level = level === null ? null : level - 1;
  try {
    tokens.start(open, close, indentOffset);
    body();
    tokens.end();
  } finally {
    settings.level = level;
  }
}

/**
 * A collection's items (a seq, or null) in a block between `open` and `close`, each written
 * by `item`, separated by `separator` and a newline; past *print-length* items, `...`
 * (Clojure's print-length-loop).
 */
function block(tokens, open, close, items, separator, item) {
  logicalBlock(tokens, open, close, 0, () => {
    let left = settings.length;
    for (let s = items, first = true; s !== null; first = false) {
      if (!first) { tokens.text(separator); tokens.newline(); }
      if (left === 0) { tokens.text('...'); break; }
      if (left !== null) left--;
      item(s[FIRST](s));
      s = s[NEXT](s);
    }
  });
}

const seqOf = (x) => { const s = x[SEQ](x); return s === undefined ? null : s; };

/** A JS array as a seq-like walk of its items (`[1, 2]`, as Clojure pprints arrays). */
function arraySeq(arr, i = 0) {
  if (i >= arr.length) return null;
  return { [FIRST]: () => nu(arr[i]), [NEXT]: () => arraySeq(arr, i + 1) };
}

function metaPrefix(x, tokens) {
  if (!settings.meta || x === null || typeof x !== 'object' || x[META] === undefined) return;
  const meta = x[META](x);
  if (meta === null || (typeof meta.count === 'function' && meta.count() === 0)) return;
  tokens.text(`^${printed(meta)} `);
}

function mapEntries(tokens, open, entries) {
  block(tokens, open, '}', entries, ', ', (e) => {
    tokens.start('', '');
    write(e.key(), tokens);
    tokens.text(' ');
    tokens.newline();
    write(e.val(), tokens);
    tokens.end();
  });
}

function writeMap(m, tokens) {
  const entries = seqOf(m);
  if (!satisfies(IRecord, m) && typeof m.empty === 'function') {
    const lifted = liftNamespace(m, entries, m.empty());
    if (lifted !== null) {
      const [ns, inner] = lifted;
      mapEntries(tokens, `#:${ns}{`, seqOf(inner));
      return;
    }
  }
  mapEntries(tokens, '{', entries);
}

/** An atom, volatile, delay, ...: `#<Atom@1f: value>`, the value on its own line if need be. */
function writeReference(ref, tokens) {
  const prefix = `#<${simpleName(typeOf(ref))}@${hex(ref)}: `;
  const pending = satisfies(IPending, ref) && !ref[IPending.sym('-realized?')](ref);
  logicalBlock(tokens, prefix, '>', 2 - prefix.length, () => {
    tokens.newline();
    if (pending) tokens.text(':not-delivered');
    else write(ref[IDeref.sym('-deref')](ref), tokens);
  });
}

/** Adds the tokens of `x` (Clojure's simple-dispatch). */
function write(x, tokens) {
  x = nu(x);
  if (x === null || typeof x !== 'object' && typeof x !== 'function') { tokens.text(printed(x)); return; }
  if (Array.isArray(x)) { block(tokens, '[', ']', arraySeq(x), ', ', (v) => write(v, tokens)); return; }
  metaPrefix(x, tokens);
  if (x[FIRST] !== undefined) { block(tokens, '(', ')', seqOf(x), ' ', (v) => write(v, tokens)); return; }
  if (x instanceof PVector || x instanceof Subvec) { block(tokens, '[', ']', seqOf(x), ' ', (v) => write(v, tokens)); return; }
  if (x[IS_MAP] === true || satisfies(IRecord, x)) { writeMap(x, tokens); return; }
  if (x[IS_SET] === true) { block(tokens, '#{', '}', seqOf(x), ' ', (v) => write(v, tokens)); return; }
  if (!(x instanceof Var) && satisfies(IDeref, x)) { writeReference(x, tokens); return; }
  const saved = settings.meta;
  settings.meta = false; // written above already
  try {
    tokens.text(printed(x));
  } finally {
    settings.meta = saved;
  }
}

/**
 * Sets each block's `sectionEnd`: where the sections of its newlines end, which is the next
 * newline of its parent after the block ends, else its parent's own section end (the end
 * of the stream for an outermost block). Walks the stream backwards, so every newline ahead
 * of a block's end has been seen when it is met.
 */
function sectionEnds(tokens) {
  const { kinds, items } = tokens;
  const open = []; // the blocks around the position, innermost last, with their nearest newline ahead
  for (let i = kinds.length - 1; i >= 0; i--) {
    switch (kinds[i]) {
      case END: {
        const parent = open[open.length - 1];
        items[i].sectionEnd = parent === undefined ? kinds.length : parent.nextNewline ?? parent.block.sectionEnd;
        open.push({ block: items[i], nextNewline: null });
        break;
      }
      case START: open.pop(); break;
      case NEWLINE: open[open.length - 1].nextNewline = i; break;
    }
  }
}

/** The text of the tokens laid out within `margin` columns. */
function layout(tokens, margin) {
  const { kinds, items } = tokens;
  sectionEnds(tokens);
  // flat[i]: the length of the stream's text before position i
  const flat = new Array(kinds.length + 1);
  flat[0] = 0;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i], item = items[i];
    const len = k === TEXT ? item.length : k === START ? item.prefix.length : k === END ? item.suffix.length : 0;
    flat[i + 1] = flat[i] + len;
  }
  const out = [];
  let column = 0;
  let pendingSpace = '';
  const emit = (s) => {
    if (pendingSpace !== '') { out.push(pendingSpace); column += pendingSpace.length; pendingSpace = ''; }
    out.push(s);
    const nl = s.lastIndexOf('\n');
    column = nl < 0 ? column + s.length : s.length - nl - 1;
  };
  for (let i = 0; i < kinds.length; i++) {
    const item = items[i];
    switch (kinds[i]) {
      case TEXT: {
        const body = item.trimEnd();
        if (body !== '') emit(body);
        pendingSpace += item.slice(body.length);
        break;
      }
      case START:
        emit(item.prefix);
        item.indent = Math.max(0, column + item.indentOffset);
        break;
      case END:
        emit(item.suffix);
        break;
      case NEWLINE: {
        const section = flat[item.sectionEnd] - flat[i + 1];
        if (item.broken || column + section >= margin) {
          out.push('\n' + ' '.repeat(item.indent));
          column = item.indent;
          pendingSpace = '';
          for (let b = item; b !== null; b = b.parent) b.broken = true;
        }
        break;
      }
    }
  }
  if (pendingSpace !== '') out.push(pendingSpace);
  return out.join('');
}

/**
 * `x` pretty printed within `margin` columns (clojure.pprint's *print-right-margin*), with
 * the print settings in effect; `readably` as *print-readably*. No newline at the end; null
 * when its text (the layout's spaces and newlines aside) would pass `quota` characters.
 */
export function prettyText(x, margin, readably = true, quota = Infinity) {
  const saved = settings.readably;
  settings.readably = readably;
  try {
    const tokens = new Tokens(quota);
    write(x, tokens);
    return layout(tokens, margin);
  } catch (e) {
    if (e === OVER_QUOTA) return null;
    throw e;
  } finally {
    settings.readably = saved;
  }
}
