;; features: cm-async,cm-forward
;; The experimental forwarding built-ins stream.forward and future.forward
;; (transfer a readable end into a writable end of the same type), for
;; payload and payload-less streams and futures.
(component
  (type $s (stream u8))
  (type $s0 (stream))
  (type $f (future string))
  (type $f0 (future))
  (core func $sf (canon stream.forward $s))
  (core func (canon stream.forward $s0))
  (core func $ff (canon future.forward $f))
  (core func (canon future.forward $f0))
  (core module $m
    (import "" "sf" (func (param i32 i32)))
    (import "" "ff" (func (param i32 i32)))
  )
  (core instance (instantiate $m (with "" (instance
    (export "sf" (func $sf)) (export "ff" (func $ff))))))
)
