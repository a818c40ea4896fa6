;; Clojure's type system: protocols, deftype, defrecord, reify, multimethods
;; and hierarchies, and how each behaves when evaluated again (hot reload).
;; Built into types.jsonl by tools/corpus.py from a JVM Clojure 1.11 nREPL
;; server: every expected value there is what Clojure answered. A
;; `#?(:clj A :cljs B)` step checks ClojureScript's spelling B against
;; Clojure's answer for A.

;;; protocol-definition-returns-its-name
(defprotocol PNamed "Things with names." (pname [x] "The name.") (pname2 [x y]))

;;; protocol-extend-type-string
(defprotocol PGreet "Greets." (greet [x] "Says hi.") (greet-with [x y]))

(extend-type String PGreet (greet [s] (str "hi " s)) (greet-with [s y] (str y " " s)))

[(greet "bob") (greet-with "bob" "hello")]

;;; protocol-multi-arity-methods
(defprotocol PArity (arity [x] [x y] [x y z]))

(extend-protocol PArity
  #?(:clj Long :cljs number)
  (arity ([x] [:one x]) ([x y] [:two (+ x y)]) ([x y z] [:three (+ x y z)])))

[(arity 1) (arity 1 2) (arity 1 2 3)]

;;; protocol-extend-to-nil-and-object
(defprotocol PWhat (what [x]))

