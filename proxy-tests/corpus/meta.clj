;; Var metadata: what def, defn, defn-, defmacro and defonce give a var, as Clojure's
;; compiler builds it, and private vars refused across namespaces.
;; Built into meta.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; defn-gives-arglists-doc-and-position
(defn mf "doc" [x] x)

(dissoc (meta #'mf) :ns)

[(str (:ns (meta #'mf))) (:name (meta #'mf)) (symbol? (:name (meta #'mf)))]

;;; def-with-metadata-on-the-name
(def ^:dynamic *md* 1)

(dissoc (meta #'*md*) :ns)

(def ^{:x (+ 1 2) :y "why"} mv 1)

(dissoc (meta #'mv) :ns)

(def mw "a docstring" 2)

(dissoc (meta #'mw) :ns)

(def mu)

(dissoc (meta #'mu) :ns)

;;; defn-with-attributes-and-arities
(defn mg "gd" {:k 1 :added "1.2"} ([x] x) ([x & more] more))

(dissoc (meta #'mg) :ns)

(defn ^:private mq {:added "1.0"} [] 1)

(dissoc (meta #'mq) :ns)

;;; defn-private
(defn- mp ([] 1) ([a & b] 2))

(dissoc (meta #'mp) :ns)

(:private (meta #'mp))

;;; the-compilers-keys-replace-the-names-own-in-place
(def ^{:line 5} ml 1)

(:line (meta #'ml))

(def ^{:ns 3 :name 4 :file "q"} mn 1)

(dissoc (meta #'mn) :ns)

(def ^{:column 9 :doc "d"} mw "doc2" 1)

(dissoc (meta #'mw) :ns)

(defmacro ^{:macro false :line 3} mmac [] 1)

(dissoc (meta #'mmac) :ns)

(def ^{:doc "kept"} mk 1)

(:doc (meta #'mk))

;;; defmacro-marks-the-var
(defmacro mm "mdoc" [a] a)

(dissoc (meta #'mm) :ns)

(defmacro mm2 ([a] a) ([a b] b))

(:arglists (meta #'mm2))

;;; a-def-again-replaces-the-metadata
(defn mr "first" [x] x)

(def mr 2)

(dissoc (meta #'mr) :ns)

;;; defonce-keeps-the-metadata-of-its-first-def
(defonce ^{:first true} mo 1)

(defonce ^{:second true} mo 2)

[mo (dissoc (meta #'mo) :ns)]

;;; alter-meta-and-reset-meta-on-vars
(defn ma "ad" [x] x)

(:z (alter-meta! #'ma assoc :z 1))

[(:z (meta #'ma)) (:doc (meta #'ma))]

(reset-meta! #'ma {:a 1})

(meta #'ma)

;;; private-vars-across-namespaces
(ns mpa) (defn- p [] 1) (def ^:private c 2) (defn pub [] (p))

(ns mpb)

;; error: var: #'mpa/p is not public
(mpa/p)

;; error: var: mpa/c is not public
mpa/c

[(mpa/pub) (@#'mpa/p) (:private (meta #'mpa/c))]

(in-ns 'user)

;;; ns-publics-and-ns-interns
(ns mna) (defn- p [] 1) (def c 2) (defn f [] (p)) (declare d) (def ^:private e 3) (defn g1 []) (defn g2 []) (defn g3 []) (defn g4 []) (defn g5 [])

(in-ns 'user)

(ns-publics 'mna)

(ns-interns 'mna)

[(count (ns-interns 'mna)) (count (ns-publics (the-ns 'mna))) (get (ns-publics 'mna) 'c)]

(ns mnb) (def only 1) (ns-publics *ns*)

(in-ns 'user)

;; error: No namespace: nope found
(ns-publics 'nope)

;;; test-runs-the-test-in-the-metadata
(defn mtf {:test (fn [] (assert (= 1 1)))} [] 1) (defn mtg [] 1) (defn mth {:test (fn [] (assert (= 1 2)))} [] 1)

[(test #'mtf) (test #'mtg) (test 5)]

;; error: Assert failed: (= 1 2)
(test #'mth)

;;; core-vars-carry-clojures-metadata
(select-keys (meta #'map) [:arglists :doc :added :name])

(str (:ns (meta #'map)))

(:dynamic (meta #'*print-length*))

(select-keys (meta #'clojure.string/join) [:arglists :name])

;;; core-macros-are-vars
(var when)

(select-keys (meta #'when) [:arglists :doc :added :name :macro])

(select-keys (meta #'defn) [:arglists :added :macro])

(#'when '(when a b) nil 'a 'b)

(resolve 'cond)

;; error: Can't take value of a macro: #'clojure.core/when
(map when [1])

;;; a-core-macro-through-an-alias
(require '[clojure.core :as cc])

(cc/when true :yes)

(cc/-> 1 inc)
