(ns clojure.repl
  "Utilities meant to be used interactively at the REPL: doc, find-doc,
  source, apropos, dir, pst. Part of jank-wasm-nrepl's bundled library,
  written for it: documentation comes from the compiler, which knows every
  var; source reads the files definitions were loaded from (none for the
  runtime's own library).")

(defmacro doc
  "Prints documentation for a var or special form given its name,
  or for a spec if given a keyword"
  [name]
  ;; the compiler prints documentation as it compiles (it knows special forms too)
  (list 'clojure.core/doc name))

(defn- print-doc-of
  "Prints the documentation of var v, as doc does."
  [v]
  (let [m (meta v)]
    (println "-------------------------")
    (println (str (ns-name (:ns m)) "/" (:name m)))
    (when-let [arglists (:arglists m)]
      (prn arglists))
    (when (:macro m)
      (println "Macro"))
    (when-let [d (:doc m)]
      (println " " d))))

(defn find-doc
  "Prints documentation for any var whose documentation or name
  contains a match for re-string-or-pattern"
  [re-string-or-pattern]
  (let [re (re-pattern re-string-or-pattern)]
    (doseq [ns (all-ns)
            v (sort-by (comp :name meta) (vals (ns-interns ns)))
            :let [m (meta v)]
            :when (and (:doc m)
                       (or (re-find (re-matcher re (:doc m)))
                           (re-find (re-matcher re (str (:name m))))))]
      (print-doc-of v))))

(defn source-fn
  "Returns a string of the source code for the given symbol, if it can
  find it. This requires that the symbol resolve to a Var defined in
  a namespace for which the .clj is in the classpath. Returns nil if
  it can't find the source. For most REPL usage, 'source' is more
  convenient.

  Example: (source-fn 'filter)"
  [x]
  (jank.runtime/source-text x))

(defmacro source
  "Prints the source code for the given symbol, if it can find it.
  This requires that the symbol resolve to a Var defined in a
  namespace for which the .clj is in the classpath.

  Example: (source filter)"
  [n]
  `(println (or (source-fn '~n) (str "Source not found"))))

(defn apropos
  "Given a regular expression or stringable thing, return a seq of all
  public definitions in all currently-loaded namespaces that match the
  str-or-pattern."
  [str-or-pattern]
  (let [matches? (if (instance? #?(:clj java.util.regex.Pattern :cljs js/RegExp) str-or-pattern)
                   #(re-find str-or-pattern (str %))
                   #(clojure.string/includes? (str %) (str str-or-pattern)))]
    (sort (mapcat (fn [ns]
                    (let [ns-name (str ns)]
                      (map #(symbol ns-name (str %))
                           (filter matches? (keys (ns-publics ns))))))
                  (all-ns)))))

(defn dir-fn
  "Returns a sorted seq of symbols naming public vars in
  a namespace or namespace alias. Looks for aliases in *ns*"
  [ns]
  (sort (map first (ns-publics (the-ns (get (ns-aliases *ns*) ns ns))))))

(defmacro dir
  "Prints a sorted directory of public vars in a namespace"
  [nsname]
  `(doseq [v# (dir-fn '~nsname)]
     (println v#)))

(defn root-cause
  "Returns the initial cause of an exception or error by peeling off all of
  its wrappers"
  [t]
  (loop [cause t]
    (if-let [inner (ex-cause cause)]
      (recur inner)
      cause)))

(defn- short-class-name [e]
  (let [full (str (type e))]
    (subs full (inc (.lastIndexOf full ".")))))

(defn pst
  "Prints a stack trace of the exception, to the depth requested. If none
  supplied, uses the root cause of the most recent repl exception (*e),
  and a depth of 12. This runtime keeps no stack frames: the trace is the
  exception and its causes."
  ([] (pst 12))
  ([e-or-depth]
   (if (instance? #?(:clj Throwable :cljs js/Error) e-or-depth)
     (pst e-or-depth 12)
     (when-let [e *e]
       (pst (root-cause e) e-or-depth))))
  ([e depth]
   (binding [*out* *err*]
     (println (str (short-class-name e) " " (ex-message e)))
     (loop [cause (ex-cause e)]
       (when cause
         (println (str "Caused by: " (short-class-name cause) " " (ex-message cause)))
         (recur (ex-cause cause)))))))

(defn demunge
  "Given a string representation of a fn class,
  as in a stack trace element, returns a readable version."
  [fn-name]
  (let [replacements [["_QMARK_" "?"] ["_BANG_" "!"] ["_PLUS_" "+"] ["_GT_" ">"] ["_LT_" "<"]
                      ["_EQ_" "="] ["_STAR_" "*"] ["_SLASH_" "/"] ["_COLON_" ":"] ["_SINGLEQUOTE_" "'"]
                      ["_AMPERSAND_" "&"] ["_PERCENT_" "%"] ["_CARET_" "^"] ["_BAR_" "|"]
                      ["_SHARP_" "#"] ["_LBRACK_" "["] ["_RBRACK_" "]"] ["_LBRACE_" "{"]
                      ["_RBRACE_" "}"] ["_TILDE_" "~"] ["_DOT_" "."] ["_DOLLARSIGN_" "$"]]
        ;; the namespace's $ first: a munged name may hold a $ of its own
        slashed (clojure.string/replace fn-name "$" "/")
        readable (reduce (fn [s [munged plain]] (clojure.string/replace s munged plain))
                         slashed replacements)]
    (clojure.string/replace readable "_" "-")))
