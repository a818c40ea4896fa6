(ns clojure.data
  "Non-core data functions: diff, which tells what two values have in common
  and where they differ. Part of jank-wasm-nrepl's bundled library, written
  for it."
  (:require [clojure.set :as set]))

(declare diff)

(defn- partition-of
  "How diff compares x: as a set, a sequence (by index), a map (by key), or an
  atom (whole)."
  [x]
  (cond
    (nil? x) :atom
    (set? x) :set
    (map? x) :map
    (or (sequential? x) (js/Array.isArray x)) :sequential
    :else :atom))

(defn- diff-key
  "The diff of a and b at key k: [only-in-a only-in-b in-both], each a one-entry
  map or nil."
  [a b k]
  (let [va (get a k)
        vb (get b k)
        [in-a in-b in-both] (diff va vb)
        has-a (contains? a k)
        has-b (contains? b k)
        ;; both have k, and its values agree somewhere (or are both nil)
        same (and has-a has-b (or (some? in-both) (and (nil? va) (nil? vb))))]
    [(when (and has-a (or (some? in-a) (not same))) {k in-a})
     (when (and has-b (or (some? in-b) (not same))) {k in-b})
     (when same {k in-both})]))

(defn- diff-keys
  "The diffs of a and b at every key of ks, merged into three maps (a seq of
  them, as Clojure's)."
  [a b ks]
  (reduce (fn [acc k] (doall (map merge acc (diff-key a b k))))
          [nil nil nil]
          ks))

(defn- as-vector
  "An index -> value map as a vector (nil where no index is), or nil when empty."
  [m]
  (when (seq m)
    (reduce (fn [v [i x]] (assoc v i x))
            (vec (repeat (apply max (keys m)) nil))
            m)))

(defn- diff-similar
  "diff of two values of the same partition."
  [kind a b]
  (case kind
    :atom [a b nil]
    :set [(not-empty (set/difference a b))
          (not-empty (set/difference b a))
          (not-empty (set/intersection a b))]
    ;; set/union of the two key seqs: the longer's keys, the other's consed in
    ;; front (duplicates included); the key order decides the result maps' order
    :map (diff-keys a b (set/union (keys a) (keys b)))
    :sequential (let [av (vec a)
                      bv (vec b)]
                  (mapv as-vector (diff-keys av bv (range (max (count av) (count bv))))))))

(defn diff
  "Recursively compares a and b, returning a tuple of
  [things-only-in-a things-only-in-b things-in-both].
  Comparison rules:

  * For equal a and b, return [nil nil a].
  * Maps are subdiffed where keys match and values differ.
  * Sets are never subdiffed.
  * All sequential things are treated as associative collections
    by their indexes, with results returned as vectors.
  * Everything else (including strings!) is treated as
    an atom and compared for equality."
  [a b]
  (if (= a b)
    [nil nil a]
    (let [kind (partition-of a)]
      (if (= kind (partition-of b))
        (diff-similar kind a b)
        [a b nil]))))
