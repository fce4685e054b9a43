;; features: cm-async,cm-error-context
;; error-context built-ins: error-context.new and
;; error-context.debug-message with each string encoding (they take
;; memory/realloc options), error-context.drop; the `error-context` type in
;; a lifted function signature and in stream/future payloads.
(component
  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
  )
  (core instance $libc (instantiate $libc))
  (core func $new8 (canon error-context.new (memory (core memory $libc "memory"))))
  (core func $new16 (canon error-context.new string-encoding=utf16 (memory (core memory $libc "memory"))))
  (core func $new-latin1 (canon error-context.new string-encoding=latin1+utf16 (memory (core memory $libc "memory"))))
  (core func $msg (canon error-context.debug-message (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $msg16 (canon error-context.debug-message string-encoding=utf16 (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $drop (canon error-context.drop))
  (type $ec-stream (stream error-context))
  (type $ec-future (future error-context))
  (core func (canon stream.new $ec-stream))
  (core func (canon future.new $ec-future))

  (core module $m
    (import "" "new" (func (param i32 i32) (result i32)))
    (import "" "msg" (func (param i32 i32)))
    (import "" "drop" (func (param i32)))
    (func (export "fail") (result i32) i32.const 0)
  )
  (core instance $i (instantiate $m (with "" (instance
    (export "new" (func $new8)) (export "msg" (func $msg)) (export "drop" (func $drop))))))
  (func (export "fail") (result error-context) (canon lift (core func $i "fail")))
)
