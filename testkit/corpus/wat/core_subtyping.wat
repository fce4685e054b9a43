;; features: none
(component
  ;; module arguments are checked by subtyping: imports may need less, exports may give more
  (core module $tables
    (import "" "t" (table 1 funcref))
    (table (export "x") 2 10 funcref))
  (core module $memories
    (import "" "m" (memory 1))
    (memory (export "x") 2 3))
  (core module $fewer (func (export "f")) (global (export "g") i32 (i32.const 0)))
  (component $user
    (import "tables" (core module
      (import "" "t" (table 2 funcref))
      (export "x" (table 1 funcref))))
    (import "memories" (core module
      (import "" "m" (memory 2 5))
      (export "x" (memory 1 4))))
    (import "fewer" (core module
      (import "" "unused" (func))
      (export "f" (func)))))
  (instance (instantiate $user
    (with "tables" (core module $tables))
    (with "memories" (core module $memories))
    (with "fewer" (core module $fewer))))
)
