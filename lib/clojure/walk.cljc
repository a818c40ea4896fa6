(ns clojure.walk
  "Generic tree walkers: walk applies inner to each element of a form and outer
  to the result; prewalk and postwalk walk a whole tree. Part of
  jank-wasm-nrepl's bundled library, written for it.")

(defn walk
  "Traverses form, an arbitrary data structure. inner and outer are
  functions. Applies inner to each element of form, building up a
  data structure of the same type, then applies outer to the result."
  [inner outer form]
  (cond
    (list? form) (outer (with-meta (apply list (map inner form)) (meta form)))
    (map-entry? form) (outer (first {(inner (key form)) (inner (val form))}))
    (seq? form) (outer (with-meta (doall (map inner form)) (meta form)))
    (record? form) (outer (reduce (fn [r x] (conj r (inner x))) form form))
    (coll? form) (outer (with-meta (into (empty form) (map inner form)) (meta form)))
    :else (outer form)))

(defn postwalk
  "Performs a depth-first, post-order traversal of form. Calls f on
  each sub-form, uses f's return value in place of the original."
  [f form]
  (walk (partial postwalk f) f form))

(defn prewalk
  "Like postwalk, but does pre-order traversal."
  [f form]
  (walk (partial prewalk f) identity (f form)))

(defn postwalk-demo
  "Demonstrates the behavior of postwalk by printing each form as it is
  walked. Returns form."
  [form]
  (postwalk (fn [x] (print "Walked: ") (prn x) x) form))

(defn prewalk-demo
  "Demonstrates the behavior of prewalk by printing each form as it is
  walked. Returns form."
  [form]
  (prewalk (fn [x] (print "Walked: ") (prn x) x) form))

(defn- transform-keys
  "Every map in m, at any depth, with its keys for which (convert? k) is true
  replaced by (convert k)."
  [convert? convert m]
  (postwalk (fn [x]
              (if (map? x)
                (into {} (map (fn [[k v]] (if (convert? k) [(convert k) v] [k v])) x))
                x))
            m))

(defn keywordize-keys
  "Recursively transforms all map keys from strings to keywords."
  [m]
  (transform-keys string? keyword m))

(defn stringify-keys
  "Recursively transforms all map keys from keywords to strings."
  [m]
  (transform-keys keyword? name m))

(defn prewalk-replace
  "Recursively transforms form by replacing keys in smap with their
  values. Like clojure/replace but works on any data structure. Does
  replacement at the root of the tree first."
  [smap form]
  (prewalk (fn [x] (if (contains? smap x) (smap x) x)) form))

(defn postwalk-replace
  "Recursively transforms form by replacing keys in smap with their
  values. Like clojure/replace but works on any data structure. Does
  replacement at the leaves of the tree first."
  [smap form]
  (postwalk (fn [x] (if (contains? smap x) (smap x) x)) form))

(defn macroexpand-all
  "Recursively performs all possible macroexpansions in form."
  [form]
  (prewalk (fn [x] (if (seq? x) (macroexpand x) x)) form))
