// clojure.core: promises, UUIDs, instants, `cast`, `rationalize`, `bound?`, and the input
// `with-in-str` reads.

import { CljError, illegalArgument, errorMessage } from '../errors.js';
import { Type, defType, hostTypeFor, isInstance, castError, className } from '../types.js';
import { Protocol, implement, satisfies } from '../protocol.js';
import { IDeref, IPending, IFn, IEquiv, IHash, IPrintWithWriter, IComparable, ILookup } from '../core-protocols.js';
import { javaStringHash } from '../hash.js';
import { printRef } from '../reduced.js';
import { quoteString, printTo, toStr } from '../print.js';
import { equiv, hasheq } from '../equality.js';
import { Sym, keyword } from '../scalars.js';
import { toArray } from '../seqs.js';
import { vectorOf } from '../vector.js';
import { EMPTY_MAP, mapOf, arrayMapOf } from '../hashmap.js';
import { Dbl, Ratio, BigNum, BigDec, isLong, makeRatio, doubleToString } from '../numbers.js';
import { decimalParts } from '../decimals.js';
import { Var } from '../refs.js';
import { setLineSource } from '../interrupts.js';
import { invoke0 } from '../fns.js';
import { core, coreLib, internal } from './lib.js';

// ---------------------------------------------------------------------------------------
// Promises: delivered once; a runtime of one thread cannot wait for one, so deref of an
// undelivered promise is an error rather than a hang (Clojure blocks)
// ---------------------------------------------------------------------------------------

const UNDELIVERED = Symbol('undelivered');

export class CljPromise {
  constructor() { this.v = UNDELIVERED; }
}
const PROMISE_TYPE = defType('clojure.core$promise$reify', ['clojure.lang.IDeref', 'clojure.lang.IPending', 'clojure.lang.IFn'], { ctor: CljPromise });
const deliver = (p, x) => {
  if (p.v !== UNDELIVERED) return null;
  p.v = x;
  return p;
};
implement(PROMISE_TYPE, IDeref, {
  '-deref': (p) => {
    if (p.v === UNDELIVERED) {
      throw new CljError('IllegalStateException', 'deref of a promise that was not delivered: this runtime has one thread, so nothing could deliver it while it waits');
    }
    return p.v;
  },
});
implement(PROMISE_TYPE, IPending, { '-realized?': (p) => p.v !== UNDELIVERED });
implement(PROMISE_TYPE, IFn, { '-invoke': (p, x) => deliver(p, x) });
implement(PROMISE_TYPE, IPrintWithWriter, {
  '-pr-writer': (p, w) => printRef('clojure.core$promise$reify', p, p.v === UNDELIVERED ? null : p.v, w, p.v === UNDELIVERED ? ':pending' : ':ready'),
});
core('promise', { 0: () => new CljPromise() });
core('deliver', {
  2: (p, x) => {
    if (!(p instanceof CljPromise)) throw castError(p, 'clojure.lang.IFn');
    return deliver(p, x);
  },
});

// ---------------------------------------------------------------------------------------
// UUIDs
// ---------------------------------------------------------------------------------------

export class UUID {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}
const UUID_TYPE = defType('java.util.UUID', ['java.lang.Comparable', 'java.io.Serializable'], { ctor: UUID });
implement(UUID_TYPE, IEquiv, { '-equiv': (a, b) => b instanceof UUID && a.text === b.text });
implement(UUID_TYPE, IHash, { '-hash': (u) => javaStringHash(u.text) });
implement(UUID_TYPE, IComparable, { '-compare': (a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0) });
implement(UUID_TYPE, IPrintWithWriter, { '-pr-writer': (u, w) => w.write(`#uuid ${quoteString(u.text)}`) });

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hexDigits = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0')).join('');
function randomUuid() {
  const h = hexDigits(16).split('');
  h[12] = '4'; // version 4
  h[16] = '89ab'[parseInt(h[16], 16) & 3]; // the IETF variant
  const s = h.join('');
  return new UUID(`${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`);
}
core('random-uuid', { 0: randomUuid });
core('uuid?', { 1: (x) => x instanceof UUID });
/** The UUID `text` spells (8-4-4-4-12 hex digits), or null. */
export const uuidOf = (text) => (UUID_TEXT.test(text) ? new UUID(text.toLowerCase()) : null);
core('parse-uuid', {
  1: (s) => {
    if (typeof s !== 'string') throw castError(s, 'java.lang.String');
    return uuidOf(s);
  },
});

