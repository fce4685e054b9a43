(component
  ;; exports a module whose table and memory are larger than the consumer asks for, that
  ;; imports a smaller table than the consumer offers, and that exports more than needed
  (core module $m
    (import "" "t" (table 1 funcref))
    (table (export "x") 2 10 funcref)
    (memory (export "mem") 2 3)
    (func (export "extra")))
  (export "m" (core module $m))
)
