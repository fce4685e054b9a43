;; features: cm-async,cm-error-context
;; Async-related value and function types: `stream` and `future` with and
;; without a payload (including nested and compound payloads), the
;; `error-context` primitive, and `async` function types (0x43) with and
;; without params/results, in imports, instance types and component types.
(component
  (type $ec error-context)
  (type $stream-u8 (stream u8))
  (type $stream-none (stream))
  (type $future-string (future string))
  (type $future-none (future))
  (type $future-u32 (future u32))
  (type $stream-of-futures (stream $future-u32))
  (type $future-of-stream (future $stream-none))
  (type $future-result (future (result (list u8) (error error-context))))
  (type $stream-tuple (stream (tuple u32 string)))
  (type $list-of-ec (list error-context))

  (type $async-nullary (func async))
  (type $async-full (func async (param "input" $stream-u8) (param "done" $future-none) (result $future-string)))
  (type $sync-with-streams (func (param "s" $stream-none) (result $stream-tuple)))

  (import "a" (func (type $async-nullary)))
  (import "b" (func (type $async-full)))
  (import "c" (func (type $sync-with-streams)))
  (import "d" (func async (param "e" $ec) (result $list-of-ec)))
  (import "e" (func (param "f" $future-result) (param "g" $stream-of-futures) (param "h" $future-of-stream)))
  (import "iface" (instance
    (export "run" (func async (param "x" u32) (result u32)))
    (export "poll" (func (result (future))))
  ))
  (type (component
    (import "cb" (func async (param "s" (stream u8))))
    (export "run" (func async (result (future error-context))))
  ))
)
