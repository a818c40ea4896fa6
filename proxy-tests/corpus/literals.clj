;; Literals and syntax-quote as Clojure reads and builds them: set and map literals with
;; computed elements, syntax-quote of class names, and macros whose last step is a recur.
;; Built into literals.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; computed-literals-refuse-duplicates
(let [a 1 b 2] [#{a b} {a 1 b 2}])

;; error: Duplicate key: 1
(let [a 1 b 1] #{a b})

;; error: Duplicate key: 1
(let [a 1 b 1] {a 1 b 2})

(let [x 1] [(class {x 1 2 2 3 3 4 4 5 5 6 6 7 7 8 8}) (class {x 1 2 2 3 3 4 4 5 5 6 6 7 7 8 8 9 9})])

;;; syntax-quote-of-class-names
`clojure.core

`[String Object java.util.Date foo.bar foo. String. .method x]

(deftype SqType [])

`[SqType SqType.]

(defrecord SqRec [a])

(defmacro make-rec [] `(SqRec. 1))

(make-rec)

;;; a-recur-as-the-last-threaded-step
(loop [x 0] (cond-> x false recur))

(loop [x 0] (cond-> x (< x 3) (-> inc recur)))

(cond-> 1 true inc false inc true (* 10))

(cond->> [1 2] true (map inc) false (map dec))

;;; run-stops-at-reduced
(with-out-str (run! #(do (print %) (when (= % 2) (reduced :x))) [1 2 3]))

;;; read-string-reads-code
(read-string "'x")

(read-string "#'x")

(read-string "@x")

[(read-string "^:foo [1]") (meta (read-string "^:foo [1]"))]

(str (read-string "#\"a.b\""))

((eval (read-string "#(* % 2)")) 21)

(eval (read-string "`(+ 1 ~(inc 1))"))

(let [r (java.io.PushbackReader. (java.io.StringReader. "#(inc %) ^:k [2] 3"))] [(first (read r)) (meta (read r)) (read r)])

;;; quote-keeps-metadata
(meta '^:foo [1])

(meta '^{:a 1} x)

(meta (second '(a ^:b [c])))
