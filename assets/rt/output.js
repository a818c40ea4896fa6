// Where printing goes: the `out` and `err` sinks the connection installs (each eval's output
// goes back to its session), by default the process's stdout/stderr or the console.

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
export const writeOut = (s) => output.out(s);
export const writeErr = (s) => output.err(s);
