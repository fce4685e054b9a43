;; features: none
;; Resources end to end: a locally defined resource with a destructor and
;; one without, `resource.new`, `resource.rep`, `resource.drop` for both a
;; local and an imported resource, lifted `[constructor]`, `[method]` and
;; `[static]` functions taking/returning own and borrow handles, an imported
;; resource with its methods lowered.
(component
  (import "host-res" (type $host-res (sub resource)))
  (import "[constructor]host-res" (func $host-new (param "seed" u32) (result (own $host-res))))
  (import "[method]host-res.get" (func $host-get (param "self" (borrow $host-res)) (result u32)))
  (import "[static]host-res.make-default" (func $host-default (result (own $host-res))))

  (core module $impl
    (import "rt" "new" (func $new (param i32) (result i32)))
    (import "rt" "rep" (func $rep (param i32) (result i32)))
    (import "rt" "drop" (func $drop (param i32)))
    (import "rt" "host-drop" (func $host-drop (param i32)))
    (import "rt" "host-new" (func $host-new (param i32) (result i32)))
    (import "rt" "host-get" (func $host-get (param i32) (result i32)))
    (func (export "dtor") (param i32))
    (func (export "ctor") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "value") (param i32) (result i32) (local.get 0))
    (func (export "consume") (param i32 i32) (call $drop (local.get 1)))
    (func (export "create") (result i32) (call $new (i32.const 0)))
    (func (export "peek") (param i32) (result i32) (call $rep (local.get 0)))
    (func (export "host-roundtrip") (param i32) (result i32)
      (call $host-get (local.get 0)))
  )
  (core module $dtor-mod (func (export "dtor") (param i32)))
  (core instance $dtor-inst (instantiate $dtor-mod))

  (type $counter (resource (rep i32) (dtor (core func $dtor-inst "dtor"))))
  (type $token (resource (rep i32)))

  (core func $new (canon resource.new $counter))
  (core func $rep (canon resource.rep $counter))
  (core func $drop (canon resource.drop $counter))
  (core func $token-new (canon resource.new $token))
  (core func $token-drop (canon resource.drop $token))
  (core func $host-drop (canon resource.drop $host-res))
  (core func $host-new-lowered (canon lower (func $host-new)))
  (core func $host-get-lowered (canon lower (func $host-get)))
  (core func $host-default-lowered (canon lower (func $host-default)))

  (core instance $i (instantiate $impl (with "rt" (instance
    (export "new" (func $new))
    (export "rep" (func $rep))
    (export "drop" (func $drop))
    (export "host-drop" (func $host-drop))
    (export "host-new" (func $host-new-lowered))
    (export "host-get" (func $host-get-lowered))
  ))))

  (export $counter-out "counter" (type $counter))
  (func $ctor (export "[constructor]counter") (param "start" u32) (result (own $counter-out))
    (canon lift (core func $i "ctor")))
  (func $value (export "[method]counter.value") (param "self" (borrow $counter-out)) (result u32)
    (canon lift (core func $i "value")))
  (func (export "[method]counter.consume") (param "self" (borrow $counter-out)) (param "other" (own $counter-out))
    (canon lift (core func $i "consume")))
  (func (export "[static]counter.create") (result (own $counter-out))
    (canon lift (core func $i "create")))
  (func (export "peek") (param "c" (borrow $counter-out)) (result u32)
    (canon lift (core func $i "peek")))
  (func (export "host-roundtrip") (param "h" (borrow $host-res)) (result u32)
    (canon lift (core func $i "host-roundtrip")))

)
