;; features: cm-fixed-length-lists
;; Fixed-length lists (0x67): lengths 1, 4 and a large length, nested
;; fixed-length lists, fixed-length lists of compound types, in parameters
;; and results of imported and lifted functions.
(component
  (type $one (list u8 1))
  (type $vec4 (list f32 4))
  (type $mat4 (list (list f32 4) 4))
  (type $big (list u8 65536))
  (type $strings (list string 3))
  (type $mixed (tuple (list u32 2) (list (list bool 2) 3)))
  (import "use" (func (param "a" $one) (param "b" $vec4) (param "c" $mat4) (param "d" $strings) (result $mixed)))
  (import "big" (func (param "x" $big)))

  (core module $m
    (memory (export "memory") 1)
    (func (export "sum") (param f32 f32 f32 f32) (result f32) local.get 0)
    (func (export "ret") (result i32) i32.const 0)
  )
  (core instance $i (instantiate $m))
  (func (export "sum") (param "v" $vec4) (result f32)
    (canon lift (core func $i "sum")))
  (func (export "ret") (result (list u32 8))
    (canon lift (core func $i "ret") (memory (core memory $i "memory"))))
)
