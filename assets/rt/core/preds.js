// clojure.core: predicates on values and their types, class/type/instance?.

import { truthy } from '../errors.js';
import { Type, typeOf, isInstance } from '../types.js';
import { satisfies } from '../protocol.js';
import {
  IFn, ICounted, IAssociative, IReversible, ISorted, IIndexed, IList, ISeq, IMapEntry, IChunkedSeq,
  ISeqable, IRecord, IS_MAP, IS_SET, NTH, COUNT, META,
} from '../core-protocols.js';
import { Keyword, Sym, Char, keyword } from '../scalars.js';
import { seq, isSequential } from '../seqs.js';
import { PVector, MapEntry, Subvec } from '../vector.js';
import { Volatile, Delay, Var } from '../refs.js';
import { Reduced } from '../reduced.js';
import { toHost } from '../interop.js';
import { core } from './lib.js';

core('nil?', { 1: (x) => x === null });
core('some?', { 1: (x) => x !== null });
core('true?', { 1: (x) => x === true });
core('false?', { 1: (x) => x === false });
core('not', { 1: (x) => !truthy(x) });
core('boolean', { 1: truthy });
core('boolean?', { 1: (x) => typeof x === 'boolean' });
core('string?', { 1: (x) => typeof x === 'string' });
core('char?', { 1: (x) => x instanceof Char });
core('keyword?', { 1: (x) => x instanceof Keyword });
core('symbol?', { 1: (x) => x instanceof Sym });
core('ident?', { 1: (x) => x instanceof Keyword || x instanceof Sym });
core('simple-ident?', { 1: (x) => (x instanceof Keyword || x instanceof Sym) && x.ns === null });
core('qualified-ident?', { 1: (x) => (x instanceof Keyword || x instanceof Sym) && x.ns !== null });
core('simple-keyword?', { 1: (x) => x instanceof Keyword && x.ns === null });
core('qualified-keyword?', { 1: (x) => x instanceof Keyword && x.ns !== null });
core('simple-symbol?', { 1: (x) => x instanceof Sym && x.ns === null });
core('qualified-symbol?', { 1: (x) => x instanceof Sym && x.ns !== null });
core('fn?', { 1: (x) => typeof x === 'function' && !(x instanceof Type) });
core('ifn?', { 1: (x) => typeof x === 'function' || satisfies(IFn, x) });
core('map?', { 1: (x) => x !== null && (x[IS_MAP] === true || satisfies(IRecord, x)) });
core('vector?', { 1: (x) => x instanceof PVector || x instanceof Subvec });
core('set?', { 1: (x) => x !== null && x[IS_SET] === true });
core('list?', { 1: (x) => satisfies(IList, x) });
core('seq?', { 1: (x) => satisfies(ISeq, x) });
core('coll?', { 1: (x) => x !== null && typeof x === 'object' && (satisfies(ISeqable, x) && !Array.isArray(x)) && typeof x !== 'string' });
core('sequential?', { 1: isSequential });
core('associative?', { 1: (x) => satisfies(IAssociative, x) });
core('counted?', { 1: (x) => x !== null && typeof x === 'object' && !Array.isArray(x) && satisfies(ICounted, x) });
core('indexed?', { 1: (x) => x !== null && typeof x === 'object' && !Array.isArray(x) && satisfies(IIndexed, x) });
core('reversible?', { 1: (x) => satisfies(IReversible, x) });
core('sorted?', { 1: (x) => satisfies(ISorted, x) });
core('seqable?', { 1: (x) => x === null || typeof x === 'string' || Array.isArray(x) || satisfies(ISeqable, x) });
core('map-entry?', { 1: (x) => x instanceof MapEntry || (x !== null && satisfies(IMapEntry, x)) });
core('chunked-seq?', { 1: (x) => satisfies(IChunkedSeq, x) });
core('record?', { 1: (x) => satisfies(IRecord, x) });
core('var?', { 1: (x) => x instanceof Var });
core('delay?', { 1: (x) => x instanceof Delay });
core('volatile?', { 1: (x) => x instanceof Volatile });
core('reduced?', { 1: (x) => x instanceof Reduced });
core('class?', { 1: (x) => x instanceof Type });
core('any?', { 1: () => true });
core('empty?', { 1: (x) => (x !== null && x[COUNT] !== undefined && x[NTH] !== undefined ? x[COUNT](x) === 0 : seq(x) === null) });
core('not-empty', { 1: (x) => (seq(x) === null ? null : x) });
core('identity', { 1: (x) => x });

// class, type, instance?
core('class', { 1: (x) => (x === null ? null : typeOf(x)) });
core('type', {
  1: (x) => {
    const m = x === null || x[META] === undefined ? null : x[META](x);
    const t = m === null ? null : m.get(keyword('type'));
    return t !== null && t !== undefined ? t : x === null ? null : typeOf(x);
  },
});
// a host constructor (`js/Date`) arrives wrapped for calls from Clojure: test against the constructor
core('instance?', { 2: (c, x) => isInstance(typeof c === 'function' ? toHost(c) : c, x) });

