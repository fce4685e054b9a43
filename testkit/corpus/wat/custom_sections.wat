;; features: none
;; Custom sections (id 0) at the start, between other sections, at the end,
;; inside a core module and inside a nested component; empty payload, binary
;; payload and a multi-string payload.
(component
  (@custom "first" "leading custom section")
  (@custom "empty" "")
  (@custom "bytes" "\00\01\02\ff\fe")
  (core module $m
    (@custom "in-module" "core custom section")
    (func (export "f"))
  )
  (@custom "between" "after the module section")
  (core instance $i (instantiate $m))
  (component $inner
    (@custom "nested" "custom section of a nested component")
  )
  (@custom "multi" "part one, " "part two")
  (@custom "last" "trailing custom section")
)
