// clojure.core: strings, symbols and keywords, printing; and the clojure.string library.

import { CljError, illegalArgument, nullPointer } from '../errors.js';
import { castError } from '../types.js';
import { toIndex } from '../numbers.js';
import { prStr, printStr, toStr } from '../print.js';
import { Keyword, Sym, Char, keyword, findKeyword, char } from '../scalars.js';
import { toArray } from '../seqs.js';
import { vectorOf } from '../vector.js';
import { PMap } from '../hashmap.js';
import { Var } from '../refs.js';
import { invoke1 } from '../fns.js';
import { globalRegex, matchResult, pattern } from '../regex.js';
import { writeOut } from '../output.js';
import { name, namespace } from '../colls.js';
import { core, coreLib, cstr } from './lib.js';

/** `toStr` with strings and longs first: small enough for the JIT to inline into `str`. */
const strOf = (x) => (typeof x === 'string' ? x : typeof x === 'number' && Number.isInteger(x) ? `${x}` : toStr(x));
core('str', {
  0: () => '',
  1: strOf,
  2: (a, b) => strOf(a) + strOf(b),
  3: (a, b, c) => strOf(a) + strOf(b) + strOf(c),
  va: (xs) => {
    let s = '';
    for (let i = 0; i < xs.length; i++) s += strOf(xs[i]);
    return s;
  },
});
function substring(s, start, end) {
  if (typeof s !== 'string') throw castError(s, 'java.lang.String');
  const b = toIndex(start);
  const e = end === null ? s.length : toIndex(end);
  if (b < 0 || e > s.length || b > e) {
    throw new CljError('StringIndexOutOfBoundsException', `begin ${b}, end ${e}, length ${s.length}`);
  }
  return s.slice(b, e);
}
core('subs', {
  2: (s, start) => substring(s, start, null),
  3: (s, start, end) => substring(s, start, end),
});
function splitName(s) {
  const i = s.indexOf('/');
  return i <= 0 || s === '/' ? [null, s] : [s.slice(0, i), s.slice(i + 1)];
}
core('keyword', {
  1: (x) => {
    if (x instanceof Keyword) return x;
    if (x instanceof Sym) return keyword(x.ns, x.name);
    if (typeof x === 'string') { const [ns, n] = splitName(x); return keyword(ns, n); }
    return null;
  },
  2: (ns, name) => keyword(ns === null ? null : toStr(ns), toStr(name)),
});
core('find-keyword', {
  1: (x) => {
    if (x instanceof Keyword) return x;
    if (x instanceof Sym) return findKeyword(x.ns, x.name);
    const [ns, n] = splitName(toStr(x));
    return findKeyword(ns, n);
  },
  2: (ns, name) => findKeyword(ns === null ? null : toStr(ns), toStr(name)),
});
core('symbol', {
  1: (x) => {
    if (x instanceof Sym) return x;
    if (x instanceof Keyword) return x.sym();
    if (x instanceof Var) return new Sym(x.ns, x.name);
    if (typeof x === 'string') { const [ns, n] = splitName(x); return new Sym(ns, n); }
    throw illegalArgument('no conversion to symbol');
  },
  2: (ns, name) => new Sym(ns === null ? null : toStr(ns), toStr(name)),
});
core('name', { 1: name });
core('namespace', { 1: namespace });
let gensymCounter = 0;
/** The next number of gensym (shared with the compiler's auto-gensyms' style). */
export const nextGensym = () => ++gensymCounter;
core('gensym', { 0: () => new Sym(null, `G__${nextGensym()}`), 1: (p) => new Sym(null, `${toStr(p)}${nextGensym()}`) });

// --- printing ----------------------------------------------------------------------------

