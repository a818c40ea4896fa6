// The bottom of the runtime: nil and truth, and the exceptions the runtime throws.
//
// Nothing here knows any Clojure type: messages that name a value's class are built by the
// layers above (types.js has castError), which pass the class name in.

/** Normalise undefined (from host code) to nil. */
export const nu = (x) => (x === undefined ? null : x);

/** Clojure truthiness: everything but nil and false. */
export const truthy = (x) => x !== null && x !== false && x !== undefined;

/**
 * The message of the ArithmeticException thrown when long arithmetic overflows (Clojure 1.11's
 * Math.addExact and friends; Clojure up to 1.10 said "integer overflow").
 */
export const OVERFLOW_MESSAGE = 'long overflow';

/**
 * A Clojure exception. `cls` is the simple class name the REPL reports
 * ("ArithmeticException", "ExceptionInfo", ...), `cljMessage` the message (null when the
 * exception has none), `data` the ex-info map, `cause` the wrapped exception. Its class (for
 * `class`, `instance?` and `catch`) is the exception class of that name (types.js).
 */
export class CljError extends Error {
  constructor(cls, message = null, data = null, cause = null) {
    super(message === null || message === undefined ? '' : String(message),
      cause !== null && cause !== undefined ? { cause } : undefined);
    this.cls = cls;
    this.cljMessage = message === undefined ? null : message;
    this.data = data;
  }
  get name() { return this.cls; }
}

/** A Throwable's message, as getMessage and ex-message give it: nil when it has none. */
export const errorMessage = (e) => (e instanceof CljError ? e.cljMessage : e.message ?? null);

const err = (cls) => (msg = null) => new CljError(cls, msg);
export const arithmeticError = err('ArithmeticException');
export const classCastError = err('ClassCastException');
export const illegalArgument = err('IllegalArgumentException');
export const illegalState = err('IllegalStateException');
export const indexOutOfBounds = err('IndexOutOfBoundsException');
export const unsupportedOperation = err('UnsupportedOperationException');
export const nullPointer = err('NullPointerException');
export const numberFormat = err('NumberFormatException');
export const overflow = () => new CljError('ArithmeticException', OVERFLOW_MESSAGE);
export const divideByZero = () => new CljError('ArithmeticException', 'Divide by zero');

/** `Wrong number of args (n) passed to: name`. */
export function arityError(n, name) {
  return new CljError('ArityException', `Wrong number of args (${n}) passed to: ${name}`);
}
