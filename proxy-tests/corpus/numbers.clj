;; Numbers: longs that the compiler keeps in wasm (loop and let locals, arithmetic and
;; comparisons on them), with Clojure's overflow checks, division rules and boxing.
;; Built into numbers.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; a-loop-counts-in-longs
(loop [i 0] (if (< i 1000) (recur (inc i)) i))

(loop [i 10 acc 1] (if (zero? i) acc (recur (dec i) (* acc i))))

(loop [i 0 evens 0 odds 0] (if (< i 7) (recur (inc i) (if (even? i) (inc evens) evens) (if (odd? i) (inc odds) odds)) [evens odds]))

;;; a-loop-local-given-a-double-is-a-double
(loop [i 0] (if (< i 2) (recur (+ i 0.5)) i))

(loop [i 0 j 0] (if (< j 3) (recur (+ i 1.5) (inc j)) [i j]))

;;; long-overflow-throws
;; error: long overflow
(loop [i 9223372036854775800] (recur (+ i 3)))

;; error: long overflow
(let [x 9223372036854775807] (inc x))

;; error: long overflow
(let [x -9223372036854775808] (dec x))

;; error: long overflow
(let [x -9223372036854775808] (- x 1))

;; error: long overflow
(let [x 1 y -9223372036854775808] (- x y))

;; error: long overflow
(let [a 3037000500] (* a a))

;; error: long overflow
(let [a -1] (* a -9223372036854775808))

;; error: long overflow
(let [a -9223372036854775808] (* a -1))

;; error: long overflow
(let [a 4611686018427387904 b 4611686018427387904] (+ a b))

;;; up-to-the-edge-of-the-range
(loop [i 9223372036854775800] (if (< i 9223372036854775807) (recur (inc i)) i))

(let [a 3037000499] (* a a))

(let [a -9223372036854775808] [(* a 1) (+ a 0) (- a -1) (* 1 a) (inc a)])

(let [a 4611686018427387903 b 4611686018427387904] (+ a b))

;;; beyond-the-safe-integers
(let [x 9007199254740991] [(inc x) (+ x 2) (* x 2) (- (- x) 2) (= (inc x) 9007199254740992)])

(let [x 9007199254740993] [x (inc x) (dec x) (* x 2) (quot x 2) (rem x 10)])

(loop [i 9007199254740990 xs []] (if (< i 9007199254740995) (recur (inc i) (conj xs i)) xs))

;;; quot-rem-and-mod
(let [a 7 b 2] [(quot a b) (rem a b) (mod a b) (quot (- a) b) (rem (- a) b) (mod (- a) b)])

(let [a 7 b -2] [(quot a b) (rem a b) (mod a b) (mod (- a) b)])

(let [a -8 b 2] [(mod a b) (rem a b) (mod 0 b)])

(let [a -9223372036854775808 b -1] [(quot a b) (rem a b) (mod a b)])

;; error: / by zero
(let [a 1 b 0] (quot a b))

;; error: / by zero
(let [a 1 b 0] (rem a b))

;; error: / by zero
(quot 1 0)

;; error: Divide by zero
(let [q (fn [a b] (quot a b))] (q 1 0))

;; error: Divide by zero
(let [a 1 b 0] (mod a b))

;;; tests-and-comparisons-of-longs
(let [a 5 b 7] [(< a b) (> a b) (<= a 5) (>= a 6) (= a b) (== a 5) (zero? a) (pos? a) (neg? a) (even? a) (odd? a)])

(let [a -3] [(pos? a) (neg? a) (even? a) (odd? a) (zero? (+ a 3))])

(let [x 1] [(= x 1.0) (== x 1.0) (< x 1.5) (get {1 :a} x) (= x 1N)])

;;; arithmetic-mixing-longs-and-others
(let [a 5 b 7] [(- a b) (* a b) (+ a b) (inc a) (dec b) (+ a 0.5) (/ a b) (* a 1.0) (+ a 1/2) (+ a 1N)])

(let [a 6] [(/ a 2) (/ a 4) (quot a 4.0) (rem a 4.0) (mod a 4.0)])