(extend-protocol PWhat
  nil (what [_] :nil)
  #?(:clj Object :cljs default) (what [_] :something))

[(what nil) (what 1) (what "s") (what :k) (what [1])]

;;; protocol-extend-to-object-spelled-object
(defprotocol PObj (obj-kind [x]))

(extend-protocol PObj Object (obj-kind [_] :object))

[(obj-kind 1) (obj-kind "s") (obj-kind {})]

;;; protocol-more-specific-beats-object
(defprotocol PSpecific (specific [x]))

(extend-protocol PSpecific
  Object (specific [_] :object)
  String (specific [_] :string)
  clojure.lang.Keyword (specific [_] :keyword))

[(specific "a") (specific :a) (specific 1)]

;;; protocol-extend-to-java-spellings
(defprotocol PJava (jkind [x]))

(extend-protocol PJava
  java.lang.String (jkind [_] :string)
  java.lang.Long (jkind [_] :long)
  java.lang.Boolean (jkind [_] :boolean)
  clojure.lang.Keyword (jkind [_] :keyword)
  clojure.lang.Symbol (jkind [_] :symbol)
  clojure.lang.IPersistentVector (jkind [_] :vector)
  clojure.lang.IPersistentMap (jkind [_] :map)
  clojure.lang.IPersistentSet (jkind [_] :set)
  clojure.lang.Fn (jkind [_] :fn))

[(jkind "s") (jkind 1) (jkind true) (jkind :k) (jkind 'sym) (jkind [1]) (jkind {:a 1}) (jkind #{1}) (jkind inc) (jkind (fn [] 1))]

;;; protocol-extend-to-clojurescript-spellings
(defprotocol PCljs (ckind [x]))

(extend-protocol PCljs
  #?(:clj String :cljs string) (ckind [_] :string)
  #?(:clj Boolean :cljs boolean) (ckind [_] :boolean)
  #?(:clj clojure.lang.Keyword :cljs Keyword) (ckind [_] :keyword)
  #?(:clj clojure.lang.PersistentVector :cljs PersistentVector) (ckind [_] :vector)
  #?(:clj clojure.lang.PersistentHashSet :cljs PersistentHashSet) (ckind [_] :set)
  #?(:clj clojure.lang.Fn :cljs function) (ckind [_] :fn))

[(ckind "s") (ckind false) (ckind :k) (ckind [1 2]) (ckind #{1}) (ckind inc)]

;;; protocol-extend-to-host-types
(defprotocol PHost (host [x]))

(extend-protocol PHost
  #?(:clj java.util.Date :cljs js/Date) (host [_] :date)
  #?(:clj java.util.regex.Pattern :cljs js/RegExp) (host [_] :regex)
  #?(:clj Exception :cljs js/Error) (host [_] :error)
  #?(:clj Object :cljs js/Object) (host [_] :object))

[(host (#?(:clj java.util.Date. :cljs js/Date.) 0)) (host #"a+") (host (#?(:clj Exception. :cljs js/Error.) "x")) (host 1)]

;;; protocol-extend-to-collection-interfaces
(defprotocol PShape (shape [x]))

(extend-protocol PShape
  clojure.lang.Sequential (shape [_] :sequential)
  clojure.lang.IPersistentMap (shape [_] :map)
  clojure.lang.IPersistentSet (shape [_] :set))

[(shape [1]) (shape '(1)) (shape {:a 1}) (shape #{})]

;;; protocol-extend-to-numbers
(defprotocol PNum (twice [x]))

(extend-protocol PNum #?(:clj Number :cljs number) (twice [x] (* 2 x)))

[(twice 21) (twice 1.5)]

;;; protocol-missing-implementation-is-an-error
(defprotocol PMissing (missing [x]))

;; error: No implementation of method: :missing of protocol: #'user/PMissing found for class
(missing 42)

;;; protocol-satisfies
(defprotocol PSat (sat [x]))

(extend-type String PSat (sat [x] x))

(defrecord SatRec [] PSat (sat [x] x))

[(satisfies? PSat "a") (satisfies? PSat 1) (satisfies? PSat (->SatRec)) (satisfies? PSat nil)]

;;; protocol-extends-and-extenders
(defprotocol PExt (ext [x]))

(deftype ExtT [])

(extend-type ExtT PExt (ext [_] :t))

[(extends? PExt ExtT) (extends? PExt String) (= [ExtT] (vec (extenders PExt)))]

;;; protocol-extend-with-a-map-of-fns
(defprotocol PMapFns (mf-a [x]) (mf-b [x y]))

(deftype MapFnsT [v])

(extend MapFnsT PMapFns {:mf-a (fn [x] (.-v x)) :mf-b (fn [x y] (+ (.-v x) y))})

[(mf-a (MapFnsT. 5)) (mf-b (MapFnsT. 5) 10)]

;;; protocol-extend-map-shared-between-types
(defprotocol PShared (shared-name [x]))

(def shared-impl {:shared-name (fn [x] (str "shared " (count x)))})

(extend String PShared shared-impl)

(extend clojure.lang.PersistentVector PShared shared-impl)

[(shared-name "abc") (shared-name [1 2])]

;;; protocol-method-as-a-value
(defprotocol PVal (pval [x]))

(extend-type Long PVal (pval [x] (inc x)))

(mapv pval [1 2 3])

;;; protocol-re-extend-replaces-for-existing-instances
(defprotocol PReplace (replaced [x]))

(deftype ReplaceT [n])

(def existing (ReplaceT. 1))

(extend-type ReplaceT PReplace (replaced [x] [:v1 (.-n x)]))

(replaced existing)

(extend-type ReplaceT PReplace (replaced [x] [:v2 (.-n x)]))

(replaced existing)

;;; protocol-callers-compiled-earlier-see-new-extension
(defprotocol PLater (later [x]))

(defn call-later [x] (later x))

(extend-type String PLater (later [s] (str s "!")))

(call-later "now")

(extend-type String PLater (later [s] (str s "?")))

(call-later "now")

;;; protocol-redefined-defprotocol-gets-new-extensions
(defprotocol PRedef (redef [x]))

(extend-type String PRedef (redef [_] :old))

(defprotocol PRedef (redef [x]))

(extend-type String PRedef (redef [_] :new))

(redef "s")

;;; deftype-fields-and-constructors
(deftype Point [x y])

(def p (Point. 1 2))

[(.-x p) (.-y p) (.-x (->Point 3 4))]

;;; deftype-returns-the-class
(deftype TypeReturned [a])

;;; deftype-type-and-class
(deftype TypeOf [a])

[(= TypeOf (type (TypeOf. 1))) (= TypeOf (class (TypeOf. 1))) (instance? TypeOf (TypeOf. 1)) (instance? TypeOf 1)]

;;; deftype-type-prints-its-name
(deftype TypePrinted [a])

(type (TypePrinted. 1))

;;; deftype-implements-a-protocol
(defprotocol PArea (area [s]))

(deftype Square [side] PArea (area [_] (* side side)))

(area (Square. 4))

;;; deftype-fields-used-in-methods
(defprotocol PLen (len [s]))

(deftype Segment [from to] PLen (len [_] (- to from)))

(len (->Segment 3 10))

;;; deftype-mutable-field
(defprotocol PCounter (bump! [c]) (current [c]))

(deftype Counter [^:unsynchronized-mutable n]
  PCounter
  (bump! [_] (set! n (inc n)) n)
  (current [_] n))

(def counter (Counter. 0))

[(bump! counter) (bump! counter) (current counter)]

;;; deftype-volatile-mutable-field
(defprotocol PBox (put! [b v]) (take-out [b]))

(deftype Box [^:volatile-mutable v]
  PBox
  (put! [_ x] (set! v x))
  (take-out [_] v))

(def box (Box. nil))

(do (put! box 42) (take-out box))

;;; deftype-object-tostring
(deftype Shown [v] Object (toString [_] (str "<" v ">")))

[(str (Shown. 1)) (str "x" (Shown. 2))]

;;; deftype-object-equals-and-hashcode
(deftype Money [amount]
  Object
  (equals [_ other] (and (instance? Money other) (= amount (.-amount other))))
  (hashCode [_] (hash amount)))

[(= (Money. 5) (Money. 5)) (= (Money. 5) (Money. 6)) (= (hash (Money. 5)) (hash 5)) (count (set [(Money. 5) (Money. 5) (Money. 7)]))]

;;; deftype-without-equals-is-identity
(deftype Plain [a])

(def plain (Plain. 1))

[(= plain plain) (= plain (Plain. 1))]

;;; deftype-implements-counted-and-lookup
(deftype Bag [items]
  #?(:clj clojure.lang.Counted :cljs ICounted)
  (#?(:clj count :cljs -count) [_] (count items))
  #?(:clj clojure.lang.ILookup :cljs ILookup)
  (#?(:clj valAt :cljs -lookup) [_ k] (get items k))
  (#?(:clj valAt :cljs -lookup) [_ k not-found] (get items k not-found)))

(def bag (Bag. {:a 1 :b 2}))

[(count bag) (get bag :a) (get bag :z :none) (:b bag) (:z bag :default)]

;;; deftype-implements-seqable
(deftype Trio [a b c]
  #?(:clj clojure.lang.Seqable :cljs ISeqable)
  (#?(:clj seq :cljs -seq) [_] (list a b c)))

(def trio (Trio. 1 2 3))

[(seq trio) (first trio) (rest trio) (map inc trio) (into [] trio) (reduce + trio)]

;;; deftype-implements-ifn
(deftype Adder [n]
  #?(:clj clojure.lang.IFn :cljs IFn)
  (#?(:clj invoke :cljs -invoke) [_ x] (+ n x))
  (#?(:clj invoke :cljs -invoke) [_ x y] (+ n x y)))

(def add5 (Adder. 5))

[(add5 1) (add5 1 2) (map add5 [10 20])]

;;; deftype-implements-ideref
(deftype Const [v]
  #?(:clj clojure.lang.IDeref :cljs IDeref)
  (#?(:clj deref :cljs -deref) [_] v))

[@(Const. 7) (deref (Const. 8))]

;;; deftype-implements-indexed
(deftype Pair [a b]
  #?(:clj clojure.lang.Counted :cljs ICounted) (#?(:clj count :cljs -count) [_] 2)
  #?(:clj clojure.lang.Indexed :cljs IIndexed)
  (#?(:clj nth :cljs -nth) [_ i] (case i 0 a 1 b))
  (#?(:clj nth :cljs -nth) [_ i nf] (case i 0 a 1 b nf))
  #?(:clj clojure.lang.Seqable :cljs ISeqable) (#?(:clj seq :cljs -seq) [_] (list a b)))

(let [pr (Pair. :x :y)] [(count pr) (nth pr 1) (nth pr 5 :nf) (into [] pr) (seq pr)])

;;; deftype-redefined-is-a-new-type
(deftype Again [a])

(def old-again (Again. 1))

(deftype Again [a b])

[(instance? Again old-again) (.-b (Again. 1 2))]

;;; defrecord-returns-the-class
(defrecord RecReturned [a])

;;; defrecord-prints
(defrecord Person [name age])

(->Person "Ann" 30)

(pr-str (map->Person {:name "Bo" :age 4}))

(str (->Person "Cy" 1))

;;; defrecord-keyword-lookup-and-get
(defrecord Pt [x y])

(def pt (->Pt 1 2))

[(:x pt) (get pt :y) (get pt :z :none) (:z pt :kw-default)]

;;; defrecord-field-access
(defrecord Fielded [a b])

[(.-a (->Fielded 1 2)) (.-b (Fielded. 1 2))]

;;; defrecord-assoc-keeps-type
(defrecord Acc [a b])

(def acc (assoc (->Acc 1 2) :a 10))

[acc (record? acc) (instance? Acc acc)]

;;; defrecord-assoc-extra-key
(defrecord Extra [a])

(def extra (assoc (->Extra 1) :z 26))

[extra (:z extra) (count extra) (keys extra) (record? extra)]

;;; defrecord-dissoc-field-gives-map
(defrecord Dis [a b])

(def dis (dissoc (->Dis 1 2) :a))

[dis (record? dis) (map? dis)]

;;; defrecord-dissoc-extra-key-keeps-record
(defrecord DisExtra [a])

(def dis-extra (dissoc (assoc (->DisExtra 1) :z 2) :z))

[dis-extra (record? dis-extra)]

;;; defrecord-map-behaviour
(defrecord MapLike [a b c])

(def ml (->MapLike 1 2 3))

[(count ml) (keys ml) (vals ml) (seq ml) (contains? ml :b) (find ml :c) (into {} ml) (map? ml) (coll? ml)]

;;; defrecord-reduce-kv-and-conj
(defrecord Kv [a b])

[(reduce-kv (fn [acc k v] (conj acc [k v])) [] (->Kv 1 2)) (conj (->Kv 1 2) [:c 3]) (merge (->Kv 1 2) {:b 20})]

;;; defrecord-equality
(defrecord Eq [a])

(defrecord Eq2 [a])

[(= (->Eq 1) (->Eq 1)) (= (->Eq 1) (->Eq 2)) (= (->Eq 1) {:a 1}) (= {:a 1} (->Eq 1)) (= (->Eq 1) (->Eq2 1))]

;;; defrecord-hash
(defrecord Hashed [a])

[(= (hash (->Hashed 1)) (hash (->Hashed 1))) (count (set [(->Hashed 1) (->Hashed 1) (->Hashed 2)])) (get {(->Hashed 1) :found} (->Hashed 1))]

;;; defrecord-metadata
(defrecord Meta [a])

(def with-m (with-meta (->Meta 1) {:tag :x}))

[(meta with-m) with-m (= with-m (->Meta 1)) (meta (assoc with-m :a 2))]

;;; defrecord-map-constructor
(defrecord FromMap [a b])

[(map->FromMap {:a 1 :b 2}) (map->FromMap {:a 1}) (map->FromMap {:a 1 :b 2 :c 3})]

;;; defrecord-implements-protocol
(defprotocol PDescribe (describe [x]))

(defrecord Cat [name] PDescribe (describe [_] (str name " says meow")))

(describe (->Cat "Tom"))

;;; defrecord-this-in-methods
(defprotocol PSelf (self-keys [x]))

(defrecord SelfRec [a b] PSelf (self-keys [this] (vec (keys this))))

(self-keys (->SelfRec 1 2))

;;; defrecord-extended-later
(defprotocol PLaterRec (later-rec [x]))

(defrecord LateRec [v])

(extend-type LateRec PLaterRec (later-rec [r] (* 2 (:v r))))

(later-rec (->LateRec 21))

;;; defrecord-type-and-record-predicates
(defrecord Pred [a])

[(record? (->Pred 1)) (record? {:a 1}) (instance? Pred (->Pred 1)) (= Pred (type (->Pred 1))) (= Pred (class (->Pred 1)))]

;;; defrecord-in-collections
(defrecord Item [id])

[(sort-by :id [(->Item 3) (->Item 1) (->Item 2)]) (group-by :id [(->Item 1) (->Item 1)]) (mapv :id [(->Item 1) (->Item 2)])]

;;; defrecord-empty-is-an-error
(defrecord NoEmpty [a])

;; error: Can't create empty: user.NoEmpty
(empty (->NoEmpty 1))

;;; defrecord-redefined-is-a-new-type
(defrecord Redone [a])

(def old-redone (->Redone 1))

(defrecord Redone [a b])

[(instance? Redone old-redone) (->Redone 1 2) (= old-redone (map->Redone {:a 1}))]

;;; defrecord-redefined-with-new-protocol-impl
(defprotocol PVersion (version [x]))

(defrecord Versioned [] PVersion (version [_] 1))

(version (->Versioned))

(defrecord Versioned [] PVersion (version [_] 2))

(version (->Versioned))

;;; reify-protocol
(defprotocol PHello (hello [x]))

(def r (reify PHello (hello [_] "hello from reify")))

[(hello r) (satisfies? PHello r)]

;;; reify-closes-over-locals
(defprotocol PGet (get-it [x]))

(defn make [v] (reify PGet (get-it [_] v)))

[(get-it (make 1)) (get-it (make :two))]

;;; reify-object-tostring
(def shown (reify Object (toString [_] "I am reified")))

(str shown)

;;; reify-several-protocols
(defprotocol PA (pa [x]))

(defprotocol PB (pb [x]))

(def both (reify PA (pa [_] :a) PB (pb [_] :b)))

[(pa both) (pb both)]

;;; reify-core-protocols
(def counted (reify #?(:clj clojure.lang.Counted :cljs ICounted) (#?(:clj count :cljs -count) [_] 99)))

(count counted)

;;; multimethod-dispatch-on-keyword
(defmulti area-of :shape)

(defmethod area-of :square [{:keys [side]}] (* side side))

(defmethod area-of :rect [{:keys [w h]}] (* w h))

[(area-of {:shape :square :side 3}) (area-of {:shape :rect :w 2 :h 5})]

;;; multimethod-dispatch-on-fn
(defmulti kind (fn [x] (cond (string? x) :string (number? x) :number :else :other)))

(defmethod kind :string [x] (str "string " x))

(defmethod kind :number [x] (str "number " x))

(defmethod kind :other [_] "other")

[(kind "a") (kind 1) (kind :k)]

;;; multimethod-default
(defmulti sound :animal)

(defmethod sound :dog [_] "woof")

(defmethod sound :default [_] "...")

[(sound {:animal :dog}) (sound {:animal :fish})]

;;; multimethod-custom-default
(defmulti custom-default :k :default ::fallback)

(defmethod custom-default ::fallback [_] :fell-back)

(defmethod custom-default :a [_] :a)

[(custom-default {:k :a}) (custom-default {:k :b})]

;;; multimethod-missing-method-error
(defmulti nothing-here :k)

;; error: No method in multimethod 'nothing-here' for dispatch value: :zzz
(nothing-here {:k :zzz})

;;; multimethod-multiple-args
(defmulti combine (fn [a b] [(type a) (type b)]))

(defmethod combine [Long Long] [a b] (+ a b))

(defmethod combine [String String] [a b] (str a b))

(defmethod combine :default [a b] [a b])

[(combine 1 2) (combine "a" "b") (combine 1 "b")]

;;; multimethod-vector-dispatch-with-isa
(derive ::square ::shape)

(defmulti pair-of (fn [a b] [a b]))

(defmethod pair-of [::shape ::shape] [_ _] :two-shapes)

(pair-of ::square ::square)

;;; multimethod-hierarchy-dispatch
(derive ::dog ::animal)

(derive ::cat ::animal)

(defmulti speak identity)

(defmethod speak ::animal [_] :some-animal)

(defmethod speak ::cat [_] :meow)

[(speak ::dog) (speak ::cat) (speak ::animal)]

;;; multimethod-class-dispatch-and-isa
(defmulti by-class class)

(defmethod by-class #?(:clj Number :cljs number) [_] :number)

(defmethod by-class String [_] :string)

[(by-class 1) (by-class "s")]

;;; multimethod-own-hierarchy
(def h (-> (make-hierarchy) (derive :rect :shape) (derive :square :rect)))

(defmulti perimeter :kind :hierarchy #'h)

(defmethod perimeter :shape [_] :generic)

(defmethod perimeter :square [_] :square)

[(perimeter {:kind :square}) (perimeter {:kind :rect}) (isa? h :square :shape) (isa? :square :shape)]

;;; multimethod-methods-and-get-method
(defmulti mm :t)

(defmethod mm :a [_] 1)

(defmethod mm :b [_] 2)

[(sort (keys (methods mm))) ((get-method mm :a) {}) (get-method mm :zzz)]

;;; multimethod-get-method-uses-default-and-hierarchy
(derive ::child ::parent)

(defmulti gm identity)

(defmethod gm ::parent [_] :parent)

(defmethod gm :default [_] :default)

[((get-method gm ::child) nil) ((get-method gm :unknown) nil)]

;;; multimethod-remove-method
(defmulti rm :t)

(defmethod rm :a [_] :a)

(defmethod rm :default [_] :default)

(rm {:t :a})

(do (remove-method rm :a) nil)

(rm {:t :a})

;;; multimethod-remove-all-methods
(defmulti rma :t)

(defmethod rma :a [_] :a)

(do (remove-all-methods rma) nil)

(count (methods rma))

;; error: No method in multimethod 'rma' for dispatch value: :a
(rma {:t :a})

;;; multimethod-prefer-method
(derive ::ab ::a)

(derive ::ab ::b)

;; (def amb nil) first, so that defmulti makes a new one each run, as the
;; usual way to reset a multimethod at the REPL does
(def amb nil)

(defmulti amb identity)

(defmethod amb ::a [_] :a)

(defmethod amb ::b [_] :b)

;; error: Multiple methods in multimethod 'amb' match dispatch value: :user/ab -> :user/b and :user/a, and neither is preferred
(amb ::ab)

(do (prefer-method amb ::a ::b) nil)

(amb ::ab)

(prefers amb)

;;; multimethod-defmethod-again-replaces
(defmulti again :t)

(defmethod again :a [_] :v1)

(again {:t :a})

(defmethod again :a [_] :v2)

(again {:t :a})

;;; multimethod-defmulti-again-keeps-methods
(defmulti kept :t)

(defmethod kept :a [_] :still-here)

(defmulti kept :t)

(kept {:t :a})

;;; multimethod-callers-compiled-earlier-see-new-methods
(defmulti handle :type)

(defn dispatch-it [m] (handle m))

(defmethod handle :x [_] :x-v1)

(dispatch-it {:type :x})

(defmethod handle :x [_] :x-v2)

(defmethod handle :y [_] :y)

[(dispatch-it {:type :x}) (dispatch-it {:type :y})]

;;; multimethod-dispatch-on-records
(defrecord Circle [r])

(defrecord Rect [w h])

(defmulti rec-area type)

(defmethod rec-area Circle [c] (* 3 (:r c) (:r c)))

(defmethod rec-area Rect [r] (* (:w r) (:h r)))

[(rec-area (->Circle 2)) (rec-area (->Rect 2 3))]

;;; multimethod-multi-arity-methods
(defmulti greet-mm (fn [x & _] x))

(defmethod greet-mm :hi ([_] "hi") ([_ who] (str "hi " who)))

[(greet-mm :hi) (greet-mm :hi "you")]

;;; hierarchy-global-derive-and-isa
(derive ::lion ::cat-family)

(derive ::cat-family ::mammal)

[(isa? ::lion ::cat-family) (isa? ::lion ::mammal) (isa? ::mammal ::lion) (isa? ::lion ::lion) (isa? 1 1)]

;;; hierarchy-parents-ancestors-descendants
(derive ::poodle ::dog2)

(derive ::dog2 ::canine)

(derive ::wolf ::canine)

[(parents ::poodle) (ancestors ::poodle) (descendants ::canine) (parents ::canine)]

;;; hierarchy-make-hierarchy
(def h2 (-> (make-hierarchy) (derive :a :b) (derive :b :c) (derive :x :c)))

[(isa? h2 :a :c) (parents h2 :a) (ancestors h2 :a) (descendants h2 :c) (isa? :a :c)]

;;; hierarchy-empty
[(make-hierarchy) (parents (make-hierarchy) :a) (ancestors (make-hierarchy) :a)]

;;; hierarchy-isa-vectors
(def h3 (-> (make-hierarchy) (derive :a :b) (derive :c :d)))

[(isa? h3 [:a :c] [:b :d]) (isa? h3 [:a :c] [:b :c]) (isa? h3 [:a :c] [:b :x]) (isa? h3 [:a] [:a :b])]

;;; hierarchy-underive
(def h4 (-> (make-hierarchy) (derive :a :b) (derive :b :c)))

(def h5 (underive h4 :a :b))

[(isa? h5 :a :c) (isa? h5 :b :c) (parents h5 :a)]

;;; hierarchy-global-underive
(derive ::temp ::base)

(isa? ::temp ::base)

(do (underive ::temp ::base) nil)

(isa? ::temp ::base)

;;; hierarchy-derive-cycle-is-an-error
(def h6 (derive (make-hierarchy) :a :b))

;; error: Cyclic derivation: :a has :b as ancestor
(derive h6 :b :a)

;;; hierarchy-global-derive-needs-namespaced-keywords
;; error: Assert failed
(derive :plain :keywords)

;;; hierarchy-isa-classes
[(isa? String Object) (isa? Long Number) (isa? String Number)]

;;; hierarchy-record-types-in-hierarchy
(defrecord Dog3 [])

(derive Dog3 ::pet)

[(isa? Dog3 ::pet) (isa? (type (->Dog3)) ::pet)]

;;; multimethod-cache-follows-new-methods
(defmulti cached class)

(defmethod cached Object [_] :object)

[(cached "s") (cached "s")]

(defmethod cached String [_] :string)

[(cached "s") (cached 1)]

;;; multimethod-cache-follows-the-hierarchy
(defmulti kcached identity)

(defmethod kcached ::kc-parent [_] :parent)

(defmethod kcached :default [_] :default)

[(kcached ::kc-child) (kcached [::kc-child])]

(derive ::kc-child ::kc-parent)

[(kcached ::kc-child) (kcached [::kc-child])]

;;; print-method-prints-a-type-its-own-way
(defrecord PmPoint [x y])

(defmethod print-method PmPoint [p w] (.write w (str "#pt[" (:x p) " " (:y p) "]")))

(->PmPoint 1 2)

[(->PmPoint 1 2) {:a (->PmPoint 3 4)}]

[(pr-str (->PmPoint 5 6)) (str [(->PmPoint 7 8)])]

(defmethod print-method ::pm-tagged [x w] (.write w "TAGGED"))

(pr-str (with-meta [1] {:type ::pm-tagged}))

(pr-str [1 "a" :b])

;;; inst-is-a-protocol
[(satisfies? Inst (java.util.Date. 0)) (inst? (java.util.Date. 0)) (class (java.util.Date. 0))]

(extend-protocol Inst Long (inst-ms* [n] (* n 1000)))

[(inst? 5) (inst-ms 5)]

;;; bases-and-supers
(bases clojure.lang.ExceptionInfo)

(bases Object)

(supers Object)

(contains? (supers clojure.lang.PersistentVector) clojure.lang.IPersistentVector)

(contains? (supers clojure.lang.ExceptionInfo) Exception)

(bases nil)

;;; a-type-without-its-own-tostring-prints-as-javas-object
(deftype PlainBox [v])

(let [b (PlainBox. 1)] (= (str b) (str "user.PlainBox@" (Integer/toHexString (hash b)))))

(clojure.string/starts-with? (str (reify Object)) "user$")

(str (reify Object (toString [_] "mine")))
