// The writers clojure.pprint/cl-format (core/cl-format.js) prints through: the destination
// (a string, *out* or a writer), the column counter ~T and ~& need (Clojure's pretty writer
// counts columns for them) and the case converters of ~( ~). Each has text(s) and char(c):
// Clojure's converters treat a char written alone differently from a string.

import { classCastError } from '../errors.js';
import { className } from '../types.js';
import { satisfies } from '../protocol.js';
import { IWriter, WRITE } from '../core-protocols.js';
import { writeOut } from '../output.js';

/** The destination: a string being built (writer nil), *out* (true), or the writer given. */
export function destination(writer) {
  if (writer === null || writer === false) {
    const parts = [];
    const add = (s) => { parts.push(s); };
    return { text: add, char: add, result: () => parts.join('') };
  }
  const write = writer === true ? writeOut : writeTo(writer);
  return { text: write, char: write, result: () => null };
}

function writeTo(w) {
  if (w !== null && typeof w === 'object' && typeof w.write === 'function') return (s) => { w.write(s); };
  if (satisfies(IWriter, w)) return (s) => { w[WRITE](w, s); };
  throw classCastError(`class ${className(w)} cannot be cast to class java.io.Writer`);
}

/** Counts the column, as Clojure's pretty writer does for ~T and ~&. */
export class Columns {
  constructor(inner) { this.inner = inner; this.column = 0; }
  track(s) {
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + s.length : s.length - nl - 1;
  }
  text(s) { this.track(s); this.inner.text(s); }
  char(c) { this.track(c); this.inner.char(c); }
}

// Java's Character.toUpperCase/toLowerCase keep one char where JS may make two (ß).
export const upperChar = (c) => { const u = c.toUpperCase(); return u.length === 1 ? u : c; };
const lowerChar = (c) => { const l = c.toLowerCase(); return l.length === 1 ? l : c; };
const isLetter = (c) => /\p{L}/u.test(c);
/** Java's Character.isWhitespace (no-break spaces are not). */
const isWhitespace = (c) => /[\t-\r\x1c-\x1f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]/.test(c);

export const downcase = (inner) => ({ text: (s) => inner.text(s.toLowerCase()), char: (c) => inner.char(lowerChar(c)) });
export const upcase = (inner) => ({ text: (s) => inner.text(s.toUpperCase()), char: (c) => inner.char(upperChar(c)) });

/** ~:( ~): each word capitalized, a word starting after whitespace or a non-word char. */
export function capitalizeWords(inner) {
  let afterSpace = true; // across writes: a string that ends in a letter continues its word
  return {
    text(s) {
      let t = s.toLowerCase();
      if (afterSpace && t !== '' && isLetter(t[0])) t = upperChar(t[0]) + t.slice(1);
      inner.text(t.replace(/\W\w/g, (m) => m[0] + upperChar(m[1])));
      if (s !== '') afterSpace = isWhitespace(s[s.length - 1]);
    },
    char(c) {
      inner.char(afterSpace ? upperChar(c) : c);
      afterSpace = isWhitespace(c);
    },
  };
}

/** ~@( ~): the first non-blank character upper-cased, everything else lower-cased. */
export function capitalizeFirst(inner) {
  let capped = false;
  return {
    text(s) {
      const t = s.toLowerCase();
      const i = capped ? -1 : t.search(/[^ \t\n\x0b\f\r]/);
      if (i < 0) { inner.text(t); return; }
      capped = true;
      inner.text(t.slice(0, i) + upperChar(t[i]) + t.slice(i + 1));
    },
    char(c) {
      if (!capped && isLetter(c)) { capped = true; inner.char(upperChar(c)); } else inner.char(lowerChar(c));
    },
  };
}
