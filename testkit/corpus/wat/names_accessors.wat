;; features: cm-accessors
;; Getter/setter ("accessor") name annotations: freestanding [get]p and
;; [set]p, resource [method][get]r.p / [method][set]r.p and
;; [static][get]r.p / [static][set]r.p, including setters and getters that
;; return a `result`, on imports, in an instance type and on lifted exports.
(component
  (import "[get]volume" (func (result u32)))
  (import "[set]volume" (func (param "value" u32)))
  (import "[get]mode" (func (result (result string (error u8)))))
  (import "[set]mode" (func (param "value" string) (result (result (error u8)))))
  (import "[get]read-only" (func (result bool)))

  (import "widget" (type $w (sub resource)))
  (import "[method][get]widget.size" (func (param "self" (borrow $w)) (result u64)))
  (import "[method][set]widget.size" (func (param "self" (borrow $w)) (param "value" u64)))
  (import "[static][get]widget.count" (func (result u32)))
  (import "[static][set]widget.count" (func (param "value" u32)))

  (type (instance
    (export "thing" (type $t (sub resource)))
    (export "[method][get]thing.label" (func (param "self" (borrow $t)) (result string)))
    (export "[method][set]thing.label" (func (param "self" (borrow $t)) (param "value" string)))
    (export "[get]global-flag" (func (result bool)))
  ))

  (core module $m
    (func (export "get") (result i32) i32.const 1)
    (func (export "set") (param i32))
  )
  (core instance $i (instantiate $m))
  (func (export "[get]level") (result u32) (canon lift (core func $i "get")))
  (func (export "[set]level") (param "value" u32) (canon lift (core func $i "set")))
)
