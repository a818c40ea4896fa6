;; The parts of clojure.core the issue names that no other corpus covers: laziness, sorted
;; collections, transients, bit operations, unchecked and parse fns, JVM-style static
;; calls, letfn, catch of Throwable, *assert*, partition-by, clojure.test's runners.
;; Built into core.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; laziness-and-its-side-effects
(def lz-seen (atom []))

(def lz (map #(do (swap! lz-seen conj %) (* % 10)) (range 100)))

[@lz-seen (realized? lz)]

(first lz)

(count @lz-seen)

(def lc (lazy-cat [1 2] (do (swap! lz-seen conj :cat) [3])))

[(take 2 lc) (contains? (set @lz-seen) :cat)]

[(vec lc) (contains? (set @lz-seen) :cat)]

(let [d (delay (swap! lz-seen conj :delay) 42)] [(realized? d) (force d) (force d) (realized? d) (force 5)])

(take 5 (lazy-seq (cons 1 (lazy-seq (map inc [1 2 3 4])))))

(let [s (iterate inc 0)] [(realized? s) (take 3 s)])

;;; sorted-collections
(sorted-map-by > 1 :a 3 :c 2 :b)

(sorted-set-by #(compare (count %1) (count %2)) "ccc" "a" "bb")

(subseq (sorted-map 1 :a 2 :b 3 :c 4 :d) > 2)

(subseq (sorted-set 1 2 3 4 5) >= 2 < 5)

(rsubseq (sorted-set 1 2 3 4 5) < 4)

(rsubseq (sorted-map 1 :a 2 :b 3 :c) >= 1 <= 2)

[(rseq [1 2 3]) (rseq (sorted-map :a 1 :b 2)) (rseq (sorted-set 3 1 2)) (rseq [])]

(let [m (into (sorted-map) (map vector (range 20 0 -1) (range 20)))] [(first m) (last m) (count m) (get m 7)])

;;; transients
(persistent! (reduce conj! (transient []) (range 5)))

(let [t (transient [1 2 3])] (persistent! (pop! (assoc! t 0 :x))))

(persistent! (-> (transient {}) (assoc! :a 1 :b 2) (dissoc! :a)))

(persistent! (-> (transient #{1 2 3}) (disj! 2) (conj! 4)))

(let [t (transient [1])] (persistent! t) (try (conj! t 2) (catch Throwable e [(class e) (ex-message e)])))

(count (transient [1 2 3]))

;;; bit-operations-and-unchecked-math
[(bit-and 12 10) (bit-or 12 10) (bit-xor 12 10) (bit-not 5) (bit-and-not 12 4)]

[(bit-shift-left 1 10) (bit-shift-right 1024 3) (unsigned-bit-shift-right -1 60) (bit-shift-right -16 2)]

[(bit-test 5 0) (bit-test 5 1) (bit-set 0 3) (bit-clear 15 0) (bit-flip 0 2)]

[(unchecked-add Long/MAX_VALUE 1) (unchecked-multiply Long/MAX_VALUE 2) (unchecked-negate Long/MIN_VALUE) (unchecked-inc Long/MAX_VALUE) (unchecked-dec Long/MIN_VALUE)]

[(unchecked-subtract Long/MIN_VALUE 1) (unchecked-int 3000000000) (unchecked-long 2.9)]

;; error: long overflow
(+ Long/MAX_VALUE 1)

;;; parse-fns
[(parse-long "42") (parse-long "-7") (parse-long "4.2") (parse-long "abc") (parse-long "9223372036854775808")]

[(parse-double "1.5") (parse-double "1e3") (parse-double "NaN") (parse-double "x") (parse-double "Infinity")]

[(parse-boolean "true") (parse-boolean "false") (parse-boolean "TRUE") (parse-boolean "yes")]

[(parse-uuid "00000000-0000-0000-0000-000000000001") (parse-uuid "nope")]

(uuid? (random-uuid))

(tagged-literal 'foo [1 2])

[(:tag (tagged-literal 'foo 1)) (:form (tagged-literal 'foo 1)) (tagged-literal? (tagged-literal 'a 1))]

;;; jvm-static-calls
[(Math/abs -3) (Math/pow 2 10) (Math/floor 2.7) (Math/ceil 2.1) (Math/sqrt 16) (Math/round 2.5) (Math/max 3 7) (Math/min 3 7)]

[(> Math/PI 3.14) (< Math/E 2.72)]

[(Integer/parseInt "42") (Long/parseLong "-9") (Double/parseDouble "2.5") (Long/MAX_VALUE) Long/MIN_VALUE Integer/MAX_VALUE]

[(pos? (System/currentTimeMillis)) (number? (System/nanoTime))]

[(String/valueOf 12) (Character/isDigit \5) (Character/isLetter \a) (Character/isWhitespace \space) (Character/toUpperCase \a)]

(Boolean/parseBoolean "true")

;;; letfn-and-catching-throwables
(letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (if (zero? n) false (ev? (dec n))))] [(ev? 10) (od? 7)])

(try (throw (Exception. "boom")) (catch Throwable t [:caught (ex-message t)]))

(try (assert false "nope") (catch Throwable t (ex-message t)))

(try (/ 1 0) (catch Exception e :exception) (finally (swap! (atom 0) inc)))

;;; assert-follows-its-var
;; error: Assert failed: (= 1 2)
(assert (= 1 2))

(set! *assert* false)

(assert (= 1 2))

(defn unchecked-pre [x] {:pre [(pos? x)]} x)

(unchecked-pre -1)

(set! *assert* true)

(defn checked-pre [x] {:pre [(pos? x)]} x)

(try (checked-pre -1) (catch Throwable t (ex-message t)))

;;; partition-by-and-friends
(partition-by odd? [1 3 2 4 5 7 6])

(partition-by identity "aabbbc")

(into [] (partition-by #(< % 3)) (range 6))

[(partition-all 3 (range 7)) (partition 3 1 (range 5)) (split-with odd? [1 3 2 5])]

;;; clojure-test-runners
(require '[clojure.test :as t])

(t/deftest runner-a (t/is (= 1 1)))

(t/deftest runner-b (t/is (= 2 (inc 1))))

(with-out-str (t/test-vars [#'runner-a #'runner-b]))

(t/deftest runner-fails (t/is (= 1 2)))

(let [out (java.io.StringWriter.)] (binding [t/*test-out* out] (t/test-var #'runner-fails)) (clojure.string/includes? (str out) "FAIL in (runner-fails)"))

(let [out (java.io.StringWriter.)] (binding [t/*test-out* out] (t/test-vars [#'runner-fails])) (clojure.string/includes? (str out) "expected: (= 1 2)"))

(binding [t/*test-out* (java.io.StringWriter.)] (select-keys (t/run-all-tests #"user") [:test :pass :fail :error]))

(with-out-str (t/run-all-tests #"user"))

;;; transducers-over-big-ranges-and-vectors
(defn my-xf [rf] (fn ([] (rf)) ([acc] (rf (conj! acc :done))) ([acc x] (if (even? x) (rf acc (* x 10)) acc))))

[(count (into [] (map inc) (range 100000))) (nth (into [] (map inc) (range 100000)) 99999) (into [] (comp (filter odd?) (map #(* % %)) (take 5)) (range 1000)) (transduce (map inc) + (range 1000)) (transduce (map inc) + 100 (vec (range 1000))) (transduce (filter even?) (completing conj (fn [acc] (count acc))) [] (range 1000)) (into [] (partition-all 300) (range 1000)) (count (into [] (dedupe) (map #(quot % 3) (range 3000)))) (into #{} (map #(mod % 7)) (range 1000)) (into {} (map (fn [i] [i (* i i)])) (range 5)) (take 3 (sequence (map inc) (range 1000))) (into [] my-xf (range 10)) (count (into [] (mapcat (fn [i] [i i])) (range 1000))) (reduce + (eduction (map inc) (filter odd?) (range 1000))) (into [] (comp (map inc) (take-while #(< % 600))) (vec (range 1000)))]

;;; a-keyword-called-on-every-kind-of-value
(defrecord KwRec [a b])

(mapv #(:a % :none) [{:a 1} (hash-map :a 2) (sorted-map :a 3) #{:a} [1 2] "abc" nil 7 (->KwRec 4 5) (assoc (->KwRec 4 5) :c 6) (transient {:a 8}) (zipmap (map #(keyword (str "k" %)) (range 20)) (range 20))])

(mapv :b [{:b 1} (->KwRec 0 2) nil {} (sorted-map :b 3)])

(let [m (zipmap (range 100) (range 100))] [(:a m) (:a m :dflt) (:a (assoc m :a 9))])

;;; special-forms-are-not-shadowed-by-locals
(let [if 1] (if true 2 3))

(let [new 3] (.getMessage (new Exception "made")))

(let [throw 1] (try (throw (Exception. "t")) (catch Exception e :caught)))

(let [fn* 1] ((fn [] 2)))

(let [do inc] (do 1))

(let [if 1] [if (inc if)])

(let [when (fn [& _] :local)] (when true 2))

;;; case-and-condp-without-a-match-throw-illegal-argument
(try (case 5 1 :a) (catch IllegalArgumentException e (.getMessage e)))

(try (condp = 5 1 :a) (catch IllegalArgumentException e (.getMessage e)))

(try (case "zz" "a" 1) (catch IllegalArgumentException e (.getMessage e)))

(let [new 3] (try (case 9 1 :a) (catch IllegalArgumentException e (.getMessage e))))

;;; a-string-cut-inside-a-character
(seq "a😀")

(str (second (seq "a😀")))

[(count "a😀") (count (seq "a😀")) (int (second (seq "a😀")))]

(apply str (seq "a😀b"))
