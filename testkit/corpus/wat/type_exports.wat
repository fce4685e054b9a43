;; features: none
(component
  ;; types of every kind named by exports: a WIT package encoded as a component does this
  (type $f (func (param "x" u32) (result string)))
  (type $i (instance
    (export "r" (type (sub resource)))
    (export "g" (func (param "x" u32)))))
  (type $c (component
    (import "h" (func))
    (export "k" (func))))
  ;; imports bounded by such types: `(eq)` of a function, instance and component type
  (import "imported-f" (type $if (eq $f)))
  (import "imported-i" (type (eq $i)))
  (import "imported-c" (type (eq $c)))
  ;; an imported function typed by the imported type
  (import "call" (func (type $if)))
  (export "f-type" (type $f))
  (export "i-type" (type $i))
  (export "c-type" (type $c))
  ;; a nested component exporting a type, instantiated and its type aliased out
  (component $inner
    (type $t (func (result u8)))
    (export "t" (type $t)))
  (instance $n (instantiate $inner))
  (alias export $n "t" (type $t))
  (export "t-again" (type $t))
)
