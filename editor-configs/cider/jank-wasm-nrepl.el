;;; jank-wasm-nrepl.el --- Connect CIDER to jank-wasm-nrepl  -*- lexical-binding: t; -*-

;;; Commentary:

;; Load this from your init file:
;;
;;   (load "/path/to/editor-configs/cider/jank-wasm-nrepl.el")
;;
;; then, in any buffer of the project, `M-x jank-wasm-nrepl-connect' connects
;; CIDER to 127.0.0.1 on the port in the nearest .nrepl-port above the buffer's
;; directory (7889, the server's default, when there is none).  `.jank' files
;; open in `clojure-mode'.
;;
;; `M-x jank-wasm-nrepl-start' starts the server in the project's root (the
;; nearest directory with a deps.edn, project.clj or shadow-cljs.edn), with
;; the Node runtime.  The server loads namespaces from the source paths it
;; finds there (deps.edn's :paths, project.clj's :source-paths, or src);
;; set `jank-wasm-nrepl-source-paths' (in .dir-locals.el) when yours are
;; elsewhere.

;;; Code:

(require 'subr-x)
(require 'seq)

(declare-function cider-connect-clj "cider" (&optional params))

(defconst jank-wasm-nrepl-default-port 7889
  "The nREPL port jank-wasm-nrepl listens on by default.")

(defun jank-wasm-nrepl-project-dir (&optional dir)
  "The nearest directory at or above DIR holding a .nrepl-port file, or nil."
  (locate-dominating-file (or dir default-directory) ".nrepl-port"))

(defun jank-wasm-nrepl-port (&optional dir)
  "The port written in the nearest .nrepl-port at or above DIR, or nil."
  (let ((root (jank-wasm-nrepl-project-dir dir)))
    (when root
      (with-temp-buffer
        (insert-file-contents (expand-file-name ".nrepl-port" root))
        (let ((text (string-trim (buffer-string))))
          (when (string-match-p "\\`[0-9]+\\'" text)
            (string-to-number text)))))))

(defgroup jank-wasm-nrepl nil
  "Running Clojure/jank as WebAssembly through jank-wasm-nrepl."
  :group 'tools)

(defcustom jank-wasm-nrepl-program "jank-wasm-nrepl"
  "The jank-wasm-nrepl executable `jank-wasm-nrepl-start' runs."
  :type 'string)

(defcustom jank-wasm-nrepl-source-paths nil
  "Directories, relative to the project root, namespaces are loaded from.
nil lets the server find them: deps.edn's :paths, project.clj's
:source-paths, shadow-cljs.edn's :source-paths, or src."
  :type '(repeat string)
  :safe (lambda (value) (and (listp value) (seq-every-p #'stringp value))))

(defun jank-wasm-nrepl-project-root (&optional dir)
  "The project root at or above DIR: where a deps.edn, project.clj or
shadow-cljs.edn is, else DIR."
  (let ((dir (or dir default-directory)))
    (or (seq-some (lambda (file) (locate-dominating-file dir file))
                  '("deps.edn" "project.clj" "shadow-cljs.edn"))
        dir)))

(defun jank-wasm-nrepl-command ()
  "The command line `jank-wasm-nrepl-start' runs."
  (append (list jank-wasm-nrepl-program "--headless")
          (mapcan (lambda (path) (list "--source-path" path))
                  (copy-sequence jank-wasm-nrepl-source-paths))))

;;;###autoload
(defun jank-wasm-nrepl-start ()
  "Start jank-wasm-nrepl in the project root, its output in *jank-wasm-nrepl*."
  (interactive)
  (let ((default-directory (jank-wasm-nrepl-project-root)))
    (apply #'start-process "jank-wasm-nrepl" "*jank-wasm-nrepl*"
           (jank-wasm-nrepl-command))))

;;;###autoload
(defun jank-wasm-nrepl-connect ()
  "Connect CIDER to the jank-wasm-nrepl server of this project."
  (interactive)
  (require 'cider nil t)
  (cider-connect-clj
   (list :host "127.0.0.1"
         :port (or (jank-wasm-nrepl-port) jank-wasm-nrepl-default-port)
         :project-dir (or (jank-wasm-nrepl-project-dir) default-directory))))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.jank\\'" . clojure-mode))

(provide 'jank-wasm-nrepl)

;;; jank-wasm-nrepl.el ends here
