;; features: none
;; Component instances (section 5): `instantiate` with arguments of every
;; non-value sort (func, type, component, instance, core module) and inline
;; export bags of every non-value sort; instantiating imported and locally
;; defined components.
(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (import "res" (type $res (sub resource)))
  (import "c" (component $imported-c (export "g" (func))))
  (import "i" (instance $imported-i (export "h" (func))))
  (import "m" (core module $m (export "x" (func))))
  (type $rec (record (field "a" u8) (field "b" string)))

  (component $takes-everything
    (import "f" (func (param "x" u32) (result u32)))
    (import "res" (type $r (sub resource)))
    (type $inner-rec (record (field "a" u8) (field "b" string)))
    (import "rec" (type (eq $inner-rec)))
    (import "c" (component (export "g" (func))))
    (import "i" (instance (export "h" (func))))
    (import "m" (core module (export "x" (func))))
    (import "take-own" (func (param "r" (own $r))))
  )
  (import "take-own" (func $take-own (param "r" (own $res))))

  ;; instantiate with every sort of argument
  (instance $all (instantiate $takes-everything
    (with "f" (func $f))
    (with "res" (type $res))
    (with "rec" (type $rec))
    (with "c" (component $imported-c))
    (with "i" (instance $imported-i))
    (with "m" (core module $m))
    (with "take-own" (func $take-own))
  ))

  ;; instantiate an imported component (no arguments)
  (instance $from-import (instantiate $imported-c))

  ;; inline export bags
  (instance $bag
    (export "f" (func $f))
    (export "rec" (type $rec))
    (export "c" (component $imported-c))
    (export "i" (instance $imported-i))
    (export "m" (core module $m))
    (export "g" (func $from-import "g"))
  )
  (instance $empty)
  (instance $nested-bag (export "inner" (instance $bag)) (export "empty" (instance $empty)))

  (export "bag" (instance $bag))
  (export "nested" (instance $nested-bag))
  (export "all" (instance $all))
)
