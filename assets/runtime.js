// jank-wasm-nrepl runtime: the library compiled patches run against. One ES module entry for
// the browser page and for Node 20; the code lives in layered modules under rt/ (see
// ARCHITECTURE.md, "The runtime library"), each importing only the layers below it:
//
//   errors, hash -> types -> protocol -> core-protocols -> numbers -> equality -> print
//   -> scalars -> reduced -> seqs -> vector -> hashmap-nodes, hashmap -> set -> sorted
//   -> colls -> fns -> refs -> deftype, multi, interop, regex, output, interrupts
//   -> core/* (the clojure.core library by section) -> patch (the Runtime)
//
// The contract with compiled patches is docs/patch-abi.md.

import { installAll } from './rt/protocol.js';
import './rt/core/arith.js';
import './rt/core/preds.js';
import './rt/core/strings.js';
import './rt/core/format.js';
import './rt/core/host.js';
import './rt/core/values.js';
import './rt/core/edn.js';
import './rt/core/colls.js';
import './rt/core/seqfns.js';
import './rt/core/reduce.js';
import './rt/core/fns.js';
import './rt/core/refs.js';
import './rt/core/types.js';
import './rt/core/repl.js';
import './rt/core/pprint.js';
import './rt/core/cl-format.js';
import './rt/core/eval.js';
import './rt/core/statics.js';
import { libraries } from './rt/core/lib.js';
import { listOf } from './rt/seqs.js';
import { vectorOf } from './rt/vector.js';
import { mapOf } from './rt/hashmap.js';
import { setOf } from './rt/set.js';

// Every type and protocol is defined now: resolve and install all their methods once.
installAll();

export { Runtime, rtImportNames, CODE_STRIDE, SMALL_LONGS, readPatchMeta } from './rt/patch.js';
export { nu, truthy, CljError, OVERFLOW_MESSAGE } from './rt/errors.js';
export { errorInfo, className, typeOf, classNamed, classNames, Type } from './rt/types.js';
export { Protocol, extend, satisfies } from './rt/protocol.js';
export * as protocols from './rt/core-protocols.js';
export {
  add, sub, mul, div, quot, rem, mod, lt, gt, lte, gte, numEquiv, dbl, Dbl, Ratio, BigNum,
  MAX_LONG, MIN_LONG, doubleToString, toDouble,
} from './rt/numbers.js';
export { equiv, hasheq, compare, javaHash } from './rt/equality.js';
export { prStr, printStr, toStr, printWith, printForm } from './rt/print.js';
export { prettyText } from './rt/pretty.js';
export { Keyword, Sym, Char, keyword, symbol, char } from './rt/scalars.js';
export {
  seq, first, next, rest, toArray, listOf, lazySeq, LazySeq, Cons, EMPTY_LIST, IndexedSeq,
} from './rt/seqs.js';
export { Reduced } from './rt/reduced.js';
export { PVector, EMPTY_VECTOR, vectorOf, MapEntry } from './rt/vector.js';
export { PMap, EMPTY_MAP, EMPTY_HASH_MAP, mapOf, arrayMapOf, hashMapOf } from './rt/hashmap.js';
export { PSet, EMPTY_SET, setOf } from './rt/set.js';
export { count, get, nth, conj, assoc, dissoc, contains } from './rt/colls.js';
export {
  fnNew, fnArity, fnCapture, fnCaptured, invoke, invokeArray, invoke0, invoke1, invoke2, invoke3,
  invoke4, applyTo, currentEvalId, withEval,
  setCallbackErrorReporter,
} from './rt/fns.js';
export { Atom, Var, Unbound, Namespace, namespaceNamed } from './rt/refs.js';
export { regex } from './rt/regex.js';
export { setOutput, writeOut, writeErr } from './rt/output.js';
export { setSignal, setLineSource, poll } from './rt/interrupts.js';
export { setCompilerLink } from './rt/compiler-link.js';
export { libraries, coreLib, stringLib } from './rt/core/lib.js';
export { dynamicVarChanged } from './rt/core/repl.js';

/** The names this runtime implements, per namespace. */
export const coreNames = Object.fromEntries(
  Object.entries(libraries).map(([ns, lib]) => [ns, Object.keys(lib).sort()]),
);

// Constructors for host code and tests.
export const list = (...xs) => listOf(xs);
export const vector = (...xs) => vectorOf(xs);
export const hashMap = mapOf;
export const hashSet = setOf;
