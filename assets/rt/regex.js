// Regular expressions: JS RegExps, made from Java pattern text (leading inline flags such as
// (?i) become JS flags, \A and \z anchors) and printed with that text, as #"...".

import { nu, illegalState } from './errors.js';
import { hostTypeFor, defType, castError } from './types.js';
import { implement } from './protocol.js';
import { IPrintWithWriter, TO_STR } from './core-protocols.js';
import { settings } from './print.js';
import { Cons, lazySeq } from './seqs.js';
import { vectorOf } from './vector.js';

const sources = new WeakMap();

/** The Java pattern text a regex was made from. */
export const regexSource = (re) => sources.get(re) ?? re.source;

/** A regex from Java pattern text. */
export function regex(pattern) {
  let src = pattern;
  let flags = '';
  const m = /^\(\?([imsux]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  let re;
  try { re = new RegExp(src, flags + 'u'); } catch { re = new RegExp(src, flags); }
  sources.set(re, pattern);
  return re;
}

export const REGEX_TYPE = hostTypeFor(RegExp);
REGEX_TYPE.name = 'java.util.regex.Pattern';
implement(REGEX_TYPE, IPrintWithWriter, {
  '-pr-writer': (re, w) => {
    const src = regexSource(re);
    w.write(settings.readably ? '#"' + src.replace(/(\\.)|"/g, (m, esc) => esc ?? '\\"') + '"' : src);
  },
});
Object.defineProperty(RegExp.prototype, TO_STR, { value: regexSource, writable: true, configurable: true });

/** A regex argument, or the ClassCastException Clojure throws. */
export const pattern = (re) => { if (re instanceof RegExp) return re; throw castError(re, 'java.util.regex.Pattern'); };
const text = (s) => { if (typeof s === 'string') return s; throw castError(s, 'java.lang.CharSequence'); };

/** The same pattern with the g flag (for stepping through matches). */
export function globalRegex(re) {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
}

/** What re-find and friends return: the match, or [match group1 ...] when there are groups. */
export function matchResult(m) {
  if (m.length === 1) return m[0];
  return vectorOf(Array.from(m, nu));
}

export function reFind(re, s) {
  if (s === undefined && re instanceof Matcher) return re.find();
  const m = pattern(re).exec(text(s));
  return m === null ? null : matchResult(m);
}

const anchored = new WeakMap();
export function reMatches(re, s) {
  pattern(re);
  text(s);
  let a = anchored.get(re);
  if (a === undefined) {
    a = new RegExp('^(?:' + re.source + ')$', re.flags.replace(/[gmy]/g, ''));
    anchored.set(re, a);
  }
  const m = a.exec(s);
  return m === null ? null : matchResult(m);
}

/**
 * `(re-matcher re s)`: steps through the matches of `re` in `s`, one per `(re-find m)`;
 * `(re-groups m)` is the last one found (java.util.regex.Matcher).
 */
export class Matcher {
  constructor(re, s) {
    this.g = globalRegex(pattern(re));
    this.s = text(s);
    this.from = 0;
    this.last = null;
  }
  find() {
    if (this.from > this.s.length) { this.last = null; return null; }
    this.g.lastIndex = this.from;
    const m = this.g.exec(this.s);
    this.last = m;
    if (m === null) { this.from = this.s.length + 1; return null; }
    this.from = m[0] === '' ? m.index + 1 : this.g.lastIndex;
    return matchResult(m);
  }
  groups() {
    if (this.last === null) throw illegalState('No match found');
    return matchResult(this.last);
  }
}
defType('java.util.regex.Matcher', [], { ctor: Matcher });

/** re-seq: the first match found eagerly (nil when there is none), the rest lazily. */
export function reSeq(re, s) {
  text(s);
  const g = globalRegex(pattern(re));
  const step = (from) => {
    if (from > s.length) return null;
    g.lastIndex = from;
    const m = g.exec(s);
    if (m === null) return null;
    const nextFrom = m[0] === '' ? m.index + 1 : g.lastIndex;
    return new Cons(matchResult(m), lazySeq(() => step(nextFrom)));
  };
  return step(0);
}