const joinWith = (xs, f) => xs.map(f).join(' ');
/** pr's text of x: readable unless *print-readably* is bound false, as Clojure's pr. */
const pr = (x) => {
  const readably = coreLib['*print-readably*'];
  return readably === false || readably === null ? printStr(x) : prStr(x);
};
core('pr-str', { 0: () => '', 1: pr, va: (xs) => joinWith(xs, pr) });
core('prn-str', { 0: () => '\n', va: (xs) => joinWith(xs, pr) + '\n' });
core('print-str', { 0: () => '', 1: printStr, va: (xs) => joinWith(xs, printStr) });
core('println-str', { 0: () => '\n', va: (xs) => joinWith(xs, printStr) + '\n' });
core('pr', { 0: () => null, va: (xs) => { writeOut(joinWith(xs, pr)); return null; } });
core('prn', { 0: () => { writeOut('\n'); return null; }, va: (xs) => { writeOut(joinWith(xs, pr) + '\n'); return null; } });
core('print', { 0: () => null, va: (xs) => { writeOut(joinWith(xs, printStr)); return null; } });
core('println', { 0: () => { writeOut('\n'); return null; }, va: (xs) => { writeOut(joinWith(xs, printStr) + '\n'); return null; } });
core('newline', { 0: () => { writeOut('\n'); return null; } });
core('flush', { 0: () => null });

// ---------------------------------------------------------------------------------------
// clojure.string
// ---------------------------------------------------------------------------------------

