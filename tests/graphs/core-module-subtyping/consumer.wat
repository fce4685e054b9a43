(component
  (import "m" (core module
    (import "" "t" (table 2 funcref))
    (export "x" (table 1 funcref))
    (export "mem" (memory 1 4))))
)
