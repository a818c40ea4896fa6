// Interrupts and input: the flag the control worker sets to stop an eval (polled by compiled
// loops at every recur), and where read-line gets its lines.

import { CljError } from './errors.js';
import { currentEvalId } from './fns.js';

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
