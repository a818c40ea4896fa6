;; Input and output as values: *in*, *out* and *err*, read and read+string from *in* and
;; from readers built over strings, and the reader's data readers (*data-readers*,
;; *default-data-reader-fn*, default-data-readers, *read-eval*).
;; Built into io.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server.

;;; the-standard-streams-are-writers-and-a-reader
[(class *in*) (class *out*) (class *err*)]

(instance? java.io.Writer *out*)

;;; printing-follows-a-rebound-out
(let [w (java.io.StringWriter.)] (binding [*out* w] (println 1) (print :x) (prn "s")) (str w))

(with-out-str (binding [*out* *out*] (print 5)))

(with-out-str (.write *out* "written") (.append *out* "-appended") (flush))

(binding [*out* *err*] (print "to err") :done)

;;; read-from-a-string-reader
(let [r (java.io.PushbackReader. (java.io.StringReader. "(1 2) x {:a [3]}"))] [(read r) (read r) (read r) (read r false :eof)])

(read {:eof :done} (java.io.PushbackReader. (java.io.StringReader. "")))

(read+string (clojure.lang.LineNumberingPushbackReader. (java.io.StringReader. "  (1 2) x")))

;; error: EOF while reading
(read (java.io.PushbackReader. (java.io.StringReader. "")))

;; error: EOF while reading
(read (java.io.PushbackReader. (java.io.StringReader. "(1 2")))

;;; read-from-in
(with-in-str "(+ 1 2) :k\n[a\n b]" [(read) (read) (read)])

(with-in-str "" (read *in* false :none))

;;; data-readers
[*data-readers* *default-data-reader-fn* *read-eval*]

(sort (keys default-data-readers))

(binding [*data-readers* {'x/y (fn [v] [:y v])}] (read-string "#x/y 1"))

(binding [*default-data-reader-fn* (fn [t v] [t v])] (read-string "#q/z 1"))

(binding [*data-readers* {'x/y (fn [v] (* 2 v))}] (read (java.io.PushbackReader. (java.io.StringReader. "#x/y 21"))))

((get default-data-readers 'uuid) "00000000-0000-0000-0000-000000000001")

(inst-ms ((get default-data-readers 'inst) "1970-01-01T00:00:01Z"))

;;; syntax-quote-markers-are-declared-vars
(bound? #'unquote)

(var unquote-splicing)

;; error: Attempting to call unbound fn: #'clojure.core/unquote
(unquote 1)

;;; pr-follows-print-readably
(binding [*print-readably* false] [(pr-str "a" \b) (with-out-str (prn "x" \y))])

(pr-str "a" \b)
