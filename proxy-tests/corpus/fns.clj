;; Functions: :pre and :post conditions as Clojure's fn and defn check them.
;; Built into fns.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; pre-and-post-conditions
(defn doubled [x] {:pre [(pos? x)] :post [(> % 10)]} (* x 2))

(doubled 20)

;; error: Assert failed: (pos? x)
(doubled -1)

;; error: Assert failed: (> % 10)
(doubled 1)

;;; pre-condition-in-an-anonymous-fn
;; error: Assert failed: (string? x)
((fn [x] {:pre [(string? x)]} x) 1)

;;; a-lone-map-is-the-body-not-conditions
(defn only-map [x] {:pre [(pos? x)]})

(only-map -1)

;;; conditions-per-arity
(defn per-arity ([a] {:pre [(odd? a)]} a) ([a b] {:post [(string? %)]} (str a b)))

[(per-arity 3) (per-arity 1 2)]

;; error: Assert failed: (odd? a)
(per-arity 2)

;;; conditions-see-destructured-names
(defn named [{:keys [a]}] {:pre [(some? a)]} a)

(named {:a 1})

;; error: Assert failed: (some? a)
(named {})

;;; several-conditions-checked-in-order
(defn ordered [x] {:pre [(number? x) (pos? x)]} x)

;; error: Assert failed: (number? x)
(ordered "s")

;; error: Assert failed: (pos? x)
(ordered -5)

;;; post-with-a-body-of-several-forms
(def log (atom []))

(defn logged [x] {:post [(= % (inc x))]} (swap! log conj x) (inc x))

[(logged 1) @log]

;;; a-macro-call-leaves-the-repl-values-alone
(defmacro last-value [] '*1)

:before

(last-value)

[*1 *2 *3]

;;; arithmetic-on-parameters-of-any-number-type
(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))

[(fib 20) (fib 20.0) (fib 5/2) (fib 10N) (fib -1) (fib 1.5)]

(defn sum-to [n acc] (if (zero? n) acc (recur (dec n) (+ acc n))))

[(sum-to 100 0) (sum-to 100 0.5) (sum-to 10.0 0) (sum-to 3 1/2) (sum-to 4 (long 2))]

(defn scale [x k] (let [y (* x k)] [y (inc y) (str x) (= y 6) (pos? x)]))

[(scale 3 2) (scale 1.5 4) (scale 2 3.0) (scale 1/2 12)]

(defn diff [a b] (if (> a b) (- a b) (* a b)))

[(diff 5 3) (diff 2 3) (diff 2.5 1) (diff -1024 -1025) (diff 31744 1) (diff 9007199254740993 1)]

;; error: long overflow
(diff 3037000500 3037000500)

;; error: long overflow
(diff 9223372036854775807 -1)

(defn small [n] [(dec n) n (inc n) (- n 1024) (+ n 31743)])

[(small 0) (small -1024) (small 31743) (small 40000)]

;;; a-recursive-fn-sees-its-var-redefined
(defn fact [n] (if (< n 2) 1 (* n (fact (dec n)))))

(def old-fact fact)

[(fact 10) (old-fact 10)]

(defn fact [n] (if (< n 2) 100 (* n (fact (dec n)))))

[(fact 5) (old-fact 5)]

(with-redefs [fact (constantly 2)] [(fact 5) (old-fact 5)])

[(fact 5) (old-fact 5)]

(defn walk [s n] (if (seq s) (walk (rest s) (inc n)) n))

(walk (range 1000) 0)
