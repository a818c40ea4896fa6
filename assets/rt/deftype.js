// User types: deftype, defrecord and reify.
//
// A user type is a JS constructor made here, with a Type of its own (a new one each time the
// form is evaluated: a re-evaluated defrecord is a new class, as in Clojure). Its fields are
// properties named as the Clojure fields. It implements protocols given as Protocol values,
// and JVM interfaces given by name (clojure.lang.Counted, clojure.lang.ILookup,
// java.lang.Object, ...), whose methods map onto the core protocols below.
//
// A record also implements, generically here, everything a map does: lookup by keyword of its
// fields, assoc (a field, or another key into its extension map), dissoc (of a field: a plain
// map), count, seq, =, hash, metadata, printing as #ns.R{:a 1}.

import { nu, illegalArgument, unsupportedOperation, CljError } from './errors.js';
import { Type, OBJECT, classNamed, newUserType, simpleName } from './types.js';
import { Protocol, implementInline, installProtocols } from './protocol.js';
import * as P from './core-protocols.js';
import { mixCollHash } from './hash.js';
import { equiv, hasheq, javaHash } from './equality.js';
import { printMapEntries, toStr } from './print.js';
import { Keyword, Sym, keyword } from './scalars.js';
import { seq, next, IndexedSeq, reduceArity } from './seqs.js';
import { MapEntry } from './vector.js';
import { EMPTY_MAP, PMap, entryParts } from './hashmap.js';
import { Reduced } from './reduced.js';

/** The record's metadata, extension map and cached hashes (not fields: never clash with them). */
const META = Symbol('jank.record.meta');
const EXT = Symbol('jank.record.ext');
const HASH = Symbol('jank.record.hash');

/**
 * JVM interface methods that a deftype can implement, as core protocol methods:
 * interface name -> {method: [protocol, protocol method]}.
 */
const INTERFACE_METHODS = {
  'clojure.lang.Counted': { count: [P.ICounted, '-count'] },
  'clojure.lang.Seqable': { seq: [P.ISeqable, '-seq'] },
  'clojure.lang.IPersistentCollection': {
    count: [P.ICounted, '-count'], cons: [P.ICollection, '-conj'], empty: [P.IEmptyableCollection, '-empty'],
    equiv: [P.IEquiv, '-equiv'], seq: [P.ISeqable, '-seq'],
  },
  'clojure.lang.ISeq': {
    first: [P.ISeq, '-first'], more: [P.ISeq, '-rest'], next: [P.INext, '-next'], cons: [P.ICollection, '-conj'],
    seq: [P.ISeqable, '-seq'], count: [P.ICounted, '-count'], empty: [P.IEmptyableCollection, '-empty'], equiv: [P.IEquiv, '-equiv'],
  },
  'clojure.lang.ILookup': { valAt: [P.ILookup, '-lookup'] },
  'clojure.lang.Associative': {
    containsKey: [P.IAssociative, '-contains-key?'], entryAt: [P.IFind, '-find'], assoc: [P.IAssociative, '-assoc'],
    valAt: [P.ILookup, '-lookup'], count: [P.ICounted, '-count'], cons: [P.ICollection, '-conj'],
    empty: [P.IEmptyableCollection, '-empty'], equiv: [P.IEquiv, '-equiv'], seq: [P.ISeqable, '-seq'],
  },
  'clojure.lang.IPersistentMap': {
    assoc: [P.IAssociative, '-assoc'], assocEx: [P.IAssociative, '-assoc'], without: [P.IMap, '-dissoc'],
    containsKey: [P.IAssociative, '-contains-key?'], entryAt: [P.IFind, '-find'], valAt: [P.ILookup, '-lookup'],
    count: [P.ICounted, '-count'], cons: [P.ICollection, '-conj'], empty: [P.IEmptyableCollection, '-empty'],
    equiv: [P.IEquiv, '-equiv'], seq: [P.ISeqable, '-seq'],
  },
  'clojure.lang.IPersistentSet': {
    disjoin: [P.ISet, '-disjoin'], get: [P.ILookup, '-lookup'], count: [P.ICounted, '-count'],
    cons: [P.ICollection, '-conj'], empty: [P.IEmptyableCollection, '-empty'], equiv: [P.IEquiv, '-equiv'], seq: [P.ISeqable, '-seq'],
  },
  'clojure.lang.IPersistentStack': { peek: [P.IStack, '-peek'], pop: [P.IStack, '-pop'] },
  'clojure.lang.IPersistentVector': { assocN: [P.IVector, '-assoc-n'], length: [P.ICounted, '-count'] },
  'clojure.lang.Indexed': { nth: [P.IIndexed, '-nth'], count: [P.ICounted, '-count'] },
  'clojure.lang.IFn': { invoke: [P.IFn, '-invoke'] },
  'clojure.lang.IDeref': { deref: [P.IDeref, '-deref'] },
  'clojure.lang.IMeta': { meta: [P.IMeta, '-meta'] },
  'clojure.lang.IObj': { withMeta: [P.IWithMeta, '-with-meta'], meta: [P.IMeta, '-meta'] },
  'clojure.lang.IHashEq': { hasheq: [P.IHash, '-hash'] },
  'clojure.lang.IReduce': { reduce: [P.IReduce, '-reduce'] },
  'clojure.lang.IReduceInit': { reduce: [P.IReduce, '-reduce'] },
  'clojure.lang.IKVReduce': { kvreduce: [P.IKVReduce, '-kv-reduce'] },
  'clojure.lang.Reversible': { rseq: [P.IReversible, '-rseq'] },
  'clojure.lang.Named': { getName: [P.INamed, '-name'], getNamespace: [P.INamed, '-namespace'] },
  'clojure.lang.IPending': { isRealized: [P.IPending, '-realized?'] },
  'clojure.lang.IEditableCollection': { asTransient: [P.IEditableCollection, '-as-transient'] },
  'java.lang.Comparable': { compareTo: [P.IComparable, '-compare'] },
  'clojure.lang.Sequential': {},
  'clojure.lang.IRecord': {},
  'clojure.lang.IType': {},
};

