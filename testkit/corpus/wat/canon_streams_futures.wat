;; features: cm-async
;; Stream and future built-ins with payloads (u8, string, a record holding a
;; list) and without a payload: stream.new/read/write/cancel-read/
;; cancel-write/drop-readable/drop-writable and the same for futures. Reads
;; and writes use the `async` option (plus memory/realloc/string-encoding
;; where the payload needs them); cancels use the default synchronous form.
(component
  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
  )
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  (type $s-u8 (stream u8))
  (type $s-none (stream))
  (type $s-str (stream string))
  (type $f-u32 (future u32))
  (type $f-none (future))
  (type $payload' (record (field "data" (list u8)) (field "tag" string)))
  (import "payload" (type $payload (eq $payload')))
  (type $f-rec (future $payload))

  (core func (canon stream.new $s-u8))
  (core func (canon stream.read $s-u8 async (memory $mem)))
  (core func (canon stream.write $s-u8 async (memory $mem)))
  (core func (canon stream.cancel-read $s-u8))
  (core func (canon stream.cancel-write $s-u8))
  (core func (canon stream.drop-readable $s-u8))
  (core func (canon stream.drop-writable $s-u8))

  (core func (canon stream.new $s-none))
  (core func (canon stream.read $s-none async))
  (core func (canon stream.write $s-none async))
  (core func (canon stream.cancel-read $s-none))
  (core func (canon stream.cancel-write $s-none))
  (core func (canon stream.drop-readable $s-none))
  (core func (canon stream.drop-writable $s-none))

  (core func (canon stream.new $s-str))
  (core func (canon stream.read $s-str async (memory $mem) (realloc $realloc) string-encoding=utf16))
  (core func (canon stream.write $s-str async (memory $mem) string-encoding=latin1+utf16))

  (core func (canon future.new $f-u32))
  (core func (canon future.read $f-u32 async (memory $mem)))
  (core func (canon future.write $f-u32 async (memory $mem)))
  (core func (canon future.cancel-read $f-u32))
  (core func (canon future.cancel-write $f-u32))
  (core func (canon future.drop-readable $f-u32))
  (core func (canon future.drop-writable $f-u32))

  (core func (canon future.new $f-none))
  (core func (canon future.read $f-none async))
  (core func (canon future.write $f-none async))
  (core func (canon future.cancel-read $f-none))
  (core func (canon future.cancel-write $f-none))
  (core func (canon future.drop-readable $f-none))
  (core func (canon future.drop-writable $f-none))

  (core func (canon future.new $f-rec))
  (core func (canon future.read $f-rec async (memory $mem) (realloc $realloc)))
  (core func (canon future.write $f-rec async (memory $mem)))

  ;; check the core signatures of one complete set
  (core func $new (canon stream.new $s-u8))
  (core func $read (canon stream.read $s-u8 async (memory $mem)))
  (core func $cancel (canon stream.cancel-read $s-u8))
  (core func $drop (canon stream.drop-readable $s-u8))
  (core func $fnew (canon future.new $f-none))
  (core module $user
    (import "" "new" (func (result i64)))
    (import "" "read" (func (param i32 i32 i32) (result i32)))
    (import "" "cancel" (func (param i32) (result i32)))
    (import "" "drop" (func (param i32)))
    (import "" "fnew" (func (result i64)))
  )
  (core instance (instantiate $user (with "" (instance
    (export "new" (func $new)) (export "read" (func $read))
    (export "cancel" (func $cancel)) (export "drop" (func $drop))
    (export "fnew" (func $fnew))))))
)
