;; features: cm-map
;; Map types (0x63): every allowed key type, nested maps, maps with compound
;; values, in params/results of imported and lifted functions.
(component
  (type $m-string (map string u32))
  (type $m-bool (map bool string))
  (type $m-ints (map u8 (map u16 (map u32 (map u64 string)))))
  (type $m-sints (map s8 (map s16 (map s32 (map s64 char)))))
  (type $m-char (map char (list string)))
  (type $m-opt (map string (option (tuple u8 string))))
  (import "f" (func (param "a" $m-string) (param "b" $m-bool) (param "c" $m-ints)
    (param "d" $m-sints) (param "e" $m-char) (result $m-opt)))

  (core module $m
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (func (export "count") (param i32 i32) (result i32) i32.const 0)
    (func (export "ret") (result i32) i32.const 0)
  )
  (core instance $i (instantiate $m))
  (func (export "count") (param "m" (map string u32)) (result u32)
    (canon lift (core func $i "count") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (func (export "ret") (result (map u32 string))
    (canon lift (core func $i "ret") (memory (core memory $i "memory"))))
)
