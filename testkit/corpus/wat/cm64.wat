;; features: cm-async,cm64
;; The 64-bit canonical ABI: lift/lower against an i64 memory with an i64
;; realloc (strings and lists), a resource represented as i64 with an i64
;; destructor, context.get/context.set on an i64 slot and waitable-set.wait
;; on an i64 memory.
(component
  (import "log" (func $log (param "msg" string) (result (list u8))))
  (core module $m
    (memory (export "memory") i64 1)
    (func (export "realloc") (param i64 i64 i64 i64) (result i64) i64.const 0)
    (func (export "echo") (param i64 i64) (result i64) i64.const 0)
    (func (export "dtor") (param i64))
  )
  (core instance $m (instantiate $m))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") (memory (core memory $m "memory")) (realloc (core func $m "realloc"))))
  (core func $log-l (canon lower (func $log) (memory (core memory $m "memory")) (realloc (core func $m "realloc"))))

  (type $big (resource (rep i64) (dtor (core func $m "dtor"))))
  (core func $new (canon resource.new $big))
  (core func $rep (canon resource.rep $big))
  (core func $drop (canon resource.drop $big))
  (core func $get (canon context.get i64 0))
  (core func $set (canon context.set i64 0))
  (core func $wait (canon waitable-set.wait (memory (core memory $m "memory"))))

  (core module $user
    (import "" "log" (func (param i64 i64 i64)))
    (import "" "new" (func (param i64) (result i32)))
    (import "" "rep" (func (param i32) (result i64)))
    (import "" "drop" (func (param i32)))
    (import "" "get" (func (result i64)))
    (import "" "set" (func (param i64)))
    (import "" "wait" (func (param i32 i64) (result i32)))
  )
  (core instance (instantiate $user (with "" (instance
    (export "log" (func $log-l))
    (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))
    (export "get" (func $get)) (export "set" (func $set)) (export "wait" (func $wait))))))
)
