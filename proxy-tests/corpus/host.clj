;; clojure.core's format and printf, arrays, hashing helpers, taps and small fns
;; about names and characters. Built into host.jsonl by tools/corpus.py from a
;; JVM Clojure 1.11 nREPL server: every expected value is what Clojure answered.

;;; format-strings-and-padding
[(format "%s and %s" "a" :b) (format "[%5s]" "ab") (format "[%-5s]" "ab") (format "%.2s" "abcdef") (format "%S" "shout")]

;;; format-nil-and-collections
[(format "%s" nil) (format "%s" [1 "a" :k]) (format "%s" {:a 1}) (format "%s" 'sym) (format "%b %b %b" nil false 0)]

;;; format-integers
[(format "%d" 42) (format "%5d|%-5d|%05d" 42 42 42) (format "%+d %+d" 5 -5) (format "%,d" 1234567) (format "%(d" -12) (format "% d" 7)]

;;; format-hex-and-octal
[(format "%x %X %o" 255 255 8) (format "%x" -1) (format "%#x %#o" 255 8) (format "%08x" 48879)]

;;; format-big-integers-are-not-java-numbers
;; error: d != clojure.lang.BigInt
(format "%d" 123456789012345678901234567890N)

;;; format-floating
[(format "%f" 3.14159) (format "%.2f" 2.5) (format "%.0f" 2.5) (format "%8.3f|" 3.14159) (format "%-8.1f|" 3.14159) (format "%,.2f" 1234567.891) (format "%+.1f" 1.5)]

;;; format-scientific-and-general
[(format "%e" 12345.678) (format "%.2e" 0.000123) (format "%E" 1.5) (format "%g" 0.0001234) (format "%g" 123.456) (format "%.3g" 1234567.0)]

;;; format-special-doubles
[(format "%f" ##Inf) (format "%f" ##-Inf) (format "%f" ##NaN) (format "%.1f" -0.0)]

;;; format-chars-percent-newline
[(format "%c%c" \a \b) (format "100%%") (format "a%nb") (format "%5%|")]

;; error: c != java.lang.Long
(format "%c" 98)

;;; format-argument-indexes
[(format "%2$s %1$s" "world" "hello") (format "%s %<s %s" "a" "b")]

;;; format-wrong-conversion-is-an-error
;; error: d != java.lang.Double
(format "%d" 1.5)

;;; format-missing-argument-is-an-error
;; error: Format specifier '%s'
(format "%s %s" 1)

;;; format-unknown-conversion-is-an-error
;; error: Conversion = 'q'
(format "%q" 1)

;;; printf-prints
(printf "%s=%d%n" "x" 1)

;;; arrays-make-read-write
(def arr (long-array 3))

[(alength arr) (vec arr) (aset arr 1 42) (aget arr 1) (vec arr)]

;;; arrays-from-collections
[(vec (long-array [1 2 3])) (vec (int-array 3 [7 8])) (vec (double-array [1 2])) (vec (object-array [:a nil "s"])) (vec (to-array '(1 2))) (vec (into-array ["x" "y"])) (vec (boolean-array 2))]

;;; arrays-fill-with-a-value
[(vec (long-array 3 9)) (vec (double-array 2 1.5)) (vec (object-array 2))]

;;; arrays-clone-and-seq
(def original (long-array [1 2 3]))

(def copy (aclone original))

(do (aset copy 0 100) [(vec original) (vec copy) (seq original) (count original) (nth original 2) (reduce + original) (map inc original)])

;;; arrays-two-dimensions
(def grid (make-array Object 2 3))

(do (aset grid 1 2 5) [(alength grid) (alength (aget grid 0)) (aget grid 1 2) (vec (map vec (to-array-2d [[1 2] [3]])))])

;;; arrays-index-out-of-bounds
;; error: Index 5 out of bounds for length 3
(aget (long-array 3) 5)

;;; arrays-casts-return-the-array
(def doubles-arr (double-array [1.5]))

[(identical? doubles-arr (doubles doubles-arr)) (alength (longs (long-array 2)))]

;;; hash-helpers-agree-with-collections
[(= (hash [1 2 3]) (hash-ordered-coll [1 2 3])) (= (hash #{1 2 3}) (hash-unordered-coll #{3 2 1})) (= (hash '(:a :b)) (hash-ordered-coll [:a :b])) (= (mix-collection-hash 0 0) (hash []))]

;;; hash-combine-is-an-int
(int? (hash-combine 17 :a))

;;; bounded-count
[(bounded-count 5 (range)) (bounded-count 5 [1 2]) (bounded-count 2 (range 10)) (bounded-count 3 [1 2 3 4 5]) (bounded-count 3 nil)]

;;; replicate
[(replicate 3 :x) (replicate 0 :x)]

;;; special-symbols
[(special-symbol? 'if) (special-symbol? 'def) (special-symbol? 'recur) (special-symbol? 'when) (special-symbol? 'foo) (special-symbol? "if")]

;;; munge-names
[(munge "my-fn?") (munge 'a-b!) (namespace-munge "my-lib.core-stuff") (munge "a*b")]

;;; char-names-and-escapes
[(char-escape-string \newline) (char-escape-string \") (char-escape-string \a) (char-name-string \space) (char-name-string \newline) (char-name-string \a) (map? char-escape-string)]

;;; taps-run-later
(def tapped (atom []))

(def tap-fn (fn [x] (swap! tapped conj x)))

(add-tap tap-fn)

(tap> :one)

@tapped

(remove-tap tap-fn)

(tap> :two)

@tapped

;;; with-redefs-replaces-and-restores
(defn greeting [] "hello")

(defn greet-twice [] (str (greeting) " " (greeting)))

[(with-redefs [greeting (fn [] "hi")] (greet-twice)) (greet-twice)]

;;; with-redefs-restores-after-a-throw
(defn answer [] 42)

(try (with-redefs [answer (fn [] 0)] (throw (ex-info "boom" {}))) (catch Exception e (ex-message e)))

(answer)

;;; with-redefs-fn
(defn base [] :base)

[(with-redefs-fn {#'base (fn [] :redefined)} (fn [] (base))) (base)]

;;; with-open-closes-in-reverse
(def closed (atom []))

(defn resource [n] (reify java.io.Closeable (close [_] (swap! closed conj n))))

(with-open [a (resource :a) b (resource :b)] (swap! closed conj :body) :done)

@closed

;;; with-open-closes-after-a-throw
(def closed-too (atom []))

(try (with-open [r (reify java.io.Closeable (close [_] (swap! closed-too conj :closed)))] (throw (ex-info "x" {}))) (catch Exception _ @closed-too))

;;; amap-and-areduce
(def nums (long-array [1 2 3 4]))

[(vec (amap nums i ret (* 10 (aget nums i)))) (vec nums) (areduce nums i sum 0 (+ sum (aget nums i))) (areduce (long-array 0) i acc :none acc)]

;;; promises-deliver-once
(def p (promise))

[(realized? p) (some? (deliver p 42)) (realized? p) @p (deliver p 43) @p]

;;; promises-are-callable
(def p2 (promise))

(do (p2 :via-call) @p2)

;;; uuids
(def u (parse-uuid "4fe5d828-6444-11e8-8222-720007e40350"))

[u (uuid? u) (str u) (= u (parse-uuid "4fe5d828-6444-11e8-8222-720007e40350")) (parse-uuid "not a uuid") (uuid? "4fe5d828-6444-11e8-8222-720007e40350")]

[(uuid? (random-uuid)) (not= (random-uuid) (random-uuid)) (count (str (random-uuid))) (subs (str (random-uuid)) 14 15)]

;;; instants
(def when-it-was (#?(:clj java.util.Date. :cljs js/Date.) 86400000))

[(inst? when-it-was) (inst-ms when-it-was) (inst? 1) (inst? "2020")]

;;; cast
[(cast Number 1) (cast String "s") (cast Object nil)]

;; error: Cannot cast java.lang.String to java.lang.Number
(cast Number "s")

;;; rationalize
[(rationalize 1.5) (rationalize 0.1) (rationalize 3) (rationalize 1/3) (rationalize -2.25) (rationalize 1.0E-5)]

;;; bound
(def has-root 1)

(declare no-root)

[(bound? #'has-root) (bound? #'no-root) (bound? #'has-root #'no-root)]

;;; with-in-str-read-line
(with-in-str "first line\nsecond\n" [(read-line) (read-line) (read-line)])

;;; uuid-literals
#uuid "4FE5D828-6444-11E8-8222-720007E40350"

[(uuid? #uuid "4fe5d828-6444-11e8-8222-720007e40350") (= #uuid "4fe5d828-6444-11e8-8222-720007e40350" (parse-uuid "4fe5d828-6444-11e8-8222-720007e40350")) (get {#uuid "4fe5d828-6444-11e8-8222-720007e40350" :found} (parse-uuid "4fe5d828-6444-11e8-8222-720007e40350")) '#uuid "4fe5d828-6444-11e8-8222-720007e40350"]

;; error: Invalid UUID string: nope
#uuid "nope"

;;; inst-literals
#inst "2020"

[#inst "2020-02-03T04:05:06.7+01:00" (inst-ms #inst "1970-01-01T00:00:01Z") (= #inst "2020" #inst "2020-01-01T00:00:00Z") (inst? #inst "2020") '#inst "1999-12-31T23:59:59Z"]

[(sort [#inst "2021" #inst "2020"]) (compare #inst "2020" #inst "2021") (get {#inst "2020" :found} #inst "2020-01-01")]

(pr-str (#?(:clj java.util.Date. :cljs js/Date.) 0))

;;; chunked-seqs
(def buf (chunk-buffer 4))

(do (chunk-append buf 1) (chunk-append buf 2) nil)

(def chunked (chunk-cons (chunk buf) (list 3 4)))

[chunked (chunked-seq? chunked) (count (chunk-first chunked)) (chunk-rest chunked) (chunk-next chunked) (first chunked) (rest chunked)]

[(chunked-seq? (seq (range 10))) (count (chunk-first (seq (range 100)))) (first (chunk-rest (seq (range 100)))) (chunk-cons (chunk (chunk-buffer 1)) '(:rest))]

;;; chunked-lazy-seq-written-in-clojure
(defn squares [xs]
  (lazy-seq
    (when-let [s (seq xs)]
      (if (chunked-seq? s)
        (let [c (chunk-first s)
              b (chunk-buffer (count c))]
          (dotimes [i (count c)] (chunk-append b (* (nth c i) (nth c i))))
          (chunk-cons (chunk b) (squares (chunk-rest s))))
        (cons (* (first s) (first s)) (squares (rest s)))))))

[(vec (squares (range 5))) (vec (squares (list 1 2 3))) (take 3 (squares (range)))]

;;; regex-matchers
(def m (re-matcher #"(\w)(\d)" "a1 b2 c3"))

[(re-find m) (re-groups m) (re-find m) (re-find m) (re-find m)]

(def plain (re-matcher #"\d+" "x12y345"))

[(re-find plain) (re-groups plain) (re-find plain) (re-find plain)]

;; error: No match found
(re-groups (re-matcher #"z" "abc"))

;;; tagged-literals-as-values
(def t (tagged-literal 'foo [1 2]))

[t (tagged-literal? t) (tagged-literal? 1) (:tag t) (:form t) (= t (tagged-literal 'foo [1 2])) (= t (tagged-literal 'bar [1 2]))]

;;; reader-conditionals-as-values
(def rc (reader-conditional '(:clj 1 :cljs 2) false))

[rc (reader-conditional? rc) (:form rc) (:splicing? rc) (reader-conditional '(:clj [1]) true) (= rc (reader-conditional '(:clj 1 :cljs 2) false))]

;;; throwable-to-map
(def tm (Throwable->map (ex-info "outer" {:o 1} (ex-info "inner" {:i 2}))))

[(:cause tm) (:data tm) (count (:via tm)) (mapv :type (:via tm)) (mapv :message (:via tm)) (mapv :data (:via tm)) (vector? (:trace tm))]

(:cause (Throwable->map (#?(:clj Exception. :cljs js/Error.) "plain")))

;;; keyword-argument-maps
[(seq-to-map-for-destructuring '(:a 1 :b 2)) (seq-to-map-for-destructuring '({:a 1})) (seq-to-map-for-destructuring nil)]

;;; uris
[(uri? "http://example.com") (uri? (#?(:clj java.net.URI. :cljs js/URL.) "http://example.com")) (uri? nil)]

;;; exception-constructors-as-java-has-them
(try (throw (IllegalArgumentException. "bad")) (catch IllegalArgumentException e (ex-message e)))

(ex-message (Exception.))

(ex-message (Exception. (Exception. "inner")))

(ex-message (ex-cause (RuntimeException. "a" (Exception. "b"))))

(str (Exception. "x"))

(class (ArithmeticException. "x"))

(ex-message (AssertionError. 5))

(ex-data (clojure.lang.ExceptionInfo. "m" {:a 1}))

(try (throw (IllegalStateException. "s")) (catch RuntimeException e [(class e) (ex-message e)]))

;; error: No matching ctor found for class java.lang.Exception
(Exception. 1)

;; error: boom
(throw (UnsupportedOperationException. "boom"))

;;; a-host-method-called-through-its-global-path
[(#?(:clj Math/abs :cljs js/Math.abs) -3) (#?(:clj Math/max :cljs js/Math.max) 1 5) (pos? (#?(:clj System/currentTimeMillis :cljs js/Date.now)))]

(let [f (fn [x] (#?(:clj Math/abs :cljs js/Math.abs) x))] (mapv f [-1 2 -3]))

;;; throwable-and-class-methods
(def iae (IllegalArgumentException. "x"))

(def exi (ex-info "hi" {:a 1} (RuntimeException. "inner")))

[(.getMessage iae) (.getLocalizedMessage iae) (.getMessage (Exception.)) (.getCause iae)]

[(.getMessage exi) (.getData exi) (.getMessage (.getCause exi)) (.getMessage (Exception. (Exception. "wrapped")))]

(try (/ 1 0) (catch ArithmeticException e (.getMessage e)))

(try (assert false) (catch AssertionError e (.getMessage e)))

(try (throw (Exception. "a" (Exception. "b"))) (catch Exception e [(.getMessage e) (.getMessage (.getCause e))]))

[(.getName (.getClass iae)) (.getSimpleName (class iae)) (.getName String) (.getSimpleName (class [])) (= (.getClass "s") String)]

;;; string-builder
(let [sb (StringBuilder.)] (.append sb "a") (.append sb 1) (.append sb \c) (.append sb 2.5) (.append sb :k) (.toString sb))

(let [sb (StringBuilder. "x")] (-> sb (.append "y") (.append "z") str))

(str (doto (StringBuilder. "hello") (.reverse)))

(let [sb (StringBuilder. "hello")] [(.length sb) (.charAt sb 1) (.indexOf sb "l") (.substring sb 1 3) (.toString (.insert sb 0 "<"))])

(let [sb (StringBuilder. "abc")] (.setLength sb 1) (str sb))

(let [sb (StringBuilder. "abcdef")] (str (.deleteCharAt sb 0) "|" (.delete sb 1 3)))

(let [sb (StringBuilder. 16)] [(.length sb) (.isEmpty sb)])

(instance? StringBuilder (StringBuilder.))

(instance? CharSequence (StringBuilder.))

(let [sb (StringBuilder.)] (doseq [i (range 5)] (.append sb i)) (str sb))

(try (.charAt (StringBuilder. "ab") 5) (catch StringIndexOutOfBoundsException e :oob))

;;; java-string-methods-js-lacks
(.contains "hello" "ell")

(.contains "hello" "z")

(.equals "a" "a")

(.equals "a" "b")

(.equalsIgnoreCase "abc" "ABC")

(.isEmpty "")

(.isEmpty "a")

(.isBlank "  ")

(.compareTo "a" "b")

(.compareTo "b" "a")

(.compareToIgnoreCase "B" "a")

(.hashCode "abc")

(seq (.toCharArray "ab"))

(.hashCode :a)

(.hashCode [1 2])

(.hashCode 42)
