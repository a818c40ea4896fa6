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
    assert.equal(prStr(42), '42');
    assert.equal(prStr(-7), '-7');
    assert.equal(prStr(R.MIN_LONG), '-9223372036854775808');
    assert.equal(prStr(R.div(1, 2)), '1/2');
    assert.equal(prStr(R.div(-6, 4)), '-3/2');
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
    for (const [x, s] of cases) assert.equal(prStr(R.dbl(x)), s, `prStr(${x})`);
    assert.equal(toStr(Infinity), 'Infinity');
    assert.equal(toStr(NaN), 'NaN');
    assert.equal(toStr(R.dbl(1e21)), '1.0E21');
  });

  test('collections', () => {
    assert.equal(prStr(list(1, 2)), '(1 2)');
    assert.equal(prStr(R.EMPTY_LIST), '()');
    assert.equal(prStr(list()), '()');
    assert.equal(prStr(vec(1, 2, vec(3))), '[1 2 [3]]');
    assert.equal(prStr(hashMap(kw('a'), 1, kw('b'), 'x')), '{:a 1, :b "x"}');
    assert.equal(prStr(hashSet(1)), '#{1}');
    assert.equal(prStr(R.EMPTY_MAP), '{}');
    assert.equal(prStr(R.EMPTY_SET), '#{}');
    assert.equal(prStr(R.EMPTY_VECTOR), '[]');
    assert.equal(prStr(call('seq', hashMap(kw('a'), 1))), '([:a 1])');
    assert.equal(prStr(call('take', 5, call('range'))), '(0 1 2 3 4)');
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
    assert.equal(call('str', null, 'a', 1, 1.5, ch('c'), kw('k'), sym('s'), R.div(1, 2)), 'a11.5c:ks1/2');
    // Clojure prints a LazySeq's str as Object.toString, with Java's hashCode
    assert.equal(toStr(call('map', core.inc, vec(1, 2))), 'clojure.lang.LazySeq@402');
    assert.equal(toStr(call('range', 3)), '(0 1 2)');
    assert.equal(call('pr-str', 1, 'a'), '1 "a"');
    assert.equal(call('print-str', null, 'a', vec(1, 'a'), ch('c')), 'nil a [1 a] c');
    assert.equal(call('prn-str', 'a', 1), '"a" 1\n');
    assert.equal(call('println-str', 1, 2), '1 2\n');
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
    assert.match(prStr(call('atom', 1)), /^#object\[clojure\.lang\.Atom 0x[0-9a-f]+ \{:status :ready, :val 1\}\]$/);
    const rt = new R.Runtime();
    rt.registerVars({ table_size: 1, vars: [[0, 'user', 'f']] });
    assert.equal(prStr(rt.varAt(0)), "#'user/f");
    assert.equal(toStr(rt.varAt(0)), "#'user/f");
    assert.match(prStr(rt.varAt(0).deref()), /^#object\[clojure\.lang\.Var\$Unbound 0x[0-9a-f]+ "Unbound: #'user\/f"\]$/);
    const e = call('ex-info', 'boom', hashMap(kw('a'), 1));
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
    assert.equal(eq(vec(1, 2), list(1, 2)), true);
    assert.equal(eq(list(1, 2), vec(1, 2)), true);
    assert.equal(eq(1, R.dbl(1)), false);
    assert.equal(eq(1, new R.BigNum(1n)), true);
    assert.equal(eq(R.div(1, 2), 0.5), false);
    assert.equal(eq(R.dbl(0), R.dbl(-0)), true);
    assert.equal(eq(NaN, NaN), false);
    assert.equal(eq(R.EMPTY_LIST, R.EMPTY_VECTOR), true);
    assert.equal(eq(null, R.EMPTY_LIST), false);
    assert.equal(eq('a', ch('a')), false);
    assert.equal(eq(sym('a', 'b'), sym('a', 'b')), true);
    assert.equal(eq(kw('a'), kw('a')), true);
    assert.equal(kw('a', 'b') === kw('a', 'b'), true);
    assert.equal(eq(hashMap(kw('a'), vec(1)), hashMap(kw('a'), list(1))), true);
    assert.equal(eq(hashSet(1, 2), hashSet(2, 1)), true);
    assert.equal(eq(hashMap(), hashSet()), false);
    assert.equal(eq(call('map', core.inc, vec(1, 2)), vec(2, 3)), true);
    assert.equal(eq(call('range', 3), vec(0, 1, 2)), true);
    assert.equal(eq(vec(1), vec(1, 2)), false);
  });

  test('==', () => {
    assert.equal(R.numEquiv(1, 1.0), true);
    assert.equal(R.numEquiv(R.div(1, 2), 0.5), true);
    assert.equal(R.numEquiv(NaN, NaN), false);
    throwsClj(() => R.numEquiv(1, kw('a')), 'ClassCastException', 'class clojure.lang.Keyword cannot be cast to class java.lang.Number');
  });

  test('maps and sets are keyed by value', () => {
    const m = hashMap(vec(1, 2), 'v', 1, 'long', kw('k'), 'kw');
    assert.equal(m.get(list(1, 2)), 'v');
    assert.equal(m.get(new R.BigNum(1n)), 'long');
    assert.equal(m.get(R.dbl(1)), null);
    assert.equal(call('get', m, kw('k')), 'kw');
    assert.equal(hashSet(vec(1)).contains(list(1)), true);
    assert.equal(call('count', hashSet(1, 1, new R.BigNum(1n), 2)), 2);
    // large maps (hashed representation) too
    let big = R.EMPTY_MAP;
    for (let i = 0; i < 100; i++) big = R.assoc(big, vec(i, 'x'), i);
    assert.equal(big.count(), 100);
    assert.equal(big.get(list(42, 'x')), 42);
    assert.equal(R.dissoc(big, vec(42, 'x')).count(), 99);
    assert.equal(eq(big, R.dissoc(big, vec(42, 'x'))), false);
    assert.equal(eq(big, R.assoc(R.dissoc(big, vec(42, 'x')), list(42, 'x'), 42)), true);
  });

  test('hash agrees with Clojure', () => {
    // values from Clojure 1.11
    const h = (x) => R.hasheq(x);
    assert.equal(h(1), 1392991556);
    assert.equal(h(new R.BigNum(1n)), 1392991556);
    assert.equal(h('abc'), 74834163);
    assert.equal(h(kw('a')), -2123407586);
    assert.equal(h(kw('abc', 'def')), -1043781166);
    assert.equal(h(sym('a', 'b')), -1172211204);
    assert.equal(h(vec(1, 2)), 156247261);
    assert.equal(h(list(1, 2)), 156247261);
    assert.equal(h(hashMap(kw('a'), 1)), 1772842048);
    assert.equal(h(hashSet(1, 2)), 460223544);
    assert.equal(h(R.EMPTY_VECTOR), -2017569654);
    assert.equal(h(1.5), 1073217536);
    assert.equal(h(R.div(1, 2)), 3);
    assert.equal(h(-0.0), 0);
    assert.equal(h(ch('a')), 97);
    assert.equal(h(true), 1231);
  });

  test('compare', () => {
    assert.equal(R.compare('a', 'c'), -2);
    assert.equal(R.compare(vec(1), vec(1, 2)), -1);
    assert.equal(R.compare(null, 1), -1);
    assert.equal(R.compare(kw('b'), kw('a')), 1);
    throwsClj(() => R.compare('a', 1), 'ClassCastException', 'class java.lang.Long cannot be cast to class java.lang.String');
    assert.equal(prStr(call('sort', vec(3, 1, 2))), '(1 2 3)');
    assert.equal(prStr(call('sort', core['>'], vec(1, 3, 2))), '(3 2 1)');
    assert.equal(prStr(call('sort', R.EMPTY_VECTOR)), '()');
  });
});

