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
