(ns clojure.test
  "A unit testing framework: deftest defines a test, is makes an assertion,
  testing names what a group of assertions checks, run-tests runs the tests of
  namespaces and reports as Clojure's clojure.test does. Part of
  jank-wasm-nrepl's bundled library, written for it. Tests are kept in a
  registry per namespace (this runtime has no var metadata to keep them in)."
  (:require [clojure.walk]))

;; ---------------------------------------------------------------------------
;; State

(def ^:dynamic *report-counters* nil)
(def ^:dynamic *testing-vars* (list))
(def ^:dynamic *testing-contexts* (list))
;; where reports print: *out* as it is when this namespace loads (the eval's output), as
;; Clojure's, so a with-out-str around a test does not take its report
(def ^:dynamic *test-out* *out*)

(defonce ^:private registry (atom {}))
(defonce ^:private fixtures (atom {}))

(defn- register!
  "Keeps test-name's test fn for its namespace. Tests are kept in a hash map,
  so that they run in the order Clojure's run-tests takes them from the
  namespace's (hash) map of vars."
  [ns-name test-name f]
  (swap! registry update ns-name (fnil assoc (hash-map)) test-name f))

(defn inc-report-counter
  "Increments the named counter in *report-counters*."
  [name]
  (when *report-counters*
    (swap! *report-counters* update name (fnil inc 0))))

;; ---------------------------------------------------------------------------
;; Reporting

(def ^:dynamic ^:private *assertion-at*
  "[file line] of the assertion that runs (is binds it)."
  nil)

(defn testing-vars-str
  "Returns a string representation of the current test. Renders names in
  *testing-vars* as a list, then the source file and line of the current
  assertion."
  [m]
  (let [{:keys [file line]} m]
    (str (reverse *testing-vars*) (when file (str " (" file ":" line ")")))))

(defn testing-contexts-str
  "Returns a string representation of the current test context."
  []
  (apply str (interpose " " (reverse *testing-contexts*))))

(defmulti ^:dynamic report
  "Generic reporting function, may be overridden to plug in different report
  formats."
  :type)

(defmethod report :default [m] nil)

(defmethod report :pass [m]
  (inc-report-counter :pass))

(defn- report-problem [label m]
  (println)
  (println (str label " in " (testing-vars-str m)))
  (when (seq *testing-contexts*) (println (testing-contexts-str)))
  (when-let [message (:message m)] (println message))
  (println "expected:" (pr-str (:expected m)))
  (println "  actual:" (pr-str (:actual m))))

(defmethod report :fail [m]
  (inc-report-counter :fail)
  (report-problem "FAIL" m))

(defmethod report :error [m]
  (inc-report-counter :error)
  (report-problem "ERROR" m))

(defmethod report :begin-test-ns [m]
  (println)
  (println "Testing" (:ns m)))

(defmethod report :summary [m]
  (println)
  (println "Ran" (:test m) "tests containing"
           (+ (:pass m) (:fail m) (:error m)) "assertions.")
  (println (:fail m) "failures," (:error m) "errors."))

(defmacro with-test-out
  "Runs body with *out* bound to the value of *test-out*."
  [& body]
  `(binding [*out* *test-out*]
     ~@body))

(defn do-report
  "Adds file and line information to a test result and calls report."
  [m]
  (let [[file line] *assertion-at*
        m (if (and file (#{:fail :error} (:type m))) (merge {:file file :line line} m) m)]
    (with-test-out (report m))))

;; ---------------------------------------------------------------------------
;; Assertions

(defn- function-call? [form]
  (and (seq? form) (symbol? (first form))
       (not (contains? #{'thrown? 'thrown-with-msg?} (first form)))))

(defn assert-predicate
  "Returns the code of an assertion of a function call: its arguments are
  evaluated once, and a failure reports the call with their values."
  [msg form]
  (let [args (rest form)
        pred (first form)]
    `(let [values# (list ~@args)
           result# (apply ~pred values#)]
       (if result#
         (do-report {:type :pass :message ~msg :expected '~form :actual (cons '~pred values#)})
         (do-report {:type :fail :message ~msg :expected '~form
                     :actual (list '~'not (cons '~pred values#))}))
       result#)))

(defn assert-any
  "Returns the code of an assertion of any form: it must be logically true."
  [msg form]
  `(let [value# ~form]
     (if value#
       (do-report {:type :pass :message ~msg :expected '~form :actual value#})
       (do-report {:type :fail :message ~msg :expected '~form :actual value#}))
     value#))

(defn- assert-thrown [msg form]
  (let [[_ klass & body] form]
    `(try ~@body
          (do-report {:type :fail :message ~msg :expected '~form :actual nil})
          nil
          (catch ~klass e#
            (do-report {:type :pass :message ~msg :expected '~form :actual e#})
            e#))))

(defn- assert-thrown-with-msg [msg form]
  (let [[_ klass re & body] form]
    `(try ~@body
          (do-report {:type :fail :message ~msg :expected '~form :actual nil})
          nil
          (catch ~klass e#
            (let [m# (ex-message e#)]
              (if (and m# (re-find ~re m#))
                (do-report {:type :pass :message ~msg :expected '~form :actual e#})
                (do-report {:type :fail :message ~msg :expected '~form :actual e#})))
            e#))))

(defn- assert-expr [msg form]
  (cond
    (and (seq? form) (= 'thrown? (first form))) (assert-thrown msg form)
    (and (seq? form) (= 'thrown-with-msg? (first form))) (assert-thrown-with-msg msg form)
    (function-call? form) (assert-predicate msg form)
    :else (assert-any msg form)))

(defmacro try-expr
  "Used by the is macro to catch unexpected exceptions."
  [msg form]
  `(try ~(assert-expr msg form)
        (catch :default t#
          (do-report {:type :error :message ~msg :expected '~form :actual t#}))))

(defn- assertion
  "The code of (is form msg), written at `whole` (its file and line reported)."
  [form msg whole]
  `(binding [*assertion-at* [(jank.runtime/source-file*) ~(:line (meta whole))]]
     (try-expr ~msg ~form)))

(defmacro is
  "Generic assertion macro. 'form' is any predicate test. 'msg' is an optional
  message to attach to the assertion."
  ([form] (assertion form nil &form))
  ([form msg] (assertion form msg &form)))

(defmacro testing
  "Adds a new string to the list of testing contexts. May be nested, but must
  occur inside a test function (deftest)."
  [string & body]
  `(binding [*testing-contexts* (conj *testing-contexts* ~string)]
     ~@body))

(defmacro are
  "Checks multiple assertions with a template expression: (are [x y] (= x y)
  2 (+ 1 1) 4 (* 2 2)) is (do (is (= 2 (+ 1 1))) (is (= 4 (* 2 2))))."
  [argv expr & args]
  (when (and (seq argv) (not (zero? (mod (count args) (count argv)))))
    (throw (ex-info "The number of args doesn't match are's argv." {})))
  (let [groups (partition (count argv) args)]
    `(do ~@(map (fn [values]
                  `(is ~(clojure.walk/postwalk-replace (zipmap argv values) expr)))
                groups))))

;; ---------------------------------------------------------------------------
;; Defining and running tests

(defmacro deftest
  "Defines a test function with no arguments, registered to be run by
  run-tests."
  [name & body]
  `(do (defn ~name []
         (binding [*testing-vars* (conj *testing-vars* '~name)]
           (inc-report-counter :test)
           ~@body))
       (#'clojure.test/register! (str (ns-name *ns*)) '~name ~name)
       (var ~name)))

(defmacro with-test
  "Takes any definition form (that returns a Var) as the first argument. The
  remaining body goes in the test."
  [definition & body]
  `(let [v# ~definition]
     (#'clojure.test/register! (str (ns-name *ns*)) (symbol (name (symbol (str v#)))) (fn [] ~@body))
     v#))

(defn use-fixtures*
  "use-fixtures for the namespace named ns-name."
  [ns-name kind & fs]
  (swap! fixtures assoc-in [ns-name kind] (vec fs))
  nil)

;; *ns* is the namespace a form is compiled in, so the forms that default to
;; the current namespace are macros: they take it where they are written.
(defmacro use-fixtures
  "Wrap test runs in a fixture function: :each around every test, :once
  around all of a namespace's tests."
  [kind & fs]
  `(use-fixtures* (str (ns-name *ns*)) ~kind ~@fs))

(defn- compose [fs]
  (reduce (fn [outer inner] (fn [f] (outer (fn [] (inner f))))) (fn [f] (f)) fs))

(defn- run-one [each-fixture test-name f]
  (do-report {:type :begin-test-var :var test-name})
  (try
    (each-fixture f)
    (catch :default e
      (do-report {:type :error :message "Uncaught exception, not in assertion."
                  :expected nil :actual e})))
  (do-report {:type :end-test-var :var test-name}))

(defn test-ns
  "Runs the tests registered for namespace ns (a symbol or a namespace);
  returns the counts."
  [ns]
  (let [ns-name (str (if (symbol? ns) ns (ns-name ns)))
        counters (atom {:test 0 :pass 0 :fail 0 :error 0})]
    (binding [*report-counters* counters]
      (do-report {:type :begin-test-ns :ns (symbol ns-name)})
      (let [tests (get @registry ns-name {})
            {:keys [each once]} (get @fixtures ns-name)
            each-fixture (compose each)
            once-fixture (compose once)]
        (once-fixture (fn [] (doseq [[test-name f] tests] (run-one each-fixture test-name f)))))
      (do-report {:type :end-test-ns :ns (symbol ns-name)}))
    @counters))

(defn run-tests*
  "Runs all tests in the given namespaces; prints results and returns a map
  of counts."
  [& namespaces]
  (let [summary (assoc (apply merge-with + (map test-ns namespaces)) :type :summary)]
    (do-report summary)
    summary))

(defmacro run-tests
  "Runs all tests in the given namespaces (by default the current one);
  prints results and returns a map of counts."
  [& namespaces]
  `(run-tests* ~@(or (seq namespaces) ['*ns*])))

(defn run-test-var
  "Runs the test of a var made by deftest, with fixtures, and reports."
  [v]
  (let [counters (atom {:test 0 :pass 0 :fail 0 :error 0})]
    (binding [*report-counters* counters]
      (run-one (fn [f] (f)) (symbol (str v)) @v))
    (let [summary (assoc @counters :type :summary)]
      (do-report summary)
      summary)))

(defmacro run-test
  "Runs a single test (a symbol naming a deftest's var), with its namespace's
  fixtures; prints and returns the counts."
  [test-symbol]
  `(run-test-var (var ~test-symbol)))

(defn- test-fn-of
  "The test of var v: its :test metadata, or what deftest registered for it."
  [v]
  (let [m (meta v)]
    (or (:test m)
        (get-in @registry [(str (ns-name (:ns m))) (:name m)]))))

(defn test-var
  "If v has a test (deftest's, or :test metadata), runs it and reports; an
  exception it throws is reported as an error."
  [v]
  (when-let [t (test-fn-of v)]
    (run-one (fn [f] (f)) (:name (meta v)) t)))

(defn test-vars
  "Groups vars by their namespace and runs test-var on them with the
  namespace's fixtures: :once around the group, :each around each test."
  [vars]
  (doseq [[ns-name group] (group-by #(str (ns-name (:ns (meta %)))) vars)
          :let [{:keys [each once]} (get @fixtures ns-name)
                each-fixture (compose each)]]
    ((compose once)
     (fn []
       (doseq [v group
               :let [t (test-fn-of v)]
               :when t]
         (run-one each-fixture (:name (meta v)) t))))))

(defn test-all-vars
  "Calls test-vars on every var interned in the namespace, with fixtures."
  [ns]
  (test-vars (vals (ns-interns ns))))

(defn run-all-tests
  "Runs all tests in all namespaces (those whose names match re, if given);
  prints results and returns a map of counts."
  ([] (apply run-tests* (all-ns)))
  ([re] (apply run-tests* (filter #(re-matches re (name (ns-name %))) (all-ns)))))

(defn successful?
  "Returns true if the given test summary indicates all tests were
  successful, false otherwise."
  [summary]
  (and (zero? (:fail summary 0))
       (zero? (:error summary 0))))
