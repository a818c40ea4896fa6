;;; .dir-locals.el --- CIDER settings for a project evaluated by jank-wasm-nrepl
;;
;; Copy this file to the root of your project (the directory you start
;; jank-wasm-nrepl from, where it writes .nrepl-port), then connect with
;; `M-x cider-connect-clj' (host 127.0.0.1; CIDER offers the port from
;; .nrepl-port) or with `M-x jank-wasm-nrepl-connect' from jank-wasm-nrepl.el.
;;
;; The server advertises no `clojure' version in `describe', so CIDER takes its
;; generic nREPL path and does not try cider-nrepl's JVM middleware.
((nil
  ;; Print values with the server's own printer (pr-str semantics): the server
  ;; has no cider-nrepl pretty printer to delegate to.
  (cider-print-fn . nil)
  ;; The banner describes JVM Clojure features (javadoc, classpath) that do not apply.
  (cider-repl-display-help-banner . nil)
  ;; Show evaluation results next to the code, as with any nREPL server.
  (cider-use-overlays . t)
  ;; Where `M-x jank-wasm-nrepl-start' (jank-wasm-nrepl.el) tells the server
  ;; your namespaces are: nil lets it find them (deps.edn's :paths,
  ;; project.clj's :source-paths, or src). For example ("src/main" "src/shared").
  (jank-wasm-nrepl-source-paths . nil)))
