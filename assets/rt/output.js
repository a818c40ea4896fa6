// Where printing goes: the `out` and `err` sinks the connection installs (each eval's output
// goes back to its session), by default the process's stdout/stderr or the console; and the
// writers `*out*` and `*err*` hold, so `(binding [*out* *err*] ...)` and
// `(binding [*out* (java.io.StringWriter.)] ...)` send printing where Clojure sends it.

import { CljError } from './errors.js';
import { defInterface, defType } from './types.js';
import { Writer } from './print.js';

let lineBuffers = { out: '', err: '' };
function defaultWrite(which, s) {
  const p = globalThis.process;
  const stream = p && (which === 'err' ? p.stderr : p.stdout);
  if (stream && typeof stream.write === 'function') { stream.write(s); return; }
  // browser: console.log whole lines
  const buf = lineBuffers[which] + s;
  const lines = buf.split('\n');
  lineBuffers[which] = lines.pop();
  for (const l of lines) (which === 'err' ? console.error : console.log)(l);
}
let output = { out: (s) => defaultWrite('out', s), err: (s) => defaultWrite('err', s) };

/**
 * Install output sinks: `{out(text), err(text)}` (either may be omitted). println, print,
 * prn, pr and newline write to `out`. Returns the previous sinks (to restore them).
 */
export function setOutput(sinks = {}) {
  const prev = output;
  output = { out: sinks.out ?? prev.out, err: sinks.err ?? prev.err };
  return prev;
}

/** A writer onto one of the sinks (`out` or `err`): what `*out*` and `*err*` start as. */
export class SinkWriter {
  constructor(sink) { this.sink = sink; }
  write(x) {
    output[this.sink](typeof x === 'number' ? String.fromCharCode(x) : String(x));
    return null;
  }
  append(x) { this.write(x); return this; }
  flush() { return null; }
  close() { return null; }
}
defInterface('java.io.Writer', ['java.io.Closeable']);
defType('java.io.PrintWriter', ['java.io.Writer'], { ctor: SinkWriter });
export const OUT = new SinkWriter('out');
export const ERR = new SinkWriter('err');

/** What `*out*` holds now: printing fns write there. */
let out = OUT;
export function setOutWriter(writer) {
  if (!(writer instanceof SinkWriter || writer instanceof Writer)) {
    throw new CljError('ClassCastException', '*out* must be a java.io.Writer: *err*, *out* or a java.io.StringWriter');
  }
  out = writer;
}
export const writeOut = (s) => (out === OUT ? output.out(s) : out.write(s));
export const writeErr = (s) => output.err(s);
