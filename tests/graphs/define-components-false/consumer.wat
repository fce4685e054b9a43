(component
  (import "run" (func $run))
  (import "env" (instance))
  (import "merged" (instance
    (export "a" (func))
    (export "c" (func (param "n" u32)))
  ))
  (export "go" (func $run))
)
