;; features: none
;; Exports carrying an explicit extern type (the optional `externtype` of
;; the export production) for every non-value sort: func, type (eq bounds on
;; a record and on a resource), component, instance and core module,
;; including ascriptions that are proper supertypes (an instance type with
;; fewer exports, a module type with fewer exports).
(component
  (import "f" (func $f (param "x" string) (result u32)))
  (import "i" (instance $i
    (export "a" (func))
    (export "b" (func (param "x" u32)))
  ))
  (import "r" (type $r (sub resource)))
  (type $rec' (record (field "x" u32)))
  (import "rec" (type $rec (eq $rec')))
  (component $c (import "x" (func)))
  (core module $m
    (func (export "one"))
    (func (export "two") (param i32))
    (memory (export "mem") 1)
  )

  (export "f-out" (func $f) (func (param "x" string) (result u32)))
  (export "i-out" (instance $i) (instance (export "a" (func))))
  (export "i-exact" (instance $i) (instance (export "a" (func)) (export "b" (func (param "x" u32)))))
  (export "r-out" (type $r) (type (eq $r)))
  (export "rec-out" (type $rec) (type (eq $rec)))
  (export "c-out" (component $c) (component (import "x" (func))))
  (export "m-out" (core module $m) (core module (export "one" (func))))
  (export "m-exact" (core module $m) (core module
    (export "one" (func))
    (export "two" (func (param i32)))
    (export "mem" (memory 1))))
)
