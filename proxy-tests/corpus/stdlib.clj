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

;;; zip-navigates-vectors
(require '[clojure.zip :as z])

(def vz (z/vector-zip [1 [2 3] [4 [5]]]))

[(z/node vz) (z/branch? vz) (z/children vz)]

(-> vz z/down z/node)

(-> vz z/down z/right z/down z/right z/node)

(-> vz z/down z/right z/down z/right)

(-> vz z/down z/rights)

(-> vz z/down z/right z/right z/lefts)

(-> vz z/down z/right z/down z/path)

(-> vz z/down z/right z/up z/node)

(-> vz z/down z/rightmost z/node)

(-> vz z/down z/rightmost z/leftmost z/node)

(-> vz z/down z/right z/left z/node)

[(z/up vz) (z/left vz) (z/right vz) (z/down (z/down vz))]

;;; zip-walks-depth-first
(require '[clojure.zip :as z])

(loop [loc (z/vector-zip [1 [2 3] [4 [5]]]) seen []] (if (z/end? loc) seen (recur (z/next loc) (conj seen (z/node loc)))))

(z/next (z/next (z/vector-zip [])))

(-> (z/vector-zip [1 [2]]) z/next z/next z/next z/prev z/node)

(-> (z/vector-zip [1 [2]]) z/next z/next z/next z/next z/next)

(z/root (z/next (z/next (z/next (z/next (z/vector-zip [1 [2]]))))))

;;; zip-edits
(require '[clojure.zip :as z])

(-> (z/vector-zip [1 [2 3] 4]) z/down z/right z/down z/right (z/edit * 10) z/root)

(-> (z/vector-zip [1 2]) z/down (z/replace :a) z/root)

(-> (z/vector-zip [1 2]) z/down (z/insert-left 0) (z/insert-right 1.5) z/root)

(-> (z/vector-zip [1 [2]]) (z/insert-child 0) (z/append-child 9) z/root)

(-> (z/vector-zip [1 [2 3] 4]) z/down z/right z/down z/remove z/root)

(-> (z/vector-zip [1 [2 3] 4]) z/down z/right z/remove)

(-> (z/vector-zip [1 [2 3] 4]) z/down z/remove z/root)

(-> (z/vector-zip [1 [2 3]]) z/down (z/replace 5) z/right z/down (z/edit inc) z/up)

;; error: Remove at top
(z/remove (z/vector-zip [1]))

;; error: Insert at top
(z/insert-left (z/vector-zip [1]) 0)

;; error: called children on a leaf node
(z/children (z/down (z/vector-zip [1])))

;;; zip-of-seqs-and-xml
(require '[clojure.zip :as z])

(-> (z/seq-zip '(a (b c) d)) z/down z/right z/down z/node)

(-> (z/seq-zip '(a (b c))) z/down z/right z/down (z/replace 'x) z/root)

(z/down (z/seq-zip '(())))

(def xz (z/xml-zip {:tag :a :content [{:tag :b :content ["hi"]} "text"]}))

(-> xz z/down z/node)

(-> xz z/down z/down z/node)

(-> xz z/down (z/edit assoc :attrs {:k 1}) z/root)

(-> xz z/down z/right (z/replace "other") z/root)

;;; data-diff
(require '[clojure.data :as d])

(d/diff 1 1)

(d/diff 1 2)

(d/diff "abc" "abd")

(d/diff {:a 1 :b [1 2]} {:a 2 :b [1 3] :c 4})

(d/diff [1 2 3] [1 2])

(d/diff [1 2] [1 2 3 4])

(d/diff #{1 2 3} #{2 3 4})

(d/diff {:a {:b 1 :c 2}} {:a {:b 1 :c 3}})

(d/diff [1 [2 3]] [1 [2 4]])

(d/diff {:a nil} {:a nil :b 1})

(d/diff {:a nil} {})

(d/diff [1 2] '(1 3))

(d/diff {:a 1} [1])

(d/diff nil {:a 1})

(d/diff [nil 1] [nil 2])

;;; template
(require '[clojure.template :as t])

(t/apply-template '[x y] '(+ x y (* x 2)) '[3 4])

(t/do-template [x y] (+ y x) 2 4 3 5)

(macroexpand '(t/do-template [x] (println x) 1 2))

(with-out-str (t/do-template [a b] (println a b) :x 1 :y 2))

;;; reduce-with-a-callable-that-is-not-a-fn
[(reduce :a {:a 1} [1]) (reduce {1 :x} 1 [1]) (reduce :a (range 1)) (reduce :a 5 (range 2)) (reduce :a 5 (list 1 2)) (reduce + (vec (range 10))) (apply + (range 100)) (apply max (range 100)) (apply - 1 2 (range 100))]

;; error: Wrong number of args (0)
(reduce :a [])

;; error: Cannot invoke
(reduce nil 0 [1])
