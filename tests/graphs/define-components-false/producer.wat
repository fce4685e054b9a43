(component
  (import "log" (func $log))
  (import "cfg" (instance))
  (import "merged" (instance
    (export "a" (func))
    (export "b" (func))
  ))
  (export "run" (func $log))
)
