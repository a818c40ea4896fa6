;; clojure.pprint: pprint's layout of data (Clojure's simple dispatch), its
;; margins and print limits, pp, and print-table. Built into pprint.jsonl by
;; tools/corpus.py from a JVM Clojure 1.11 nREPL server: every expected value
;; is what Clojure answered.

;;; pprint-short-values-fit-on-one-line
(require '[clojure.pprint :refer [pprint]])

(mapv #(with-out-str (pprint %)) [nil 1 "a\nb" :k 'sym [] () {} #{} [1 2 3] '(1 (2 3)) {:a 1 :b [2 3]} #{1} (sorted-set 3 1 2) (sorted-map :b 1 :a 2) (range 0) (lazy-seq nil) (seq {:a 1}) (first {:a 1})])

;;; pprint-breaks-a-long-vector-one-item-a-line
(require '[clojure.pprint :refer [pprint]])

(with-out-str (pprint (vec (range 30))))

;;; pprint-lines-may-reach-the-margin
(require '[clojure.pprint :refer [pprint]])

(vec (for [k (range 64 70)] (with-out-str (pprint [(apply str (repeat k "a")) 1]))))

(vec (for [k (range 60 66)] (with-out-str (pprint [[(apply str (repeat k "a"))] 1]))))

;;; pprint-map-values-move-to-their-own-line
(require '[clojure.pprint :refer [pprint]])

(with-out-str (pprint {:a (vec (range 30)) :b 1 :c {:d (range 20) :e "x"}}))

(vec (for [k (range 61 65)] (with-out-str (pprint {:k [(apply str (repeat k "a"))] :b 1}))))

(with-out-str (pprint {:a {:b {:c (vec (range 25))}}}))

;;; pprint-nested-sequences
(require '[clojure.pprint :refer [pprint]])

(with-out-str (pprint [(range 30)]))

(with-out-str (pprint (first {:a (range 40)})))

(with-out-str (pprint [{:name "alice" :email "alice@example.com" :roles #{:admin :dev}} {:name "bob" :email "bob@example.com" :roles #{:ops}}]))

(with-out-str (pprint (mapv (fn [i] {:id i :tags (set (range i (+ i 3))) :label (str "item-" i)}) (range 4))))

;;; pprint-records-namespaced-maps-and-metadata
(require '[clojure.pprint :refer [pprint]])

(defrecord Point [x y])

(with-out-str (pprint (->Point 1 2)))

(with-out-str (pprint {:x/a 1 :x/b 2}))

(binding [*print-namespace-maps* false] (with-out-str (pprint {:x/a 1 :x/b 2})))

(binding [*print-meta* true] (with-out-str (pprint (with-meta [1] {:a 1}))))

;;; pprint-print-length-level-and-readably
(require '[clojure.pprint :refer [pprint]])

[(binding [*print-length* 3] (with-out-str (pprint (range 10)))) (binding [*print-length* 0] (with-out-str (pprint [5]))) (binding [*print-level* 1] (with-out-str (pprint [[1] 2]))) (binding [*print-level* 0] (with-out-str (pprint [5]))) (binding [*print-readably* false] (with-out-str (pprint ["a b" \c])))]

;;; pprint-right-margin
(require '[clojure.pprint :as pp])

(binding [pp/*print-right-margin* 20] (with-out-str (pp/pprint (vec (range 12)))))

(binding [pp/*print-right-margin* nil] (with-out-str (pp/pprint (vec (range 40)))))

[pp/*print-right-margin* pp/*print-miser-width*]

;;; pprint-references
(require '[clojure.pprint :refer [pprint]])

(let [text (with-out-str (pprint (atom (vec (range 30)))))] [(subs text 0 7) (subs text (clojure.string/index-of text ":"))])

(let [text (with-out-str (pprint (delay 1)))] (subs text (clojure.string/index-of text ":")))

(let [text (with-out-str (pprint (volatile! {:a 1})))] [(subs text 0 11) (subs text (clojure.string/index-of text ":"))])

(with-out-str (pprint #'clojure.core/map))

;;; pp-prints-the-last-value
(require '[clojure.pprint :refer [pp]])

{:a (vec (range 30))}

(with-out-str (pp))

;;; print-table
(require '[clojure.pprint :refer [print-table]])

(with-out-str (print-table [{:a 1 :b "xyz"} {:a 22 :b "q"}]))

(with-out-str (print-table [:b] [{:a 1 :b "xyz"}]))

(with-out-str (print-table [{:a 1} {:b 2}]))

(with-out-str (print-table [:a :b] [{:a nil :b "x"}]))

(with-out-str (print-table []))
