;; features: gc,cm-gc
;; The GC variant of the canonical ABI: `canon lower` with the `gc` option
;; and an explicit `(core-type ...)` (a plain func type, a type inside a rec
;; group, a subtype), lowering strings, lists and records to GC arrays and
;; structs; `canon lift` with the `gc` option.
(component
  (import "add" (func $add (param "x" u32) (param "y" u32) (result u32)))
  (type $rec' (record (field "a" u8) (field "name" string)))
  (import "i" (instance $i
    (export "rec" (type $rec (eq $rec')))
    (export "take-rec" (func (param "r" $rec)))
    (export "take-list" (func (param "l" (list string))))
  ))

  (core type $add-ty (func (param i32 i32) (result i32)))
  (core func (canon lower (func $add) gc (core-type $add-ty)))

  (core rec
    (type (func))
    (type $add-rec (func (param i32 i32) (result i32)))
  )
  (core func (canon lower (func $add) gc (core-type $add-rec)))

  (core type $super (sub (func (param i32 i32) (result i32))))
  (core type $sub (sub $super (func (param i32 i32) (result i32))))
  (core func (canon lower (func $add) gc (core-type $sub)))

  (core type $string (array i8))
  (core type $rec-struct (struct (field i8) (field (ref $string))))
  (core type $take-rec-ty (func (param (ref $rec-struct))))
  (core func (canon lower (func $i "take-rec") gc string-encoding=utf8 (core-type $take-rec-ty)))
  (core type $strings (array (ref $string)))
  (core type $take-list-ty (func (param (ref $strings))))
  (core func (canon lower (func $i "take-list") gc (core-type $take-list-ty) string-encoding=utf8))

  (core module $m (func (export "f")) (func (export "g") (param i32) (result i32) local.get 0))
  (core instance $mi (instantiate $m))
  (func (export "f") (canon lift (core func $mi "f") gc))
  (func (export "g") (param "x" u32) (result u32) (canon lift (core func $mi "g") gc))
)