/**
 * Host interfaces whose methods stay methods: `(.close x)` on a reified Closeable calls its
 * `close` (what with-open does). interface name -> method names.
 */
const HOST_METHODS = {
  'java.lang.AutoCloseable': ['close'],
  'java.io.Closeable': ['close'],
  'java.lang.Runnable': ['run'],
};

/** The marker protocols some interfaces stand for. */
const INTERFACE_MARKERS = { 'clojure.lang.Sequential': P.ISequential, 'clojure.lang.IRecord': P.IRecord };

/**
 * What one `[target, {method name: fn}]` spec implements (target a Protocol, a JVM interface,
 * or Object): `{protocols: [[protocol, {method: fn}]], object: {toString, equals, hashCode},
 * iface}`, nothing installed yet.
 */
export function resolveSpec(target, methods) {
  if (target instanceof Protocol) return { protocols: [[target, methods]], object: {}, iface: null };
  if (!(target instanceof Type)) throw illegalArgument(`${toStr(target)} is not a protocol or interface`);
  if (target === OBJECT) {
    for (const name of Object.keys(methods)) {
      if (!['toString', 'equals', 'hashCode'].includes(name)) throw illegalArgument(`Can't define method not in interfaces: ${name}`);
    }
    return { protocols: [], object: methods, iface: null };
  }
  const host = HOST_METHODS[target.name];
  if (host !== undefined) {
    for (const name of Object.keys(methods)) {
      if (!host.includes(name)) throw illegalArgument(`Can't define method not in interfaces: ${name}`);
    }
    return { protocols: [], object: {}, hostMethods: methods, iface: target };
  }
  const table = INTERFACE_METHODS[target.name];
  if (table === undefined) {
    throw new CljError('UnsupportedOperationException', `implementing ${target.name} is not supported here (implement the matching protocol instead)`);
  }
  const byProtocol = new Map();
  const marker = INTERFACE_MARKERS[target.name];
  if (marker !== undefined) byProtocol.set(marker, {});
  for (const [name, fn] of Object.entries(methods)) {
    const m = table[name];
    if (m === undefined) throw illegalArgument(`Can't define method not in interfaces: ${name}`);
    const [protocol, method] = m;
    if (!byProtocol.has(protocol)) byProtocol.set(protocol, {});
    byProtocol.get(protocol)[method] = fn;
  }
  return { protocols: [...byProtocol], object: {}, iface: target };
}

/** Gives `type` what one spec implements. */
function implementSpec(type, target, methods) {
  const { protocols, object, hostMethods = {}, iface } = resolveSpec(target, methods);
  for (const [protocol, impls] of protocols) implementInline(type, protocol, impls);
  implementObjectMethods(type, object);
  for (const [name, fn] of Object.entries(hostMethods)) {
    type.proto[name] = function (...args) { return fn(this, ...args); };
  }
  if (iface !== null && !type.supers.includes(iface)) {
    type.supers.push(iface);
    type._ancestors = null;
  }
}

