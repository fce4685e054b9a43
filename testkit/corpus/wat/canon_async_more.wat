;; features: cm-async,cm-async-stackful,cm-more-async-builtins
;; The stackful async ABI (`async` lift without a `callback`), for functions
;; with no params/results, scalar params/results and string params, plus
;; the "more async built-ins" forms: `subtask.cancel async`, synchronous
;; stream/future read and write, and `async` stream/future cancels.
(component
  (core module $m
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (func (export "nullary"))
    (func (export "scalar") (param i32))
    (func (export "strings") (param f32 i32 i32))
  )
  (core instance $i (instantiate $m))
  (func (export "nullary") async
    (canon lift (core func $i "nullary") async))
  (func (export "scalar") async (param "x" u32) (result u32)
    (canon lift (core func $i "scalar") async))
  (func (export "strings") async (param "x" f32) (param "s" string) (result string)
    (canon lift (core func $i "strings") async
      (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (core func $cancel-async (canon subtask.cancel async))
  (core module $user (import "" "cancel" (func (param i32) (result i32))))
  (core instance (instantiate $user (with "" (instance (export "cancel" (func $cancel-async))))))

  (type $s (stream u8))
  (type $f (future string))
  (type $s0 (stream))
  (type $f0 (future))
  (core func (canon stream.read $s (memory (core memory $i "memory"))))
  (core func (canon stream.write $s (memory (core memory $i "memory"))))
  (core func (canon stream.cancel-read $s async))
  (core func (canon stream.cancel-write $s async))
  (core func (canon future.read $f (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (core func (canon future.write $f (memory (core memory $i "memory"))))
  (core func (canon future.cancel-read $f async))
  (core func (canon future.cancel-write $f async))
  (core func (canon stream.read $s0))
  (core func (canon stream.write $s0))
  (core func (canon future.read $f0))
  (core func (canon future.write $f0))
)
