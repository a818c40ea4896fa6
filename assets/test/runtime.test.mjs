// Tests for assets/runtime.js and assets/connection.js: node --test assets/test/
// Patches are real WebAssembly modules, assembled by the small writer below.

import test, { describe } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../runtime.js';
import { connect } from '../connection.js';

const { prStr, printStr, toStr, keyword: kw, symbol: sym, char: ch, list, vector: vec, hashMap, hashSet } = R;

// ---------------------------------------------------------------------------------------
// A tiny WebAssembly binary writer (type/import/function/export/element/code sections and
// custom sections), enough to hand-assemble patches.
// ---------------------------------------------------------------------------------------


const enc = new TextEncoder();

const E = 0x6f; // externref
const I32 = 0x7f;
const FUNCREF = 0x70;

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

const wname = (s) => { const b = [...enc.encode(s)]; return [...uleb(b.length), ...b]; };
const wvec = (items) => [...uleb(items.length), ...items.flat()];
const wsection = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const functype = (params, results) => [0x60, ...wvec(params.map((p) => [p])), ...wvec(results.map((r) => [r]))];

/** Instructions (each returns an array of bytes). */
const op = {
  i32: (n) => [0x41, ...sleb(n)],
  globalGet: (i) => [0x23, ...uleb(i)],
  tableGet: (t = 0) => [0x25, ...uleb(t)],
  tableSet: (t = 0) => [0x26, ...uleb(t)],
  call: (f) => [0x10, ...uleb(f)],
  refFunc: (f) => [0xd2, ...uleb(f)],
  localGet: (i) => [0x20, ...uleb(i)],
  ifE: [0x04, E],
  else: [0x05],
  end: [0x0b],
  drop: [0x1a],
};

/**
 * Assemble a module.
 *   imports: [{module, name, kind: 'func', params, results} | {module, name, kind: 'table', min}
 *             | {module, name, kind: 'global'}]   (globals are immutable externref)
 *   funcs:   [{name, params, results, body: (ix) => bytes, export?}]
 *            ix.fn(name) is a function index (imported or defined), ix.global(name) a global index
 *   custom:  {name: string|object} custom sections (objects are JSON-encoded)
 * Every defined function is declared in a declarative element segment, so ref.func works.
 */
function assemble({ imports = [], funcs = [], custom = {} }) {
  const types = [];
  const importBytes = [];
  const fnIndex = new Map();
  const globalIndex = new Map();
  let nfuncs = 0, nglobals = 0;
  for (const imp of imports) {
    const head = [...wname(imp.module), ...wname(imp.name)];
    if (imp.kind === 'func') {
      types.push(functype(imp.params, imp.results));
      importBytes.push([...head, 0x00, ...uleb(types.length - 1)]);
      fnIndex.set(imp.name, nfuncs++);
    } else if (imp.kind === 'table') {
      importBytes.push([...head, 0x01, E, 0x00, ...uleb(imp.min)]);
    } else if (imp.kind === 'global') {
      importBytes.push([...head, 0x03, E, 0x00]);
      globalIndex.set(`${imp.module}.${imp.name}`, nglobals++);
    }
  }
  const firstDefined = nfuncs;
  funcs.forEach((f, i) => fnIndex.set(f.name, firstDefined + i));
  const ix = {
    fn: (n) => { if (!fnIndex.has(n)) throw new Error(`no function ${n}`); return fnIndex.get(n); },
    global: (n) => { if (!globalIndex.has(n)) throw new Error(`no global ${n}`); return globalIndex.get(n); },
  };
  const funcTypes = funcs.map((f) => { types.push(functype(f.params, f.results)); return uleb(types.length - 1); });
  const exportsBytes = funcs.filter((f) => f.export).map((f) => [...wname(f.export), 0x00, ...uleb(ix.fn(f.name))]);
  const codes = funcs.map((f) => {
    const body = [0x00 /* no locals */, ...f.body(ix), 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...wsection(1, wvec(types)));
  bytes.push(...wsection(2, wvec(importBytes)));
  bytes.push(...wsection(3, wvec(funcTypes)));
  bytes.push(...wsection(7, wvec(exportsBytes)));
  if (funcs.length > 0) {
    const all = funcs.map((_, i) => uleb(firstDefined + i));
    bytes.push(...wsection(9, [...uleb(1), 0x03, 0x00, ...wvec(all)]));
  }
  bytes.push(...wsection(10, wvec(codes)));
  for (const [cname, content] of Object.entries(custom)) {
    const data = typeof content === 'string' ? content : JSON.stringify(content);
    bytes.push(...wsection(0, [...wname(cname), ...enc.encode(data)]));
  }
  return new Uint8Array(bytes);
}

/** Import descriptors for module "rt" by name (the ABI's signatures). */
function rtImport(n, tableMin = 0) {
  if (n === 'vars') return { module: 'rt', name: 'vars', kind: 'table', min: tableMin };
  const sig = {
    truthy: [[E], [I32]],
    add: [[E, E], [E]], sub: [[E, E], [E]], mul: [[E, E], [E]], div: [[E, E], [E]],
    lt: [[E, E], [E]], gt: [[E, E], [E]], lte: [[E, E], [E]], gte: [[E, E], [E]],
    num_eq: [[E, E], [E]], equiv: [[E, E], [E]],
    fn_new: [[E, I32], [E]],
    fn_arity: [[E, I32, I32, FUNCREF], [E]],
    fn_capture: [[E, I32, E], [E]],
    fn_captured: [[E, I32], [E]],
    throw: [[E], [E]],
  }[n];
  const m = /^invoke(\d+)$/.exec(n);
  const [params, results] = sig ?? (m ? [[E, ...Array(Number(m[1])).fill(E)], [E]] : null);
  if (!params) throw new Error(`unknown rt import ${n}`);
  return { module: 'rt', name: n, kind: 'func', params, results };
}

/** Import descriptors for constants k/0..k/(n-1). */
const constImports = (n) => Array.from({ length: n }, (_, i) => ({ module: 'k', name: String(i), kind: 'global' }));

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Assert that fn throws a CljError of class cls (and message, when given). */
function throwsClj(fn, cls, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof R.CljError, `expected a CljError, got ${e && e.stack}`);
    assert.equal(e.cls, cls);
    if (message !== undefined) assert.equal(e.cljMessage, message);
    return true;
  });
}

const core = R.coreLib;
const cstr = R.stringLib;
const call = (name, ...args) => core[name](...args);

// ---------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------

