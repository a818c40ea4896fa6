;; The standard namespaces the program brings with it (lib/): clojure.set and
;; clojure.walk. Built into stdlib.jsonl by tools/corpus.py from a JVM Clojure
;; 1.11 nREPL server: every expected value is what Clojure answered.

;;; set-union-intersection-difference
(require '[clojure.set :as set])

[(set/union) (set/union #{1 2}) (set/union #{1 2} #{2 3}) (set/union #{1} #{2} #{3 4})]

[(set/intersection #{1 2 3} #{2 3 4}) (set/intersection #{1 2} #{3}) (set/intersection #{1 2 3} #{2 3} #{3})]

[(set/difference #{1 2 3} #{2}) (set/difference #{1 2 3} #{1} #{3}) (set/difference #{1} #{1 2 3 4})]

;;; set-predicates
(require '[clojure.set :as set])

[(set/subset? #{1} #{1 2}) (set/subset? #{1 3} #{1 2}) (set/superset? #{1 2} #{2}) (set/superset? #{1} #{1 2})]

;;; set-select-project-rename
(require '[clojure.set :as set])

(def people #{{:name "ann" :age 30 :city "x"} {:name "bo" :age 4 :city "y"}})

[(set/select #(> (:age %) 10) people) (set/project people [:name]) (set/rename #{{:a 1 :b 2}} {:a :x})]

;;; set-rename-keys-and-map-invert
(require '[clojure.set :as set])

[(set/rename-keys {:a 1 :b 2} {:a :b :b :a}) (set/rename-keys {:a 1} {:z :y}) (set/map-invert {:a 1 :b 2})]

;;; set-index-and-join
(require '[clojure.set :as set])

(def rel #{{:id 1 :kind :a} {:id 2 :kind :b} {:id 3 :kind :a}})

(set/index rel [:kind])

(set/join #{{:id 1 :name "one"} {:id 2 :name "two"}} #{{:id 1 :color :red} {:id 3 :color :blue}})

(set/join #{{:a 1 :b 2}} #{{:c 1 :d 4}} {:a :c})

[(set/join #{} #{{:a 1}}) (set/join #{{:a 1}} #{{:b 2}})]

;;; walk-postwalk-and-prewalk
(require '[clojure.walk :as walk])

[(walk/postwalk #(if (number? %) (inc %) %) {:a [1 2 '(3)] :b #{4}}) (walk/prewalk #(if (vector? %) (vec (reverse %)) %) [1 [2 3]])]

;;; walk-keeps-collection-types
(require '[clojure.walk :as walk])

(map (comp type #(walk/postwalk identity %)) [[1] '(1) #{1} {:a 1} (seq [1 2]) (sorted-map :a 1)])

;;; walk-keys
(require '[clojure.walk :as walk])

[(walk/keywordize-keys {"a" 1 "b" {"c" [{"d" 2}]}}) (walk/stringify-keys {:a 1 :b {:c 2}}) (walk/keywordize-keys {1 2})]

;;; walk-replace
(require '[clojure.walk :as walk])

[(walk/postwalk-replace {:a :b} [:a {:a :a} (list :a)]) (walk/prewalk-replace {[1 2] :pair} [[1 2] 3])]

;;; walk-order-of-visits
(require '[clojure.walk :as walk])

(with-out-str (walk/postwalk-demo [1 [2]]))

(with-out-str (walk/prewalk-demo [1 [2]]))

;;; walk-records
(require '[clojure.walk :as walk])

(defrecord Walked [a b])

(walk/postwalk #(if (number? %) (* 10 %) %) (->Walked 1 2))
