;; Code that asks the compiler: eval, load-string, macroexpand, a require of a computed
;; name, and the namespace fns that read and change what names mean (find-var, ns-resolve,
;; resolve, intern, ns-map, ns-refers, ns-aliases, ns-imports, ns-unmap, ns-unalias, alias,
;; refer, refer-clojure, loaded-libs).
;; Built into namespaces.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; eval-of-built-forms
(eval '(+ 1 2))

(eval (list 'def 'ev-x 3))

ev-x

(eval (list 'fn '[a] (list '* 'a 'ev-x)))

((eval (list 'fn '[a] (list '* 'a 'ev-x))) 5)

(eval [(list 'inc 1) {:k (list 'str "a" "b")}])

(eval :k)

(map eval ['(+ 1 1) '(* 2 3)])

;;; eval-runs-a-user-macro-the-form-calls
(defmacro ev-twice [x] (list 'do x x))

(def ev-count (atom 0))

(eval '(ev-twice (swap! ev-count inc)))

;;; eval-defines-a-fn-later-code-calls
(eval '(defn ev-sq [n] (* n n)))

(ev-sq 7)

(eval '(ev-sq 8))

;;; eval-of-a-form-that-does-not-compile
;; error: Unable to resolve symbol: ev-nope in this context
(eval '(ev-nope 1))

(try (eval '(ev-nope 1)) (catch Exception e :caught))

;;; eval-of-a-form-that-throws
;; error: Divide by zero
(eval '(/ 1 0))

(try (eval '(/ 1 0)) (catch ArithmeticException e (ex-message e)))

;;; load-string-runs-every-form
(load-string "(def ls-a 1) (def ls-b (+ ls-a 1)) (* ls-b 10)")

[ls-a ls-b]

(load-string "")

(load-string "(defmacro ls-m [x] `(list ~x ~x)) (ls-m 4)")

;;; macroexpand-of-core-macros
(macroexpand-1 '(when a b))

(macroexpand '(-> a (b c) d))

(macroexpand-1 '(-> a (b c) d))

(macroexpand '(.toUpperCase s))

(macroexpand-1 '(String. "x"))

;;; macroexpand-of-what-is-not-a-macro-call
(macroexpand-1 '(mx-not-a-macro 1))

(macroexpand 1)

(macroexpand '[a b])

(macroexpand-1 '(inc 1))

(macroexpand-1 '(if a b c))

;;; macroexpand-of-a-user-macro
(defmacro mx-add [a b] (list '+ a b))

(defmacro mx-add-one [a] (list 'mx-add a 1))

(macroexpand-1 '(mx-add-one 5))

(macroexpand '(mx-add-one 5))

(macroexpand-1 '(user/mx-add 1 2))

;;; find-var
(find-var 'clojure.core/map)

(find-var 'user/fv-nope)

(def fv-here 1)

(find-var 'user/fv-here)

;; error: Symbol must be namespace-qualified
(find-var 'map)

;; error: No such namespace: fv.nosuch
(find-var 'fv.nosuch/x)

;;; ns-resolve-and-resolve-of-computed-symbols
(let [s (symbol "map")] (resolve s))

(let [s (symbol "String")] (resolve s))

(resolve 'String)

(ns-resolve 'clojure.core 'filter)

(ns-resolve *ns* (symbol "rs-nope"))

(ns-resolve *ns* 'rs.nosuch/x)

(resolve {'map 1} 'map)

;; error: No namespace: rs.nosuch found
(ns-resolve 'rs.nosuch 'x)

;;; intern-makes-or-finds-a-var
(intern 'user 'in-x 5)

in-x

(dissoc (meta (intern 'user 'in-y)) :ns)

(str (:ns (meta #'in-y)))

(intern 'user 'in-x 6)

in-x

(def ^:dynamic *in-d* 1)

(dissoc (meta (intern 'user '*in-d* 2)) :ns)

*in-d*

;; error: No namespace: in.nosuch found
(intern 'in.nosuch 'x 1)

;;; ns-unmap-forgets-a-name
(def um-x 1)

(ns-unmap *ns* 'um-x)

(resolve 'um-x)

(ns-unmap *ns* 'um-never-was)

;;; ns-unmap-of-a-core-name-lets-a-namespace-define-its-own
(ns um.own)

(ns-unmap *ns* 'inc)

(resolve 'inc)

(defn inc [x] (- x 1))

(inc 10)

(clojure.core/inc 10)

;;; aliases
(ns al.space)

(require 'clojure.set)

(alias 'al-s 'clojure.set)

(al-s/union #{1} #{2})

(update-vals (ns-aliases *ns*) str)

(alias 'al-s 'clojure.set)

;; error: Alias al-s already exists in namespace al.space, aliasing clojure.set
(alias 'al-s 'clojure.string)

(ns-unalias *ns* 'al-s)

(contains? (ns-aliases *ns*) 'al-s)

;; error: No namespace: al.nosuch found
(alias 'al-x 'al.nosuch)

;;; refer-with-filters
(ns rf.target)

(defn rf-one [] 1)

(defn rf-two [] 2)

(defn- rf-secret [] 3)

(ns rf.user)

(refer 'rf.target :only '[rf-one])

(rf-one)

(resolve 'rf-two)

(refer 'rf.target :exclude '[rf-one] :rename '{rf-two two})

(two)

(resolve 'rf-secret)

;; error: rf-secret is not public
(refer 'rf.target :only '[rf-secret])

;; error: rf-nope does not exist
(refer 'rf.target :only '[rf-nope])

;;; refer-clojure-in-an-ns-form
(ns rc.only (:refer-clojure :only [inc str]))

(str (inc 1))

(clojure.core/resolve 'dec)

(ns rc.exclude (:refer-clojure :exclude [map]))

(resolve 'map)

(resolve 'filter)

(ns rc.rename (:refer-clojure :rename {map core-map}))

(core-map inc [1 2])

(resolve 'map)

;;; ns-map-refers-and-imports
(ns nm.space (:require [clojure.set :refer [union]]))

(defn nm-f [] 1)

((ns-map *ns*) 'nm-f)

((ns-map *ns*) 'union)

((ns-map *ns*) 'map)

((ns-map *ns*) 'String)

((ns-refers *ns*) 'union)

((ns-refers *ns*) 'nm-f)

((ns-imports *ns*) 'String)

((ns-imports *ns*) 'Long)

(every? var? (vals (ns-refers *ns*)))

;;; require-of-a-computed-name
(require (symbol "clojure.walk"))

(clojure.walk/keywordize-keys {"a" 1})

(contains? (loaded-libs) 'clojure.walk)

(sorted? (loaded-libs))

(apply require [(symbol "clojure.set")])

;;; a-macro-reads-what-names-mean-as-it-expands
(defmacro mr-if-var [s then else] (if (resolve s) then else))

[(mr-if-var map :yes :no) (mr-if-var mr-nope :yes :no)]

(defmacro mr-publics [] (count (ns-publics 'user)))

(pos? (mr-publics))

;;; destructure-for-macros-that-bind
(defmacro ds-let [bindings & body] `(let* ~(destructure bindings) ~@body))

(ds-let [[a b] [1 2] {:keys [c] :or {c 9}} {}] (+ a b c))

(destructure '[x 1])

(every? symbol? (take-nth 2 (destructure '[[p q] [1 2]])))

;;; a-fn-reads-the-ns-of-the-code-that-calls-it
(defn ns-now [] (str *ns*))

(ns-now)

(ns ns-elsewhere)

(user/ns-now)

(defmacro ns-of-expansion [] (str *ns*))

(ns ns-third)

(ns-elsewhere/ns-of-expansion)

[(str *ns*) (ns-name *ns*)]
