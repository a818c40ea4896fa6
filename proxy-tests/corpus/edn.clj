;; Reading data at run time: clojure.edn/read-string, and clojure.core's
;; read-string for data. Built into edn.jsonl by tools/corpus.py from a JVM
;; Clojure 1.11 nREPL server: every expected value is what Clojure answered.

;;; edn-scalars
(require '[clojure.edn :as edn])

(mapv edn/read-string ["nil" "true" "false" "42" "-7" "+3" "1.5" "-2.5e3" "1/2" "99999999999999999999" "7N" "0x1F" "\"a\\nb\"" "\\c" "\\newline" "\\u0041" ":k" ":ns/k" "sym" "ns/sym" "##Inf"])

;;; edn-collections
(require '[clojure.edn :as edn])

[(edn/read-string "[1 [2 (3 4)] {:a #{5}}]") (edn/read-string "{:a 1, :b 2}") (edn/read-string "(1 #_ 2 3)") (edn/read-string "  ; a comment\n [1]") (edn/read-string "#{}")]

;;; edn-reads-the-first-form
(require '[clojure.edn :as edn])

[(edn/read-string "1 2 3") (edn/read-string "") (edn/read-string nil) (edn/read-string {:eof :done} "  ")]

;;; edn-tagged-literals
(require '[clojure.edn :as edn])

[(edn/read-string "#inst \"2020-02-03T04:05:06Z\"") (edn/read-string "#uuid \"4fe5d828-6444-11e8-8222-720007e40350\"") (edn/read-string {:readers {'point (fn [[x y]] {:x x :y y})}} "#point [1 2]") (edn/read-string {:default (fn [tag value] [tag value])} "#my/tag {:a 1}")]

;;; edn-errors
(require '[clojure.edn :as edn])

;; error: No reader function for tag foo
(edn/read-string "#foo 1")

;; error: Duplicate key: :a
(edn/read-string "{:a 1 :a 2}")

;; error: EOF while reading
(edn/read-string "[1 2")

;; error: Map literal must contain an even number of forms
(edn/read-string "{:a}")

;; error: Unmatched delimiter: ]
(edn/read-string "]")

;;; read-string-reads-data-and-quote
[(read-string "{:a [1 2]}") (read-string "'x") (read-string "@a") (read-string "(+ 1 2)")]

;;; read-string-at-the-end-is-an-error
;; error: EOF while reading
(read-string "")