/** Object's methods: toString (str), equals (=) and hashCode (hash, unless IHashEq). */
function implementObjectMethods(type, methods) {
  for (const [name, fn] of Object.entries(methods)) {
    if (name === 'toString') type.proto.toString = function () { return toStr(fn(this)); };
    else if (name === 'equals') implementInline(type, P.IEquiv, { '-equiv': (a, b) => { const r = fn(a, b); return r !== null && r !== false; } });
    else if (P.IHash.inline.get(type)?.['-hash'] === undefined) implementInline(type, P.IHash, { '-hash': (x) => Number(fn(x)) | 0 });
  }
}

/** A constructor storing `fields` from its arguments (records: then meta and ext map). */
function makeConstructor(fields, record) {
  const n = fields.length;
  return function UserType(...args) {
    if (record ? args.length !== n && args.length !== n + 2 : args.length !== n) {
      throw illegalArgument(`No matching ctor found for class ${this.constructor.type?.name ?? 'type'}`);
    }
    for (let i = 0; i < n; i++) this[fields[i]] = nu(args[i]);
    if (record) {
      this[META] = nu(args[n]);
      const ext = nu(args[n + 1]);
      this[EXT] = ext !== null && ext.count() === 0 ? null : ext;
      this[HASH] = null;
    }
  };
}

/**
 * `(deftype* name [fields] specs)` and `(defrecord* ...)`: a new type. `specs` is an array
 * of [protocol-or-interface, {method: fn}]; `mutable` the names of ^:mutable fields.
 */
export function defineType(name, fields, specs, { record = false, mutable = [] } = {}) {
  const ctor = makeConstructor(fields, record);
  const supers = [classNamed(record ? 'clojure.lang.IRecord' : 'clojure.lang.IType'), OBJECT];
  if (record) supers.unshift(classNamed('clojure.lang.IPersistentMap'), classNamed('clojure.lang.IHashEq'), classNamed('clojure.lang.IObj'));
  const type = newUserType(name, supers, ctor);
  type.fields = fields;
  type.mutable = mutable;
  type.record = record;
  ctor.type = type;
  installProtocols(type);
  if (record) recordType(type);
  else implementInline(type, P.IPrintWithWriter, {}); // printed by the default #object form
  for (const [target, methods] of specs) implementSpec(type, target, methods);
  return type;
}

/** `(reify specs...)`: an instance of a new anonymous type; its methods close over locals. */
export function reify(name, specs) {
  return new (defineType(name, [], specs).ctor)();
}

/** `(T. args...)` / `(new T args...)` of a user type. */
export function construct(type, args) {
  return Reflect.construct(type.ctor, args);
}

// ---------------------------------------------------------------------------------------
// Records: map behaviour
// ---------------------------------------------------------------------------------------

const fieldIndex = (type, k) => (k instanceof Keyword && k.ns === null ? type.fields.indexOf(k.name) : -1);

/** A copy of record `r` with field i set to v (or with ext map `ext`). */
function copyRecord(r, set) {
  const type = r.constructor.type;
  const args = type.fields.map((f) => r[f]);
  let ext = r[EXT];
  if (set.i !== undefined) args[set.i] = set.v;
  if (set.ext !== undefined) ext = set.ext;
  return new type.ctor(...args, r[META], ext);
}

const recordEntries = (r) => {
  const type = r.constructor.type;
  const out = type.fields.map((f) => new MapEntry(keyword(f), r[f]));
  if (r[EXT] !== null) r[EXT].forEach((k, v) => out.push(new MapEntry(k, v)));
  return out;
};

function recordLookup(r, k, nf = null) {
  const i = fieldIndex(r.constructor.type, k);
  if (i >= 0) return r[r.constructor.type.fields[i]];
  return r[EXT] === null ? nf : r[EXT].get(k, nf);
}

function recordAssoc(r, k, v) {
  const i = fieldIndex(r.constructor.type, k);
  if (i >= 0) return copyRecord(r, { i, v });
  return copyRecord(r, { ext: (r[EXT] ?? EMPTY_MAP).assoc(k, v) });
}

function recordDissoc(r, k) {
  const type = r.constructor.type;
  if (fieldIndex(type, k) >= 0) {
    let m = EMPTY_MAP;
    for (const e of recordEntries(r)) if (!equiv(e.key(), k)) m = m.assoc(e.key(), e.val());
    return r[META] === null ? m : new PMap(m.arr, m.cnt, m.root, m.hasNull, m.nullValue, r[META]);
  }
  if (r[EXT] === null || !r[EXT].containsKey(k)) return r;
  return copyRecord(r, { ext: r[EXT].dissoc(k) });
}