describe('printer', () => {
  test('scalars', () => {
    assert.equal(prStr(null), 'nil');
    assert.equal(prStr(undefined), 'nil');
    assert.equal(prStr(true), 'true');
    assert.equal(prStr(false), 'false');
    assert.equal(prStr(42n), '42');
    assert.equal(prStr(-7n), '-7');
    assert.equal(prStr(R.MIN_LONG), '-9223372036854775808');
    assert.equal(prStr(R.div(1n, 2n)), '1/2');
    assert.equal(prStr(R.div(-6n, 4n)), '-3/2');
    assert.equal(prStr(new R.BigNum(5n)), '5N');
    assert.equal(prStr('a\nb'), '"a\\nb"');
    assert.equal(prStr('q"\\\t\r'), '"q\\"\\\\\\t\\r"');
    assert.equal(prStr('é'), '"é"');
    assert.equal(prStr(ch('a')), '\\a');
    assert.equal(prStr(ch('\n')), '\\newline');
    assert.equal(prStr(ch(' ')), '\\space');
    assert.equal(prStr(ch('\t')), '\\tab');
    assert.equal(prStr(kw('k')), ':k');
    assert.equal(prStr(kw('a', 'b')), ':a/b');
    assert.equal(prStr(sym('sym')), 'sym');
    assert.equal(prStr(sym('a', 'b')), 'a/b');
    assert.equal(prStr(R.regex('a"b\\d')), '#"a\\"b\\d"');
  });

  test('doubles print like Java', () => {
    const cases = [
      [1.0, '1.0'], [1000.0, '1000.0'], [0.5, '0.5'], [1e21, '1.0E21'], [0.00001, '1.0E-5'],
      [1e7, '1.0E7'], [9999999.0, '9999999.0'], [0.001, '0.001'], [0.0009, '9.0E-4'], [-0.0, '-0.0'],
      [0.0, '0.0'], [123456789012.5, '1.234567890125E11'], [12345678.9, '1.23456789E7'],
      [0.1 + 0.2, '0.30000000000000004'], [1.7976931348623157e308, '1.7976931348623157E308'],
      [5e-324, '4.9E-324'], [1e-320, '1.0E-320'], [100.0, '100.0'], [-1.5e-7, '-1.5E-7'],
      [Infinity, '##Inf'], [-Infinity, '##-Inf'], [NaN, '##NaN'],
    ];
    for (const [x, s] of cases) assert.equal(prStr(x), s, `prStr(${x})`);
    assert.equal(toStr(Infinity), 'Infinity');
    assert.equal(toStr(NaN), 'NaN');
    assert.equal(toStr(1e21), '1.0E21');
  });

  test('collections', () => {
    assert.equal(prStr(list(1n, 2n)), '(1 2)');
    assert.equal(prStr(R.EMPTY_LIST), '()');
    assert.equal(prStr(list()), '()');
    assert.equal(prStr(vec(1n, 2n, vec(3n))), '[1 2 [3]]');
    assert.equal(prStr(hashMap(kw('a'), 1n, kw('b'), 'x')), '{:a 1, :b "x"}');
    assert.equal(prStr(hashSet(1n)), '#{1}');
    assert.equal(prStr(R.EMPTY_MAP), '{}');
    assert.equal(prStr(R.EMPTY_SET), '#{}');
    assert.equal(prStr(R.EMPTY_VECTOR), '[]');
    assert.equal(prStr(call('seq', hashMap(kw('a'), 1n))), '([:a 1])');
    assert.equal(prStr(call('take', 5n, call('range'))), '(0 1 2 3 4)');
    assert.equal(prStr(call('map', core.inc, vec())), '()');
    assert.equal(prStr(vec('a', ch('b'), null)), '["a" \\b nil]');
  });

  test('print and str semantics', () => {
    const v = vec('a', ch('b'), list('c'), hashMap('k', 'v'));
    assert.equal(printStr(v), '[a b (c) {k v}]');
    assert.equal(printStr('x'), 'x');
    assert.equal(printStr(null), 'nil');
    assert.equal(printStr(Infinity), '##Inf');
    assert.equal(toStr(null), '');
    assert.equal(toStr(ch('c')), 'c');
    assert.equal(toStr(v), '["a" \\b ("c") {"k" "v"}]');
    assert.equal(toStr(kw('a', 'b')), ':a/b');
    assert.equal(toStr(new R.BigNum(3n)), '3');
    assert.equal(call('str', null, 'a', 1n, 1.5, ch('c'), kw('k'), sym('s'), R.div(1n, 2n)), 'a11.5c:ks1/2');
    // Clojure prints a LazySeq's str as Object.toString, with Java's hashCode
    assert.equal(toStr(call('map', core.inc, vec(1n, 2n))), 'clojure.lang.LazySeq@402');
    assert.equal(toStr(call('range', 3n)), '(0 1 2)');
    assert.equal(call('pr-str', 1n, 'a'), '1 "a"');
    assert.equal(call('print-str', null, 'a', vec(1n, 'a'), ch('c')), 'nil a [1 a] c');
    assert.equal(call('prn-str', 'a', 1n), '"a" 1\n');
    assert.equal(call('println-str', 1n, 2n), '1 2\n');
  });

  test('reference types and fns', () => {
    const f = R.fnNew('user/f', 0);
    assert.match(prStr(f), /^#object\[user\$f 0x([0-9a-f]+) "user\$f@\1"\]$/);
    assert.match(printStr(f), /^#object\[user\$f 0x([0-9a-f]+) user\$f@\1\]$/);
    assert.match(toStr(f), /^user\$f@[0-9a-f]+$/);
    assert.match(prStr(core.inc), /^#object\[clojure\.core\$inc 0x[0-9a-f]+ "clojure\.core\$inc@[0-9a-f]+"\]$/);
    assert.match(prStr(core['swap!']), /^#object\[clojure\.core\$swap_BANG_ /);
    assert.match(prStr(R.fnNew('my-fn?', 0, 'my.ns')), /^#object\[my\.ns\$my_fn_QMARK_ /);
    assert.match(prStr(R.fnNew(null, 0, 'user')), /^#object\[user\$fn__\d+ /);
    assert.match(prStr(call('atom', 1n)), /^#object\[clojure\.lang\.Atom 0x[0-9a-f]+ \{:status :ready, :val 1\}\]$/);
    const rt = new R.Runtime();
    rt.registerVars({ table_size: 1, vars: [[0, 'user', 'f']] });
    assert.equal(prStr(rt.varAt(0)), "#'user/f");
    assert.equal(toStr(rt.varAt(0)), "#'user/f");
    assert.match(prStr(rt.varAt(0).deref()), /^#object\[clojure\.lang\.Var\$Unbound 0x[0-9a-f]+ "Unbound: #'user\/f"\]$/);
    const e = call('ex-info', 'boom', hashMap(kw('a'), 1n));
    assert.equal(prStr(e), '#error {\n :cause "boom"\n :data {:a 1}\n :via\n [{:type clojure.lang.ExceptionInfo\n   :message "boom"\n   :data {:a 1}}]\n :trace\n []}');
    assert.equal(toStr(e), 'clojure.lang.ExceptionInfo: boom {:a 1}');
  });
});

// ---------------------------------------------------------------------------------------
// Equality and hashing
// ---------------------------------------------------------------------------------------

describe('equality', () => {
  const eq = R.equiv;
  test('=', () => {
    assert.equal(eq(vec(1n, 2n), list(1n, 2n)), true);
    assert.equal(eq(list(1n, 2n), vec(1n, 2n)), true);
    assert.equal(eq(1n, 1.0), false);
    assert.equal(eq(1n, new R.BigNum(1n)), true);
    assert.equal(eq(R.div(1n, 2n), 0.5), false);
    assert.equal(eq(0.0, -0.0), true);
    assert.equal(eq(NaN, NaN), false);
    assert.equal(eq(R.EMPTY_LIST, R.EMPTY_VECTOR), true);
    assert.equal(eq(null, R.EMPTY_LIST), false);
    assert.equal(eq('a', ch('a')), false);
    assert.equal(eq(sym('a', 'b'), sym('a', 'b')), true);
    assert.equal(eq(kw('a'), kw('a')), true);
    assert.equal(kw('a', 'b') === kw('a', 'b'), true);
    assert.equal(eq(hashMap(kw('a'), vec(1n)), hashMap(kw('a'), list(1n))), true);
    assert.equal(eq(hashSet(1n, 2n), hashSet(2n, 1n)), true);
    assert.equal(eq(hashMap(), hashSet()), false);
    assert.equal(eq(call('map', core.inc, vec(1n, 2n)), vec(2n, 3n)), true);
    assert.equal(eq(call('range', 3n), vec(0n, 1n, 2n)), true);
    assert.equal(eq(vec(1n), vec(1n, 2n)), false);
  });

  test('==', () => {
    assert.equal(R.numEquiv(1n, 1.0), true);
    assert.equal(R.numEquiv(R.div(1n, 2n), 0.5), true);
    assert.equal(R.numEquiv(NaN, NaN), false);
    throwsClj(() => R.numEquiv(1n, kw('a')), 'ClassCastException', 'class clojure.lang.Keyword cannot be cast to class java.lang.Number');
  });

  test('maps and sets are keyed by value', () => {
    const m = hashMap(vec(1n, 2n), 'v', 1n, 'long', kw('k'), 'kw');
    assert.equal(m.get(list(1n, 2n)), 'v');
    assert.equal(m.get(new R.BigNum(1n)), 'long');
    assert.equal(m.get(1.0), null);
    assert.equal(call('get', m, kw('k')), 'kw');
    assert.equal(hashSet(vec(1n)).contains(list(1n)), true);
    assert.equal(call('count', hashSet(1n, 1n, new R.BigNum(1n), 2n)), 2n);
    // large maps (hashed representation) too
    let big = R.EMPTY_MAP;
    for (let i = 0n; i < 100n; i++) big = R.assoc(big, vec(i, 'x'), i);
    assert.equal(big.count(), 100);
    assert.equal(big.get(list(42n, 'x')), 42n);
    assert.equal(R.dissoc(big, vec(42n, 'x')).count(), 99);
    assert.equal(eq(big, R.dissoc(big, vec(42n, 'x'))), false);
    assert.equal(eq(big, R.assoc(R.dissoc(big, vec(42n, 'x')), list(42n, 'x'), 42n)), true);
  });

  test('hash agrees with Clojure', () => {
    // values from Clojure 1.11
    const h = (x) => R.hasheq(x);
    assert.equal(h(1n), 1392991556);
    assert.equal(h(new R.BigNum(1n)), 1392991556);
    assert.equal(h('abc'), 74834163);
    assert.equal(h(kw('a')), -2123407586);
    assert.equal(h(kw('abc', 'def')), -1043781166);
    assert.equal(h(sym('a', 'b')), -1172211204);
    assert.equal(h(vec(1n, 2n)), 156247261);
    assert.equal(h(list(1n, 2n)), 156247261);
    assert.equal(h(hashMap(kw('a'), 1n)), 1772842048);
    assert.equal(h(hashSet(1n, 2n)), 460223544);
    assert.equal(h(R.EMPTY_VECTOR), -2017569654);
    assert.equal(h(1.5), 1073217536);
    assert.equal(h(R.div(1n, 2n)), 3);
    assert.equal(h(-0.0), 0);
    assert.equal(h(ch('a')), 97);
    assert.equal(h(true), 1231);
  });

  test('compare', () => {
    assert.equal(R.compare('a', 'c'), -2);
    assert.equal(R.compare(vec(1n), vec(1n, 2n)), -1);
    assert.equal(R.compare(null, 1n), -1);
    assert.equal(R.compare(kw('b'), kw('a')), 1);
    throwsClj(() => R.compare('a', 1n), 'ClassCastException', 'class java.lang.Long cannot be cast to class java.lang.String');
    assert.equal(prStr(call('sort', vec(3n, 1n, 2n))), '(1 2 3)');
    assert.equal(prStr(call('sort', core['>'], vec(1n, 3n, 2n))), '(3 2 1)');
    assert.equal(prStr(call('sort', R.EMPTY_VECTOR)), '()');
  });
});

// ---------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------

describe('arithmetic', () => {
  test('basics and contagion', () => {
    assert.equal(call('+'), 0n);
    assert.equal(call('*'), 1n);
    assert.equal(call('+', 1n, 2n, 3n), 6n);
    assert.equal(call('+', 1n, 1.5), 2.5);
    assert.equal(call('-', 5n), -5n);
    assert.equal(call('*', 1.5, 2n), 3.0);
    assert.equal(call('inc', 1.5), 2.5);
    assert.equal(prStr(call('dec', R.div(1n, 2n))), '-1/2');
    assert.equal(prStr(call('+', new R.BigNum(1n), 1n)), '2N');
    assert.equal(prStr(call('max', 1n, 2.0)), '2.0');
    assert.equal(prStr(call('min', 1n, 2.0)), '1');
    assert.equal(prStr(call('max', 1n, NaN)), '##NaN');
  });

  test('division', () => {
    assert.equal(prStr(R.div(1n, 2n)), '1/2');
    assert.equal(R.div(4n, 2n), 4n / 2n);
    assert.equal(typeof R.div(4n, 2n), 'bigint');
    assert.equal(R.div(1.0, 2n), 0.5);
    assert.equal(prStr(R.div(6n, -4n)), '-3/2');
    assert.equal(R.div(0n, 5n), 0n);
    assert.equal(prStr(call('/', 2n)), '1/2');
    throwsClj(() => R.div(1n, 0n), 'ArithmeticException', 'Divide by zero');
    throwsClj(() => R.div(1.0, 0n), 'ArithmeticException', 'Divide by zero');
    throwsClj(() => call('/', 0n), 'ArithmeticException', 'Divide by zero');
    assert.equal(prStr(R.add(R.div(1n, 2n), R.div(1n, 2n))), '1N'); // as Clojure
    assert.equal(prStr(R.mul(2n, R.div(1n, 2n))), '1N');
    assert.equal(prStr(R.add(R.div(1n, 3n), 0.5)), '0.8333333333333333');
    assert.equal(prStr(call('double', R.div(1n, 7n))), '0.1428571428571429'); // Clojure's DECIMAL64 rounding
  });

  test('long overflow throws', () => {
    throwsClj(() => R.add(R.MAX_LONG, 1n), 'ArithmeticException', R.OVERFLOW_MESSAGE);
    throwsClj(() => call('inc', R.MAX_LONG), 'ArithmeticException', R.OVERFLOW_MESSAGE);
    throwsClj(() => call('dec', R.MIN_LONG), 'ArithmeticException');
    throwsClj(() => R.mul(R.MAX_LONG, 2n), 'ArithmeticException');
    throwsClj(() => call('-', R.MIN_LONG), 'ArithmeticException');
    assert.equal(R.add(R.MAX_LONG, -1n), R.MAX_LONG - 1n);
    assert.equal(R.OVERFLOW_MESSAGE, 'integer overflow');
  });

  test('quot rem mod', () => {
    assert.equal(call('quot', -7n, 2n), -3n);
    assert.equal(prStr(call('quot', -1n, 2.0)), '0.0');
    assert.equal(call('rem', -7n, 2n), -1n);
    assert.equal(call('rem', 7.5, -2n), 1.5);
    assert.equal(call('mod', -7n, 2n), 1n);
    assert.equal(call('mod', 7.5, -2n), -0.5);
    assert.equal(call('mod', -7n, 2.5), 0.5);
    assert.equal(prStr(call('quot', R.div(7n, 2n), 1n)), '3N');
    throwsClj(() => call('mod', 1n, 0n), 'ArithmeticException', 'Divide by zero');
  });

  test('comparisons and type errors', () => {
    assert.equal(call('<', 1n, 2.5), true);
    assert.equal(call('<', 1n, 3n, 2n), false);
    assert.equal(call('<=', 1n, 1n, 2n), true);
    assert.equal(call('<', R.div(1n, 2n), R.div(1n, 3n)), false);
    assert.equal(call('<', 1n, NaN), false);
    assert.equal(call('>', NaN, 1n), false);
    throwsClj(() => R.add(1n, 'a'), 'ClassCastException', 'class java.lang.String cannot be cast to class java.lang.Number');
    throwsClj(() => call('inc', null), 'NullPointerException');
    throwsClj(() => call('<', 1n, 'a'), 'ClassCastException');
    throwsClj(() => call('even?', 1.5), 'IllegalArgumentException', 'Argument must be an integer: 1.5');
    assert.equal(call('zero?', 0.0), true);
    assert.equal(call('neg?', R.div(-1n, 2n)), true);
    assert.equal(call('odd?', -3n), true);
  });
});

// ---------------------------------------------------------------------------------------
// Collections and seqs
// ---------------------------------------------------------------------------------------

describe('collections', () => {
  test('conj assoc dissoc get nth', () => {
    assert.equal(prStr(R.conj(null, 1n)), '(1)');
    assert.equal(prStr(call('conj', vec(1n), 2n, 3n)), '[1 2 3]');
    assert.equal(prStr(call('conj', list(1n), 2n, 3n)), '(3 2 1)');
    assert.equal(prStr(call('conj', hashMap(kw('a'), 1n), vec(kw('b'), 2n))), '{:a 1, :b 2}');
    throwsClj(() => call('conj', hashMap(), vec(1n)), 'IllegalArgumentException', 'Vector arg to map conj must be a pair');
    assert.equal(prStr(call('assoc', null, kw('a'), 1n)), '{:a 1}');
    assert.equal(prStr(call('assoc', vec(1n, 2n), 2n, 3n)), '[1 2 3]');
    throwsClj(() => call('assoc', vec(1n, 2n), 3n, 3n), 'IndexOutOfBoundsException');
    throwsClj(() => call('assoc', list(1n), 0n, 1n), 'ClassCastException');
    assert.equal(prStr(call('dissoc', hashMap(kw('a'), 1n, kw('b'), 2n), kw('a'))), '{:b 2}');
    assert.equal(call('get', 'abc', 1n), ch('b'));
    assert.equal(call('get', vec(1n, 2n), 1.0), null);
    assert.equal(call('nth', vec(1n, 2n), 5n, kw('nf')), kw('nf'));
    throwsClj(() => call('nth', vec(1n, 2n), 5n), 'IndexOutOfBoundsException');
    throwsClj(() => call('nth', hashMap(kw('a'), 1n), 0n), 'UnsupportedOperationException', 'nth not supported on this type: PersistentArrayMap');
    assert.equal(call('contains?', hashMap(kw('a'), null), kw('a')), true);
    throwsClj(() => call('count', 1n), 'UnsupportedOperationException', 'count not supported on this type: Long');
    throwsClj(() => call('seq', 1n), 'IllegalArgumentException', "Don't know how to create ISeq from: java.lang.Long");
  });

  test('persistence', () => {
    const v1 = vec(1n, 2n);
    const v2 = v1.conj(3n);
    const v3 = v1.conj(4n); // v1's array is shared with v2: this must copy
    assert.equal(prStr([v1, v2, v3].map(prStr).join(' ')), '"[1 2] [1 2 3] [1 2 4]"');
    const v4 = v2.pop().conj(9n);
    assert.equal(prStr(v2), '[1 2 3]');
    assert.equal(prStr(v4), '[1 2 9]');
    const m1 = hashMap(kw('a'), 1n);
    const m2 = R.assoc(m1, kw('b'), 2n);
    assert.equal(prStr(m1), '{:a 1}');
    assert.equal(prStr(m2), '{:a 1, :b 2}');
    const me = call('first', m2);
    assert.equal(prStr(call('conj', me, 3n)), '[:a 1 3]');
    assert.equal(prStr(me), '[:a 1]');
  });

  test('seq functions', () => {
    const r10 = call('range', 10n);
    assert.equal(prStr(call('filter', core['odd?'], r10)), '(1 3 5 7 9)');
    assert.equal(prStr(call('remove', core['odd?'], r10)), '(0 2 4 6 8)');
    assert.equal(prStr(call('map', core['+'], vec(1n, 2n), vec(10n, 20n, 30n))), '(11 22)');
    assert.equal(prStr(call('reduce', core['+'], r10)), '45');
    assert.equal(prStr(call('reduce', core['+'], R.EMPTY_VECTOR)), '0');
    assert.equal(prStr(call('into', R.EMPTY_VECTOR, call('map', core.inc), vec(1n, 2n))), '[2 3]');
    assert.equal(prStr(call('into', R.EMPTY_LIST, vec(1n, 2n))), '(2 1)');
    assert.equal(prStr(call('into', R.EMPTY_MAP, vec(vec(kw('a'), 1n)))), '{:a 1}');
    assert.equal(prStr(call('take', 3n, call('drop', 2n, call('range')))), '(2 3 4)');
    assert.equal(prStr(call('concat', vec(1n), list(2n), null, 'ab')), '(1 2 \\a \\b)');
    assert.equal(prStr(call('range', 0n, 1n, 0.25)), '(0 0.25 0.5 0.75)');
    assert.equal(prStr(call('range', 10n, 0n, -3n)), '(10 7 4 1)');
    assert.equal(prStr(call('apply', core['+'], 1n, 2n, vec(3n, 4n))), '10');
    assert.equal(prStr(call('apply', core['+'], call('range', 100000n))), '4999950000');
    assert.equal(call('apply', core.str, call('repeat', 3n, 'ab')), 'ababab');
    assert.equal(prStr(call('partial', core['+'], 1n)(2n)), '3');
    assert.equal(prStr(call('comp', core.inc, core.inc)(1n)), '3');
    assert.equal(prStr(call('keys', hashMap(kw('a'), 1n))), '(:a)');
    assert.equal(call('keys', hashMap()), null);
    assert.equal(prStr(call('vals', hashMap(kw('a'), 1n))), '(1)');
    assert.equal(call('empty?', ''), true);
    assert.equal(prStr(call('frequencies', vec(1n, 1n, 2n))), '{1 2, 2 1}');
    assert.equal(prStr(call('group-by', core['odd?'], vec(1n, 2n, 3n))), '{true [1 3], false [2]}');
    assert.equal(prStr(call('partition', 2n, vec(1n, 2n, 3n, 4n, 5n))), '((1 2) (3 4))');
    assert.equal(prStr(call('update-in', hashMap(kw('a'), hashMap(kw('b'), 1n)), vec(kw('a'), kw('b')), core.inc)), '{:a {:b 2}}');
  });

  test('lazy seqs are lazy and cached', () => {
    let calls = 0;
    const counting = (x) => { calls++; return x; };
    const s = call('map', counting, call('range'));
    assert.equal(calls, 0);
    assert.equal(prStr(call('take', 3n, s)), '(0 1 2)');
    assert.equal(calls, 3);
    call('doall', call('take', 3n, s));
    assert.equal(calls, 3);
    assert.ok(s instanceof R.LazySeq);
  });

  test('keywords, symbols, strings', () => {
    assert.equal(call('keyword', 'a/b'), kw('a', 'b'));
    assert.equal(call('keyword', null, 'b'), kw('b'));
    assert.equal(call('name', kw('a', 'b')), 'b');
    assert.equal(call('namespace', kw('a')), null);
    assert.equal(prStr(call('symbol', 'a/b')), 'a/b');
    throwsClj(() => call('name', 1n), 'ClassCastException', 'class java.lang.Long cannot be cast to class clojure.lang.Named');
    assert.equal(call('subs', 'hello', 1n, 3n), 'el');
    throwsClj(() => call('subs', 'hello', 4n, 10n), 'StringIndexOutOfBoundsException', 'begin 4, end 10, length 5');
    assert.equal(call('count', 'abc'), 3n);
  });

  test('atoms', () => {
    const a = call('atom', 1n);
    assert.equal(call('swap!', a, core.inc), 2n);
    assert.equal(call('swap!', a, core['+'], 1n, 2n), 5n);
    assert.equal(call('reset!', a, 7n), 7n);
    assert.equal(call('deref', a), 7n);
    throwsClj(() => call('deref', 1n), 'ClassCastException');
  });

  test('exceptions', () => {
    const e = call('ex-info', 'boom', hashMap(kw('a'), 1n));
    assert.ok(e instanceof Error);
    assert.equal(e.cls, 'ExceptionInfo');
    assert.equal(prStr(call('ex-data', e)), '{:a 1}');
    assert.equal(call('ex-message', e), 'boom');
    assert.equal(call('ex-data', new Error('js')), null);
    assert.equal(call('ex-message', new Error('js')), 'js');
    throwsClj(() => call('ex-info', 'x', null), 'IllegalArgumentException', 'Additional data must be non-nil.');
    assert.deepEqual(R.errorInfo(new TypeError('nope')), { cls: 'TypeError', message: 'nope' });
    assert.deepEqual(R.errorInfo(e), { cls: 'ExceptionInfo', message: 'boom' });
  });

  test('clojure.string', () => {
    const re = R.regex;
    assert.equal(cstr.join(', ', vec(1n, null, 'a')), '1, , a');
    assert.equal(prStr(cstr.split('a,b,,c,,', re(','))), '["a" "b" "" "c"]');
    assert.equal(prStr(cstr.split(',a', re(','))), '["" "a"]');
    assert.equal(prStr(cstr.split('abc', re(''))), '["a" "b" "c"]');
    assert.equal(prStr(cstr.split('a1b2c', re('\\d'), 2n)), '["a" "b2c"]');
    assert.equal(prStr(cstr.split('', re(','))), '[""]');
    assert.equal(cstr['upper-case']('abc'), 'ABC');
    assert.equal(cstr['lower-case']('ABC'), 'abc');
    assert.equal(cstr.trim('  a \n'), 'a');
    assert.equal(cstr.trim('\u00a0a'), '\u00a0a'); // not whitespace for Java
    assert.equal(cstr['blank?'](null), true);
    assert.equal(cstr['blank?'](' \t'), true);
    assert.equal(cstr['includes?']('abc', 'b'), true);
    assert.equal(cstr['starts-with?']('abc', 'ab'), true);
    assert.equal(cstr['ends-with?']('abc', 'bc'), true);
    assert.equal(cstr.replace('a.b.c', '.', '-'), 'a-b-c');
    assert.equal(cstr.replace('a1b2', re('(\\d)'), '<$1>'), 'a<1>b<2>');
    assert.equal(cstr.replace('abc', ch('b'), ch('x')), 'axc');
    assert.equal(cstr.replace('a1b2', re('\\d'), (m) => m + m), 'a11b22');
    assert.equal(cstr.replace('abc', re(''), '-'), '-a-b-c-');
    throwsClj(() => cstr.replace('abc', re('b'), '$'), 'IllegalArgumentException');
  });
});

// ---------------------------------------------------------------------------------------
// Fns and invocation
// ---------------------------------------------------------------------------------------

/** A JS stand-in for a compiled arity: code(self, ...params), with the right `length`. */
function code(n, body) {
  const f = (self, ...args) => body(self, ...args);
  Object.defineProperty(f, 'length', { value: n + 1 });
  return f;
}

describe('fns', () => {
  test('dispatch on argument count, variadic rest as a seq', () => {
    const f = R.fnNew('user/f', 0);
    R.fnArity(f, 0, 0, code(0, () => 'zero'));
    R.fnArity(f, 1, 0, code(1, (self, a) => vec('one', a)));
    R.fnArity(f, 3, 1, code(3, (self, a, b, more) => vec(a, b, more)));
    assert.equal(f(), 'zero');
    assert.equal(prStr(f(1n)), '["one" 1]');
    assert.equal(prStr(f(1n, 2n)), '[1 2 nil]');
    assert.equal(prStr(f(1n, 2n, 3n, 4n)), '[1 2 (3 4)]');
    const r = call('apply', f, 1n, 2n, call('range')); // the rest stays lazy
    assert.equal(prStr(call('take', 3n, r.nth(2))), '(0 1 2)');
    assert.equal(prStr(call('apply', f, list(1n, 2n, 3n))), '[1 2 (3)]');
  });

  test('arity errors are worded like Clojure', () => {
    const f = R.fnNew('user/f', 0);
    R.fnArity(f, 1, 0, code(1, (self, a) => a));
    throwsClj(() => f(), 'ArityException', 'Wrong number of args (0) passed to: user/f');
    throwsClj(() => f(1n, 2n), 'ArityException', 'Wrong number of args (2) passed to: user/f');
    const g = R.fnNew('g', 0, 'my.ns');
    throwsClj(() => g(1n), 'ArityException', 'Wrong number of args (1) passed to: my.ns/g');
    const anon = R.fnNew(null, 0);
    throwsClj(() => anon(), 'ArityException', 'Wrong number of args (0) passed to: fn');
    throwsClj(() => core.inc(), 'ArityException', 'Wrong number of args (0) passed to: clojure.core/inc');
    throwsClj(() => core['-'](), 'ArityException', 'Wrong number of args (0) passed to: clojure.core/-');
  });

  test('captures and use as a JS callback', () => {
    const f = R.fnNew('user/adder', 1);
    R.fnCapture(f, 0, 10n);
    R.fnArity(f, 1, 0, code(1, (self, a) => R.add(R.fnCaptured(self, 0), a)));
    assert.deepEqual([1n, 2n].map((x) => f(x)), [11n, 12n]);
    assert.equal(prStr(call('map', f, vec(1n, 2n))), '(11 12)');
    const id = R.fnNew('user/id', 0);
    R.fnArity(id, 1, 0, code(1, (self, a) => a));
    assert.equal(id(undefined), null); // undefined from host code is nil
  });

  test('invoke: keywords, maps, sets, vectors, vars, errors', () => {
    const m = hashMap(kw('a'), 1n);
    assert.equal(R.invoke1(kw('a'), m), 1n);
    assert.equal(R.invoke2(kw('b'), m, 'd'), 'd');
    assert.equal(R.invoke1(m, kw('a')), 1n);
    assert.equal(R.invoke1(hashSet(1n), 1n), 1n);
    assert.equal(R.invoke1(hashSet(1n), 2n), null);
    assert.equal(R.invoke1(vec('x', 'y'), 1n), 'y');
    assert.equal(R.invoke1(sym('a'), hashMap(sym('a'), 5n)), 5n);
    assert.equal(R.invoke(core['+'], 1n, 2n, 3n, 4n, 5n, 6n, 7n), 28n);
    throwsClj(() => R.invoke1(vec(1n), kw('a')), 'IllegalArgumentException', 'Key must be integer');
    throwsClj(() => R.invoke1(vec(1n), 5n), 'IndexOutOfBoundsException');
    throwsClj(() => R.invoke0(kw('a')), 'ArityException', 'Wrong number of args (0) passed to: :a');
    throwsClj(() => R.invoke0(m), 'ArityException', 'Wrong number of args (0) passed to: clojure.lang.PersistentArrayMap');
    throwsClj(() => R.invoke1(1n, 2n), 'ClassCastException', 'class java.lang.Long cannot be cast to class clojure.lang.IFn');
    throwsClj(() => R.invoke1('s', 2n), 'ClassCastException', 'class java.lang.String cannot be cast to class clojure.lang.IFn');
    throwsClj(() => R.invoke1(null, 2n), 'NullPointerException');
    const rt = new R.Runtime();
    rt.registerVars({ table_size: 2, vars: [[0, 'clojure.core', 'inc'], [1, 'user', 'nope']] });
    assert.equal(R.invoke1(rt.varAt(0), 1n), 2n);
    throwsClj(() => R.invoke0(rt.varAt(1)), 'IllegalStateException', "Attempting to call unbound fn: #'user/nope");
    throwsClj(() => R.invoke0(rt.varAt(1).deref()), 'IllegalStateException', "Attempting to call unbound fn: #'user/nope");
  });
});

// ---------------------------------------------------------------------------------------
// Patches
// ---------------------------------------------------------------------------------------

/** A patch whose run() body is given; meta fills in ns/table_size defaults. */
function patch({ meta, imports = [], body, funcs = [] }) {
  const nconsts = (meta.consts ?? []).length;
  return assemble({
    imports: [rtImport('vars', meta.table_size ?? 0), ...constImports(nconsts), ...imports.map((n) => rtImport(n))],
    funcs: [{ name: 'run', params: [], results: [E], body, export: 'run' }, ...funcs],
    custom: { 'jank.patch': { ns: 'user', table_size: 0, vars: [], consts: [], ...meta } },
  });
}

/** A patch that returns its constant k/0. */
const constPatch = (c, extra = {}) => patch({ meta: { consts: [c], ...extra }, body: (ix) => [...op.globalGet(ix.global('k.0'))] });

describe('patches', () => {
  test('def, read, call, and redefinition seen by earlier code', async () => {
    const rt = new R.Runtime();
    const vars = [[0, 'user', 'x'], [1, 'user', 'f']];
    // (def x (+ 21 21)), returning x's value
    const defX = patch({
      meta: { table_size: 1, vars: [vars[0]], consts: [{ long: '21' }] },
      imports: ['add'],
      body: (ix) => [
        ...op.i32(0), ...op.globalGet(ix.global('k.0')), ...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('add')), ...op.tableSet(),
        ...op.i32(0), ...op.tableGet(),
      ],
    });
    assert.equal(await rt.loadPatch(defX), 42n);
    assert.equal(rt.varAt(0).deref(), 42n);
    assert.ok(rt.table.length >= 1);

    // (defn f [] x): reads slot 0 when called
    const defF = patch({
      meta: { table_size: 2, vars, consts: [{ str: 'f' }] },
      imports: ['fn_new', 'fn_arity'],
      body: (ix) => [
        ...op.i32(1),
        ...op.globalGet(ix.global('k.0')), ...op.i32(0), ...op.call(ix.fn('fn_new')),
        ...op.i32(0), ...op.i32(0), ...op.refFunc(ix.fn('f_body')), ...op.call(ix.fn('fn_arity')),
        ...op.tableSet(),
        ...op.i32(1), ...op.tableGet(),
      ],
      funcs: [{ name: 'f_body', params: [E], results: [E], body: () => [...op.i32(0), ...op.tableGet()] }],
    });
    const f = await rt.loadPatch(defF);
    assert.equal(typeof f, 'function');
    assert.match(prStr(f), /^#object\[user\$f /);
    throwsClj(() => f(1n), 'ArityException', 'Wrong number of args (1) passed to: user/f');

    // (f)
    const callF = patch({
      meta: { table_size: 2, vars: [vars[1]] },
      imports: ['invoke0'],
      body: (ix) => [...op.i32(1), ...op.tableGet(), ...op.call(ix.fn('invoke0'))],
    });
    assert.equal(await rt.loadPatch(callF), 42n);

    // (def x "redefined")
    const redefX = patch({
      meta: { table_size: 1, vars: [vars[0]], consts: [{ str: 'redefined' }] },
      body: (ix) => [...op.i32(0), ...op.globalGet(ix.global('k.0')), ...op.tableSet(), ...op.globalGet(ix.global('k.0'))],
    });
    assert.equal(await rt.loadPatch(redefX), 'redefined');
    assert.equal(await rt.loadPatch(callF), 'redefined'); // f, compiled earlier, sees the new root
    assert.equal(f(), 'redefined');
    assert.equal(rt.loadPatchSync(callF), 'redefined');
  });

  test('clojure.core and clojure.string vars start as the library fns; others are unbound', async () => {
    const rt = new R.Runtime();
    const incPatch = patch({
      meta: { table_size: 3, vars: [[2, 'clojure.core', 'inc']], consts: [{ long: '41' }] },
      imports: ['invoke1'],
      body: (ix) => [...op.i32(2), ...op.tableGet(), ...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('invoke1'))],
    });
    assert.equal(await rt.loadPatch(incPatch), 42n);
    const upper = patch({
      meta: { table_size: 4, vars: [[3, 'clojure.string', 'upper-case']], consts: [{ str: 'abc' }] },
      imports: ['invoke1'],
      body: (ix) => [...op.i32(3), ...op.tableGet(), ...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('invoke1'))],
    });
    assert.equal(await rt.loadPatch(upper), 'ABC');
    const unbound = patch({
      meta: { table_size: 5, vars: [[4, 'user', 'nope']] },
      imports: ['invoke0'],
      body: (ix) => [...op.i32(4), ...op.tableGet(), ...op.call(ix.fn('invoke0'))],
    });
    await assert.rejects(rt.loadPatch(unbound), (e) => e.cls === 'IllegalStateException' && e.message === "Attempting to call unbound fn: #'user/nope");
    const missing = patch({ meta: { table_size: 6, vars: [[5, 'clojure.core', 'no-such-fn']] }, body: () => [...op.i32(5), ...op.tableGet()] });
    assert.ok((await rt.loadPatch(missing)) instanceof R.Unbound);
  });

  test('closures with captures and a variadic arity', async () => {
    const rt = new R.Runtime();
    // (let [c 10] (fn g ([a] (+ c a)) ([a b & more] more)))
    const p = patch({
      meta: { consts: [{ str: 'g' }, { long: '10' }] },
      imports: ['fn_new', 'fn_arity', 'fn_capture', 'fn_captured', 'add'],
      body: (ix) => [
        ...op.globalGet(ix.global('k.0')), ...op.i32(1), ...op.call(ix.fn('fn_new')),
        ...op.i32(0), ...op.globalGet(ix.global('k.1')), ...op.call(ix.fn('fn_capture')),
        ...op.i32(1), ...op.i32(0), ...op.refFunc(ix.fn('one')), ...op.call(ix.fn('fn_arity')),
        ...op.i32(3), ...op.i32(1), ...op.refFunc(ix.fn('more')), ...op.call(ix.fn('fn_arity')),
      ],
      funcs: [
        { name: 'one', params: [E, E], results: [E], body: (ix) => [...op.localGet(0), ...op.i32(0), ...op.call(ix.fn('fn_captured')), ...op.localGet(1), ...op.call(ix.fn('add'))] },
        { name: 'more', params: [E, E, E, E], results: [E], body: () => [...op.localGet(3)] },
      ],
    });
    const g = await rt.loadPatch(p);
    assert.equal(g(5n), 15n);
    assert.equal(g(1n, 2n), null);
    assert.equal(prStr(g(1n, 2n, 3n, 4n)), '(3 4)');
    throwsClj(() => g(), 'ArityException', 'Wrong number of args (0) passed to: user/g');
    assert.equal(prStr(call('map', g, vec(1n, 2n))), '(11 12)');
    assert.match(prStr(g), /^#object\[user\$g /);
  });

  test('truthy', async () => {
    const rt = new R.Runtime();
    const branch = (c) => patch({
      meta: { consts: [c, { str: 'yes' }, { str: 'no' }] },
      imports: ['truthy'],
      body: (ix) => [
        ...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('truthy')),
        ...op.ifE, ...op.globalGet(ix.global('k.1')), ...op.else, ...op.globalGet(ix.global('k.2')), ...op.end,
      ],
    });
    assert.equal(await rt.loadPatch(branch(null)), 'no');
    assert.equal(await rt.loadPatch(branch(false)), 'no');
    assert.equal(await rt.loadPatch(branch({ long: '0' })), 'yes');
    assert.equal(await rt.loadPatch(branch({ str: '' })), 'yes');
  });

  test('constants', async () => {
    const rt = new R.Runtime();
    const k = async (c, extra) => rt.loadPatch(constPatch(c, extra));
    assert.equal(await k(null), null);
    assert.equal(await k(true), true);
    assert.equal(await k({ long: '-9223372036854775808' }), R.MIN_LONG);
    assert.equal(await k({ bigint: '12' }), 12n);
    assert.equal(prStr(await k({ bigint: '123456789012345678901234567890' })), '123456789012345678901234567890N');
    assert.equal(await k({ double: 1.5 }), 1.5);
    assert.ok(Number.isNaN(await k({ double: 'NaN' })));
    assert.equal(await k({ double: 'Infinity' }), Infinity);
    assert.equal(await k({ double: '-Infinity' }), -Infinity);
    assert.equal(prStr(await k({ ratio: ['2', '4'] })), '1/2');
    assert.equal(await k({ ratio: ['4', '2'] }), 2n);
    assert.equal(await k({ str: 'text' }), 'text');
    assert.equal(await k({ char: 'a' }), ch('a'));
    assert.equal(await k({ kw: 'k' }), kw('k'));
    assert.equal(await k({ kw: 'b', ns: 'a' }), kw('a', 'b'));
    assert.equal(prStr(await k({ sym: 'b', ns: 'a' })), 'a/b');
    assert.equal(prStr(await k({ list: [{ long: '1' }, { str: 'x' }] })), '(1 "x")');
    assert.equal(prStr(await k({ vec: [{ long: '1' }, { vec: [] }] })), '[1 []]');
    assert.equal(prStr(await k({ set: [{ kw: 'a' }] })), '#{:a}');
    assert.equal(prStr(await k({ map: [{ kw: 'a' }, { long: '1' }, { kw: 'b' }, null] })), '{:a 1, :b nil}');
    assert.equal(prStr(await k({ regex: '\\d+' })), '#"\\d+"');
    assert.equal(prStr(await k({ var: 7 }, { table_size: 8, vars: [[7, 'user', 'v']] })), "#'user/v");
    await assert.rejects(k({ long: '9223372036854775808' }), (e) => e.cls === 'ArithmeticException');
  });

  test('errors thrown by patches', async () => {
    const rt = new R.Runtime();
    const divide = patch({
      meta: { consts: [{ long: '1' }, { long: '0' }] },
      imports: ['div'],
      body: (ix) => [...op.globalGet(ix.global('k.0')), ...op.globalGet(ix.global('k.1')), ...op.call(ix.fn('div'))],
    });
    await assert.rejects(rt.loadPatch(divide), (e) => e.cls === 'ArithmeticException' && e.message === 'Divide by zero');
    const thrower = patch({ meta: { consts: [{ str: 'x' }] }, imports: ['throw'], body: (ix) => [...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('throw'))] });
    await assert.rejects(rt.loadPatch(thrower), (e) => e.cls === 'ClassCastException');
    const noSection = assemble({ funcs: [{ name: 'run', params: [], results: [E], body: () => [0xd0, E], export: 'run' }] });
    await assert.rejects(rt.loadPatch(noSection), /jank\.patch/);
  });

  test('the rt import object has every ABI function', () => {
    const rt = new R.Runtime();
    for (const n of R.rtImportNames) assert.ok(n in rt.rt, n);
    for (let i = 0; i <= 20; i++) assert.equal(typeof rt.rt[`invoke${i}`], 'function');
    assert.equal(rt.rt.invoke20(core.vector, ...Array.from({ length: 20 }, (_, i) => BigInt(i))).count(), 20);
    assert.equal(rt.rt.truthy(null), 0);
    assert.equal(rt.rt.truthy(0n), 1);
  });

  test('coreNames lists what the libraries implement', () => {
    const required = ['+', '-', '*', '/', 'quot', 'rem', 'mod', 'inc', 'dec', 'max', 'min', '=', '==', 'not=', '<', '>', '<=', '>=',
      'zero?', 'pos?', 'neg?', 'even?', 'odd?', 'nil?', 'some?', 'true?', 'false?', 'not', 'identity', 'str', 'pr-str', 'prn',
      'println', 'print', 'list', 'vector', 'hash-map', 'hash-set', 'vec', 'count', 'first', 'rest', 'next', 'cons', 'conj', 'seq',
      'nth', 'get', 'assoc', 'dissoc', 'contains?', 'keys', 'vals', 'map', 'filter', 'remove', 'reduce', 'into', 'range', 'take',
      'drop', 'concat', 'apply', 'partial', 'comp', 'atom', 'deref', 'swap!', 'reset!', 'keyword', 'symbol', 'name', 'namespace',
      'number?', 'string?', 'keyword?', 'symbol?', 'fn?', 'map?', 'vector?', 'seq?', 'coll?', 'empty?', 'ex-info', 'ex-data',
      'ex-message', 'subs'];
    for (const n of required) assert.ok(R.coreNames['clojure.core'].includes(n), n);
    for (const n of ['join', 'split', 'upper-case', 'lower-case', 'trim', 'blank?', 'includes?', 'starts-with?', 'ends-with?', 'replace']) {
      assert.ok(R.coreNames['clojure.string'].includes(n), n);
    }
    for (const [ns, names] of Object.entries(R.coreNames)) {
      for (const n of names) {
        // Dynamic vars (*ns*, *print-length*, *1, ...) hold values; everything else is a fn.
        const isDynamic = n.startsWith('*') && n.length > 1;
        if (!isDynamic) assert.equal(typeof R.libraries[ns][n], 'function', n);
        else assert.ok(n in R.libraries[ns], n);
      }
    }
  });

  test('output goes through the pluggable sink', () => {
    let text = '';
    const prev = R.setOutput({ out: (s) => { text += s; } });
    try {
      call('println', 1n, 'a', vec('b'));
      call('print', 'x', null);
      call('prn', 'q');
      call('newline');
    } finally {
      R.setOutput(prev);
    }
    assert.equal(text, '1 a [b]\nx nil"q"\n\n');
  });
});

// ---------------------------------------------------------------------------------------
// The connection
// ---------------------------------------------------------------------------------------

class FakeSocket {
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.readyState = 0;
    this.waiters = [];
    FakeSocket.last = this;
    setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
    for (const w of this.waiters.splice(0)) w();
  }
  close(code = 1000, reason = '') {
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason }), 0);
  }
  /** Deliver a binary frame: u32 LE id + patch bytes. */
  deliver(id, bytes) {
    const buf = new ArrayBuffer(4 + bytes.length);
    new DataView(buf).setUint32(0, id, true);
    new Uint8Array(buf, 4).set(bytes);
    this.onmessage?.({ data: buf });
  }
  async until(pred) {
    while (!pred(this.sent)) await new Promise((resolve) => this.waiters.push(resolve));
  }
}

describe('connection', () => {
  test('hello, out, value and error messages, in order', async () => {
    const statuses = [];
    const evals = [];
    const conn = connect('ws://test/repl?token=t', {
      kind: 'node', agent: 'test-agent', WebSocket: FakeSocket,
      onStatus: (s) => statuses.push(s),
      onEval: (r, out) => evals.push([r, out]),
    });
    const ws = FakeSocket.last;
    await ws.until((sent) => sent.length >= 1);
    const { instance, ...hello } = ws.sent[0];
    assert.deepEqual(hello, { op: 'hello', kind: 'node', agent: 'test-agent', control: false });
    assert.match(instance, /^[0-9a-f-]{8,}/, 'a random instance id names the runtime on both sockets');
    assert.equal(ws.binaryType, 'arraybuffer');

    // (println "hi") through the clojure.core/println var, then 1/0, then (+ 1 2)
    const printHi = patch({
      meta: { table_size: 1, vars: [[0, 'clojure.core', 'println']], consts: [{ str: 'hi' }] },
      imports: ['invoke1'],
      body: (ix) => [...op.i32(0), ...op.tableGet(), ...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('invoke1'))],
    });
    const binop = (name, a, b) => patch({
      meta: { consts: [{ long: a }, { long: b }] },
      imports: [name],
      body: (ix) => [...op.globalGet(ix.global('k.0')), ...op.globalGet(ix.global('k.1')), ...op.call(ix.fn(name))],
    });
    ws.deliver(7, printHi);
    ws.deliver(8, binop('div', '1', '0'));
    ws.deliver(4294967295, binop('add', '1', '2'));
    await ws.until((sent) => sent.length >= 5);
    assert.deepEqual(ws.sent.slice(1), [
      { op: 'out', id: 7, text: 'hi\n' },
      { op: 'value', id: 7, value: 'nil' },
      { op: 'error', id: 8, class: 'ArithmeticException', message: 'Divide by zero' },
      { op: 'value', id: 4294967295, value: '3' },
    ]);
    assert.deepEqual(evals.map(([r, out]) => [r.id, r.ok, out]), [[7, true, 'hi\n'], [8, false, ''], [4294967295, true, '']]);

    // state persists across evals on one connection (same Runtime)
    assert.equal(conn.runtime.varAt(0).deref(), core.println);

    conn.close();
    const closed = await conn.closed;
    assert.equal(closed.opened, true);
    assert.deepEqual(statuses, ['connecting', 'open', 'closed']);
  });

  test('closed resolves when the socket cannot be created', async () => {
    const conn = connect('ws://nowhere', { WebSocket: function () { throw new SyntaxError('bad url'); } });
    const r = await conn.closed;
    assert.equal(r.opened, false);
  });
});
