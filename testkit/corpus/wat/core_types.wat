;; features: none
;; Core type section (section 3): plain function types, module types with
;; type declarations, imports of every kind, exports of every kind and outer
;; aliases of core types; core types declared inside component and instance
;; types.
(component $root
  (core type $nullary (func))
  (core type $binop (func (param i32 i32) (result i32)))
  (core type $multi (func (param i64 f32 f64 v128) (result i32 i64)))
  (core type $refs (func (param funcref externref) (result externref)))

  (core type $empty-module (module))
  (core type $module (module
    (type $t (func (param i32) (result i32)))
    (alias outer $root $binop (type $b))
    (import "env" "f" (func (type $t)))
    (import "env" "g" (func (type $b)))
    (import "env" "mem" (memory 1 2))
    (import "env" "tbl" (table 1 10 funcref))
    (import "env" "glob" (global (mut i64)))
    (import "env" "tag" (tag (param i32)))
    (export "run" (func (type $t)))
    (export "memory" (memory 1))
    (export "table" (table 0 externref))
    (export "const" (global f32))
    (export "exn" (tag))
  ))

  ;; a component type and an instance type that declare core types
  (type (component
    (core type $ft (func (param i32)))
    (core type $mt (module (import "x" "y" (func (param i32)))))
    (import "m" (core module (type $mt)))
    (export "m2" (core module (type $mt)))
  ))
  (type (instance
    (core type $mt (module (export "f" (func))))
    (export "m" (core module (type $mt)))
  ))

  ;; use a module type for an import, and alias a core type from outside
  (import "impl" (core module (type $module)))
  (component
    (alias outer $root $module (core type $outer-module))
    (alias outer $root $nullary (core type $outer-func))
    (core type (module (alias outer 1 $outer-func (type))))
    (import "m" (core module (type $outer-module)))
  )
)