// ---------------------------------------------------------------------------------------
// Instants: JS Dates are Clojure's java.util.Date
// ---------------------------------------------------------------------------------------

const DATE_TYPE = hostTypeFor(Date);
implement(DATE_TYPE, IEquiv, { '-equiv': (a, b) => b instanceof Date && a.getTime() === b.getTime() });
// java.util.Date's hashCode: the millisecond count's two halves xor-ed
implement(DATE_TYPE, IHash, { '-hash': (d) => { const ms = BigInt(d.getTime()); return Number(BigInt.asIntN(32, ms ^ (ms >> 32n))); } });
implement(DATE_TYPE, IComparable, { '-compare': (a, b) => Math.sign(a.getTime() - b.getTime()) });
implement(DATE_TYPE, IPrintWithWriter, {
  '-pr-writer': (d, w) => w.write(Number.isNaN(d.getTime()) ? '#inst "Invalid Date"' : `#inst "${d.toISOString().slice(0, -1)}-00:00"`),
});
/** The Date of an `#inst` literal's timestamp (the reader made it complete). */
export const instant = (text) => new Date(text);

const RFC3339 = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/;
/**
 * The Date of `#inst` text read at run time (clojure.edn/read-string), completed as the
 * compiler's reader completes it (what is left out is its smallest value, no offset is UTC);
 * null when it is not Clojure's `#inst` syntax.
 */
export function parseInstant(text) {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', frac = '', offset = 'Z'] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 60) return null;
  const ms = (frac + '000').slice(0, 3);
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}.${ms}${offset.toUpperCase()}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Clojure's `Inst` protocol: what `inst?` and `inst-ms` accept (a type may extend it). */
export const INST = new Protocol('clojure.core/Inst', ['inst-ms*']);
implement(DATE_TYPE, INST, { 'inst-ms*': (d) => d.getTime() });
coreLib.Inst = INST;
const instMs = INST.fn('inst-ms*');
core('inst?', { 1: (x) => satisfies(INST, x) });
core('inst-ms', { 1: (x) => instMs(x) });
core('inst-ms*', { 1: (x) => instMs(x) });

// ---------------------------------------------------------------------------------------
// cast, rationalize, bound?
// ---------------------------------------------------------------------------------------

core('cast', {
  2: (c, x) => {
    if (x === null || isInstance(c, x)) return x;
    throw new CljError('ClassCastException', `Cannot cast ${className(x)} to ${c instanceof Type ? c.name : className(c)}`);
  },
});

/** The exact ratio of a double's decimal form (Clojure rationalizes BigDecimal.valueOf(d)). */
function rationalizeDouble(d) {
  if (!Number.isFinite(d)) throw new CljError('NumberFormatException', `Character ${d > 0 ? 'I' : d < 0 ? '-' : 'N'} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`);
  const [mantissa, exponentText = '0'] = doubleToString(d).toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  let n = BigInt(whole + fraction);
  let den = 10n ** BigInt(fraction.length);
  const e = BigInt(exponentText);
  if (e > 0n) n *= 10n ** e; else den *= 10n ** -e;
  return makeRatio(n, den, true);
}
core('rationalize', {
  1: (x) => {
    if (isLong(x) || x instanceof Ratio || x instanceof BigNum) return x;
    if (x instanceof BigDec) return makeRatio(...decimalParts(x), true);
    if (typeof x === 'number') return rationalizeDouble(x);
    if (x instanceof Dbl) return rationalizeDouble(x.v);
    throw castError(x, 'java.lang.Number');
  },
});

core('bound?', {
  va: (vars) => vars.every((v) => {
    if (!(v instanceof Var)) throw castError(v, 'clojure.lang.Var');
    return v.hasRoot();
  }),
});

// ---------------------------------------------------------------------------------------
// with-in-str: read-line reads the lines of a string
// ---------------------------------------------------------------------------------------

internal('with-in-str*', {
  2: (text, f) => {
    const lines = String(text).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let next = 0;
    const previous = setLineSource(() => (next < lines.length ? lines[next++] : null));
    try {
      return invoke0(f);
    } finally {
      setLineSource(previous);
    }
  },
});

// ---------------------------------------------------------------------------------------
// Tagged literals and reader conditionals as values (what a reader hands over when it keeps
// them as data)
// ---------------------------------------------------------------------------------------

