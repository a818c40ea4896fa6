;; clojure.test, bundled with the program (lib/clojure/test.cljc). Built into
;; test.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server. Each case
;; has a namespace of its own, so that run-tests sees only its tests.

;;; deftest-and-run-tests
(ns corpus.test-passing (:require [clojure.test :refer [deftest is testing are run-tests successful?]]))

(deftest arithmetic
  (is (= 4 (+ 2 2)))
  (testing "with a message"
    (is (= 6 (* 2 3)) "multiplication"))
  (are [x y] (= x y)
    1 1
    [2] [2]))

(def summary (run-tests))

[summary (successful? summary)]

;;; failures-and-errors-are-reported
(ns corpus.test-failing (:require [clojure.test :as t :refer [deftest is run-tests]]))

(deftest failing (is (= 1 2)) (is (even? 2)))

(deftest erroring (is (= 1 (throw (ex-info "boom" {})))))

(def seen (atom []))

(def summary (binding [t/report (fn [m] (swap! seen conj (select-keys m [:type :expected :message])))] (run-tests)))

[summary (t/successful? summary) @seen]

;;; is-returns-the-value
(ns corpus.test-is (:require [clojure.test :refer [is]]))

[(is (= 1 1)) (is (+ 1 2)) (ex-message (is (thrown? ArithmeticException (/ 1 0)))) (ex-message (is (thrown-with-msg? clojure.lang.ExceptionInfo #"bo+m" (throw (ex-info "boom" {})))))]

;;; fixtures-wrap-tests
(ns corpus.test-fixtures (:require [clojure.test :refer [deftest is use-fixtures run-tests]]))

(def log (atom []))

(do (use-fixtures :once (fn [f] (swap! log conj :once-before) (f) (swap! log conj :once-after))) nil)

(do (use-fixtures :each (fn [f] (swap! log conj :each) (f))) nil)

(deftest first-test (swap! log conj :first) (is true))

(deftest second-test (swap! log conj :second) (is true))

(:pass (run-tests))

(frequencies @log)

;;; a-test-is-a-fn
(ns corpus.test-fn (:require [clojure.test :refer [deftest is]]))

(deftest callable (is (= 1 1)))

(do (callable) :called)
