;; features: cm-values
;; Component-level values (gated by cm-values): value imports of primitive
;; and compound types, value exports, value exports through instances and
;; export aliases, values as instantiation arguments and inline instance
;; exports, and the start section (section 9) with argument values and a
;; result value. wasm-tools 1.262 has no text or binary support for the value
;; definition section (section 12) nor for `(eq v)` value bounds, and it
;; encodes a value extern type as 0x02 followed directly by the valtype
;; (no valuebound byte).
(component
  (import "name" (value $name string))
  (import "count" (value $count u32))
  (type $pair (tuple u32 string))
  (import "pair" (value $pair-v (type $pair)))
  (import "pair2" (value $pair-v2 (type $pair)))
  (import "cfg" (instance $cfg (export "v" (value s64))))
  (alias export $cfg "v" (value $cfg-v))

  (import "libc" (core module $Libc
    (export "memory" (memory 1))
    (export "realloc" (func (param i32 i32 i32 i32) (result i32)))
  ))
  (core instance $libc (instantiate $Libc))
  (core module $Main
    (func (export "start") (param i32 i32 i32) (result i32) i32.const 0)
  )
  (core instance $main (instantiate $Main))
  (func $start (param "name" string) (param "count" u32) (result string)
    (canon lift (core func $main "start")
      (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc"))))
  (start $start (value $name) (value $count) (result (value $greeting)))

  (component $consumer
    (import "in" (value $in (tuple u32 string)))
    (import "same" (value $same (tuple u32 string)))
    (export "out" (value $same))
    (export "in-again" (value $in))
  )
  (instance $c (instantiate $consumer (with "in" (value $pair-v)) (with "same" (value $pair-v2))))

  (instance $bag (export "v" (value $cfg-v)))
  (export "greeting" (value $greeting))
  (export "from-instance" (value $c "out"))
  (export "bag" (instance $bag))
)
