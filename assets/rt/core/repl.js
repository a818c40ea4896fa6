// clojure.core: namespaces and the REPL's dynamic vars, regexes, interop fns, read-line;
// clojure.stacktrace; and the helpers the compiler's macros expand to (jank.runtime).

import { CljError } from '../errors.js';
import { errorInfo, castError } from '../types.js';
import { settings, printLimit, prStr, toStr } from '../print.js';
import { Sym, keyword, lookupIn } from '../scalars.js';
import { listOf, toArray } from '../seqs.js';
import { mapOf, hashMapOf, MapBuilder, entryParts } from '../hashmap.js';
import {
  Namespace, namespaceNamed, findNamespace, allNamespaces, removeNamespace,
} from '../refs.js';
import { regex, reFind, reMatches, reSeq, Matcher } from '../regex.js';
import { cljToJs, jsToClj, keywordizeOption } from '../interop.js';
import { readLine, IN } from '../interrupts.js';
import { setOutput, writeOut, setOutWriter, OUT, ERR } from '../output.js';
import { invoke0 } from '../fns.js';
import { core, coreLib, defn, internal, libraries, stacktraceLib } from './lib.js';

// --- namespaces --------------------------------------------------------------------------

const nsName = (x) => (x instanceof Sym ? x.fqn : x instanceof Namespace ? x.name : toStr(x));
core('find-ns', { 1: (sym) => findNamespace(nsName(sym)) });
function theNs(x) {
  const ns = x instanceof Namespace ? x : findNamespace(nsName(x));
  if (ns === null) throw new CljError('Exception', `No namespace: ${nsName(x)} found`);
  return ns;
}
core('the-ns', { 1: theNs });

/**
 * The vars a namespace interned that pass `keep`, by name, in Clojure's order: its mappings
 * are a hash map, filtered into a new map. The library's namespaces (clojure.core, ...) are
 * JS modules whose vars exist only once code names them, so they are refused.
 */
function internsOf(x, fnName, keep) {
  const ns = theNs(x);
  if (libraries[ns.name] !== undefined) {
    throw new CljError('UnsupportedOperationException',
      `${fnName} of ${ns.name} is not supported: its vars are the runtime library's, which are made as code names them`);
  }
  const all = hashMapOf([...ns.interns].flatMap(([name, v]) => [new Sym(null, name), v]));
  const kept = new MapBuilder();
  for (const entry of toArray(all)) {
    const [name, v] = entryParts(entry);
    if (keep(v)) kept.assoc(name, v);
  }
  return kept.persistent();
}
const PRIVATE = keyword(null, 'private');
const isPublic = (v) => lookupIn(v.meta, PRIVATE, null) !== true;
core('ns-interns', { 1: (ns) => internsOf(ns, 'ns-interns', () => true) });
core('ns-publics', { 1: (ns) => internsOf(ns, 'ns-publics', isPublic) });
core('create-ns', { 1: (sym) => namespaceNamed(nsName(sym)) });
core('remove-ns', { 1: (sym) => removeNamespace(nsName(sym)) });
core('ns-name', { 1: (ns) => new Sym(null, nsName(ns)) });
core('all-ns', { 0: () => listOf(allNamespaces()) });
core('clojure-version', { 0: () => '1.11.1' });

// --- dynamic vars ----------------------------------------------------------------------

/**
 * The dynamic vars editors and libraries set or read; their roots start as in Clojure's REPL
 * (which binds *print-namespace-maps* to true). The runtime reads the print settings from
 * them (`dynamicVarChanged`).
 */
export const DYNAMIC_DEFAULTS = {
  '*ns*': namespaceNamed('user'),
  '*file*': 'NO_SOURCE_PATH',
  '*print-length*': null,
  '*print-level*': null,
  '*print-meta*': false,
  '*print-dup*': false,
  '*print-readably*': true,
  '*print-namespace-maps*': true,
  '*flush-on-newline*': true,
  '*warn-on-reflection*': false,
  '*unchecked-math*': false,
  '*assert*': true,
  '*out*': OUT,
  '*err*': ERR,
  '*in*': IN,
  '*read-eval*': true,
  '*data-readers*': mapOf(),
  '*default-data-reader-fn*': null,
  '*1': null,
  '*2': null,
  '*3': null,
  '*e': null,
  '*command-line-args*': null,
  '*clojure-version*': mapOf(keyword('major'), 1, keyword('minor'), 11, keyword('incremental'), 1, keyword('qualifier'), null),
};
for (const [name, value] of Object.entries(DYNAMIC_DEFAULTS)) coreLib[name] = value;

/** A dynamic var of clojure.core got a new value: the library (and the printer) follow it. */
export function dynamicVarChanged(name, value) {
  if (!Object.prototype.hasOwnProperty.call(DYNAMIC_DEFAULTS, name)) return;
  coreLib[name] = value;
  switch (name) {
    case '*print-length*': settings.length = printLimit(value); break;
    case '*print-level*': settings.level = printLimit(value); break;
    case '*print-meta*': settings.meta = value !== null && value !== false; break;
    case '*print-namespace-maps*': settings.namespaceMaps = value !== null && value !== false; break;
    case '*out*': setOutWriter(value); break;
  }
}
dynamicVarChanged('*print-namespace-maps*', true);

// --- regexes, interop, input -------------------------------------------------------

core('re-pattern', { 1: (s) => (s instanceof RegExp ? s : regex(s)) });
core('re-find', { 1: (m) => { if (!(m instanceof Matcher)) throw castError(m, 'java.util.regex.Matcher'); return reFind(m); }, 2: reFind });
core('re-matcher', { 2: (re, s) => new Matcher(re, s) });
core('re-groups', { 1: (m) => { if (!(m instanceof Matcher)) throw castError(m, 'java.util.regex.Matcher'); return m.groups(); } });
core('re-matches', { 2: reMatches });
core('re-seq', { 2: reSeq });
core('clj->js', { 1: cljToJs });
core('js->clj', { 1: (x) => jsToClj(x, false), va: (args) => jsToClj(args[0], keywordizeOption(mapOf(...args.slice(1)))), vmin: 1 });
core('read-line', { 0: readLine });

// --- clojure.stacktrace --------------------------------------------------------------

const rootCause = (e) => {
  let cause = e;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause;
};
const printThrowable = (e) => {
  if (e === null) return null;
  const { cls, message } = errorInfo(e);
  const data = e instanceof CljError && e.data !== null ? ` ${prStr(e.data)}` : '';
  writeOut(`${cls}: ${message ?? prStr(e)}${data}\n`);
  return null;
};
const printCauseTrace = (e) => {
  for (let cause = e; cause instanceof Error; cause = cause.cause) {
    if (cause !== e) writeOut('Caused by: ');
    printThrowable(cause);
  }
  return null;
};
const stacktrace = (name, arities) => defn(stacktraceLib, 'clojure.stacktrace', name, arities);
stacktrace('root-cause', { 1: rootCause });
stacktrace('print-throwable', { 1: printThrowable });
stacktrace('print-stack-trace', { 1: printThrowable, 2: printThrowable });
stacktrace('print-cause-trace', { 1: printCauseTrace, 2: printCauseTrace });

// --- what the macros expand to ------------------------------------------------------

internal('time-call', {
  1: (thunk) => {
    const started = performance.now();
    const value = invoke0(thunk);
    writeOut(`"Elapsed time: ${(performance.now() - started).toFixed(6)} msecs"\n`);
    return value;
  },
});
internal('assertion-error', { 1: (message) => new CljError('AssertionError', message) });

