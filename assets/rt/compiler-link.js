// The server's compiler, reached from running code: `eval`, `load-string`, `macroexpand`,
// a `require` of a computed name and the namespace fns (`find-var`, `intern`, `ns-map`, ...)
// ask it a question and wait for the answer, as Clojure's own fns call its compiler. The
// connection (connection.js) installs the link: each question goes over the control channel
// and the main thread blocks until the answer comes back (docs/patch-abi.md, "Questions to
// the compiler"). Without a control channel there is no link, and these fns say so.

import { CljError } from './errors.js';

let link = null;

/**
 * Installs the link: `ask(request)` answers one question (a plain object with a `what`),
 * running any patch the answer carries and returning its value as `result`, or throws
 * the compiler's error; `varOf(slot, ns, name)` is the runtime's Var for a slot the
 * compiler names. Returns the previous link.
 */
export function setCompilerLink(next) {
  const previous = link;
  link = next;
  return previous;
}

function theLink(what) {
  if (link === null) {
    throw new CljError('UnsupportedOperationException',
      `${what} needs the compiler, and this runtime has no channel to it (it has no control worker: a page must be cross-origin isolated)`);
  }
  return link;
}

/** Whether running code can ask the compiler. */
export const hasCompilerLink = () => link !== null;

/** Asks the compiler `request` on behalf of the fn named `what`; the answer. */
export function askCompiler(what, request) {
  return theLink(what).ask(request);
}

/** The Var for `[slot, ns, name]` as the compiler answers a var. */
export function compiledVar(what, [slot, ns, name]) {
  return theLink(what).varOf(Number(slot), ns, name);
}

/** The value of a constant (docs/patch-abi.md's encoding) in an answer. */
export function decodeConstant(what, constant) {
  return theLink(what).decode(constant);
}