;;; arithmetic-with-many-arguments
(let [a 1 b 2] [(+ a b 3 4) (- 10 a b 3) (* a b 3 4) (+ a b 0.5) (* 2 a b 1/3)])

;; error: long overflow
(let [a 9223372036854775806] (+ a 1 1))

;;; apply-of-plus-and-times-walks-the-collection
[(apply + []) (apply + [1]) (apply + [1 2 3]) (apply + (range 10)) (apply * [2 3 4]) (apply + 1 [2 3]) (apply + nil) (apply + [1 2.5]) (apply * (range 1 21)) (apply + (list 1 2)) (apply + 1 2 (range 3)) (apply * []) (apply + (vec (range 100000)))]

;; error: cannot be cast to class java.lang.Number
(apply + [1 "a"])

;; error: long overflow
(apply + [9223372036854775807 1])

;; error: long overflow
(apply * (range 1 22))

;;; reduce-of-plus-over-big-ranges-and-vectors-adds-as-plus-does
[(reduce + 0 (range 1000)) (reduce + (range 1000)) (reduce + 0.5 (range 1000)) (reduce + 1.0 (range 600)) (reduce + 1/2 (range 600)) (reduce + 1N (range 600)) (reduce + 9007199254740000 (range 2000)) (reduce + 0 (range 1000 0 -1)) (reduce + 0 (range -5000 5000 3)) (reduce + 0 (vec (range 1000))) (reduce + 0 (conj (vec (range 1000)) 0.25)) (reduce + 0 (into [1/3] (range 1000))) (reduce + 9007199254740000 (vec (range 2000))) (reduce + 0 (subvec (vec (range 2000)) 700)) (reduce + 0 (seq (vec (range 2000)))) (apply + (conj (vec (range 1000)) 2.5)) (apply + 9007199254740000 (vec (range 2000)))]

;; error: long overflow
(reduce + 9223372036854775000 (range 1000))

;; error: long overflow
(reduce + 9223372036854775000 (vec (range 1000)))

;; error: ClassCastException
(reduce + 0 (conj (vec (range 1000)) "a"))

;;; reduce-over-big-collections-stops-at-reduced-and-follows-redefinition
(defn add-until [acc x] (if (> acc 100000) (reduced [:stopped acc x]) (+ acc x)))
(defn conj-even [acc x] (if (even? x) (conj acc x) acc))

[(reduce add-until 0 (range 5000)) (reduce add-until 0 (vec (range 5000))) (count (reduce conj-even [] (range 5000))) (count (reduce conj-even [] (vec (range 5000)))) (nth (persistent! (reduce conj! (transient []) (range 600))) 599) (count (persistent! (reduce conj! (transient []) (vec (range 600))))) (reduce max 0 (range 3000)) (reduce (fn [m x] (assoc m (mod x 7) x)) {} (range 1000))]

(defn conj-even [acc x] (if (odd? x) (conj acc x) acc))

[(take 3 (reduce conj-even [] (range 5000))) (take 3 (reduce conj-even [] (vec (range 5000))))]