// ---------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------

describe('arithmetic', () => {
  test('basics and contagion', () => {
    assert.equal(call('+'), 0);
    assert.equal(call('*'), 1);
    assert.equal(call('+', 1, 2, 3), 6);
    assert.equal(call('+', 1, 1.5), 2.5);
    assert.equal(call('-', 5), -5);
    assert.equal(prStr(call('*', 1.5, 2)), '3.0');
    assert.equal(call('inc', 1.5), 2.5);
    assert.equal(prStr(call('dec', R.div(1, 2))), '-1/2');
    assert.equal(prStr(call('+', new R.BigNum(1n), 1)), '2N');
    assert.equal(prStr(call('max', 1, R.dbl(2))), '2.0');
    assert.equal(prStr(call('min', 1, R.dbl(2))), '1');
    assert.equal(prStr(call('max', 1, NaN)), '##NaN');
  });

  test('division', () => {
    assert.equal(prStr(R.div(1, 2)), '1/2');
    assert.equal(R.div(4, 2), 4 / 2);
    assert.equal(prStr(R.div(4, 2)), '2'); // a long
    assert.equal(R.div(R.dbl(1), 2), 0.5);
    assert.equal(prStr(R.div(6, -4)), '-3/2');
    assert.equal(R.div(0, 5), 0);
    assert.equal(prStr(call('/', 2)), '1/2');
    throwsClj(() => R.div(1, 0), 'ArithmeticException', 'Divide by zero');
    assert.equal(prStr(R.div(R.dbl(1), 0)), '##Inf'); // a double divides as IEEE (Clojure 1.11)
    throwsClj(() => call('/', 0), 'ArithmeticException', 'Divide by zero');
    assert.equal(prStr(R.add(R.div(1, 2), R.div(1, 2))), '1N'); // as Clojure
    assert.equal(prStr(R.mul(2, R.div(1, 2))), '1N');
    assert.equal(prStr(R.add(R.div(1, 3), 0.5)), '0.8333333333333333');
    assert.equal(prStr(call('double', R.div(1, 7))), '0.1428571428571429'); // Clojure's DECIMAL64 rounding
  });

  test('long overflow throws', () => {
    throwsClj(() => R.add(R.MAX_LONG, 1), 'ArithmeticException', R.OVERFLOW_MESSAGE);
    throwsClj(() => R.add(Number.MAX_SAFE_INTEGER, R.MAX_LONG), 'ArithmeticException', R.OVERFLOW_MESSAGE);
    throwsClj(() => call('inc', R.MAX_LONG), 'ArithmeticException', R.OVERFLOW_MESSAGE);
    throwsClj(() => call('dec', R.MIN_LONG), 'ArithmeticException');
    throwsClj(() => R.mul(R.MAX_LONG, 2), 'ArithmeticException');
    throwsClj(() => call('-', R.MIN_LONG), 'ArithmeticException');
    assert.equal(R.add(R.MAX_LONG, -1), R.MAX_LONG - 1n);
    assert.equal(R.add(Number.MAX_SAFE_INTEGER, 1), 9007199254740992n); // past 2^53 a long is a bigint
    assert.equal(R.sub(9007199254740992n, 1), Number.MAX_SAFE_INTEGER); // and back
    assert.equal(R.OVERFLOW_MESSAGE, 'long overflow');
  });

  test('quot rem mod', () => {
    assert.equal(call('quot', -7, 2), -3);
    assert.equal(prStr(call('quot', -1, R.dbl(2))), '0.0');
    assert.equal(call('rem', -7, 2), -1);
    assert.equal(call('rem', 7.5, -2), 1.5);
    assert.equal(call('mod', -7, 2), 1);
    assert.equal(call('mod', 7.5, -2), -0.5);
    assert.equal(call('mod', -7, 2.5), 0.5);
    assert.equal(prStr(call('quot', R.div(7, 2), 1)), '3N');
    throwsClj(() => call('mod', 1, 0), 'ArithmeticException', 'Divide by zero');
  });

  test('comparisons and type errors', () => {
    assert.equal(call('<', 1, 2.5), true);
    assert.equal(call('<', 1, 3, 2), false);
    assert.equal(call('<=', 1, 1, 2), true);
    assert.equal(call('<', R.div(1, 2), R.div(1, 3)), false);
    assert.equal(call('<', 1, NaN), false);
    assert.equal(call('>', NaN, 1), false);
    throwsClj(() => R.add(1, 'a'), 'ClassCastException', 'class java.lang.String cannot be cast to class java.lang.Number');
    throwsClj(() => call('inc', null), 'NullPointerException');
    throwsClj(() => call('<', 1, 'a'), 'ClassCastException');
    throwsClj(() => call('even?', 1.5), 'IllegalArgumentException', 'Argument must be an integer: 1.5');
    assert.equal(call('zero?', 0.0), true);
    assert.equal(call('neg?', R.div(-1, 2)), true);
    assert.equal(call('odd?', -3), true);
  });
});

// ---------------------------------------------------------------------------------------
// Collections and seqs
// ---------------------------------------------------------------------------------------

