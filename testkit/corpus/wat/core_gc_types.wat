;; features: gc
;; GC-proposal core types in a component's core type section: struct and
;; array types, final and non-final subtypes (the 0x00 0x50 prefixed form),
;; explicit `sub final`, supertypes, recursion groups (empty, singleton and
;; mutually recursive), module types that contain GC types, and GC core
;; types declared inside component and instance types.
(component $c
  (core type $point (struct (field $x i32) (field $y (mut i32))))
  (core type $bytes (array (mut i8)))
  (core type $packed (struct (field i8) (field i16) (field (mut i64))))
  (core type $refs (struct (field (ref $point)) (field (ref null $bytes)) (field anyref) (field i31ref)))
  (core type $open (sub (struct (field i32))))
  (core type $closed (sub final $open (struct (field i32) (field f32))))
  (core type $child (sub $open (struct (field i32) (field i64))))
  (core type $selfref (func (result (ref $selfref))))
  (core rec)
  (core rec (type $only (struct)))
  (core rec
    (type $even (func (param i32) (result (ref null $odd))))
    (type $odd (func (param i32) (result (ref null $even))))
  )
  (core type (module
    (alias outer $c $point (type $p))
    (rec (type $node (struct (field (ref null $node)) (field (ref $p)))))
    (type $list (array (ref null $node)))
    (import "env" "make" (func (result (ref $list))))
    (export "head" (func (param (ref $list)) (result (ref null $node))))
  ))
  (type (component
    (core type $st (struct (field i32)))
    (core type (struct (field (ref null $st))))
    (core type $sub-in-type (sub (array i32)))
    (core type (module (import "x" "y" (func (result anyref)))))
  ))
  (type (instance
    (core type (sub final (func)))
  ))
  (core module $m
    (type $pt (struct (field i32) (field (mut i32))))
    (func (export "new") (result (ref $pt))
      (struct.new $pt (i32.const 1) (i32.const 2)))
  )
  (core instance (instantiate $m))
)
