;; features: cm-async,cm-threading
;; Cooperative-threading built-ins: thread.index, thread.new-indirect (with
;; a start-function type and a funcref table), thread.resume-later,
;; thread.suspend, thread.yield, thread.suspend-then-resume,
;; thread.yield-then-resume, thread.suspend-then-promote,
;; thread.yield-then-promote, and the second context slot
;; (context.get/set i32 1) that threading enables.
(component
  (core type $start (func (param i32)))
  (core module $libc (table (export "start-table") 1 (ref null func)))
  (core instance $libc (instantiate $libc))
  (core func $index (canon thread.index))
  (core func $new (canon thread.new-indirect $start (core table $libc "start-table")))
  (core func $resume-later (canon thread.resume-later))
  (core func $suspend (canon thread.suspend))
  (core func $yield (canon thread.yield))
  (core func $suspend-resume (canon thread.suspend-then-resume))
  (core func $yield-resume (canon thread.yield-then-resume))
  (core func $suspend-promote (canon thread.suspend-then-promote))
  (core func $yield-promote (canon thread.yield-then-promote))
  (core func $get0 (canon context.get i32 0))
  (core func $set0 (canon context.set i32 0))
  (core func $get1 (canon context.get i32 1))
  (core func $set1 (canon context.set i32 1))
  (core module $m
    (import "" "index" (func (result i32)))
    (import "" "new" (func (param i32 i32) (result i32)))
    (import "" "resume-later" (func (param i32)))
    (import "" "suspend" (func (result i32)))
    (import "" "yield" (func (result i32)))
    (import "" "suspend-resume" (func (param i32) (result i32)))
    (import "" "yield-resume" (func (param i32) (result i32)))
    (import "" "suspend-promote" (func (param i32) (result i32)))
    (import "" "yield-promote" (func (param i32) (result i32)))
    (import "" "get1" (func (result i32)))
    (import "" "set1" (func (param i32)))
  )
  (core instance (instantiate $m (with "" (instance
    (export "index" (func $index))
    (export "new" (func $new))
    (export "resume-later" (func $resume-later))
    (export "suspend" (func $suspend))
    (export "yield" (func $yield))
    (export "suspend-resume" (func $suspend-resume))
    (export "yield-resume" (func $yield-resume))
    (export "suspend-promote" (func $suspend-promote))
    (export "yield-promote" (func $yield-promote))
    (export "get1" (func $get1))
    (export "set1" (func $set1))
  ))))
)
