;; clojure.repl: doc, find-doc, dir, apropos, source-fn, root-cause, demunge, from the
;; documentation the compiler has (Clojure 1.11's own).
;; Built into repl.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; doc-prints-clojures-documentation
(require '[clojure.repl :as r])

(with-out-str (r/doc map))

(with-out-str (r/doc when))

(with-out-str (r/doc clojure.string/join))

(defn documented "Does a thing." [a b] a)

(with-out-str (r/doc documented))

;;; dir-and-apropos
(require '[clojure.repl :as r] '[clojure.set :as s])

(r/dir-fn 'clojure.set)

(r/dir-fn 's)

(with-out-str (r/dir clojure.set))

(r/apropos "map-invert")

(r/apropos #"^rename-k")

;;; find-doc
(require '[clojure.repl :as r])

(with-out-str (r/find-doc "Returns the product of nums"))

;;; source-fn-and-the-rest
(require '[clojure.repl :as r])

(defn at-the-repl [] 1)

(r/source-fn 'at-the-repl)

(with-out-str (r/source at-the-repl))

(ex-message (r/root-cause (ex-info "outer" {} (ex-info "middle" {} (Exception. "inner")))))

(ex-message (r/root-cause (Exception. "alone")))

[(r/demunge "clojure.core$map") (r/demunge "clojure.core$str_QMARK_") (r/demunge "my.ns$do_it_BANG_")]
