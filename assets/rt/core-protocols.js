// The core protocols: the interface between every runtime type and the generic functions
// (count, seq, get, conj, =, hash, print, ...). Named and shaped as ClojureScript's
// (cljs.core/ICounted ...), living in clojure.core; a user's deftype can implement them under
// these names, or under the JVM interface names that .cljc code uses (deftype.js maps those).
//
// The runtime's own code calls a method through its symbol, `x[COUNT](x)`, after checking for
// nil; the symbols of core protocols never change (they are never redefined).

import { Protocol } from './protocol.js';

const p = (name, methods, doc) => new Protocol(`clojure.core/${name}`, methods, doc);

export const IFn = p('IFn', ['-invoke'], 'Protocol for adding the ability to invoke an object as a function.');
export const ICounted = p('ICounted', ['-count'], 'Protocol for adding the ability to count a collection in constant time.');
export const IEmptyableCollection = p('IEmptyableCollection', ['-empty'], 'Protocol for creating an empty collection.');
export const ICollection = p('ICollection', ['-conj'], 'Protocol for adding to a collection.');
export const IIndexed = p('IIndexed', ['-nth'], 'Protocol for collections to provide indexed-based access to their items.');
export const ISeqable = p('ISeqable', ['-seq'], 'Protocol for adding the ability to a type to be transformed into a sequence.');
export const ISeq = p('ISeq', ['-first', '-rest'], 'Protocol for collections to provide access to their items as sequences.');
export const INext = p('INext', ['-next'], 'Protocol for accessing the next items of a collection.');
export const ILookup = p('ILookup', ['-lookup'], 'Protocol for looking up a value in a data structure.');
export const IAssociative = p('IAssociative', ['-contains-key?', '-assoc'], 'Protocol for adding associativity to collections.');
export const IFind = p('IFind', ['-find'], 'Protocol for implementing entry finding in collections.');
export const IMap = p('IMap', ['-dissoc'], 'Protocol for adding mapping functionality to collections.');
export const IMapEntry = p('IMapEntry', ['-key', '-val'], 'Protocol for examining a map entry.');
export const ISet = p('ISet', ['-disjoin'], 'Protocol for adding set functionality to a collection.');
export const IStack = p('IStack', ['-peek', '-pop'], 'Protocol for collections to provide access to their items as stacks.');
export const IVector = p('IVector', ['-assoc-n'], 'Protocol for adding vector functionality to collections.');
export const IDeref = p('IDeref', ['-deref'], 'Protocol for adding dereference functionality to a reference.');
export const IMeta = p('IMeta', ['-meta'], 'Protocol for accessing the metadata of an object.');
export const IWithMeta = p('IWithMeta', ['-with-meta'], 'Protocol for adding metadata to an object.');
export const IReduce = p('IReduce', ['-reduce'], 'Protocol for seq types that can reduce themselves.');
export const IKVReduce = p('IKVReduce', ['-kv-reduce'], 'Protocol for associative types that can reduce themselves via a function of key and val.');
export const IEquiv = p('IEquiv', ['-equiv'], 'Protocol for adding value comparison functionality to a type.');
export const IHash = p('IHash', ['-hash'], 'Protocol for adding hashing functionality to a type.');
export const ISequential = p('ISequential', [], 'Marker interface indicating a persistent collection of sequential items');
export const IList = p('IList', [], 'Marker interface indicating a persistent list');
export const IRecord = p('IRecord', [], 'Marker interface indicating a record object');
export const IAtom = p('IAtom', [], 'Marker protocol indicating an atom.');
export const IReversible = p('IReversible', ['-rseq'], 'Protocol for reversing a seq.');
export const ISorted = p('ISorted', ['-sorted-seq', '-sorted-seq-from', '-entry-key', '-comparator'], 'Protocol for a collection which can represent their items in a sorted manner.');
export const IWriter = p('IWriter', ['-write', '-flush'], 'Protocol for writing.');
export const IPrintWithWriter = p('IPrintWithWriter', ['-pr-writer'], 'The old IPrintable protocol\'s implementation consisted of building a giant list of strings to concatenate.');
export const IPending = p('IPending', ['-realized?'], 'Protocol for types which can have a deferred realization.');
export const IWatchable = p('IWatchable', ['-notify-watches', '-add-watch', '-remove-watch'], 'Protocol for types that can be watched.');
export const IEditableCollection = p('IEditableCollection', ['-as-transient'], 'Protocol for collections which can transformed to transients.');
export const ITransientCollection = p('ITransientCollection', ['-conj!', '-persistent!'], 'Protocol for adding basic functionality to transient collections.');
export const ITransientAssociative = p('ITransientAssociative', ['-assoc!'], 'Protocol for adding associativity to transient collections.');
export const ITransientMap = p('ITransientMap', ['-dissoc!'], 'Protocol for adding mapping functionality to transient collections.');
export const ITransientVector = p('ITransientVector', ['-assoc-n!', '-pop!'], 'Protocol for adding vector functionality to transient collections.');
export const ITransientSet = p('ITransientSet', ['-disjoin!'], 'Protocol for adding set functionality to a transient collection.');
export const IComparable = p('IComparable', ['-compare'], 'Protocol for values that can be compared.');
export const IChunk = p('IChunk', ['-drop-first'], 'Protocol for accessing the items of a chunk.');
export const IChunkedSeq = p('IChunkedSeq', ['-chunked-first', '-chunked-rest'], 'Protocol for accessing a collection as sequential chunks.');
export const IChunkedNext = p('IChunkedNext', ['-chunked-next'], 'Protocol for accessing the chunks of a collection.');
export const INamed = p('INamed', ['-name', '-namespace'], 'Protocol for adding a name.');
export const IReset = p('IReset', ['-reset!'], 'Protocol for adding resetting functionality.');
export const ISwap = p('ISwap', ['-swap!'], 'Protocol for adding swapping functionality.');
export const IVolatile = p('IVolatile', ['-vreset!'], 'Protocol for adding volatile functionality.');
export const IIterable = p('IIterable', ['-iterator'], 'Protocol for iterating over a collection.');
export const IDrop = p('IDrop', ['-drop'], 'Protocol for persistent or algorithmically defined collections to provide a means of dropping N items that is more efficient than sequential walking.');

