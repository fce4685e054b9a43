;; features: none
;; Function, component, instance and resource type definitions (section 7):
;;  * func types: no params/no result, named params, a single result,
;;    many params, compound params and results;
;;  * instance types: exported funcs, type declarations, type exports with
;;    `(sub resource)` and `(eq i)` bounds, nested instance/component/core
;;    module exports, export aliases and outer aliases;
;;  * component types: imports and exports of every extern kind, core type
;;    declarations, type declarations and aliases;
;;  * resource types with and without a destructor; own/borrow of them.
(component $top
  (type $f0 (func))
  (type $f1 (func (param "a" u32)))
  (type $f2 (func (result string)))
  (type $f3 (func (param "first" u32) (param "second-arg" (list string)) (param "third" (option u8)) (result (tuple u8 u8))))
  (type $fmany (func (param "p0" u8) (param "p1" u8) (param "p2" u8) (param "p3" u8) (param "p4" u8)
    (param "p5" u8) (param "p6" u8) (param "p7" u8) (param "p8" u8) (param "p9" u8)
    (param "p10" u8) (param "p11" u8) (param "p12" u8) (param "p13" u8) (param "p14" u8)
    (param "p15" u8) (param "p16" u8) (param "p17" u8) (result (list u64))))

  (type $empty-instance (instance))
  (type $instance (instance
    (type $pt (record (field "x" s32) (field "y" s32)))
    (export "point" (type $point (eq $pt)))
    (export "handle" (type $handle (sub resource)))
    (export "move" (func (param "p" $point) (param "h" (borrow $handle)) (result $point)))
    (export "make" (func (result (own $handle))))
    (export "sub-instance" (instance (export "nested-type" (type (sub resource)))))
    (alias export 0 "nested-type" (type $nested))
    (export "use-nested" (func (param "n" (borrow $nested))))
    (export "sub-component" (component (import "x" (func))))
    (core type $mt (module (export "m" (memory 1))))
    (export "sub-module" (core module (type $mt)))
    (alias outer $top $f3 (type $outer-f3))
    (export "outer-typed" (func (type $outer-f3)))
  ))

  (type $empty-component (component))
  (type $component (component
    (core type $cmt (module (import "a" "b" (func))))
    (type $t (list u8))
    (import "func" (func (param "bytes" $t)))
    (import "res" (type $r (sub resource)))
    (import "inst" (instance $inst (type $instance)))
    (alias export $inst "point" (type $inst-point))
    (import "comp" (component (import "z" (func))))
    (import "mod" (core module (type $cmt)))
    (import "typed" (type $typed (eq $t)))
    (export "out-func" (func (param "p" $inst-point) (param "r" (own $r)) (result $typed)))
    (export "out-res" (type (sub resource)))
    (export "out-inst" (instance (type $empty-instance)))
    (export "out-comp" (component (type $empty-component)))
    (export "out-mod" (core module (type $cmt)))
  ))

  (core module $dtors
    (func (export "dtor") (param i32))
  )
  (core instance $d (instantiate $dtors))
  (type $res-plain (resource (rep i32)))
  (type $res-dtor (resource (rep i32) (dtor (core func $d "dtor"))))
  (type $own-plain (own $res-plain))
  (type $borrow-dtor (borrow $res-dtor))

  (import "i" (instance (type $instance)))
  (import "c" (component (type $component)))
  (import "fns" (instance
    (export "f0" (func (type $f0)))
    (export "f1" (func (type $f1)))
    (export "f2" (func (type $f2)))
    (export "f3" (func (type $f3)))
    (export "fmany" (func (type $fmany)))
  ))
  (export "plain" (type $res-plain))
  (export "with-dtor" (type $res-dtor))
)
