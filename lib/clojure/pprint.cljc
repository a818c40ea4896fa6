(ns clojure.pprint
  "A pretty printer for data. pprint lays collections out within
  *print-right-margin* columns the way Clojure's simple dispatch does (each
  collection a logical block whose items break onto their own lines when it
  does not fit); print-table prints a sequence of maps as a table; cl-format is
  Common Lisp's format. Part of jank-wasm-nrepl's bundled library, written for
  it: code-dispatch, write and custom dispatch tables are not provided, and say
  so.")

(def ^:dynamic *print-right-margin*
  "Pretty printing will try to avoid anything going beyond this column.
  Set it to nil to have pprint let the line be arbitrarily long. This will ignore all
  non-mandatory newlines."
  72)

(def ^:dynamic *print-miser-width*
  "The column at which to enter miser style. Depending on the dispatch table,
  miser style add newlines in more places to try to keep lines short allowing for further
  levels of nesting. (The simple dispatch pprint uses has no miser newlines.)"
  40)

(defn- layout
  "object pretty printed, with no newline at its end."
  [object]
  (jank.runtime/pretty-text object (or *print-right-margin* 2147483647)))

(defn- layout-line
  "object pretty printed, ending its line."
  [object]
  (let [text (layout object)]
    (if (= "\n" (subs text (max 0 (dec (count text)))))
      text
      (str text "\n"))))

(defn pprint
  "Pretty print object to the optional output writer. If the writer is not provided,
  print the object to the currently bound value of *out*."
  ([object]
   (print (layout-line object)))
  ([object writer]
   (if (satisfies? IWriter writer)
     (do (-write writer (layout-line object)) nil)
     (throw (ex-info (str "pprint to " (type writer) " is not supported: pprint prints to *out*, or to a writer of IWriter")
                     {:writer writer})))))

(defmacro pp
  "A convenience macro that pretty prints the last thing output. This is
  exactly equivalent to (pprint *1)."
  []
  `(pprint *1))

(defn print-table
  "Prints a collection of maps in a textual table. Prints table headings
  ks, and then a line of output for each row, corresponding to the keys
  in ks. If ks are not specified, use the keys of the first item in rows."
  ([ks rows]
   (when (seq rows)
     (let [cell (fn [row k] (str (get row k)))
           widths (map (fn [k] (apply max (count (str k)) (map #(count (cell % k)) rows))) ks)
           pad (fn [s width] (str (apply str (repeat (- width (count s)) " ")) s))
           line (fn [left middle right cells]
                  (str left (apply str (interpose middle (map pad cells widths))) right))]
       (println)
       (println (line "| " " | " " |" (map str ks)))
       (println (line "|-" "-+-" "-|" (map #(apply str (repeat % "-")) widths)))
       (doseq [row rows]
         (println (line "| " " | " " |" (map #(cell row %) ks)))))))
  ([rows] (print-table (keys (first rows)) rows)))

(defn- not-provided [what]
  (throw (ex-info (str "clojure.pprint/" what " is not supported yet by jank-wasm-nrepl; pprint, print-table and cl-format are")
                  {:var (symbol "clojure.pprint" what)})))

(defn cl-format
  "An implementation of a Common Lisp compatible format function, with Clojure's
  output. cl-format formats its arguments to an output stream or string based on
  the format control string given.

  Writer is a java.io.Writer (a java.io.StringWriter or *out*), true to output to
  *out*, or nil to output to a string; format-in is the format control string and
  the remaining arguments are the data to be formatted. If writer is nil,
  cl-format returns the formatted string; otherwise it returns nil.

  For example:
   (let [results [46 38 22]]
     (cl-format true \"There ~[are~;is~:;are~]~:* ~d result~:p: ~{~d~^, ~}~%\"
                (count results) results))
  Prints to *out*:
   There are 3 results: 46, 38, 22

  Supported: ~A ~S (padding), ~D ~B ~O ~X (padding, ~: commas, ~@ sign), ~R (a
  radix; English cardinals and ordinals; Roman numerals), ~F ~E ~$, ~% ~& ~| ~~,
  ~C, ~P, ~*, ~?, ~[...~], ~{...~}, ~^, ~(...~), ~<newline>, ~T, and the
  parameters V and #. Not supported yet (an error says so): ~<...~>
  (justification and logical blocks), ~W, ~G, ~_ and ~I. See Common Lisp the
  Language, 2nd edition, chapter 22, for the directives."
  [writer format-in & args]
  (jank.runtime/cl-format writer format-in args))

(defn write
  "Writes an object with keyword options (not supported yet: this throws; use pprint)."
  [object & kw-args]
  (not-provided "write"))

(defn code-dispatch
  "The pretty print dispatch for code (not supported yet: this throws)."
  [object]
  (not-provided "code-dispatch"))

(defn simple-dispatch
  "The pretty print dispatch for data: prints object as pprint does."
  [object]
  (print (layout object)))

(defmacro with-pprint-dispatch
  "Execute body with the pretty print dispatch function bound to function
  (only simple-dispatch, which pprint always uses, is supported)."
  [function & body]
  `(if (= ~function simple-dispatch)
     (do ~@body)
     (throw (ex-info "clojure.pprint/with-pprint-dispatch supports only simple-dispatch in jank-wasm-nrepl"
                     {:dispatch ~function}))))