function recordEquiv(a, b) {
  if (b === null || b === undefined || b.constructor !== a.constructor) return false;
  for (const f of a.constructor.type.fields) if (!equiv(a[f], b[f])) return false;
  return equiv(a[EXT] ?? EMPTY_MAP, b[EXT] ?? EMPTY_MAP);
}

/** Clojure's record hasheq: the hash of its class name's symbol xor the map hash of its entries. */
function recordHash(r) {
  if (r[HASH] !== null) return r[HASH];
  const entries = recordEntries(r);
  let h = 0;
  for (const e of entries) h = (h + mixCollHash((Math.imul(31, (31 + hasheq(e.key())) | 0) + hasheq(e.val())) | 0, 2)) | 0;
  return (r[HASH] = (new Sym(null, r.constructor.type.name).hasheq() ^ mixCollHash(h, entries.length)) | 0);
}

function recordType(type) {
  implementInline(type, P.IRecord, {});
  implementInline(type, P.ILookup, { '-lookup': recordLookup });
  implementInline(type, P.IAssociative, {
    '-contains-key?': (r, k) => fieldIndex(r.constructor.type, k) >= 0 || (r[EXT] !== null && r[EXT].containsKey(k)),
    '-assoc': recordAssoc,
  });
  implementInline(type, P.IFind, {
    '-find': (r, k) => {
      const i = fieldIndex(r.constructor.type, k);
      if (i >= 0) return new MapEntry(k, r[r.constructor.type.fields[i]]);
      return r[EXT] === null ? null : r[EXT].entryAt(k);
    },
  });
  implementInline(type, P.IMap, { '-dissoc': recordDissoc });
  implementInline(type, P.ICounted, { '-count': (r) => r.constructor.type.fields.length + (r[EXT] === null ? 0 : r[EXT].count()) });
  implementInline(type, P.ISeqable, { '-seq': (r) => { const es = recordEntries(r); return es.length === 0 ? null : new IndexedSeq(es); } });
  implementInline(type, P.ICollection, {
    '-conj': (r, x) => {
      if (x === null) return r;
      if (x instanceof PMap) { let out = r; x.forEach((k, v) => { out = recordAssoc(out, k, v); }); return out; }
      const [k, v] = entryParts(x);
      return recordAssoc(r, k, v);
    },
  });
  implementInline(type, P.IEquiv, { '-equiv': recordEquiv });
  implementInline(type, P.IHash, { '-hash': recordHash });
  implementInline(type, P.IMeta, { '-meta': (r) => r[META] });
  implementInline(type, P.IWithMeta, { '-with-meta': (r, m) => new r.constructor.type.ctor(...r.constructor.type.fields.map((f) => r[f]), m, r[EXT]) });
  implementInline(type, P.IEmptyableCollection, { '-empty': (r) => { throw unsupportedOperation(`Can't create empty: ${r.constructor.type.name}`); } });
  implementInline(type, P.IKVReduce, {
    '-kv-reduce': (r, f, init) => {
      let acc = init;
      for (const e of recordEntries(r)) {
        acc = f(acc, e.key(), e.val());
        if (acc instanceof Reduced) return acc.v;
      }
      return acc;
    },
  });
  implementInline(type, P.IReduce, { '-reduce': reduceArity((r, f, acc) => new IndexedSeq(recordEntries(r)).reduceFrom(f, acc)) });
  implementInline(type, P.IPrintWithWriter, {
    '-pr-writer': (r, w) => printMapEntries(`#${r.constructor.type.name}{`, seq(recordEntries(r)), (e) => e.key(), (e) => e.val(), w),
  });
  // Object.toString, with the record's hashCode: APersistentMap.mapHash of its entries
  type.proto.toString = function () {
    let h = 0;
    for (const e of recordEntries(this)) h = (h + (javaHash(e.key()) ^ javaHash(e.val()))) | 0;
    return `${type.name}@${(h >>> 0).toString(16)}`;
  };
}

/** `(map->R m)`: a record of the fields in m, other keys in its extension map. */
export function recordFromMap(type, m) {
  const args = type.fields.map((f) => recordLookupIn(m, keyword(f)));
  let ext = EMPTY_MAP;
  for (let s = seq(m); s !== null; s = next(s)) {
    const e = s[P.FIRST](s);
    const k = e.key();
    if (fieldIndex(type, k) < 0) ext = ext.assoc(k, e.val());
  }
  return new type.ctor(...args, null, ext);
}
const recordLookupIn = (m, k) => (m === null ? null : m[P.LOOKUP](m, k, null));

/** The simple name of a user type (what ->R and map->R are named after). */
export const simpleTypeName = (type) => simpleName(type);

