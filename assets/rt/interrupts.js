// Interrupts and input: the flag the control worker sets to stop an eval (polled by compiled
// loops at every recur), and where read-line gets its lines.

import { CljError } from './errors.js';
import { currentEvalId } from './fns.js';
import { defInterface, defType } from './types.js';

/** The interrupt flag shared with the control worker (an Int32Array; index 0), or null. */
let signal = null;
export function setSignal(flags) { signal = flags; }

/**
 * Polled by compiled loops at every `recur` (the ABI's poll): throws when the user has
 * interrupted this eval (the flag holds the id of the eval to stop). The flag is cleared so
 * the next eval runs.
 */
export function poll() {
  if (signal !== null && signal[0] !== 0 && (signal[0] >>> 0) === currentEvalId()) {
    Atomics.store(signal, 0, 0);
    throw new CljError('InterruptedException', 'Evaluation interrupted');
  }
}

/** Where read-line gets a line (null at end of input); the connection installs one. */
let lineSource = () => {
  throw new CljError('UnsupportedOperationException', 'read-line: this runtime has no input channel');
};
export function setLineSource(source) {
  const previous = lineSource;
  lineSource = source;
  return previous;
}
export const readLine = () => lineSource();

// --- readers: *in*, and the java.io readers code builds to read forms from a string ------------

/**
 * Text to read from, a chunk at a time (java.io.Reader): `buffer` holds what is not read yet,
 * `more()` gives the next chunk, or null at the end.
 */
export class TextReader {
  constructor(text = '', more = () => null) {
    this.buffer = text;
    this.more = more;
  }
  /** Adds the next chunk to the buffer; false at the end. */
  fill() {
    const chunk = this.more();
    if (chunk === null || chunk === undefined) return false;
    this.buffer += chunk;
    return true;
  }
  /** All the text not read yet, taken (what a reader wrapping this one reads). */
  takeChunk() {
    if (this.buffer === '' && !this.fill()) return null;
    const text = this.buffer;
    this.buffer = '';
    return text;
  }
  /** The next char code, or -1 at the end (java.io.Reader's read). */
  read() {
    if (this.buffer === '' && !this.fill()) return -1;
    const c = this.buffer.charCodeAt(0);
    this.buffer = this.buffer.slice(1);
    return c;
  }
  unread(c) { this.buffer = String.fromCharCode(Number(c)) + this.buffer; return null; }
  close() { return null; }
}
/** `(java.io.StringReader. s)` */
export class StringReader extends TextReader {
  constructor(s) { super(String(s)); }
}
/** `(java.io.PushbackReader. reader)` and Clojure's LineNumberingPushbackReader: over another reader. */
export class PushbackReader extends TextReader {
  constructor(reader) {
    if (!(reader instanceof TextReader)) throw new CljError('IllegalArgumentException', 'No matching ctor found for class java.io.PushbackReader');
    super('', () => reader.takeChunk());
  }
}
export class LineNumberingPushbackReader extends PushbackReader {}
defInterface('java.io.Reader', ['java.io.Closeable']);
defType('java.io.StringReader', ['java.io.Reader'], { ctor: StringReader });
defType('java.io.PushbackReader', ['java.io.Reader'], { ctor: PushbackReader });
defType('clojure.lang.LineNumberingPushbackReader', ['java.io.PushbackReader'], { ctor: LineNumberingPushbackReader });

/** `*in*`: the lines read-line reads (the editor's stdin, or with-in-str's string). */
export const IN = new LineNumberingPushbackReader(new TextReader('', () => {
  const line = lineSource();
  return line === null ? null : `${line}\n`;
}));
