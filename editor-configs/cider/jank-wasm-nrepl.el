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

;;; Code:

(require 'subr-x)

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
