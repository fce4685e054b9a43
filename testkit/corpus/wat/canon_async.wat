;; features: cm-async
;; The async ABI: `async` lift with a `callback`, `async` lower, and the
;; task/subtask/waitable built-ins: task.return (no result, a scalar result,
;; a string result with string-encoding and memory options), task.cancel,
;; context.get/context.set, backpressure.inc/dec, subtask.cancel,
;; subtask.drop, waitable-set.new/wait/poll/drop, waitable.join and
;; thread.yield (the `cancellable` immediate was removed upstream and is
;; rejected by wasm-tools 1.262). The built-ins are
;; imported by a core module, so their core signatures are checked too.
(component
  (import "slow" (func $slow async (param "n" u32) (result u32)))
  (import "slow-str" (func $slow-str async (param "s" string) (result string)))
  (import "sync" (func $sync (param "n" u32)))

  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
  )
  (core instance $libc (instantiate $libc))

  (core func $slow-l (canon lower (func $slow) async (memory (core memory $libc "memory"))))
  (core func $slow-str-l (canon lower (func $slow-str) async
    (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))
    string-encoding=utf8))
  (core func $sync-async-l (canon lower (func $sync)))

  (core func $ret-none (canon task.return))
  (core func $ret-u32 (canon task.return (result u32)))
  (core func $ret-str (canon task.return (result string) string-encoding=utf16
    (memory (core memory $libc "memory"))))
  (core func $cancel (canon task.cancel))
  (core func $ctx-get (canon context.get i32 0))
  (core func $ctx-set (canon context.set i32 0))
  (core func $bp-inc (canon backpressure.inc))
  (core func $bp-dec (canon backpressure.dec))
  (core func $sub-cancel (canon subtask.cancel))
  (core func $sub-drop (canon subtask.drop))
  (core func $ws-new (canon waitable-set.new))
  (core func $ws-wait (canon waitable-set.wait (memory (core memory $libc "memory"))))
  (core func $ws-poll (canon waitable-set.poll (memory (core memory $libc "memory"))))
  (core func $ws-drop (canon waitable-set.drop))
  (core func $join (canon waitable.join))
  (core func $yield (canon thread.yield))

  (core module $guest
    (import "" "slow" (func (param i32 i32) (result i32)))
    (import "" "slow-str" (func (param i32 i32 i32) (result i32)))
    (import "" "sync" (func (param i32)))
    (import "" "ret-none" (func))
    (import "" "ret-u32" (func (param i32)))
    (import "" "ret-str" (func (param i32 i32)))
    (import "" "cancel" (func))
    (import "" "ctx-get" (func (result i32)))
    (import "" "ctx-set" (func (param i32)))
    (import "" "bp-inc" (func))
    (import "" "bp-dec" (func))
    (import "" "sub-cancel" (func (param i32) (result i32)))
    (import "" "sub-drop" (func (param i32)))
    (import "" "ws-new" (func (result i32)))
    (import "" "ws-wait" (func (param i32 i32) (result i32)))
    (import "" "ws-poll" (func (param i32 i32) (result i32)))
    (import "" "ws-drop" (func (param i32)))
    (import "" "join" (func (param i32 i32)))
    (import "" "yield" (func (result i32)))
    (func (export "run") (param i32) (result i32) i32.const 0)
    (func (export "run-str") (param i32 i32) (result i32) i32.const 0)
    (func (export "callback") (param i32 i32 i32) (result i32) i32.const 0)
  )
  (core instance $g (instantiate $guest (with "" (instance
    (export "slow" (func $slow-l))
    (export "slow-str" (func $slow-str-l))
    (export "sync" (func $sync-async-l))
    (export "ret-none" (func $ret-none))
    (export "ret-u32" (func $ret-u32))
    (export "ret-str" (func $ret-str))
    (export "cancel" (func $cancel))
    (export "ctx-get" (func $ctx-get))
    (export "ctx-set" (func $ctx-set))
    (export "bp-inc" (func $bp-inc))
    (export "bp-dec" (func $bp-dec))
    (export "sub-cancel" (func $sub-cancel))
    (export "sub-drop" (func $sub-drop))
    (export "ws-new" (func $ws-new))
    (export "ws-wait" (func $ws-wait))
    (export "ws-poll" (func $ws-poll))
    (export "ws-drop" (func $ws-drop))
    (export "join" (func $join))
    (export "yield" (func $yield))
  ))))

  (func (export "run") async (param "n" u32) (result u32)
    (canon lift (core func $g "run") async (callback (core func $g "callback"))))
  (func (export "run-str") async (param "s" string) (result string)
    (canon lift (core func $g "run-str") async (callback (core func $g "callback"))
      (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))
      string-encoding=latin1+utf16))
)
