;; Dynamic bindings: binding, with-bindings, bound-fn, the thread-binding fns, and
;; Clojure's refusal to bind a var that is not dynamic.
;; Built into bindings.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; binding-gives-values-for-its-extent
(def ^:dynamic *by* 1) (def ^:dynamic *bz* 10)

[(binding [*by* 2 *bz* 3] [*by* *bz*]) *by* *bz*]

(binding [*by* 2] (binding [*by* 3] *by*))

(binding [*by* 2] (set! *by* 3) *by*)

*by*

(try (binding [*by* 5] (throw (ex-info "boom" {}))) (catch Exception e [(ex-message e) *by*]))

;;; binding-a-var-that-is-not-dynamic
(def bn 1)

;; error: Can't dynamically bind non-dynamic var: user/bn
(binding [bn 2] bn)

;; error: Can't dynamically bind non-dynamic var: user/bn
(with-bindings {#'bn 3} bn)

bn

;;; the-thread-binding-fns
(def ^:dynamic *tb* 1) (def tn 0)

(binding [*tb* 2] [(thread-bound? #'*tb*) (thread-bound? #'*tb* #'tn) (get (get-thread-bindings) #'*tb*)])

[(thread-bound? #'*tb*) (get (get-thread-bindings) #'*tb*)]

(with-bindings {#'*tb* 7} *tb*)

(with-bindings* {#'*tb* 8} (fn [a] (+ a *tb*)) 1)

(let [] (push-thread-bindings {#'*tb* 9}) (try *tb* (finally (pop-thread-bindings))))

*tb*

;;; bound-fn-keeps-the-bindings-it-was-made-in
(def ^:dynamic *bf* 1)

(let [f (binding [*bf* 5] (bound-fn [x] (+ x *bf*)))] [(f 1) *bf*])

(let [f (binding [*bf* 5] (bound-fn* (fn [& xs] (apply + *bf* xs))))] [(f 1 2) *bf*])

(let [f (bound-fn [] *bf*)] (binding [*bf* 6] (f)))

;;; library-vars-bind
(binding [*print-length* 2] (pr-str (range 5)))

(with-bindings {#'*print-level* 1} (pr-str [[1] 2]))

;;; with-local-vars
(with-local-vars [x 1 y 2] (var-set x 10) [@x (var-get y) (+ @x @y)])

(with-local-vars [x 1] [(var? x) (thread-bound? x) (str x)])

(with-local-vars [a 1 b (inc 1)] (binding [] [@a @b]))

(with-local-vars [x 1] x)

;;; the-file-at-the-repl
[*file* (let [f (fn [] *file*)] (f))]

;;; locals-let-go-only-after-their-last-read
(let [s (map inc (range 5))] [(count s) (reduce + s) (last s) (into [] s)])

(let [s (map inc (range 5))] (if (odd? (count s)) (reduce + s) (count s)))

(let [s (range 3)] (when (seq s) (reduce + s)) (vec s))

(defn reads-twice [s] (let [n (count s)] [n (reduce + s) (some #{2} s)]))

(reads-twice (map inc (range 3)))

(let [s [1 2 3]] (loop [i 0 acc []] (if (< i 3) (recur (inc i) (conj acc (reduce + s))) acc)))

(let [s (list 1 2)] (letfn [(f [] (count s)) (g [] (f))] [(g) (reduce + s)]))

(let [s (range 4) f (fn [] (reduce + s))] [(f) (f) (count s)])

(let [s (range 4) seen (atom nil)] [(try (count s) (finally (reset! seen (reduce + s)))) @seen])

(let [x (range 3)] (defonce clearing-once (reduce + x)) [clearing-once (count x)])

(let [xs (range 5)] (cond (empty? xs) :empty (> (count xs) 3) (reduce + xs) :else (last xs)))

(let [s (range 3)] (case (count s) 3 (reduce + s) :other))

(let [s (range 3)] [(reduce + s) s])

(let [s (range 3) out (atom [])] (doseq [x s] (swap! out conj (count s))) @out)

(let [s (map inc (range 3))] (reduce + (reduce conj [] s)))

(let [s (range 3)] (every? #(< % (count s)) s))

;;; a-redefined-walking-fn-gets-the-seq
(with-redefs [reduce (fn [f c] [:redefined (count c)])] (reduce + (map inc (range 3))))

(with-redefs [last (fn [c] [:redefined (first c)])] (let [s (map inc (range 3))] (last s)))

;;; a-core-fn-redefined-is-seen-by-callers-compiled-before
(defn second-of [v] (second v))

(defn take-two [v] [(first v) (nth v 1) (str (count v))])

[(second-of [1 2 3]) (take-two [1 2 3])]

(with-redefs [second last first (fn [v] [:first (count v)])] [(second-of [1 2 3]) (take-two [1 2 3])])

[(second-of [1 2 3]) (take-two [1 2 3])]

(defn shout [s] (clojure.string/upper-case s))

(def original-upper-case clojure.string/upper-case)

(alter-var-root #'clojure.string/upper-case (fn [f] (fn [s] (str (f s) "!"))))

(shout "hi")

(alter-var-root #'clojure.string/upper-case (constantly original-upper-case))

(shout "hi")

;;; str-of-constants-follows-a-redefined-str
(defn label [] (str "item-" 7 \x nil true))

(label)

(with-redefs [str (fn [& parts] (apply list parts))] (label))

(label)

;;; a-volatile-kept-in-its-let-follows-redefined-volatile-fns
(let [r (volatile! 1)] (vreset! r (inc @r)) (vswap! r * 10) [@r (deref r)])

(let [r (volatile! 0)] (dotimes [i 10] (vswap! r + i)) @r)

(vec (for [i (range 3)] (let [r (volatile! i)] (vswap! r * 2) @r)))

(let [r (volatile! 0) log (atom [])] [(with-redefs [vreset! (fn [v x] (swap! log conj [x (volatile? v) @v]) :redefined)] (vreset! r 5)) @r @log (vreset! r 6) @r])

(let [r (volatile! 7)] [(with-redefs [deref (fn [v] [:deref (volatile? v)])] @r) (vreset! r 8) @r])

(with-redefs [volatile! (fn [x] (atom (* 10 x)))] (let [r (volatile! 1)] @r))

(let [r (volatile! 0) f (fn [] @r)] (vreset! r 3) (f))

;;; keyword-arguments-keep-their-order
((fn [& {:as o}] o) :x 2 :y 3)

((fn [& {:as o}] o) :a 1 :b 2 :c 3 :d 4 :e 5 :f 6 :g 7 :h 8 :i 9 :j 10)

((fn [& {:as o}] (map? o)) :a 1 :b 2 :c 3 :d 4 :e 5 :f 6 :g 7 :h 8 :i 9 :j 10)

((fn [& {:as o}] o) :a 1 :a 2)

(defn kwopts [a & {:keys [x] :or {x 0} :as opts}] [a x opts])

[(kwopts 1 :x 2 :y 3) (kwopts 1) (kwopts 1 {:x 5})]

(seq-to-map-for-destructuring '(:a 1 :b 2 :c 3 :d 4 :e 5 :f 6 :g 7 :h 8 :i 9 :j 10))
