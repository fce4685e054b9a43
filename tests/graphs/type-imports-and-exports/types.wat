(component
  ;; a function type, an instance type and a component type named by type imports (eq bounds)
  (type $f (func (param "x" u32) (result string)))
  (type $i (instance (export "g" (func)) (export "n" (type (eq 0)))))
  (import "f" (type $if (eq $f)))
  (import "i" (type (eq $i)))
  (import "call" (func $call (type $if)))
  ;; and exported as items, as a WIT package encoded as a component exports its interfaces
  (type $c (component (import "h" (func)) (export "k" (func))))
  (export "f-type" (type $f))
  (export "i-type" (type $i))
  (export "c-type" (type $c))
  (export "call-again" (func $call))
)