// Java's Character.isWhitespace (no-break spaces are not whitespace).
const isJavaWhitespace = (c) => /[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/.test(c);
function trimStart(s) { let i = 0; while (i < s.length && isJavaWhitespace(s[i])) i++; return s.slice(i); }
function trimEnd(s) { let i = s.length; while (i > 0 && isJavaWhitespace(s[i - 1])) i--; return s.slice(0, i); }
const str1 = (s) => {
  if (s === null) throw nullPointer('Cannot invoke "Object.toString()" because "s" is null');
  return toStr(s);
};
const charSeq = (s) => {
  if (typeof s === 'string') return s;
  throw castError(s, 'java.lang.CharSequence', 'Cannot invoke "java.lang.CharSequence.length()" because "s" is null');
};

cstr('join', {
  1: (c) => toArray(c).map(toStr).join(''),
  2: (sep, c) => toArray(c).map(toStr).join(toStr(sep)),
});
cstr('upper-case', { 1: (s) => str1(s).toUpperCase() });
cstr('lower-case', { 1: (s) => str1(s).toLowerCase() });
cstr('capitalize', {
  1: (s) => {
    s = str1(s);
    return s.length < 2 ? s.toUpperCase() : s[0].toUpperCase() + s.slice(1).toLowerCase();
  },
});
cstr('trim', { 1: (s) => trimEnd(trimStart(charSeq(s))) });
cstr('triml', { 1: (s) => trimStart(charSeq(s)) });
cstr('trimr', { 1: (s) => trimEnd(charSeq(s)) });
cstr('trim-newline', { 1: (s) => charSeq(s).replace(/[\r\n]+$/, '') });
cstr('blank?', { 1: (s) => s === null || trimStart(charSeq(s)) === '' });
cstr('includes?', { 2: (s, sub) => charSeq(s).includes(charSeq(sub)) });
cstr('starts-with?', { 2: (s, sub) => charSeq(s).startsWith(charSeq(sub)) });
cstr('ends-with?', { 2: (s, sub) => charSeq(s).endsWith(charSeq(sub)) });
cstr('reverse', { 1: (s) => Array.from(charSeq(s)).reverse().join('') });
cstr('index-of', {
  2: (s, v) => { const i = charSeq(s).indexOf(v instanceof Char ? v.c : charSeq(v)); return i < 0 ? null : i; },
  3: (s, v, from) => { const i = charSeq(s).indexOf(v instanceof Char ? v.c : charSeq(v), toIndex(from)); return i < 0 ? null : i; },
});
cstr('last-index-of', {
  2: (s, v) => { const i = charSeq(s).lastIndexOf(v instanceof Char ? v.c : charSeq(v)); return i < 0 ? null : i; },
  3: (s, v, from) => { const i = charSeq(s).lastIndexOf(v instanceof Char ? v.c : charSeq(v), toIndex(from)); return i < 0 ? null : i; },
});

/** Java's Pattern.split (limit 0 drops trailing empty strings). */
function javaSplit(s, re, limit) {
  const g = globalRegex(re);
  const parts = [];
  let index = 0;
  let from = 0;
  while (from <= s.length) {
    g.lastIndex = from;
    const m = g.exec(s);
    if (m === null) break;
    const start = m.index, end = m.index + m[0].length;
    from = end === start ? end + 1 : end;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue; // no leading empty string for a zero-width match
    parts.push(s.slice(index, start));
    index = end;
  }
  if (index === 0 && parts.length === 0) return [s];
  parts.push(s.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
cstr('split', {
  2: (s, re) => vectorOf(javaSplit(charSeq(s), pattern(re), 0)),
  3: (s, re, limit) => vectorOf(javaSplit(charSeq(s), pattern(re), toIndex(limit))),
});
cstr('split-lines', { 1: (s) => vectorOf(javaSplit(charSeq(s), /\r?\n/, 0)) });

/** Expand a Java replacement string ($1, ${name}, \$) for a match. */
function javaReplacement(rep, m) {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '\\') {
      i++;
      if (i >= rep.length) throw illegalArgument('character to be escaped is missing');
      out += rep[i];
    } else if (c === '$') {
      i++;
      if (i >= rep.length) throw illegalArgument('Illegal group reference: group index is missing');
      if (rep[i] === '{') {
        const close = rep.indexOf('}', i);
        const name = rep.slice(i + 1, close);
        if (close < 0 || !m.groups || !(name in m.groups)) throw illegalArgument(`No group with name {${name}}`);
        out += m.groups[name] ?? '';
        i = close;
      } else {
        if (!/[0-9]/.test(rep[i])) throw illegalArgument('Illegal group reference');
        let g = Number(rep[i]);
        if (g >= m.length) throw new CljError('IndexOutOfBoundsException', `No group ${g}`);
        while (i + 1 < rep.length && /[0-9]/.test(rep[i + 1]) && g * 10 + Number(rep[i + 1]) < m.length) {
          g = g * 10 + Number(rep[++i]);
        }
        out += m[g] ?? '';
      }
    } else out += c;
  }
  return out;
}
function replaceRegex(s, re, rep, firstOnly) {
  const g = globalRegex(re);
  let out = '';
  let last = 0;
  let from = 0;
  while (from <= s.length) {
    g.lastIndex = from;
    const m = g.exec(s);
    if (m === null) break;
    out += s.slice(last, m.index);
    out += typeof rep === 'string' ? javaReplacement(rep, m) : toStr(invoke1(rep, matchResult(m)));
    last = m.index + m[0].length;
    from = m[0] === '' ? last + 1 : last;
    if (firstOnly) break;
  }
  return out + s.slice(last);
}
function strReplace(s, match, rep, firstOnly) {
  s = charSeq(s);
  if (typeof match === 'string') {
    const r = charSeq(rep);
    return firstOnly ? s.replace(match, () => r) : s.split(match).join(r);
  }
  if (match instanceof Char) {
    if (!(rep instanceof Char)) throw castError(rep, 'java.lang.Character');
    return firstOnly ? s.replace(match.c, () => rep.c) : s.split(match.c).join(rep.c);
  }
  if (match instanceof RegExp) {
    if (typeof rep === 'string' || typeof rep === 'function' || rep instanceof PMap || rep instanceof Keyword) {
      return replaceRegex(s, match, rep, firstOnly);
    }
    throw illegalArgument(`Invalid replacement: ${toStr(rep)}`);
  }
  throw illegalArgument(`Invalid match arg: ${toStr(match)}`);
}
cstr('replace', { 3: (s, m, r) => strReplace(s, m, r, false) });
cstr('replace-first', { 3: (s, m, r) => strReplace(s, m, r, true) });
cstr('re-quote-replacement', { 1: (s) => charSeq(s).replace(/[\\$]/g, '\\$&') });
cstr('escape', {
  2: (s, cmap) => {
    let out = '';
    for (const c of charSeq(s)) {
      const r = invoke1(cmap, char(c));
      out += r === null ? c : toStr(r);
    }
    return out;
  },
});
