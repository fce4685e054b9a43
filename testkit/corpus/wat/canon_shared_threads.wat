;; features: shared-everything-threads
;; shared-everything-threads built-ins: thread.spawn-ref and
;; thread.spawn-indirect over a shared function type `[i32] -> []` and a
;; shared funcref table, and thread.available_parallelism. (wasm-tools
;; 1.262 encodes these without the spec's `shared?` immediate byte: 0x40 ft,
;; 0x41 ft tbl, 0x42.)
(component
  (core type $unrelated (func))
  (core type $start (shared (func (param i32))))
  (core module $tbl
    (table (export "t") shared 1 (ref null (shared func))))
  (core instance $tbl (instantiate $tbl))
  (core func $spawn-ref (canon thread.spawn-ref $start))
  (core func $spawn-indirect (canon thread.spawn-indirect $start (core table $tbl "t")))
  (core func $parallelism (canon thread.available_parallelism))
)
