;; features: none
;; Core instances (section 2): `instantiate` with several named arguments,
;; and bags of inline exports covering every core sort (func, table, memory,
;; global, tag), built from aliases of other core instances.
(component
  (core module $provider
    (func (export "f") (param i32) (result i32) local.get 0)
    (table (export "tbl") 1 funcref)
    (memory (export "mem") 1)
    (global (export "glob") i32 (i32.const 7))
    (global (export "mut-glob") (mut f64) (f64.const 1.5))
    (tag (export "tag") (param i32))
  )
  (core instance $p (instantiate $provider))

  ;; inline exports, referring to aliased items inline
  (core instance $bag (export "f" (func $p "f"))
                      (export "tbl" (table $p "tbl"))
                      (export "mem" (memory $p "mem"))
                      (export "glob" (global $p "glob"))
                      (export "mut-glob" (global $p "mut-glob"))
                      (export "tag" (tag $p "tag")))

  ;; an empty bag of exports
  (core instance $nothing)

  (core module $consumer
    (import "a" "f" (func (param i32) (result i32)))
    (import "a" "tbl" (table 1 funcref))
    (import "a" "mem" (memory 1))
    (import "a" "glob" (global i32))
    (import "a" "mut-glob" (global (mut f64)))
    (import "a" "tag" (tag (param i32)))
    (import "b" "mem" (memory 0))
  )
  ;; several instantiation arguments, one of them an inline-export instance
  (core instance (instantiate $consumer
    (with "a" (instance $bag))
    (with "b" (instance (export "mem" (memory $p "mem"))))
  ))
  ;; instantiating the same module twice
  (core instance $p2 (instantiate $provider))
  (core instance (instantiate $consumer
    (with "a" (instance $p2))
    (with "b" (instance $p))
  ))
)
