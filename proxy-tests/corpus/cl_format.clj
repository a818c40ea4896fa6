;; clojure.pprint/cl-format: Common Lisp's format directives, their parameters
;; and flags, the writers it prints to, and its errors. Built into
;; cl_format.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL server:
;; every expected value is what Clojure answered.

;;; cl-format-writers
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "Hello, ~a!" "world")

[(with-out-str (cl-format true "~a and ~a" 1 2)) (cl-format true "")]

(let [w (java.io.StringWriter.)] [(cl-format w "~a-~a" 1 2) (cl-format w "|~s" "x") (str w)])

(with-out-str (cl-format *out* "to ~a" '*out*))

(let [results [46 38 22]] (with-out-str (cl-format true "There ~[are~;is~:;are~]~:* ~d result~:p: ~{~d~^, ~}~%" (count results) results)))

[(cl-format nil "") (cl-format nil "no directives") (cl-format nil "~a" nil) (cl-format nil "~a" 1 2 3)]

[(let [w (java.io.StringWriter.)] (.write w "abc") (cl-format w "~&x~5t|") (str w)) (with-out-str (print "abc") (cl-format true "~&x~5t|")) (cl-format false "~a" 1)]

;;; cl-format-aesthetic-and-standard
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~a|~s" "a\"b" "a\"b") (cl-format nil "~a|~s" \x \x) (cl-format nil "~a|~s" :k 'sym) (cl-format nil "~a|~s" nil true)]

[(cl-format nil "~a" [1 "a" \b nil]) (cl-format nil "~s" [1 "a" \b nil]) (cl-format nil "~a|~s" {:a "x"} {:a "x"}) (cl-format nil "~a|~s" '(1 "b") #{"c"})]

[(cl-format nil "~a|~s|~a|~s" 123N 123N 1/2 1/2) (cl-format nil "~a|~s|~a" 1.0 1.5M 2.5)]

(cl-format nil "~10a|~10@a|~10,3a|~,,2a|~10,,,'*a|~3a|" "ab" "ab" "ab" "ab" "ab" "abcdef")

(cl-format nil "~10s|~10@s|~4,2s|~,,1,'-@s|~-5a|~+5a|" "ab" "ab" :k :k 1 1)

(cl-format nil "~v,,,va|~#a|" \. 6 "x" "y" 1 2)

[(binding [*print-readably* false] (cl-format nil "~@c|~s|~a" \a "x" "y")) (binding [*print-length* 2] (cl-format nil "~a|~s" (range 10) (range 10))) (binding [*print-level* 1] (cl-format nil "~s" [[1] 2]))]

;;; cl-format-integers
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "~d|~5d|~5,'0d|~@d|~@d|~d|~:d|~@:d" 42 42 42 42 -42 0 1234567 1234567)

(cl-format nil "~,,'.,4:d|~,,' :d|~10,'*,'_,2:d|~:d|~:d" 1234567 1234567 1234567 -1234567 123)

(cl-format nil "~b|~o|~x|~X|~B|~O" 10 64 255 255 -5 -8)

(cl-format nil "~8,'0b|~:b|~,,' ,4:b|~4,'0x|~@x|~:x" 5 255 255 10 255 4294967295)

(cl-format nil "~d|~x|~:d|~d" 123456789012345678901234567890N 18446744073709551616N 12345678901234567890N 9007199254740993)

(cl-format nil "~d|~d|~5d|~d|~d|~5d|" 3.0 3.5 "ab" nil 1/2 :k)

(cl-format nil "~d|~d|~d|~:d|~d|~b|~:d|~,,,1:d|~,,,10:d" 1.5M -0.5M 12.7M 1e15 -0.0 0 0 12345 12345)

;;; cl-format-radix
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "~2r|~8r|~16r|~36r|~3r|~16,8,'0r|~2,,,' ,4:r" 10 64 255 1295 10 255 255)

(cl-format nil "~16@r|~16r|~10,5r|~10:r|~vr" 255 -255 42 1234567 7 10)

;;; cl-format-english-cardinals
(require '[clojure.pprint :refer [cl-format]])

(mapv #(cl-format nil "~r" %) [0 1 7 13 19 20 21 42 99 100 101 110 999 1000 1001 1010 1100 12345 100000 1000000 1000001])

(mapv #(cl-format nil "~r" %) [-1 -42 1234567 1000000000 1000000001 123456789012 9223372036854775807 -9223372036854775807 1000000000000000000000N])

(cl-format nil "~r" 1000000000000000000000000000000000000000000000000000000000000000000N)

(cl-format nil "~r|~r|~r|~r|~r|~r" 0.0 0.5 -0.5 20.5 1000.5 1.5M)

;;; cl-format-english-ordinals
(require '[clojure.pprint :refer [cl-format]])

(mapv #(cl-format nil "~:r" %) [0 1 2 3 4 5 8 9 11 12 13 20 21 22 23 30 42 99 100 101 111 112 200 1000 1001 1012])

(mapv #(cl-format nil "~:r" %) [-1 -22 1000000 1000001 1234567 1000000000 2000000003 123456789012])

(cl-format nil "~:r|~:r" 1000000000000000000000000000000000000000000000000000000000000000000N 1000000000000000000000000000000000000000000000000000000000000000011N)

;;; cl-format-roman
(require '[clojure.pprint :refer [cl-format]])

(mapv #(cl-format nil "~@r" %) [1 2 3 4 5 9 14 40 42 49 90 99 400 444 900 1999 2024 3888 3999])

(mapv #(cl-format nil "~:@r" %) [1 4 9 14 40 49 90 400 999 1999 3999])

(mapv #(cl-format nil "~@r" %) [0 -5 4000 12345 "x"])

(cl-format nil "~@r|~@r|~@r|~@r|~:@r" 1/2 10.5 14.5 3999.9 20/3)

;;; cl-format-fixed-float
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "~f|~,2f|~5,2f|~8,3f|~,0f|~f|~f" 3.14159 3.14159 3.14159 -2.5 2.5 0.001 100.0)

(cl-format nil "~5,2,,'*f|~3,2,,'*f|~8,2,,,'0f|~@f|~5,1@f|~5,2,,'*f" 123.456 123.456 3.14159 1.5 2.25 -123.456)

(cl-format nil "~,2,2f|~,1,-1f|~f|~f|~,2f|~,2f" 1.2345 123.0 1e10 1.23e-5 1e21 123456789012.345)

(cl-format nil "~,1f|~,1f|~,1f|~,2f|~4f|~2f|~1f|~3,1f" 0.05 0.15 0.25 1.005 3.14159 3.14159 3.14159 0.05)

(cl-format nil "~f|~f|~,3f|~f|~f|~,2f|~3,,,'xf|~1,,,'xf" -0.0 0.0 1/8 3 1/3 1.5M 1234.5 10.0)

(cl-format nil "~10,4f|~10,4,,'#f|~v,vf|~,2f|~,2f|~,5f" 3.14159265 -3.14159265 8 3 2.0 0.999 -0.005 1/7)

(cl-format nil "~f|~f|~,2f|~,2f|~3f|~2f|~1f|~6,2f|~6,2@f|~,0f|~,0f|~,0f" ##Inf ##NaN 1e-10 0.0049 0.5 0.5 0.5 99.999 99.999 0.5 1.5 0.4)

(cl-format nil "~f|~f|~,3f|~8,3,,'xf|~f|~,2f|~f|~f|~f" 123456789012345678901234567890N 1.5e300 1e-4 12345.678 12345678901234567890 1/3 1E+3M 0.000001M 1.23456789012345678901234M)

;;; cl-format-exponential
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "~e|~,2e|~10,3e|~,2,3e|~@e|~e|~e|~e" 1234.5 1234.5 1234.5 0.00012 12.0 0.0 -1.5 1e100)

(cl-format nil "~,3e|~,,2e|~12,4,2e|~,2,,2e|~,2,,0e|~,2,,-1e" 314.159 314.159 314.159 314.159 314.159 314.159)

(cl-format nil "~8,2,,,'!e|~4,2,,,'!e|~12,2,,,,'*e|~,2,,,,,'de|~e|~e|~,4e|~9,2,1,,'!e" 123456789.0 123456789.0 1.5 2.5 3 1/3 9.99999 1e100)

(cl-format nil "~e|~,2,,0e|~,4,,3e|~10,2,,-2e|~3,1e|~,1e|~,1e|~e|~e" 1e-10 1.5 1.5 1.5 123.0 9.96 0.996 123456789012345678901234567890N 1.0M)

;;; cl-format-monetary
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "~$|~2$|~3,2$|~10$|~@$|~4,3,10,'*$|~10:@$|~8,,,'_$" 1.5 2.345 3.14159 12.5 1.0 -3.14159 -7.5 2.5)

(cl-format nil "~$|~$|~$|~$|~$|~0$|~,3$|~:$|~@:$" 3 3/2 1.5M -0.001 1234567.891 2.5 1.5 -2.0 2.0)

(cl-format nil "~$|~$|~$|~,,5$|~2,0$" ##Inf 1e-5 999.999 1.5 0.5)

;;; cl-format-newlines-and-literals
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "a~%b") (cl-format nil "~3%") (cl-format nil "~0%x") (cl-format nil "~&a") (cl-format nil "a~&b") (cl-format nil "a~%~&b") (cl-format nil "~2&x") (cl-format nil "a~3&b")]

[(cl-format nil "~~|~3~|~0~") (cl-format nil "~|") (cl-format nil "~2|") (cl-format nil "a~a~~~3~~|" 1)]

(cl-format nil "a~
    b ~:
    c ~@
    d")

(cl-format nil "~:[~;~&x~]|~&y" true)

;;; cl-format-characters
(require '[clojure.pprint :refer [cl-format]])

(cl-format nil "~c|~c|~c|~c" \a \space \newline "s")

(mapv #(cl-format nil "~:c" %) [\a \A \space \newline \tab \return \backspace \u0001 \u001b \u007f \u00e9 \u0000])

(mapv #(cl-format nil "~@c" %) [\a \space \newline \tab \u00e9 "s"])

(cl-format nil "~'o@c|~'u@c|~'u@c" \a \a \u00e9)

;;; cl-format-plurals
(require '[clojure.pprint :refer [cl-format]])

(vec (for [n [0 1 2 1.0]] (cl-format nil "~d item~:p, ~d famil~:@p, ~p ~@p" n n n n)))

(cl-format nil "~d cat~:p and ~d mouse~:*~[~;~:;~]" 3 1)

;;; cl-format-goto
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~a ~* ~a" 1 2 3) (cl-format nil "~a ~:*~a" 1) (cl-format nil "~2*~a" 1 2 3) (cl-format nil "~a ~a ~@*~a" 1 2) (cl-format nil "~a ~a ~a ~1@*~a" 1 2 3) (cl-format nil "~a ~a ~2:*~a" 1 2)]

[(cl-format nil "~*~a" 1) (cl-format nil "~a~*~a" 1) (cl-format nil "~a~3*~a" 1 2)]

;;; cl-format-indirect
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~? ~a" "<~a~a>" [1 2] 3) (cl-format nil "~@? ~a" "<~a>" 1 2) (cl-format nil "~?" "~{~a~}" [[1 2]]) (cl-format nil "[~?]" nil [1])]

;;; cl-format-conditionals
(require '[clojure.pprint :refer [cl-format]])

(mapv #(cl-format nil "~[zero~;one~;two~]" %) [0 1 2 5 -1])

(mapv #(cl-format nil "~[zero~;one~:;many~]" %) [0 1 2 100])

[(cl-format nil "~:[no~;yes~]" nil) (cl-format nil "~:[no~;yes~]" false) (cl-format nil "~:[no~;yes~]" 0) (cl-format nil "~:[no~]|" true)]

[(cl-format nil "~@[x=~a~]|" nil) (cl-format nil "~@[x=~a~]|" 5) (cl-format nil "~@[x=~a ~]~a" 1 2) (cl-format nil "~@[~]~a" 1)]

[(cl-format nil "~2[a~;b~;c~]" 0) (cl-format nil "~#[none~;one~;two~:;many~]") (cl-format nil "~#[none~;one~;two~:;many~]" 1 2) (cl-format nil "~v[a~;b~]~a" 1 :x)]

[(cl-format nil "~[~a~;~a ~a~]" 1 :x :y) (cl-format nil "~:[~a~;[~a]~]" true 5) (cl-format nil "~[a~:;b~:;c~]" 1)]

;;; cl-format-iteration
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~{~a~^, ~}" [1 2 3]) (cl-format nil "~{~a~}" []) (cl-format nil "~{~a~}" nil) (cl-format nil "~{~a~}" "abc") (cl-format nil "~{<~a ~a>~}" (range 6))]

[(cl-format nil "~:{(~a ~a)~}" [[1 2] [3 4]]) (cl-format nil "~:{~a~^-~a ~}" [[1] [2 3] [4]]) (cl-format nil "~:{~a~:^, ~}" [[1] [2] [3]])]

[(cl-format nil "~@{~a~^-~}" 1 2 3) (cl-format nil "~@{~a~}|" ) (cl-format nil "~@{<~a ~a>~}" 1 2 3 4) (cl-format nil "~@{~a~^ ~}." 1 2)]

[(cl-format nil "~:@{~a:~a ~}" [1 2] [3 4]) (cl-format nil "~:@{~a~:^, ~}" [1] [2] [3]) (cl-format nil "~:@{[~a]~}" [1] [2 3] "xy")]

[(cl-format nil "~2{~a~}" [1 2 3]) (cl-format nil "~0{~a~}" [1 2]) (cl-format nil "~1@{~a~}" 1 2) (cl-format nil "~2:{~a~}" [[1] [2] [3]]) (cl-format nil "~v{~a~}" 2 (range))]

[(cl-format nil "~{~}" "~a," [1 2]) (cl-format nil "~@{~}" "~a." 1 2) (cl-format nil "~:{~}" "~a+~a " [[1 2] [3 4]])]

[(cl-format nil "~{x~:}|" []) (cl-format nil "~{x~}|" []) (cl-format nil "~1{x~:}|" []) (cl-format nil "~@{x~:}|") (cl-format nil "~:{x~:}|" [])]

[(cl-format nil "~{~{~a~}~^|~}" [[1 2] [3 4]]) (cl-format nil "~{~[a~;b~]~}" [0 1 0]) (cl-format nil "~{~a~#[~;, and ~:;, ~]~}" [1 2 3])]

[(cl-format nil "~:{~a=~a~^; ~}" {:a 1 :b 2}) (cl-format nil "~{~a ~}" #{1}) (cl-format nil "~{~a~}" {:a 1}) (cl-format nil "~{~a~}" (lazy-seq [1 2])) (cl-format nil "~10{~a~}" (range)) (cl-format nil "~{~a~^~a~}" [1 2 3])]

[(cl-format nil "~{~@{~a~}~}" [1 2]) (cl-format nil "~@{~{~a~}~}" [1 2] [3]) (cl-format nil "~{~a~:^|~}" [1 2]) (cl-format nil "~@{~a~:^|~}!" 1 2) (cl-format nil "~:@{~a~^|~}" [1 2] [3 4]) (cl-format nil "~{~[x~;y~^z~]~}|" [0 1 0])]

;;; cl-format-up-and-out
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~a~^ ~a" 1) (cl-format nil "~a~^ ~a" 1 2) (cl-format nil "~a ~a~^!" 1 2) (cl-format nil "done~^ never")]

[(cl-format nil "~{~a~0^!~}" [1 2]) (cl-format nil "~{~a~1,1^ ~}|" [1 2]) (cl-format nil "~{~a~1,2^ ~}|" [1 2]) (cl-format nil "~{~a~1,2,3^ ~}|" [1 2]) (cl-format nil "~{~a~3,2,1^ ~}|" [1 2])]

[(cl-format nil "~{~a~#^, ~}" [1 2 3]) (cl-format nil "~{~[~a~^ + ~;~]~}" [0 1 0 2]) (cl-format nil "~(~a~^ ~a~) end" "A")]

;;; cl-format-case-conversion
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~(~a~)" "HELLO World") (cl-format nil "~:(~a~)" "hello big world") (cl-format nil "~@(~a~)" "hello WORLD") (cl-format nil "~:@(~a~)" "hello")]

[(cl-format nil "~:(~a~)" "hello-world o'neil 1st x_y") (cl-format nil "~@(~a~)" "  hello WORLD") (cl-format nil "~@(~a~)" "1abc DEF")]

[(cl-format nil "~:(~a~a~)" "foo" "bar") (cl-format nil "~:(~a~a~)" "foo-" "bar") (cl-format nil "~:(~a ~a~)" "foo" "bar") (cl-format nil "~:(~a~c~a~)" "x" \y "z")]

[(cl-format nil "~(~:@(a~)B~)") (cl-format nil "~:@(~r~)" 42) (cl-format nil "~@(~r~)" 42) (cl-format nil "~:(~:r~)" 21) (cl-format nil "~(~c~)~:@(~c~)" \A \b)]

[(cl-format nil "~@(~c~c~)" \x \Y) (cl-format nil "~:(~c~c~)" \x \Y) (cl-format nil "~:@(~{~a~^, ~}~)" ["a" "b"]) (cl-format nil "~:(~@{~a~^ ~}~)" "one" "TWO" "thRee")]

[(cl-format nil "~:(~a~)" "élan vital ÉTÉ") (cl-format nil "~:(~a~%~a~)" "one" "two") (cl-format nil "~:(~a~&~a~)" "one" "two") (cl-format nil "~&~:(~a~&~a~)" "one" "two") (cl-format nil "~@(~{~a ~}~)" ["FOO" "BAR"])]

;;; cl-format-tabulation
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~10t|") (cl-format nil "abc~10t|") (cl-format nil "~3,5t|") (cl-format nil "abcdefghijkl~10,4t|") (cl-format nil "abcdefghij~10,4t|") (cl-format nil "abcdefghijkl~10,0t|")]

[(cl-format nil "~5@t|") (cl-format nil "ab~3,4@t|") (cl-format nil "ab~3,0@t|") (cl-format nil "ab~%c~5t|") (cl-format nil "~a~8t~a~16t~a" "one" "two" "three")]

(with-out-str (doseq [row [[1 1 1] [2 4 8] [10 100 1000]]] (cl-format true "~4d~7,8t~4d~15,8t~5d~%" (row 0) (row 1) (row 2))))

[(cl-format nil "~t~?" "~a~t~a" [1 2]) (cl-format nil "~&~?" "~&x" []) (cl-format nil "ab~?" "~&x" []) (cl-format nil "abc~0&def") (cl-format nil "~a~10t~a" "x\ny" "z") (cl-format nil "~{~a~5t~}" ["a" "bb" "ccc"]) (cl-format nil "abcdefg~5,3t|") (cl-format nil "abc~0,3@t|") (cl-format nil "a~0t|")]

;;; cl-format-parameters
(require '[clojure.pprint :refer [cl-format]])

[(cl-format nil "~vd|" 5 3) (cl-format nil "~v,vd|" \x 5 3) (cl-format nil "~5'xd|" 3) (cl-format nil "~#d|" 1 2 3) (cl-format nil "~a~#,'*d|" 1 2 3) (cl-format nil "~V%" 2)]

[(cl-format nil "~v,v,v,va|" \- 1 2 10 3) (cl-format nil "~,vf|" 2 3.14159) (cl-format nil "~v$" 3 1.0) (cl-format nil "~#*~a" 1 2)]

;;; cl-format-format-errors
(require '[clojure.pprint :refer [cl-format]])

;; error: Directive "q" is undefined
(cl-format nil "~q")

;; error: Directive "/" is undefined
(cl-format nil "~/foo/" 1)

;; error: Not enough arguments for format definition
(cl-format nil "~a ~a" 1)

;; error: Flag ":" appears more than once in a directive
(cl-format nil "~:@:a" 1)

;; error: Parameter padchar has bad type in directive "D": class java.lang.Integer
(cl-format nil "~5,2d" 3)

;; error: Parameter mincol has bad type in directive "A": class java.lang.Character
(cl-format nil "~'xa|" 1)

;; error: Too many parameters for directive "D": 6 were specified but only 4 are allowed
(cl-format nil "~1,2,3,4,5,6d" 1)

;; error: "@" is an illegal flag for format directive "%"
(cl-format nil "~@%")

;; error: Cannot combine "@" and ":" flags for format directive "["
(cl-format nil "~:@[a~]" 1)

;; error: No closing bracket found.
(cl-format nil "~[a")

;; error: No closing bracket found.
(cl-format nil "~(~a~]" 1)

;; error: A separator ("~;") is in a bracket type that doesn't support it.
(cl-format nil "~{a~;b~}" [])

;; error: A plain clause (with "~;") follows an else clause ("~:;") inside bracket construction.
(cl-format nil "~[a~:;b~;c~]" 1)

;; error: An else clause ("~:;") is in a bracket type that doesn't support it.
(cl-format nil "~(a~:;b~)")

;; error: Badly formed parameters in format directive
(cl-format nil "~10,a|" 1)

;; error: ~q
(cl-format nil "abc~q")

;;; cl-format-run-time-errors
(require '[clojure.pprint :refer [cl-format]])

;; error: %{ construct not consuming any arguments: Infinite loop!
(cl-format nil "~{x~}" [1])

;; error: %@{ construct not consuming any arguments: Infinite loop!
(cl-format nil "~@{x~}" 1)

;; error: Don't know how to create ISeq from: java.lang.Long
(cl-format nil "~{~a~}" 5)

;; error: Divide by zero
(cl-format nil "~5,0a|" 1)

;; error: cannot be cast to class java.lang.Number
(cl-format nil "~f" "a")

;; error: cannot be cast to class java.lang.Number
(cl-format nil "~r" "a")

;; error: Directive "q" is undefined
(cl-format nil "~?" "~q" [])

;; error: Not enough arguments for format definition
(cl-format nil "~{~}" [1])
