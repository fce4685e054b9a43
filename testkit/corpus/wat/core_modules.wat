;; features: none
;; Core modules embedded in a component (section 1): every core import and
;; export kind (func, table, memory, global, tag), start, data and element
;; segments, plus an imported core module and an exported core module.
(component
  ;; a module type for the imported module
  (import "lib" (core module $lib
    (export "mem" (memory 1))
    (export "tbl" (table 2 funcref))
    (export "g" (global (mut i32)))
    (export "t" (tag (param i32)))
    (export "add" (func (param i32 i32) (result i32)))
  ))

  (core module $full
    (type $binop (func (param i32 i32) (result i32)))
    (type $thrower (func (param i32)))
    (import "env" "mem" (memory 1))
    (import "env" "tbl" (table 2 funcref))
    (import "env" "g" (global $g (mut i32)))
    (import "env" "t" (tag $t (type $thrower)))
    (import "env" "add" (func $add (type $binop)))
    (memory $own 1 2)
    (table $own-tbl 1 funcref)
    (global $c i64 (i64.const 42))
    (tag $own-tag (param i64))
    (data (memory $own) (i32.const 0) "hello")
    (elem (table $own-tbl) (i32.const 0) func $run)
    (func $run
      (global.set $g (call $add (global.get $g) (i32.const 1))))
    (func $throw (param i32) (throw $t (local.get 0)))
    (start $run)
    (export "run" (func $run))
    (export "throw" (func $throw))
    (export "own-mem" (memory $own))
    (export "own-tbl" (table $own-tbl))
    (export "c" (global $c))
    (export "own-tag" (tag $own-tag))
  )

  (core module $empty)

  (core instance $l (instantiate $lib))
  (core instance $f (instantiate $full (with "env" (instance $l))))
  (core instance (instantiate $empty))

  ;; core modules can be exported from a component
  (export "full" (core module $full))
  (export "empty" (core module $empty))
)