;;; mod-and-rem-of-longs-doubles-and-ratios
[(mod -7 2) (mod 7 -2) (mod -4 2) (mod 7 2.5) (mod -7 2.5) (rem -7 2) (rem 7 -2) (rem -4 2) (mod 9007199254740993 10) (mod -1 9007199254740991) (mod -9 -4) (rem -9 -4) (mod 0 -3) (mod -3 3) (mod 1/2 2) (mod -7 2N) (rem 7.5 2) (mod -9223372036854775808 7) (rem 9223372036854775807 -10) (map #(mod % 3) (range -4 5))]

;; error: Divide by zero
(mod 1 0)

;; error: by zero
(rem -5 0)

;;; frequencies-of-seqs-vectors-maps-and-nils
[(frequencies [1 1 2 nil nil "a" 1.0 1N]) (frequencies (range 0)) (frequencies nil) (frequencies {:a 1 :b 2}) (frequencies "hello") (frequencies (map #(mod % 5) (range 1000))) (frequencies (list :a :b :a)) (frequencies (filter even? (range 100)))]

[(frequencies (concat (range 12) [:a "x" :a [1 2] "x" [1 2] 1.0 1 ::k :k/k 2.5 2.5 true false nil 9007199254740993 9007199254740993 'sym 'sym])) (frequencies (concat [[1] [1]] (range 12))) (frequencies ["Aa" "BB" "Aa" "C"]) (frequencies (map #(keyword (str "k" (mod % 11))) (range 100))) (frequencies (concat (range 5) [##Inf ##-Inf ##Inf -0.0 0.0 0])) (count (frequencies (map str (range 1000))))]

;;; sort-of-numbers-orders-as-compare-does
(def shuffled (map #(mod (* % 7919) 101) (range 101)))

[(take 5 (sort shuffled)) (take-last 3 (sort shuffled)) (= (sort shuffled) (range 101)) (sort (map #(- % 50.5) (take 20 shuffled))) (sort (concat (range 20 0 -1) [1.0 2.5 -0.0 0.0 9007199254740993 1/2 3N])) (sort (concat (range 20) [##Inf ##-Inf -1.5])) (sort > (take 20 shuffled)) (sort-by - (take 20 shuffled)) (sort (vec (range 30 0 -2))) (sort (into-array (range 20 0 -1)))]

;;; equality-of-big-vectors-element-by-element
(def big (vec (range 100000)))

[(= big (vec (range 100000))) (= big (assoc big 99999 0)) (= big (assoc big 5 5)) (= big (conj (pop big) 99999)) (= big (conj (pop big) 99999.0)) (= (conj big 1) (conj big 1N)) (= (conj big 1) (conj big 1.0)) (= [(/ 0.0 0.0)] [(/ 0.0 0.0)]) (= (into [] (range 40)) (range 40)) (= (vec (range 40)) (subvec (vec (range 50)) 0 40)) (= (mapv str (range 100)) (mapv str (range 100)))]

;;; long-coerces
(let [n (long 3.7) m (long \a) k (long 9007199254740993N)] [n m k (inc n)])

(dotimes [i (long 3)] (print i))

;; error: ClassCastException
(let [n (long "a")] n)

;;; a-long-local-leaves-for-the-runtime-boxed
(loop [i 0 fs []] (if (< i 3) (recur (inc i) (conj fs (fn [] i))) (mapv #(%) fs)))

(let [x (if (pos? 1) 1 2) y (let [z 5] (* z 2))] [(inc x) y (str x y) (class x)])

(let [x 3] (def from-a-let x) (+ from-a-let 1))

;; error: no
(let [x (if false 1 (throw (ex-info "no" {})))] x)

;;; dotimes-counts-with-longs
(let [n 5 acc (volatile! [])] (dotimes [i n] (vswap! acc conj (* i i))) @acc)

(let [xs [:a :b :c] out (volatile! [])] (dotimes [i (count xs)] (vswap! out conj (nth xs i))) @out)

;;; bigint-literals-are-bigints
[1N (class 1N) (+ 5 1N) (* 2 3N) (inc 1N) (/ 1N 2) (quot 7N 2) (long 1N) (str 1N)]

[(= 1 1N) (== 1 1N) (= (hash 1N) (hash 1)) (get {1 :a} 1N) {1N :a} (integer? 1N) (compare 1N 2) (max 1N 2)]

[9223372036854775808 (- 9223372036854775808 1) (class (- 9223372036854775808 1)) (bigint 5) (class (bigint 5))]

;;; bigdecimals-with-javas-exact-arithmetic
[1.5M 1.50M 2M -0.5M 1E3M 1.5E-7M 0.000001M 123456789.123M]

[(= 1.5M 1.50M) (== 1.5M 1.5) (= 1.5M 1.5) (= 1M 1) (hash 1.5M) (hash 1.50M) (hash 0.0M)]

[(+ 1.5M 1) (+ 1.5M 1.0) (* 1.5M 2N) (+ 1/2 0.5M) (- 1.25M 0.25M) (* 0.1M 0.1M) (* 1.5M 1.5M)]

[(/ 1.0M 2) (/ 6M 2M) (/ 1M 4) (/ 1.00M 2)]

[(quot 7.5M 2) (rem 7.5M 2) (mod -7.5M 2)]

;; error: Non-terminating decimal expansion; no exact representable decimal result.
(/ 1M 3)

;; error: Divide by zero
(/ 1.5M 0)

;;; bigdec-and-the-predicates
[(bigdec 1) (bigdec 0.1) (bigdec 1/4) (bigdec 5N) (bigdec "1.50") (bigdec 1.5M) (bigdec 1e20) (bigdec 1.0E-10)]

[(class 1.5M) (decimal? 1.5M) (rational? 1.5M) (integer? 1M) (float? 1.5M) (number? 1M)]

[(double 1.5M) (long 2.7M) (int -2.7M) (zero? 0.00M) (pos? 0.1M) (neg? -1M) (- 1.5M) (inc 1.5M) (dec 1M)]

[(max 1M 2) (compare 1.5M 2) (sort [3M 1.5M 2]) (rationalize 1.5M) (abs -1.5M) (str 1.5M) (pr-str 1.5M)]

[(read-string "1.5M") (get {1.5M :a} 1.50M) (contains? #{1.0M} 1.00M)]

;;; counting-loops-near-the-long-range
(loop [i 9223372036854775805] (if (< i 9223372036854775807) (recur (inc i)) i))

;; error: long overflow
(loop [i 9223372036854775805] (if (<= i 9223372036854775807) (recur (inc i)) i))

;; error: long overflow
(let [i 9223372036854775807] (if (> i 0) (inc i) i))

;; error: long overflow
(let [i -9223372036854775808] (if (< i 0) (dec i) i))

[(let [i -9223372036854775808] (if (> 0 i) (inc i) i)) (let [i 9223372036854775807] (if (> i 0) (dec i) i)) (loop [i -9223372036854775806] (if (> i -9223372036854775808) (recur (dec i)) i))]

(let [n 5 out (atom [])] (dotimes [i n] (swap! out conj i)) @out)

;;; a-fn-called-where-it-is-made-does-arithmetic-on-any-number
[((fn [x] (+ x 1)) 41) ((fn [x] (+ x 1)) 1.5) ((fn [x] (+ x 1)) 1/2) ((fn [x] (* x 2)) 4611686018427387904N) (let [f (fn [x] (dec x))] [(f 1) (f 0.5) (f -9223372036854775807)])]

;; error: long overflow
((fn [x] (+ x 1)) 9223372036854775807)

;;; a-recursive-fn-adds-its-own-results-as-longs
(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))

[(fib 0) (fib 1) (fib 20) (fib 2.5) (fib 7/2) (fib 10N)]

(def old-fib fib)

[(with-redefs [fib (fn [n] 0.5)] (old-fib 5)) (with-redefs [fib (fn [n] 1/3)] (old-fib 4)) (with-redefs [fib (fn [n] 10)] (old-fib 6)) (old-fib 10)]

(defn sum-down [n] (if (< n 1) 0 (+ n (sum-down (dec n)))))

[(sum-down 100) (sum-down 10.5)]

(defn doubling [n] (if (< n 1) 1 (* 2 (doubling (dec n)))))

[(doubling 10) (doubling 62)]

;; error: long overflow
(doubling 63)

(defn near-max [n] (if (zero? n) 9223372036854775806 (inc (near-max (dec n)))))

(near-max 1)

;; error: long overflow
(near-max 2)

(defn nil-at-the-bottom [n] (if (< n 1) nil (inc (nil-at-the-bottom (dec n)))))

;; error: is null
(nil-at-the-bottom 3)

(defn countdown [n] (if (< n 1) :done (do (countdown (dec n)))))

(countdown 5)

(defn tail-sum [n acc] (if (< n 1) acc (tail-sum (dec n) (+ acc n))))

[(tail-sum 100 0) (tail-sum 10 0.5)]
