;; jank-wasm-nrepl: connect with M-x cider-connect-clj (host 127.0.0.1, port from .nrepl-port).
;; The server advertises no `clojure' version, so CIDER uses its generic nREPL path and does
;; not try to inject JVM middleware.
((clojure-mode
  (cider-preferred-build-tool . nil)
  (cider-repl-display-help-banner . nil)))
