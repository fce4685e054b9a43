;; features: none
;; A component whose `$id`s make `wasm-tools parse` emit a
;; `component-name` custom section: the component's own name plus name maps
;; for every sort that has an index space (core func, core table, core
;; memory, core global, core tag, core type, core module, core instance,
;; func, type, component, instance), and a nested component with its own
;; name section. The core module also gets a core `name` section.
(component $named-root
  (core type $core-fn-type (func (param i32)))
  (core module $core-mod
    (func $inner-func (export "f") (param $p i32) (local $l i32))
    (table $inner-table (export "t") 1 funcref)
    (memory $inner-memory (export "m") 1)
    (global $inner-global (export "g") i32 (i32.const 0))
    (tag $inner-tag (export "e"))
  )
  (core instance $core-inst (instantiate $core-mod))
  (alias core export $core-inst "f" (core func $core-f))
  (alias core export $core-inst "t" (core table $core-t))
  (alias core export $core-inst "m" (core memory $core-m))
  (alias core export $core-inst "g" (core global $core-g))
  (alias core export $core-inst "e" (core tag $core-e))

  (type $func-type (func (param "x" u32)))
  (type $rec-type (record (field "a" u32)))
  (import "imported-func" (func $imported-func (type $func-type)))
  (import "imported-inst" (instance $imported-inst))
  (import "nullary" (func $nullary))
  (component $child-comp
    (import "x" (func $child-import))
    (type $child-type u8)
  )
  (instance $child-inst (instantiate $child-comp (with "x" (func $nullary))))
  (func $lifted (type $func-type) (canon lift (core func $core-f)))
  (core func $lowered (canon lower (func $imported-func)))
  (export $exported-func "exported" (func $lifted))
)