export class TaggedLiteral {
  constructor(tag, form) { this.tag = tag; this.form = form; }
}
const TAGGED_TYPE = defType('clojure.lang.TaggedLiteral', [], { ctor: TaggedLiteral });
implement(TAGGED_TYPE, IEquiv, { '-equiv': (a, b) => b instanceof TaggedLiteral && equiv(a.tag, b.tag) && equiv(a.form, b.form) });
implement(TAGGED_TYPE, IHash, { '-hash': (t) => (Math.imul(31, hasheq(t.tag)) + hasheq(t.form)) | 0 });
implement(TAGGED_TYPE, ILookup, {
  '-lookup': (t, k, nf = null) => (k === keyword(null, 'tag') ? t.tag : k === keyword(null, 'form') ? t.form : nf),
});
implement(TAGGED_TYPE, IPrintWithWriter, { '-pr-writer': (t, w) => { w.write('#'); printTo(t.tag, w); w.write(' '); printTo(t.form, w); } });
core('tagged-literal', {
  2: (tag, form) => {
    if (!(tag instanceof Sym)) throw castError(tag, 'clojure.lang.Symbol');
    return new TaggedLiteral(tag, form);
  },
});
core('tagged-literal?', { 1: (x) => x instanceof TaggedLiteral });

export class ReaderConditional {
  constructor(form, splicing) { this.form = form; this.splicing = splicing; }
}
const CONDITIONAL_TYPE = defType('clojure.lang.ReaderConditional', [], { ctor: ReaderConditional });
implement(CONDITIONAL_TYPE, IEquiv, { '-equiv': (a, b) => b instanceof ReaderConditional && a.splicing === b.splicing && equiv(a.form, b.form) });
implement(CONDITIONAL_TYPE, IHash, { '-hash': (r) => (Math.imul(31, hasheq(r.form)) + (r.splicing ? 1231 : 1237)) | 0 });
implement(CONDITIONAL_TYPE, ILookup, {
  '-lookup': (r, k, nf = null) => (k === keyword(null, 'form') ? r.form : k === keyword(null, 'splicing?') ? r.splicing : nf),
});
implement(CONDITIONAL_TYPE, IPrintWithWriter, {
  '-pr-writer': (r, w) => { w.write(r.splicing ? '#?@' : '#?'); printTo(r.form, w); },
});
core('reader-conditional', { 2: (form, splicing) => new ReaderConditional(form, splicing === true) });
core('reader-conditional?', { 1: (x) => x instanceof ReaderConditional });

// ---------------------------------------------------------------------------------------
// Throwable->map, keyword-argument maps, URIs
// ---------------------------------------------------------------------------------------

const dataOf = (e) => (e instanceof CljError ? e.data : null);

/** `(Throwable->map e)`: :via (each exception, outermost first), :trace, :cause, :data. */
core('Throwable->map', {
  1: (e) => {
    if (!(e instanceof Error)) throw castError(e, 'java.lang.Throwable');
    const chain = [];
    for (let c = e; c instanceof Error && chain.length < 100; c = c.cause) chain.push(c);
    const via = chain.map((x) => {
      const parts = [keyword(null, 'type'), new Sym(null, className(x)), keyword(null, 'message'), errorMessage(x)];
      if (dataOf(x) !== null) parts.push(keyword(null, 'data'), dataOf(x));
      return mapOf(...parts);
    });
    const root = chain[chain.length - 1];
    const parts = [keyword(null, 'via'), vectorOf(via), keyword(null, 'trace'), vectorOf([]), keyword(null, 'cause'), errorMessage(root)];
    if (dataOf(root) !== null) parts.push(keyword(null, 'data'), dataOf(root));
    return mapOf(...parts);
  },
});

/** Clojure 1.11's keyword arguments: a trailing map alone, else the pairs as a map. */
core('seq-to-map-for-destructuring', {
  1: (s) => {
    const xs = toArray(s);
    if (xs.length === 1) return xs[0];
    if (xs.length === 0) return EMPTY_MAP;
    if (xs.length % 2 !== 0) throw illegalArgument(`No value supplied for key: ${toStr(xs[xs.length - 1])}`);
    return arrayMapOf(xs); // in their order, as if by assoc, whatever their number (createAsIfByAssoc)
  },
});

core('uri?', { 1: (x) => typeof URL !== 'undefined' && x instanceof URL });