/** Every core protocol, by its name in clojure.core (for the library's vars). */
export const CORE_PROTOCOLS = {
  IFn, ICounted, IEmptyableCollection, ICollection, IIndexed, ISeqable, ISeq, INext, ILookup,
  IAssociative, IFind, IMap, IMapEntry, ISet, IStack, IVector, IDeref, IMeta, IWithMeta, IReduce,
  IKVReduce, IEquiv, IHash, ISequential, IList, IRecord, IAtom, IReversible, ISorted, IWriter,
  IPrintWithWriter, IPending, IWatchable, IEditableCollection, ITransientCollection,
  ITransientAssociative, ITransientMap, ITransientVector, ITransientSet, IComparable, IChunk,
  IChunkedSeq, IChunkedNext, INamed, IReset, ISwap, IVolatile, IIterable, IDrop,
};

// The symbols the runtime's fast paths use.
export const INVOKE = IFn.sym('-invoke');
export const COUNT = ICounted.sym('-count');
export const EMPTY = IEmptyableCollection.sym('-empty');
export const CONJ = ICollection.sym('-conj');
export const NTH = IIndexed.sym('-nth');
export const SEQ = ISeqable.sym('-seq');
export const FIRST = ISeq.sym('-first');
export const REST = ISeq.sym('-rest');
export const NEXT = INext.sym('-next');
export const LOOKUP = ILookup.sym('-lookup');
export const CONTAINS_KEY = IAssociative.sym('-contains-key?');
export const ASSOC = IAssociative.sym('-assoc');
export const FIND = IFind.sym('-find');
export const DISSOC = IMap.sym('-dissoc');
export const KEY = IMapEntry.sym('-key');
export const VAL = IMapEntry.sym('-val');
export const DISJOIN = ISet.sym('-disjoin');
export const PEEK = IStack.sym('-peek');
export const POP = IStack.sym('-pop');
export const ASSOC_N = IVector.sym('-assoc-n');
export const DEREF = IDeref.sym('-deref');
export const META = IMeta.sym('-meta');
export const WITH_META = IWithMeta.sym('-with-meta');
export const REDUCE = IReduce.sym('-reduce');
export const KV_REDUCE = IKVReduce.sym('-kv-reduce');
export const EQUIV = IEquiv.sym('-equiv');
export const HASH = IHash.sym('-hash');
export const RSEQ = IReversible.sym('-rseq');
export const SORTED_SEQ = ISorted.sym('-sorted-seq');
export const SORTED_SEQ_FROM = ISorted.sym('-sorted-seq-from');
export const ENTRY_KEY = ISorted.sym('-entry-key');
export const COMPARATOR = ISorted.sym('-comparator');
export const WRITE = IWriter.sym('-write');
export const PR_WRITER = IPrintWithWriter.sym('-pr-writer');
export const REALIZED = IPending.sym('-realized?');
export const NOTIFY_WATCHES = IWatchable.sym('-notify-watches');
export const ADD_WATCH = IWatchable.sym('-add-watch');
export const REMOVE_WATCH = IWatchable.sym('-remove-watch');
export const AS_TRANSIENT = IEditableCollection.sym('-as-transient');
export const CONJ_BANG = ITransientCollection.sym('-conj!');
export const PERSISTENT_BANG = ITransientCollection.sym('-persistent!');
export const ASSOC_BANG = ITransientAssociative.sym('-assoc!');
export const DISSOC_BANG = ITransientMap.sym('-dissoc!');
export const ASSOC_N_BANG = ITransientVector.sym('-assoc-n!');
export const POP_BANG = ITransientVector.sym('-pop!');
export const DISJOIN_BANG = ITransientSet.sym('-disjoin!');
export const COMPARE = IComparable.sym('-compare');
export const DROP_FIRST = IChunk.sym('-drop-first');
export const CHUNKED_FIRST = IChunkedSeq.sym('-chunked-first');
export const CHUNKED_REST = IChunkedSeq.sym('-chunked-rest');
export const CHUNKED_NEXT = IChunkedNext.sym('-chunked-next');
export const GET_NAME = INamed.sym('-name');
export const GET_NAMESPACE = INamed.sym('-namespace');
export const RESET = IReset.sym('-reset!');
export const SWAP = ISwap.sym('-swap!');
export const VRESET = IVolatile.sym('-vreset!');
export const DROP = IDrop.sym('-drop');

/** Marker symbols (ISequential and friends): truthy on the prototypes of their types. */
export const SEQUENTIAL = ISequential.marker;
export const LIST = IList.marker;
export const RECORD = IRecord.marker;
export const ATOM = IAtom.marker;
export const CHUNKED_SEQ = IChunkedSeq.marker;
export const SORTED = ISorted.marker;

/** On the prototypes of the types `=` treats as maps (not records: Clojure's MapEquivalence). */
export const IS_MAP = Symbol('jank.mapEquivalence');
/** On the prototypes of the set types (any IPersistentSet: `=` compares those as sets). */
export const IS_SET = Symbol('jank.set');

/** A type's `str` when it is not JS's toString (regexes: their pattern text). */
export const TO_STR = Symbol('jank.str');
