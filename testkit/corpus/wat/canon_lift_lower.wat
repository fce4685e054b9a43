;; features: none
;; Synchronous `canon lift` and `canon lower` (section 8) with every
;; synchronous canonical option: no options at all, each string encoding
;; (utf8, utf16, latin1+utf16, plus the implicit default), `memory`,
;; `realloc`, `post-return`, and options in different orders. Results wider
;; than one core value go through a return area (lift returns a pointer,
;; lower takes an out-pointer).
(component
  (import "log" (func $log (param "msg" string)))
  (import "fetch" (func $fetch (param "key" string) (result (list u8))))
  (import "add" (func $add (param "a" u32) (param "b" u32) (result u32)))
  (import "pair" (func $pair (result (tuple u64 string))))

  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  )
  (core instance $libc (instantiate $libc))

  ;; lowering: no options, memory only, memory+realloc, every encoding
  (core func $add-l (canon lower (func $add)))
  (core func $log-utf8 (canon lower (func $log) (memory (core memory $libc "memory"))))
  (core func $log-utf8-explicit (canon lower (func $log) string-encoding=utf8 (memory (core memory $libc "memory"))))
  (core func $log-utf16 (canon lower (func $log) string-encoding=utf16 (memory (core memory $libc "memory"))))
  (core func $log-latin1 (canon lower (func $log) (memory (core memory $libc "memory")) string-encoding=latin1+utf16))
  (core func $fetch-l (canon lower (func $fetch) (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $pair-l (canon lower (func $pair) (realloc (core func $libc "realloc")) string-encoding=utf16 (memory (core memory $libc "memory"))))

  (core module $main
    (import "host" "add" (func (param i32 i32) (result i32)))
    (import "host" "log8" (func (param i32 i32)))
    (import "host" "log8x" (func (param i32 i32)))
    (import "host" "log16" (func (param i32 i32)))
    (import "host" "loglatin1" (func (param i32 i32)))
    (import "host" "fetch" (func (param i32 i32 i32)))
    (import "host" "pair" (func (param i32)))
    (func (export "add") (param i32 i32) (result i32) local.get 0)
    (func (export "greet") (param i32 i32) (result i32) i32.const 16)
    (func (export "greet-post") (param i32))
    (func (export "bytes") (result i32) i32.const 32)
    (func (export "record") (param i32 i64 i32 i32) (result i32) i32.const 48)
    (func (export "nothing"))
  )
  (core instance $main (instantiate $main
    (with "host" (instance
      (export "add" (func $add-l))
      (export "log8" (func $log-utf8))
      (export "log8x" (func $log-utf8-explicit))
      (export "log16" (func $log-utf16))
      (export "loglatin1" (func $log-latin1))
      (export "fetch" (func $fetch-l))
      (export "pair" (func $pair-l))
    ))
  ))

  ;; lifting: no options; every encoding; memory+realloc+post-return
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $main "add")))
  (func (export "nothing") (canon lift (core func $main "nothing")))
  (func (export "greet") (param "name" string) (result string)
    (canon lift (core func $main "greet")
      (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc"))
      (post-return (core func $main "greet-post"))))
  (func (export "greet16") (param "name" string) (result string)
    (canon lift (core func $main "greet") string-encoding=utf16
      (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc"))))
  (func (export "greet-latin1") (param "name" string) (result string)
    (canon lift (core func $main "greet")
      (post-return (core func $main "greet-post"))
      (realloc (core func $libc "realloc"))
      string-encoding=latin1+utf16
      (memory (core memory $libc "memory"))))
  (func (export "greet8") (param "name" string) (result string)
    (canon lift (core func $main "greet") string-encoding=utf8
      (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc"))))
  (func (export "bytes") (result (list u8))
    (canon lift (core func $main "bytes") (memory (core memory $libc "memory"))))
  (func (export "record") (param "a" bool) (param "b" s64) (param "c" (list u8)) (result (tuple string u32))
    (canon lift (core func $main "record")
      (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
)
