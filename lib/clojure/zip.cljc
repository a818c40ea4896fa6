(ns clojure.zip
  "Functional hierarchical zippers: navigation and editing of a tree through a
  location, a [node path] pair whose metadata holds the zipper's branch?,
  children and make-node fns. The path is a map of :l (the nodes left of this
  one), :r (right of it), :pnodes (the parents), :ppath (the parent's path)
  and :changed?; it is :end once next has walked the whole tree. Part of
  jank-wasm-nrepl's bundled library, written for it."
  (:refer-clojure :exclude [replace remove next]))

(defn- at
  "A location like loc (its zipper fns) at node with path."
  [loc node path]
  (with-meta [node path] (meta loc)))

(defn- the-path [loc] (nth loc 1))

(defn zipper
  "Creates a new zipper structure. branch? is a fn that, given a node, returns
  true if it can have children; children is a fn that, given a branch node,
  returns a seq of its children; make-node is a fn that, given an existing
  node and a seq of children, returns a new branch node with the supplied
  children. root is the root node."
  [branch? children make-node root]
  (with-meta [root nil]
    {:zip/branch? branch? :zip/children children :zip/make-node make-node}))

(defn seq-zip
  "Returns a zipper for nested sequences, given a root sequence"
  [root]
  (zipper seq? identity (fn [node children] (with-meta children (meta node))) root))

(defn vector-zip
  "Returns a zipper for nested vectors, given a root vector"
  [root]
  (zipper vector? seq (fn [node children] (with-meta (vec children) (meta node))) root))

(defn xml-zip
  "Returns a zipper for xml elements (as from xml/parse), given a root element"
  [root]
  (zipper (complement string?)
          (comp seq :content)
          (fn [node children] (assoc node :content (and children (apply vector children))))
          root))

(defn node
  "Returns the node at loc"
  [loc]
  (nth loc 0))

(defn branch?
  "Returns true if the node at loc is a branch"
  [loc]
  ((:zip/branch? (meta loc)) (node loc)))

(defn children
  "Returns a seq of the children of node at loc, which must be a branch"
  [loc]
  (when-not (branch? loc)
    (throw (Exception. "called children on a leaf node")))
  ((:zip/children (meta loc)) (node loc)))

(defn make-node
  "Returns a new branch node, given an existing node and new children. The loc
  is only used to supply the constructor."
  [loc node children]
  ((:zip/make-node (meta loc)) node children))

(defn path
  "Returns a seq of nodes leading to this loc"
  [loc]
  (:pnodes (the-path loc)))

(defn lefts
  "Returns a seq of the left siblings of this loc"
  [loc]
  (seq (:l (the-path loc))))

(defn rights
  "Returns a seq of the right siblings of this loc"
  [loc]
  (:r (the-path loc)))

(defn end?
  "Returns true if loc represents the end of a depth-first walk"
  [loc]
  (= :end (the-path loc)))

;; --- moving --------------------------------------------------------------------------

(defn down
  "Returns the loc of the leftmost child of the node at this loc, or nil if no
  children"
  [loc]
  (when (branch? loc)
    ;; (an empty list of children is still a child list: its first, nil, is the child)
    (when-let [kids (children loc)]
      (let [here (the-path loc)
            parents (if here (conj (:pnodes here) (node loc)) [(node loc)])]
        (at loc (first kids) {:l [] :pnodes parents :ppath here :r (clojure.core/next kids)})))))

(defn up
  "Returns the loc of the parent of the node at this loc, or nil if at the top"
  [loc]
  (let [here (the-path loc)
        parents (:pnodes here)]
    (when parents
      (let [parent (peek parents)
            above (:ppath here)]
        (if (:changed? here)
          (let [kids (concat (:l here) (cons (node loc) (:r here)))]
            (at loc (make-node loc parent kids) (and above (assoc above :changed? true))))
          (at loc parent above))))))

(defn root
  "zips all the way up and returns the root node, reflecting any changes."
  [loc]
  (if (end? loc)
    (node loc)
    (loop [loc loc]
      (if-let [parent (up loc)]
        (recur parent)
        (node loc)))))

(defn right
  "Returns the loc of the right sibling of the node at this loc, or nil"
  [loc]
  (let [here (the-path loc)
        rs (:r here)]
    (when (and here rs)
      (at loc (first rs) (assoc here :l (conj (:l here) (node loc)) :r (clojure.core/next rs))))))

(defn rightmost
  "Returns the loc of the rightmost sibling of the node at this loc, or self"
  [loc]
  (let [here (the-path loc)
        rs (:r here)]
    (if (and here rs)
      (at loc (last rs) (assoc here :l (apply conj (:l here) (node loc) (butlast rs)) :r nil))
      loc)))

(defn left
  "Returns the loc of the left sibling of the node at this loc, or nil"
  [loc]
  (let [here (the-path loc)
        ls (:l here)]
    (when (and here (seq ls))
      (at loc (peek ls) (assoc here :l (pop ls) :r (cons (node loc) (:r here)))))))

(defn leftmost
  "Returns the loc of the leftmost sibling of the node at this loc, or self"
  [loc]
  (let [here (the-path loc)
        ls (:l here)]
    (if (and here (seq ls))
      (at loc (first ls) (assoc here :l [] :r (concat (rest ls) [(node loc)] (:r here))))
      loc)))

(defn- deepest-rightmost
  "From loc, the last node a depth-first walk of its subtree meets."
  [loc]
  (if-let [child (and (branch? loc) (down loc))]
    (recur (rightmost child))
    loc))

(defn next
  "Moves to the next loc in the hierarchy, depth-first. When reaching the end,
  returns a distinguished loc detectable via end?. If already at the end, stays
  there."
  [loc]
  (cond
    (end? loc) loc
    (and (branch? loc) (down loc)) (down loc)
    (right loc) (right loc)
    :else (loop [loc loc]
            (if-let [parent (up loc)]
              (or (right parent) (recur parent))
              [(node loc) :end]))))

(defn prev
  "Moves to the previous loc in the hierarchy, depth-first. If already at the
  root, returns nil."
  [loc]
  (if-let [before (left loc)]
    (deepest-rightmost before)
    (up loc)))

;; --- editing -------------------------------------------------------------------------

(defn- changed
  "loc's path, marked changed (at the top, there is none)."
  [path]
  (when path (assoc path :changed? true)))

(defn insert-left
  "Inserts the item as the left sibling of the node at this loc, without moving"
  [loc item]
  (let [here (the-path loc)]
    (when (nil? here) (throw (Exception. "Insert at top")))
    (at loc (node loc) (assoc here :l (conj (:l here) item) :changed? true))))

(defn insert-right
  "Inserts the item as the right sibling of the node at this loc, without moving"
  [loc item]
  (let [here (the-path loc)]
    (when (nil? here) (throw (Exception. "Insert at top")))
    (at loc (node loc) (assoc here :r (cons item (:r here)) :changed? true))))

(defn replace
  "Replaces the node at this loc, without moving"
  [loc node]
  (at loc node (assoc (the-path loc) :changed? true)))

(defn edit
  "Replaces the node at this loc with the value of (f node args)"
  [loc f & args]
  (replace loc (apply f (node loc) args)))

(defn insert-child
  "Inserts the item as the leftmost child of the node at this loc, without moving"
  [loc item]
  (replace loc (make-node loc (node loc) (cons item (children loc)))))

(defn append-child
  "Inserts the item as the rightmost child of the node at this loc, without moving"
  [loc item]
  (replace loc (make-node loc (node loc) (concat (children loc) [item]))))

(defn remove
  "Removes the node at loc, returning the loc that would have preceded it in a
  depth-first walk."
  [loc]
  (let [here (the-path loc)]
    (when (nil? here) (throw (Exception. "Remove at top")))
    (let [ls (:l here)]
      (if (pos? (count ls))
        (deepest-rightmost (at loc (peek ls) (assoc here :l (pop ls) :changed? true)))
        (at loc (make-node loc (peek (:pnodes here)) (:r here)) (changed (:ppath here)))))))
