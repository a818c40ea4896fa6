//! The core library the runtime provides (`assets/runtime.js`), as the compiler
//! sees it: which vars exist in `clojure.core` and `clojure.string`, with their
//! arglists and docstrings for `info`/`eldoc`. A test checks this list and the
//! runtime's exports agree.

/// One var the runtime defines.
pub struct CoreVar {
    pub ns: &'static str,
    pub name: &'static str,
    pub arglists: &'static str,
    pub doc: &'static str,
}

macro_rules! core_vars {
    ($($ns:literal $name:literal $arglists:literal $doc:literal;)*) => {
        &[$(CoreVar { ns: $ns, name: $name, arglists: $arglists, doc: $doc }),*]
    };
}

pub const CORE_VARS: &[CoreVar] = core_vars! {
    "clojure.core" "+" "([] [x] [x y] [x y & more])" "Returns the sum of nums. (+) returns 0.";
    "clojure.core" "-" "([x] [x y] [x y & more])" "If no ys are supplied, returns the negation of x, else subtracts the ys from x.";
    "clojure.core" "*" "([] [x] [x y] [x y & more])" "Returns the product of nums. (*) returns 1.";
    "clojure.core" "/" "([x] [x y] [x y & more])" "If no denominators are supplied, returns 1/numerator, else returns numerator divided by all of the denominators.";
    "clojure.core" "quot" "([num div])" "quot[ient] of dividing numerator by denominator.";
    "clojure.core" "rem" "([num div])" "remainder of dividing numerator by denominator.";
    "clojure.core" "mod" "([num div])" "Modulus of num and div. Truncates toward negative infinity.";
    "clojure.core" "inc" "([x])" "Returns a number one greater than num.";
    "clojure.core" "dec" "([x])" "Returns a number one less than num.";
    "clojure.core" "max" "([x] [x y] [x y & more])" "Returns the greatest of the nums.";
    "clojure.core" "min" "([x] [x y] [x y & more])" "Returns the least of the nums.";
    "clojure.core" "=" "([x] [x y] [x y & more])" "Equality. Returns true if x equals y, false if not.";
    "clojure.core" "==" "([x] [x y] [x y & more])" "Returns non-nil if nums all have the equivalent value (type-independent), otherwise false";
    "clojure.core" "not=" "([x] [x y] [x y & more])" "Same as (not (= obj1 obj2))";
    "clojure.core" "<" "([x] [x y] [x y & more])" "Returns non-nil if nums are in monotonically increasing order, otherwise false.";
    "clojure.core" ">" "([x] [x y] [x y & more])" "Returns non-nil if nums are in monotonically decreasing order, otherwise false.";
    "clojure.core" "<=" "([x] [x y] [x y & more])" "Returns non-nil if nums are in monotonically non-decreasing order, otherwise false.";
    "clojure.core" ">=" "([x] [x y] [x y & more])" "Returns non-nil if nums are in monotonically non-increasing order, otherwise false.";
    "clojure.core" "zero?" "([num])" "Returns true if num is zero, else false";
    "clojure.core" "pos?" "([num])" "Returns true if num is greater than zero, else false";
    "clojure.core" "neg?" "([num])" "Returns true if num is less than zero, else false";
    "clojure.core" "even?" "([n])" "Returns true if n is even, throws an exception if n is not an integer";
    "clojure.core" "odd?" "([n])" "Returns true if n is odd, throws an exception if n is not an integer";
    "clojure.core" "nil?" "([x])" "Returns true if x is nil, false otherwise.";
    "clojure.core" "some?" "([x])" "Returns true if x is not nil, false otherwise.";
    "clojure.core" "true?" "([x])" "Returns true if x is the value true, false otherwise.";
    "clojure.core" "false?" "([x])" "Returns true if x is the value false, false otherwise.";
    "clojure.core" "not" "([x])" "Returns true if x is logical false, false otherwise.";
    "clojure.core" "identity" "([x])" "Returns its argument.";
    "clojure.core" "str" "([] [x] [x & ys])" "With no args, returns the empty string. With one arg x, returns x.toString(). With more than one arg, returns the concatenation of the str values of the args.";
    "clojure.core" "pr-str" "([& xs])" "pr to a string, returning it";
    "clojure.core" "prn" "([& more])" "Same as pr followed by (newline).";
    "clojure.core" "println" "([& more])" "Same as print followed by (newline)";
    "clojure.core" "print" "([& more])" "Prints the object(s) to the output stream. print and println produce output for human consumption.";
    "clojure.core" "list" "([& items])" "Creates a new list containing the items.";
    "clojure.core" "vector" "([] [a] [a b] [a b & args])" "Creates a new vector containing the args.";
    "clojure.core" "hash-map" "([] [& keyvals])" "keyval => key val. Returns a new hash map with supplied mappings.";
    "clojure.core" "hash-set" "([] [& keys])" "Returns a new hash set with supplied keys.";
    "clojure.core" "vec" "([coll])" "Creates a new vector containing the contents of coll.";
    "clojure.core" "count" "([coll])" "Returns the number of items in the collection. (count nil) returns 0.";
    "clojure.core" "first" "([coll])" "Returns the first item in the collection. If coll is nil, returns nil.";
    "clojure.core" "rest" "([coll])" "Returns a possibly empty seq of the items after the first.";
    "clojure.core" "next" "([coll])" "Returns a seq of the items after the first, or nil if there are none.";
    "clojure.core" "cons" "([x seq])" "Returns a new seq where x is the first element and seq is the rest.";
    "clojure.core" "conj" "([] [coll] [coll x] [coll x & xs])" "conj[oin]. Returns a new collection with the xs 'added'.";
    "clojure.core" "seq" "([coll])" "Returns a seq on the collection. If the collection is empty, returns nil.";
    "clojure.core" "nth" "([coll index] [coll index not-found])" "Returns the value at the index.";
    "clojure.core" "get" "([map key] [map key not-found])" "Returns the value mapped to key, not-found or nil if key not present.";
    "clojure.core" "assoc" "([map key val] [map key val & kvs])" "assoc[iate]. When applied to a map, returns a new map that contains the mapping of key(s) to val(s).";
    "clojure.core" "dissoc" "([map] [map key] [map key & ks])" "dissoc[iate]. Returns a new map that does not contain a mapping for key(s).";
    "clojure.core" "contains?" "([coll key])" "Returns true if key is present in the given collection, otherwise returns false.";
    "clojure.core" "keys" "([map])" "Returns a sequence of the map's keys.";
    "clojure.core" "vals" "([map])" "Returns a sequence of the map's values.";
    "clojure.core" "map" "([f coll] [f c1 c2] [f c1 c2 c3] [f c1 c2 c3 & colls])" "Returns a lazy sequence consisting of the result of applying f to the first items of each coll, then the second items, and so on.";
    "clojure.core" "filter" "([pred coll])" "Returns a lazy sequence of the items in coll for which (pred item) returns logical true.";
    "clojure.core" "remove" "([pred coll])" "Returns a lazy sequence of the items in coll for which (pred item) returns logical false.";
    "clojure.core" "reduce" "([f coll] [f val coll])" "f should be a function of 2 arguments. Reduces coll with f.";
    "clojure.core" "into" "([] [to] [to from])" "Returns a new coll consisting of to-coll with all of the items of from-coll conjoined.";
    "clojure.core" "range" "([] [end] [start end] [start end step])" "Returns a lazy seq of nums from start (inclusive) to end (exclusive), by step.";
    "clojure.core" "take" "([n coll])" "Returns a lazy sequence of the first n items in coll, or all items if there are fewer than n.";
    "clojure.core" "drop" "([n coll])" "Returns a lazy sequence of all but the first n items in coll.";
    "clojure.core" "concat" "([] [x] [x y] [x y & zs])" "Returns a lazy seq representing the concatenation of the elements in the supplied colls.";
    "clojure.core" "apply" "([f args] [f x args] [f x y args] [f x y z args] [f a b c d & args])" "Applies fn f to the argument list formed by prepending intervening arguments to args.";
    "clojure.core" "partial" "([f] [f arg1] [f arg1 arg2] [f arg1 arg2 arg3] [f arg1 arg2 arg3 & more])" "Takes a function f and fewer than the normal arguments to f, and returns a fn that takes a variable number of additional args.";
    "clojure.core" "comp" "([] [f] [f g] [f g & fs])" "Takes a set of functions and returns a fn that is the composition of those fns.";
    "clojure.core" "atom" "([x] [x & options])" "Creates and returns an Atom with an initial value of x.";
    "clojure.core" "deref" "([ref] [ref timeout-ms timeout-val])" "Also reader macro: @ref. Returns the current state of ref.";
    "clojure.core" "swap!" "([atom f] [atom f x] [atom f x y] [atom f x y & args])" "Atomically swaps the value of atom to be: (apply f current-value-of-atom args).";
    "clojure.core" "reset!" "([atom newval])" "Sets the value of atom to newval without regard for the current value. Returns newval.";
    "clojure.core" "keyword" "([name] [ns name])" "Returns a Keyword with the given namespace and name.";
    "clojure.core" "symbol" "([name] [ns name])" "Returns a Symbol with the given namespace and name.";
    "clojure.core" "name" "([x])" "Returns the name String of a string, symbol or keyword.";
    "clojure.core" "namespace" "([x])" "Returns the namespace String of a symbol or keyword, or nil if not present.";
    "clojure.core" "number?" "([x])" "Returns true if x is a Number";
    "clojure.core" "string?" "([x])" "Return true if x is a String";
    "clojure.core" "keyword?" "([x])" "Return true if x is a Keyword";
    "clojure.core" "symbol?" "([x])" "Return true if x is a Symbol";
    "clojure.core" "fn?" "([x])" "Returns true if x implements Fn, i.e. is an object created via fn.";
    "clojure.core" "map?" "([x])" "Return true if x implements IPersistentMap";
    "clojure.core" "vector?" "([x])" "Return true if x implements IPersistentVector";
    "clojure.core" "seq?" "([x])" "Return true if x implements ISeq";
    "clojure.core" "coll?" "([x])" "Returns true if x implements IPersistentCollection";
    "clojure.core" "empty?" "([coll])" "Returns true if coll has no items.";
    "clojure.core" "ex-info" "([msg map] [msg map cause])" "Create an instance of ExceptionInfo, a RuntimeException subclass that carries a map of additional data.";
    "clojure.core" "ex-data" "([ex])" "Returns exception data (a map) if ex is an IExceptionInfo. Otherwise returns nil.";
    "clojure.core" "ex-message" "([ex])" "Returns the message attached to ex if ex is a Throwable. Otherwise returns nil.";
    "clojure.core" "subs" "([s start] [s start end])" "Returns the substring of s beginning at start inclusive, and ending at end (defaults to length of string), exclusive.";
    "clojure.string" "join" "([coll] [separator coll])" "Returns a string of all elements in coll, as returned by (seq coll), separated by an optional separator.";
    "clojure.string" "split" "([s re] [s re limit])" "Splits string on a regular expression.";
    "clojure.string" "upper-case" "([s])" "Converts string to all upper-case.";
    "clojure.string" "lower-case" "([s])" "Converts string to all lower-case.";
    "clojure.string" "trim" "([s])" "Removes whitespace from both ends of string.";
    "clojure.string" "blank?" "([s])" "True if s is nil, empty, or contains only whitespace.";
    "clojure.string" "includes?" "([s substr])" "True if s includes substr.";
    "clojure.string" "starts-with?" "([s substr])" "True if s starts with substr.";
    "clojure.string" "ends-with?" "([s substr])" "True if s ends with substr.";
    "clojure.string" "replace" "([s match replacement])" "Replaces all instance of match with replacement in s.";
};
