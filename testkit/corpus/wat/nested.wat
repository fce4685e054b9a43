;; features: none
;; Nested components (section 4) five levels deep. Inner components pull
;; types, core modules and components from enclosing scopes with outer
;; aliases (counts 1..4), instantiate each other, and re-export results
;; level by level up to the root.
(component $l0
  (type $greet (func (param "name" string) (result string)))
  (core module $shared-mod (func (export "nop")))
  (component $leaf (import "f" (func (param "x" u32))))

  (component $l1
    (alias outer $l0 $greet (type $greet1))
    (import "greet" (func $g (type $greet1)))
    (component $l2
      (alias outer $l1 $greet1 (type $greet2))
      (import "greet" (func $g (type $greet2)))
      (component $l3
        (alias outer $l0 $greet (type $greet3))
        (alias outer $l0 $shared-mod (core module $m3))
        (alias outer $l0 $leaf (component $leaf3))
        (import "greet" (func $g (type $greet3)))
        (component $l4
          (alias outer $l0 $greet (type $greet4))
          (alias outer $l3 $greet3 (type $same))
          (import "greet" (func $g (type $same)))
          (core module $deepest (func (export "deep")))
          (core instance (instantiate $deepest))
          (export "greet" (func $g) (func (type $greet4)))
        )
        (core instance (instantiate $m3))
        (instance $i4 (instantiate $l4 (with "greet" (func $g))))
        (export "greet" (func $i4 "greet"))
        (export "leaf" (component $leaf3))
      )
      (instance $i3 (instantiate $l3 (with "greet" (func $g))))
      (export "greet" (func $i3 "greet"))
      (export "leaf" (component $i3 "leaf"))
    )
    (instance $i2 (instantiate $l2 (with "greet" (func $g))))
    (export "greet" (func $i2 "greet"))
  )

  (import "host-greet" (func $host (type $greet)))
  (instance $i1 (instantiate $l1 (with "greet" (func $host))))
  (export "greet" (func $i1 "greet"))
  (export "l1" (component $l1))
)