describe('collections', () => {
  test('conj assoc dissoc get nth', () => {
    assert.equal(prStr(R.conj(null, 1)), '(1)');
    assert.equal(prStr(call('conj', vec(1), 2, 3)), '[1 2 3]');
    assert.equal(prStr(call('conj', list(1), 2, 3)), '(3 2 1)');
    assert.equal(prStr(call('conj', hashMap(kw('a'), 1), vec(kw('b'), 2))), '{:a 1, :b 2}');
    throwsClj(() => call('conj', hashMap(), vec(1)), 'IllegalArgumentException', 'Vector arg to map conj must be a pair');
    assert.equal(prStr(call('assoc', null, kw('a'), 1)), '{:a 1}');
    assert.equal(prStr(call('assoc', vec(1, 2), 2, 3)), '[1 2 3]');
    throwsClj(() => call('assoc', vec(1, 2), 3, 3), 'IndexOutOfBoundsException');
    throwsClj(() => call('assoc', list(1), 0, 1), 'ClassCastException');
    assert.equal(prStr(call('dissoc', hashMap(kw('a'), 1, kw('b'), 2), kw('a'))), '{:b 2}');
    assert.equal(call('get', 'abc', 1), ch('b'));
    assert.equal(call('get', vec(1, 2), R.dbl(1)), null);
    assert.equal(call('nth', vec(1, 2), 5, kw('nf')), kw('nf'));
    throwsClj(() => call('nth', vec(1, 2), 5), 'IndexOutOfBoundsException');
    throwsClj(() => call('nth', hashMap(kw('a'), 1), 0), 'UnsupportedOperationException', 'nth not supported on this type: PersistentArrayMap');
    assert.equal(call('contains?', hashMap(kw('a'), null), kw('a')), true);
    throwsClj(() => call('count', 1), 'UnsupportedOperationException', 'count not supported on this type: Long');
    throwsClj(() => call('seq', 1), 'IllegalArgumentException', "Don't know how to create ISeq from: java.lang.Long");
  });

  test('persistence', () => {
    const v1 = vec(1, 2);
    const v2 = v1.conj(3);
    const v3 = v1.conj(4); // v1's array is shared with v2: this must copy
    assert.equal(prStr([v1, v2, v3].map(prStr).join(' ')), '"[1 2] [1 2 3] [1 2 4]"');
    const v4 = v2.pop().conj(9);
    assert.equal(prStr(v2), '[1 2 3]');
    assert.equal(prStr(v4), '[1 2 9]');
    const m1 = hashMap(kw('a'), 1);
    const m2 = R.assoc(m1, kw('b'), 2);
    assert.equal(prStr(m1), '{:a 1}');
    assert.equal(prStr(m2), '{:a 1, :b 2}');
    const me = call('first', m2);
    assert.equal(prStr(call('conj', me, 3)), '[:a 1 3]');
    assert.equal(prStr(me), '[:a 1]');
  });

  test('seq functions', () => {
    const r10 = call('range', 10);
    assert.equal(prStr(call('filter', core['odd?'], r10)), '(1 3 5 7 9)');
    assert.equal(prStr(call('remove', core['odd?'], r10)), '(0 2 4 6 8)');
    assert.equal(prStr(call('map', core['+'], vec(1, 2), vec(10, 20, 30))), '(11 22)');
    assert.equal(prStr(call('reduce', core['+'], r10)), '45');
    assert.equal(prStr(call('reduce', core['+'], R.EMPTY_VECTOR)), '0');
    assert.equal(prStr(call('into', R.EMPTY_VECTOR, call('map', core.inc), vec(1, 2))), '[2 3]');
    assert.equal(prStr(call('into', R.EMPTY_LIST, vec(1, 2))), '(2 1)');
    assert.equal(prStr(call('into', R.EMPTY_MAP, vec(vec(kw('a'), 1)))), '{:a 1}');
    assert.equal(prStr(call('take', 3, call('drop', 2, call('range')))), '(2 3 4)');
    assert.equal(prStr(call('concat', vec(1), list(2), null, 'ab')), '(1 2 \\a \\b)');
    assert.equal(prStr(call('range', 0, 1, 0.25)), '(0 0.25 0.5 0.75)');
    assert.equal(prStr(call('range', 10, 0, -3)), '(10 7 4 1)');
    assert.equal(prStr(call('apply', core['+'], 1, 2, vec(3, 4))), '10');
    assert.equal(prStr(call('apply', core['+'], call('range', 100000))), '4999950000');
    assert.equal(call('apply', core.str, call('repeat', 3, 'ab')), 'ababab');
    assert.equal(prStr(call('partial', core['+'], 1)(2)), '3');
    assert.equal(prStr(call('comp', core.inc, core.inc)(1)), '3');
    assert.equal(prStr(call('keys', hashMap(kw('a'), 1))), '(:a)');
    assert.equal(call('keys', hashMap()), null);
    assert.equal(prStr(call('vals', hashMap(kw('a'), 1))), '(1)');
    assert.equal(call('empty?', ''), true);
    assert.equal(prStr(call('frequencies', vec(1, 1, 2))), '{1 2, 2 1}');
    assert.equal(prStr(call('group-by', core['odd?'], vec(1, 2, 3))), '{true [1 3], false [2]}');
    assert.equal(prStr(call('partition', 2, vec(1, 2, 3, 4, 5))), '((1 2) (3 4))');
    assert.equal(prStr(call('update-in', hashMap(kw('a'), hashMap(kw('b'), 1)), vec(kw('a'), kw('b')), core.inc)), '{:a {:b 2}}');
  });

  test('lazy seqs are lazy and cached', () => {
    let calls = 0;
    const counting = (x) => { calls++; return x; };
    const s = call('map', counting, call('range'));
    assert.equal(calls, 0);
    assert.equal(prStr(call('take', 3, s)), '(0 1 2)');
    assert.equal(calls, 3);
    call('doall', call('take', 3, s));
    assert.equal(calls, 3);
    assert.ok(s instanceof R.LazySeq);
  });

  test('keywords, symbols, strings', () => {
    assert.equal(call('keyword', 'a/b'), kw('a', 'b'));
    assert.equal(call('keyword', null, 'b'), kw('b'));
    assert.equal(call('name', kw('a', 'b')), 'b');
    assert.equal(call('namespace', kw('a')), null);
    assert.equal(prStr(call('symbol', 'a/b')), 'a/b');
    throwsClj(() => call('name', 1), 'ClassCastException', 'class java.lang.Long cannot be cast to class clojure.lang.Named');
    assert.equal(call('subs', 'hello', 1, 3), 'el');
    throwsClj(() => call('subs', 'hello', 4, 10), 'StringIndexOutOfBoundsException', 'begin 4, end 10, length 5');
    assert.equal(call('count', 'abc'), 3);
  });

  test('atoms', () => {
    const a = call('atom', 1);
    assert.equal(call('swap!', a, core.inc), 2);
    assert.equal(call('swap!', a, core['+'], 1, 2), 5);
    assert.equal(call('reset!', a, 7), 7);
    assert.equal(call('deref', a), 7);
    throwsClj(() => call('deref', 1), 'ClassCastException');
  });

  test('exceptions', () => {
    const e = call('ex-info', 'boom', hashMap(kw('a'), 1));
    assert.ok(e instanceof Error);
    assert.equal(e.cls, 'ExceptionInfo');
    assert.equal(prStr(call('ex-data', e)), '{:a 1}');
    assert.equal(call('ex-message', e), 'boom');
    assert.equal(call('ex-data', new Error('js')), null);
    assert.equal(call('ex-message', new Error('js')), 'js');
    throwsClj(() => call('ex-info', 'x', null), 'IllegalArgumentException', 'Additional data must be non-nil.');
    assert.deepEqual(R.errorInfo(new TypeError('nope')), { cls: 'TypeError', message: 'nope' });
    assert.deepEqual(R.errorInfo(e), { cls: 'clojure.lang.ExceptionInfo', message: 'boom' });
  });

  test('clojure.string', () => {
    const re = R.regex;
    assert.equal(cstr.join(', ', vec(1, null, 'a')), '1, , a');
    assert.equal(prStr(cstr.split('a,b,,c,,', re(','))), '["a" "b" "" "c"]');
    assert.equal(prStr(cstr.split(',a', re(','))), '["" "a"]');
    assert.equal(prStr(cstr.split('abc', re(''))), '["a" "b" "c"]');
    assert.equal(prStr(cstr.split('a1b2c', re('\\d'), 2)), '["a" "b2c"]');
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
// Persistent collections: tries, HAMTs, structural sharing, Clojure's order
// ---------------------------------------------------------------------------------------

/** A seeded pseudo-random generator: rnd(n) is an integer in [0, n). */
function seeded(seed) {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
}

/** Keys of several kinds (longs, strings, keywords, vectors, colliding strings, nil). */
const COLLIDING = ['Aa', 'BB', 'AaAa', 'BBBB', 'AaBB', 'BBAa']; // equal Java string hashes
function mixedKey(i) {
  switch (i % 6) {
    case 0: return i;
    case 1: return 's' + i;
    case 2: return kw('k' + i);
    case 3: return vec(i, 'v');
    case 4: return COLLIDING[i % COLLIDING.length] + (i % 60 < 30 ? '' : 'AaBB');
    default: return i % 600 === 5 ? null : 1.5 + i;
  }
}
/** A JS Map key for a Clojure value (its printed form is unique for these keys). */
const modelKey = (k) => prStr(k);

/** Check a map against a JS model (Map of modelKey -> [key, value]). */
function assertMapMatches(m, model) {
  assert.equal(m.count(), model.size);
  for (const [, [k, v]] of model) assert.equal(m.get(k, 'missing'), v);
  let n = 0;
  for (let s = R.seq(m); s !== null; s = s.next()) {
    const e = s.first();
    const want = model.get(modelKey(e.key()));
    assert.ok(want !== undefined, `unexpected key ${prStr(e.key())}`);
    assert.equal(e.val(), want[1]);
    n++;
  }
  assert.equal(n, model.size);
}

/**
 * The trie nodes of a collection not yet in `seen` (added to it): a vector's VNodes or a
 * map's HAMT nodes. Walks only from new nodes, so it costs what was allocated.
 */
function newNodes(coll, seen) {
  const stack = [coll instanceof R.PSet ? coll.m.root : coll.root];
  let n = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined || seen.has(node)) continue;
    seen.add(node);
    n++;
    const kids = node.constructor.name === 'VNode' ? node.arr : node.array;
    for (const c of kids) {
      if (c !== null && typeof c === 'object' && ['VNode', 'BitmapIndexedNode', 'ArrayNode', 'HashCollisionNode'].includes(c.constructor.name)) stack.push(c);
    }
  }
  return n;
}

describe('persistent collections', () => {
  test('vectors: 100,000 random conj/assoc/pop against an array, old versions unchanged', () => {
    const rnd = seeded(42);
    let v = R.EMPTY_VECTOR;
    const model = [];
    const snapshots = [];
    for (let step = 0; step < 100000; step++) {
      const op = rnd(10);
      if (op < 6 || model.length === 0) { v = v.conj(step); model.push(step); }
      else if (op < 8) { const i = rnd(model.length); v = R.assoc(v, i, -step); model[i] = -step; }
      else { v = call('pop', v); model.pop(); }
      assert.equal(v.count(), model.length);
      if (step % 7919 === 0) snapshots.push([v, model.slice()]);
    }
    assert.ok(model.length > 30000);
    assert.deepEqual(v.toArray(), model);
    for (let i = 0; i < model.length; i += 97) assert.equal(call('nth', v, i), model[i]);
    assert.equal(call('peek', v), model[model.length - 1]);
    assert.deepEqual(R.toArray(R.seq(v)), model);
    for (const [old, arr] of snapshots) assert.deepEqual(old.toArray(), arr);
    // pop back down through every trie shape
    let w = v;
    for (let i = model.length - 1; i >= 0; i--) {
      assert.equal(w.peek(), model[i]);
      w = w.pop();
      if (i % 1000 === 0) assert.deepEqual(w.toArray(), model.slice(0, i));
    }
    assert.equal(w, R.EMPTY_VECTOR);
    throwsClj(() => w.pop(), 'IllegalStateException', "Can't pop empty vector");
    assert.deepEqual(v.toArray(), model); // still there
  });

  test('vectors: building, subvec, seqs, boundaries', () => {
    const big = R.vectorOf(Array.from({ length: 1057 }, (_, i) => i));
    assert.equal(big.count(), 1057);
    for (const i of [0, 31, 32, 33, 1023, 1024, 1025, 1056]) assert.equal(big.nth(i), i);
    throwsClj(() => big.nth(1057), 'IndexOutOfBoundsException');
    assert.equal(big.nth(-1, kw('nf')), kw('nf'));
    assert.equal(prStr(call('subvec', big, 1020, 1030)), '[1020 1021 1022 1023 1024 1025 1026 1027 1028 1029]');
    assert.equal(prStr(call('vec', call('range', 40))), `[${Array.from({ length: 40 }, (_, i) => i).join(' ')}]`);
    assert.equal(prStr(call('into', vec(kw('a')), call('range', 3))), '[:a 0 1 2]');
    assert.equal(call('nth', call('nthnext', big, 1000), 50), 1050);
    assert.equal(call('count', call('rest', big)), 1056);
    assert.equal(call('reduce', core['+'], big), 1057 * 1056 / 2);
    assert.equal(prStr(call('class', call('seq', big))), 'clojure.lang.PersistentVector$ChunkedSeq');
    assert.equal(call('counted?', call('seq', big)), true);
    // transients: used once only
    const t = R.EMPTY_VECTOR.asTransient();
    for (let i = 0; i < 100; i++) t.conj(i);
    t.assocN(50, kw('x'));
    const p = t.persistent();
    assert.equal(p.count(), 100);
    assert.equal(p.nth(50), kw('x'));
    throwsClj(() => t.conj(1), 'IllegalAccessError', 'Transient used after persistent! call');
    // a transient of an existing vector leaves it alone
    const t2 = big.asTransient();
    t2.assocN(5, kw('y'));
    t2.conj(kw('z'));
    const p2 = t2.persistent();
    assert.equal(big.nth(5), 5);
    assert.equal(big.count(), 1057);
    assert.equal(p2.nth(5), kw('y'));
    assert.equal(p2.nth(1057), kw('z'));
    // map entries are vectors of two
    const me = new R.MapEntry(kw('a'), 1);
    assert.equal(prStr(me.conj(2)), '[:a 1 2]');
    assert.equal(prStr(me.assocN(0, kw('b'))), '[:b 1]');
    assert.equal(prStr(call('class', me.pop())), 'clojure.lang.PersistentVector');
  });

  test('maps: 100,000 random assoc/dissoc against a JS Map, old versions unchanged', () => {
    const rnd = seeded(7);
    let m = R.EMPTY_MAP;
    const model = new Map();
    const snapshots = [];
    for (let step = 0; step < 100000; step++) {
      const k = mixedKey(rnd(6000));
      if (rnd(3) < 2) { m = R.assoc(m, k, step); model.set(modelKey(k), [k, step]); }
      else { m = R.dissoc(m, k); model.delete(modelKey(k)); }
      assert.equal(m.count(), model.size);
      if (step % 9973 === 0) snapshots.push([m, new Map(model)]);
    }
    assertMapMatches(m, model);
    for (const [old, mod] of snapshots) assertMapMatches(old, mod);
    // dissoc everything, one key at a time
    let d = m;
    for (const [, [k]] of model) {
      d = R.dissoc(d, k);
      assert.equal(d.containsKey(k), false);
    }
    assert.equal(d.count(), 0);
    assert.equal(prStr(d), '{}');
    assertMapMatches(m, model);
  });

  test('maps: transients and into agree with persistent assoc', () => {
    const rnd = seeded(99);
    const t = R.EMPTY_MAP.asTransient();
    let p = R.EMPTY_MAP;
    const model = new Map();
    for (let step = 0; step < 50000; step++) {
      const k = mixedKey(rnd(3000));
      if (rnd(4) < 3) {
        t.assoc(k, step); p = p.assoc(k, step); model.set(modelKey(k), [k, step]);
      } else {
        t.dissoc(k); p = p.dissoc(k); model.delete(modelKey(k));
      }
      assert.equal(t.count(), model.size);
    }
    const tm = t.persistent();
    assertMapMatches(tm, model);
    assert.equal(R.equiv(tm, p), true);
    assert.equal(R.hasheq(tm), R.hasheq(p));
    assert.equal(prStr(tm), prStr(p)); // same trie layout, same order
    throwsClj(() => t.assoc(1, 1), 'IllegalAccessError', 'Transient used after persistent! call');
    // a transient from a persistent map leaves the map alone
    const before = prStr(p);
    const t2 = p.asTransient();
    for (let i = 0; i < 3000; i++) t2.dissoc(mixedKey(i));
    t2.assoc(kw('new'), 1);
    assert.equal(t2.persistent().count(), 1);
    assert.equal(prStr(p), before);
  });

  test('sets: 100,000 random conj/disj against a JS Set', () => {
    const rnd = seeded(1234);
    let s = R.EMPTY_SET;
    const model = new Map();
    const snapshots = [];
    for (let step = 0; step < 100000; step++) {
      const k = mixedKey(rnd(6000));
      if (rnd(3) < 2) { s = R.conj(s, k); model.set(modelKey(k), k); }
      else { s = call('disj', s, k); model.delete(modelKey(k)); }
      assert.equal(s.count(), model.size);
      if (step % 9973 === 0) snapshots.push([s, new Map(model)]);
    }
    for (const [old, mod] of [[s, model], ...snapshots]) {
      assert.equal(old.count(), mod.size);
      for (const [, k] of mod) assert.equal(old.contains(k), true);
      const elems = R.toArray(old);
      assert.equal(elems.length, mod.size);
      for (const x of elems) assert.ok(mod.has(modelKey(x)));
    }
    assert.equal(R.equiv(s, call('set', R.toArray(s).reverse())), true);
  });

  test('10,000 assocs and conjs share structure instead of copying', () => {
    // Every update allocates only the nodes on one path (at most 8 for a 32-bit hash), where
    // copying would allocate the whole trie; the walk below visits only the new nodes.
    const seen = new Set();
    let m = R.EMPTY_MAP;
    for (let i = 0; i < 10; i++) m = m.assoc(i, i); // now a hash map
    newNodes(m, seen);
    let most = 0, total = 0;
    for (let i = 10; i < 10010; i++) {
      const prev = m;
      m = m.assoc(i, i);
      const fresh = newNodes(m, seen);
      most = Math.max(most, fresh);
      total += fresh;
      assert.equal(prev.count(), i); // the old version is intact
    }
    assert.equal(m.count(), 10010);
    // (a path is at most 8 nodes; a bitmap node growing past 16 entries becomes an array
    // node with a subnode per entry)
    assert.ok(most <= 8 + 17, `an assoc allocated ${most} nodes`);
    assert.ok(total <= 10000 * 4, `10,000 assocs allocated ${total} nodes`);
    // updating existing keys too
    for (let i = 0; i < 10000; i++) {
      m = m.assoc(i, -i);
      assert.ok(newNodes(m, seen) <= 8);
    }
    let s = R.EMPTY_SET;
    for (let i = 0; i < 10000; i++) {
      s = s.conj(i);
      assert.ok(newNodes(s, seen) <= 8 + 17);
    }
    let v = R.EMPTY_VECTOR;
    total = 0;
    for (let i = 0; i < 10000; i++) {
      v = v.conj(i);
      total += newNodes(v, seen);
      assert.ok(v.tail.length <= 32);
    }
    assert.ok(total <= 10000 / 32 * 4, `10,000 conjs allocated ${total} trie nodes`);
    for (let i = 0; i < 10000; i += 7) {
      v = v.assocN(i, -i);
      assert.ok(newNodes(v, seen) <= 4);
    }
  });

  test('equality and hash do not depend on how a collection was built', () => {
    const n = 300;
    const xs = Array.from({ length: n }, (_, i) => i);
    const byConj = xs.reduce((v, x) => v.conj(x), R.EMPTY_VECTOR);
    const byVec = call('vec', call('range', n));
    const byInto = call('into', R.EMPTY_VECTOR, call('range', n));
    const byAssoc = xs.reduce((v, x, i) => v.assocN(i, x), R.vectorOf(Array(n).fill(null)));
    for (const v of [byVec, byInto, byAssoc, call('range', n), R.listOf(xs)]) {
      assert.equal(R.equiv(byConj, v), true);
      assert.equal(R.equiv(v, byConj), true);
      assert.equal(R.hasheq(v), R.hasheq(byConj));
    }
    assert.equal(R.equiv(byConj, byConj.pop()), false);
    assert.equal(R.equiv(byConj, byConj.assocN(299, 0)), false);
    assert.equal(R.hasheq(call('vec', call('range', 100))), -328473137); // Clojure 1.11
    assert.equal(R.hasheq(call('vec', call('range', 1000))), 1272441236);
    assert.equal(R.compare(byConj, byConj.assocN(200, 1000)), -1);

    const pairs = xs.map((x) => vec(x, x * x));
    const m1 = pairs.reduce((m, p) => R.conj(m, p), R.EMPTY_MAP);
    const m2 = call('into', R.EMPTY_MAP, R.vectorOf(pairs.slice().reverse()));
    const m3 = R.mapOf(...xs.flatMap((x) => [x, x * x]));
    const m4 = call('zipmap', call('range', n), call('map', (x) => x * x, call('range', n)));
    for (const m of [m2, m3, m4]) {
      assert.equal(R.equiv(m1, m), true);
      assert.equal(R.hasheq(m), R.hasheq(m1));
      assert.equal(prStr(m), prStr(m1));
    }
    assert.equal(R.hasheq(call('into', R.EMPTY_MAP, call('map', core.vector, call('range', 50), call('range', 50)))), 1057438952);
    // an array map equals the hash map with the same entries (and hashes alike)
    const small = hashMap(1, 1, 2, 4, 3, 9);
    const shrunk = xs.slice(4).reduce((m, x) => m.dissoc(x), m1).dissoc(0);
    assert.equal(prStr(call('class', shrunk)), 'clojure.lang.PersistentHashMap');
    assert.equal(prStr(call('class', small)), 'clojure.lang.PersistentArrayMap');
    assert.equal(R.equiv(small, shrunk), true);
    assert.equal(R.equiv(shrunk, small), true);
    assert.equal(R.hasheq(small), R.hasheq(shrunk));
    assert.equal(R.equiv(m1, m1.assoc(0, 1)), false);

    const s1 = call('set', call('range', 100));
    const s2 = xs.slice(0, 100).reverse().reduce((s, x) => s.conj(x), R.EMPTY_SET);
    assert.equal(R.equiv(s1, s2), true);
    assert.equal(R.hasheq(s1), 1403732487); // Clojure 1.11
    assert.equal(R.hasheq(s2), 1403732487);
    assert.equal(R.equiv(s1, s1.disj(5)), false);
    // collections as keys of big maps
    let keyed = R.EMPTY_MAP;
    for (let i = 0; i < 50; i++) keyed = keyed.assoc(vec(i, call('set', vec(i))), i);
    assert.equal(keyed.get(list(7, hashSet(7))), 7);
  });

  test('maps and sets print in Clojure 1.11 order', () => {
    const range = (n) => call('range', n);
    const zipRange = (n) => call('into', R.EMPTY_MAP, call('map', core.vector, range(n), range(n)));
    assert.equal(prStr(call('set', range(40))),
      '#{0 7 20 27 1 24 39 4 15 21 31 32 33 13 22 36 29 6 28 25 34 17 3 12 2 23 35 19 11 9 5 14 26 16 38 30 10 18 37 8}');
    assert.equal(prStr(zipRange(20)),
      '{0 0, 7 7, 1 1, 4 4, 15 15, 13 13, 6 6, 17 17, 3 3, 12 12, 2 2, 19 19, 11 11, 9 9, 5 5, 14 14, 16 16, 10 10, 18 18, 8 8}');
    assert.equal(prStr(call('set', range(100))),
      '#{0 65 70 62 74 7 59 86 20 72 58 60 27 1 69 24 55 85 39 88 46 4 77 95 54 92 15 48 50 75 99 21 31 32 40 91 56 33 13 22 90 36 41 89 43 61 29 44 93 6 28 64 51 25 34 17 3 12 2 66 23 47 35 82 76 97 19 57 68 11 9 5 83 14 45 53 78 26 16 81 79 38 98 87 30 73 96 10 18 52 67 71 42 80 37 63 94 8 49 84}');
    const kws = (n) => call('into', R.EMPTY_MAP, call('map', (i) => vec(kw('k' + i), i), range(n)));
    assert.equal(prStr(kws(8)), '{:k0 0, :k1 1, :k2 2, :k3 3, :k4 4, :k5 5, :k6 6, :k7 7}'); // an array map
    assert.equal(prStr(kws(9)), '{:k8 8, :k5 5, :k7 7, :k6 6, :k0 0, :k3 3, :k4 4, :k1 1, :k2 2}');
    assert.equal(prStr(call('into', R.EMPTY_MAP, call('map', (i) => vec(toStr(i), i), range(17)))),
      '{"9" 9, "3" 3, "4" 4, "8" 8, "14" 14, "15" 15, "7" 7, "5" 5, "12" 12, "13" 13, "6" 6, "1" 1, "0" 0, "11" 11, "2" 2, "16" 16, "10" 10}');
    // hash collisions ("Aa" and "BB" have equal hashes), in insertion order within a node
    const colliding = call('set', vec('Aa', 'BB', 'AaAa', 'BBBB', 'AaBB', 'BBAa', 'x'));
    assert.equal(R.hasheq('Aa'), R.hasheq('BB'));
    assert.equal(prStr(colliding), '#{"AaAa" "BBBB" "AaBB" "BBAa" "x" "Aa" "BB"}');
    assert.equal(prStr(call('disj', colliding, 'Aa', 'BBBB')), '#{"AaAa" "AaBB" "BBAa" "x" "BB"}');
    // nil first, sets never array-ordered
    assert.equal(prStr(call('conj', call('set', range(10)), null, 'a', kw('b'))), '#{nil 0 7 1 4 6 "a" 3 2 :b 9 5 8}');
    assert.equal(prStr(call('set', R.vectorOf(Array.from({ length: 12 }, (_, i) => vec(i))))),
      '#{[4] [7] [10] [6] [9] [3] [8] [0] [5] [11] [2] [1]}');
    assert.equal(prStr(call('dissoc', zipRange(12), 3, 4, 5, 6, 7, 8, 9, 10)), '{0 0, 1 1, 2 2, 11 11}');
    assert.equal(prStr(call('keys', zipRange(20))), '(0 7 1 4 15 13 6 17 3 12 2 19 11 9 5 14 16 10 18 8)');
    // small maps keep insertion order, through assoc and dissoc
    const am = hashMap(kw('z'), 1, kw('a'), 2, kw('m'), 3);
    assert.equal(prStr(R.dissoc(R.assoc(am, kw('b'), 4), kw('a'))), '{:z 1, :m 3, :b 4}');
    assert.equal(prStr(R.assoc(am, kw('a'), 5)), '{:z 1, :a 5, :m 3}');
    // array-map keeps insertion order at any size, until a new key is added past 8
    const am10 = call('array-map', ...Array.from({ length: 10 }, (_, i) => [(i + 1), (i + 1)]).flat());
    assert.equal(prStr(am10), '{1 1, 2 2, 3 3, 4 4, 5 5, 6 6, 7 7, 8 8, 9 9, 10 10}');
    assert.equal(prStr(R.assoc(am10, 1, kw('x'))), '{1 :x, 2 2, 3 3, 4 4, 5 5, 6 6, 7 7, 8 8, 9 9, 10 10}');
    assert.equal(prStr(R.assoc(am10, 11, 11)), '{7 7, 1 1, 4 4, 6 6, 3 3, 2 2, 11 11, 9 9, 5 5, 10 10, 8 8}');
    assert.equal(prStr(call('array-map', kw('a'), 1, kw('b'), 2, kw('a'), 3)), '{:a 3, :b 2}');
  });

  test('seqs, keys, vals, reduce and reduce-kv of big maps', () => {
    const m = call('into', R.EMPTY_MAP, call('map', core.vector, call('range', 1000), call('range', 1000)));
    assert.equal(call('count', call('keys', m)), 1000);
    assert.equal(call('reduce', core['+'], call('vals', m)), 499500);
    assert.equal(call('reduce-kv', (acc, k, v) => acc + k + v, 0, m), 999000);
    assert.equal(call('reduce', (acc, e) => (acc >= 100 ? call('reduced', acc) : acc + call('val', e)), 0, m) >= 100, true);
    assert.equal(prStr(call('find', m, 42)), '[42 42]');
    assert.equal(call('contains?', m, 999), true);
    assert.equal(call('get', m, 1000, kw('nf')), kw('nf'));
    assert.equal(prStr(call('class', call('seq', m))), 'clojure.lang.PersistentHashMap$ArrayNode$Seq');
    assert.equal(prStr(call('class', call('keys', hashMap(kw('a'), 1)))), 'clojure.lang.APersistentMap$KeySeq');
    assert.equal(prStr(call('first', call('set', vec(null)))), 'nil');
    assert.equal(call('count', call('seq', call('set', call('range', 5000)))), 5000);
    const withNil = R.assoc(m, null, kw('x'));
    assert.equal(withNil.count(), 1001);
    assert.equal(withNil.get(null), kw('x'));
    assert.equal(prStr(call('first', withNil)), '[nil :x]');
    assert.equal(R.dissoc(withNil, null).count(), 1000);
    assert.equal(R.equiv(R.dissoc(withNil, null), m), true);
  });

  test('*print-length* and *print-level*, as Clojure prints them', () => {
    const bind = (length, level, f) => {
      const saved = [core['*print-length*'], core['*print-level*']];
      R.dynamicVarChanged('*print-length*', length);
      R.dynamicVarChanged('*print-level*', level);
      try { return f(); } finally { R.dynamicVarChanged('*print-length*', saved[0]); R.dynamicVarChanged('*print-level*', saved[1]); }
    };
    const r10 = () => call('range', 10);
    // the strings Clojure 1.11 prints
    assert.equal(bind(3, null, () => call('pr-str', r10())), '(0 1 2 ...)');
    assert.equal(bind(3, null, () => call('pr-str', call('range'))), '(0 1 2 ...)'); // infinite
    assert.equal(bind(0, null, () => prStr(vec(1, 2))), '[...]');
    assert.equal(bind(0, null, () => prStr(R.EMPTY_VECTOR)), '[]');
    assert.equal(bind(2, null, () => prStr(hashMap(kw('a'), 1, kw('b'), 2, kw('c'), 3))), '{:a 1, :b 2, ...}');
    assert.equal(bind(2, null, () => prStr(call('set', vec(1, 2, 3)))), '#{1 3 ...}');
    assert.equal(bind(5, null, () => prStr(call('set', call('range', 100)))), '#{0 65 70 62 74 ...}');
    assert.equal(bind(-1, null, () => prStr(vec(1, 2))), '[1 2]');
    assert.equal(bind(null, 0, () => prStr(vec(1))), '#');
    assert.equal(bind(null, 0, () => prStr(1)), '1');
    assert.equal(bind(null, 1, () => prStr(vec(1, vec(2), hashMap(kw('a'), vec(1)), hashSet(1), list(1)))), '[1 # # # #]');
    assert.equal(bind(null, 1, () => prStr(hashMap(kw('a'), vec(1), vec(2), 3))), '{:a #, # 3}');
    assert.equal(bind(null, 2, () => prStr(hashMap(kw('a'), vec(1, vec(2))))), '{:a [1 #]}');
    assert.equal(bind(1, 1, () => printStr(vec('a', vec('b')))), '[a ...]');
    assert.equal(bind(2, 2, () => prStr(vec(vec(vec(1, 2, 3), vec(4)), vec(5, 6, 7), 8))), '[[# #] [5 6 ...] ...]');
    assert.equal(bind(2, null, () => toStr(vec(1, 2, 3))), '[1 2 ...]');
    assert.equal(bind(2, null, () => toStr(list(1, 2, 3))), '(1 2 ...)');
    assert.equal(bind(2, null, () => prStr(call('seq', hashMap(kw('a'), 1, kw('b'), 2, kw('c'), 3)))), '([:a 1] [:b 2] ...)');
    assert.equal(bind(null, 1, () => prStr(call('first', hashMap(kw('a'), vec(1))))), '[:a #]');
    assert.equal(bind(1, null, () => prStr(call('first', hashMap(kw('a'), vec(1))))), '[:a ...]');
    assert.match(bind(null, 1, () => prStr(call('atom', vec(1)))), /^#object\[clojure\.lang\.Atom 0x[0-9a-f]+ \{:status :ready, :val #\}\]$/);
    assert.equal(bind(2, null, () => call('pr-str', r10(), r10())), '(0 1 ...) (0 1 ...)');
    // no limits again
    assert.equal(prStr(r10()), '(0 1 2 3 4 5 6 7 8 9)');

    // set! and binding store the var's root; the printer follows it
    const rt = new R.Runtime();
    rt.registerVars({ table_size: 2, vars: [[0, 'clojure.core', '*print-length*'], [1, 'clojure.core', '*print-level*']] });
    try {
      rt.table.set(0, 2);
      rt.varChanged(0);
      assert.equal(prStr(r10()), '(0 1 ...)');
      rt.table.set(0, null);
      rt.varChanged(0);
      rt.table.set(1, 1);
      rt.varChanged(1);
      assert.equal(prStr(vec(vec(1))), '[#]');
    } finally {
      rt.table.set(0, null);
      rt.varChanged(0);
      rt.table.set(1, null);
      rt.varChanged(1);
    }
    assert.equal(prStr(vec(vec(1))), '[[1]]');
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
    assert.equal(prStr(f(1)), '["one" 1]');
    assert.equal(prStr(f(1, 2)), '[1 2 nil]');
    assert.equal(prStr(f(1, 2, 3, 4)), '[1 2 (3 4)]');
    const r = call('apply', f, 1, 2, call('range')); // the rest stays lazy
    assert.equal(prStr(call('take', 3, r.nth(2))), '(0 1 2)');
    assert.equal(prStr(call('apply', f, list(1, 2, 3))), '[1 2 (3)]');
  });

  test('arity errors are worded like Clojure', () => {
    const f = R.fnNew('user/f', 0);
    R.fnArity(f, 1, 0, code(1, (self, a) => a));
    throwsClj(() => f(), 'ArityException', 'Wrong number of args (0) passed to: user/f');
    throwsClj(() => f(1, 2), 'ArityException', 'Wrong number of args (2) passed to: user/f');
    const g = R.fnNew('g', 0, 'my.ns');
    throwsClj(() => g(1), 'ArityException', 'Wrong number of args (1) passed to: my.ns/g');
    const anon = R.fnNew(null, 0);
    throwsClj(() => anon(), 'ArityException', 'Wrong number of args (0) passed to: fn');
    throwsClj(() => core.inc(), 'ArityException', 'Wrong number of args (0) passed to: clojure.core/inc');
    throwsClj(() => core['-'](), 'ArityException', 'Wrong number of args (0) passed to: clojure.core/-');
  });

  test('captures and use as a JS callback', () => {
    const f = R.fnNew('user/adder', 1);
    R.fnCapture(f, 0, 10);
    R.fnArity(f, 1, 0, code(1, (self, a) => R.add(R.fnCaptured(self, 0), a)));
    assert.deepEqual([1, 2].map((x) => f(x)), [11, 12]);
    assert.equal(prStr(call('map', f, vec(1, 2))), '(11 12)');
    const id = R.fnNew('user/id', 0);
    R.fnArity(id, 1, 0, code(1, (self, a) => a));
    assert.equal(id(undefined), null); // undefined from host code is nil
  });

  test('invoke: keywords, maps, sets, vectors, vars, errors', () => {
    const m = hashMap(kw('a'), 1);
    assert.equal(R.invoke1(kw('a'), m), 1);
    assert.equal(R.invoke2(kw('b'), m, 'd'), 'd');
    assert.equal(R.invoke1(m, kw('a')), 1);
    assert.equal(R.invoke1(hashSet(1), 1), 1);
    assert.equal(R.invoke1(hashSet(1), 2), null);
    assert.equal(R.invoke1(vec('x', 'y'), 1), 'y');
    assert.equal(R.invoke1(sym('a'), hashMap(sym('a'), 5)), 5);
    assert.equal(R.invoke(core['+'], 1, 2, 3, 4, 5, 6, 7), 28);
    throwsClj(() => R.invoke1(vec(1), kw('a')), 'IllegalArgumentException', 'Key must be integer');
    throwsClj(() => R.invoke1(vec(1), 5), 'IndexOutOfBoundsException');
    throwsClj(() => R.invoke0(kw('a')), 'ArityException', 'Wrong number of args (0) passed to: :a');
    throwsClj(() => R.invoke0(m), 'ArityException', 'Wrong number of args (0) passed to: clojure.lang.PersistentArrayMap');
    throwsClj(() => R.invoke1(1, 2), 'ClassCastException', 'class java.lang.Long cannot be cast to class clojure.lang.IFn');
    throwsClj(() => R.invoke1('s', 2), 'ClassCastException', 'class java.lang.String cannot be cast to class clojure.lang.IFn');
    throwsClj(() => R.invoke1(null, 2), 'NullPointerException');
    const rt = new R.Runtime();
    rt.registerVars({ table_size: 2, vars: [[0, 'clojure.core', 'inc'], [1, 'user', 'nope']] });
    assert.equal(R.invoke1(rt.varAt(0), 1), 2);
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
    assert.equal(await rt.loadPatch(defX), 42);
    assert.equal(rt.varAt(0).deref(), 42);
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
    throwsClj(() => f(1), 'ArityException', 'Wrong number of args (1) passed to: user/f');

    // (f)
    const callF = patch({
      meta: { table_size: 2, vars: [vars[1]] },
      imports: ['invoke0'],
      body: (ix) => [...op.i32(1), ...op.tableGet(), ...op.call(ix.fn('invoke0'))],
    });
    assert.equal(await rt.loadPatch(callF), 42);

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

  test('a constant is a value of its own at each eval, unless its identity tells nothing', () => {
    const rt = new R.Runtime();
    const returning = (c) => patch({ meta: { table_size: 0, vars: [], consts: [c] }, body: (ix) => [...op.globalGet(ix.global('k.0'))] });
    const vectorLiteral = returning({ vec: [{ long: '1' }] });
    const first = rt.loadPatchSync(vectorLiteral);
    const second = rt.loadPatchSync(vectorLiteral);
    assert.notEqual(first, second); // (identical? a b) is false for two evals of [1], as in Clojure
    assert.ok(R.equiv(first, second));
    assert.notEqual(rt.loadPatchSync(returning({ sym: 'x' })), rt.loadPatchSync(returning({ sym: 'x' })));
    assert.equal(rt.loadPatchSync(returning({ kw: 'a', ns: 'n' })), kw('n', 'a'));
    assert.equal(rt.loadPatchSync(returning({ kw: 'n/a' })), kw(null, 'n/a'));
    assert.notEqual(kw(null, 'n/a'), kw('n', 'a'));
    assert.equal(rt.loadPatchSync(returning({ long: '7' })), 7);
    assert.equal(rt.loadPatchSync(returning({ str: 'abc' })), 'abc');
  });

  test('clojure.core and clojure.string vars start as the library fns; others are unbound', async () => {
    const rt = new R.Runtime();
    const incPatch = patch({
      meta: { table_size: 3, vars: [[2, 'clojure.core', 'inc']], consts: [{ long: '41' }] },
      imports: ['invoke1'],
      body: (ix) => [...op.i32(2), ...op.tableGet(), ...op.globalGet(ix.global('k.0')), ...op.call(ix.fn('invoke1'))],
    });
    assert.equal(await rt.loadPatch(incPatch), 42);
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
    assert.equal(g(5), 15);
    assert.equal(g(1, 2), null);
    assert.equal(prStr(g(1, 2, 3, 4)), '(3 4)');
    throwsClj(() => g(), 'ArityException', 'Wrong number of args (0) passed to: user/g');
    assert.equal(prStr(call('map', g, vec(1, 2))), '(11 12)');
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
    assert.equal(prStr(await k({ bigint: '12' })), '12N'); // 1N is a BigInt, whatever its size
    assert.equal(prStr(await k({ bigint: '123456789012345678901234567890' })), '123456789012345678901234567890N');
    assert.equal(await k({ double: 1.5 }), 1.5);
    assert.ok(Number.isNaN(await k({ double: 'NaN' })));
    assert.equal(await k({ double: 'Infinity' }), Infinity);
    assert.equal(await k({ double: '-Infinity' }), -Infinity);
    assert.equal(prStr(await k({ ratio: ['2', '4'] })), '1/2');
    assert.equal(await k({ ratio: ['4', '2'] }), 2);
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
    await assert.rejects(rt.loadPatch(thrower), (e) => e === 'x'); // any value can be thrown, as in jank
    const noSection = assemble({ funcs: [{ name: 'run', params: [], results: [E], body: () => [0xd0, E], export: 'run' }] });
    await assert.rejects(rt.loadPatch(noSection), /jank\.patch/);
  });

  test('the rt import object has every ABI function', () => {
    const rt = new R.Runtime();
    for (const n of R.rtImportNames) assert.ok(n in rt.rt, n);
    for (let i = 0; i <= 20; i++) assert.equal(typeof rt.rt[`invoke${i}`], 'function');
    assert.equal(rt.rt.invoke20(core.vector, ...Array.from({ length: 20 }, (_, i) => i)).count(), 20);
    assert.equal(rt.rt.truthy(null), 0);
    assert.equal(rt.rt.truthy(0), 1);
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
        // so do the core protocols (ICounted, ...) and the two character tables
        const isProtocol = R.libraries[ns][n] instanceof R.Protocol;
        const isTable = n === 'char-escape-string' || n === 'char-name-string' || n === 'default-data-readers';
        // syntax-quote's markers are declared, never defined
        const isDeclared = n === 'unquote' || n === 'unquote-splicing';
        // a java.lang class's static fields (Math/PI, Long/MAX_VALUE) are values
        const isStaticField = ns.startsWith('java.lang.') && typeof R.libraries[ns][n] !== 'function';
        if (!isDynamic && !isProtocol && !isTable && !isDeclared && !isStaticField) assert.equal(typeof R.libraries[ns][n], 'function', n);
        else assert.ok(n in R.libraries[ns], n);
      }
    }
  });

  test('output goes through the pluggable sink', () => {
    let text = '';
    const prev = R.setOutput({ out: (s) => { text += s; } });
    try {
      call('println', 1, 'a', vec('b'));
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
    // Each outcome carries the runtime's own measure of the run.
    const outcomes = ws.sent.slice(1).filter((m) => m.op === 'value' || m.op === 'error');
    assert.deepEqual(outcomes.map((m) => m.id), [7, 8, 4294967295]);
    assert.ok(outcomes.every((m) => Number.isInteger(m.run_us) && m.run_us >= 0));
    const withoutTimes = ws.sent.slice(1).map(({ run_us: _, ...m }) => m);
    assert.deepEqual(withoutTimes, [
      { op: 'out', id: 7, text: 'hi\n' },
      { op: 'value', id: 7, value: 'nil' },
      { op: 'error', id: 8, class: 'java.lang.ArithmeticException', message: 'Divide by zero' },
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
