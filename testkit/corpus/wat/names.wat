;; features: none
;; Import and export name forms accepted with default features:
;;  * plain kebab-case labels (single word, multi-word, with digits, ALL-CAPS
;;    words);
;;  * resource-related annotations [constructor]r, [method]r.m, [static]r.f;
;;  * interface names ns:pkg/iface, with versions (release, pre-release,
;;    build metadata);
;;  * the same forms inside instance types, component types and inline
;;    instance exports.
;; (wasm-tools 1.262 no longer accepts the `url=`, `integrity=`,
;; `locked-dep=` and `unlocked-dep=` name forms, under any feature.)
(component
  (import "a" (func))
  (import "multi-word-name" (func))
  (import "with-digits2-x3" (func))
  (import "HTTP-client" (func))
  (import "UPPER" (func))

  (import "blob" (type $blob (sub resource)))
  (import "[constructor]blob" (func (param "init" (list u8)) (result (own $blob))))
  (import "[method]blob.write" (func (param "self" (borrow $blob)) (param "bytes" (list u8))))
  (import "[method]blob.read" (func (param "self" (borrow $blob)) (param "n" u32) (result (list u8))))
  (import "[static]blob.merge" (func (param "lhs" (own $blob)) (param "rhs" (own $blob)) (result (own $blob))))

  (import "wasi:io/streams" (instance))
  (import "wasi:io/poll@0.2.0" (instance))
  (import "wasi:http/types@0.3.0-rc-2025-09-16" (instance))
  (import "my-ns:my-pkg/my-iface@1.2.3+build.5" (instance))
  (import "a:b/c@0.0.1-alpha.1+meta" (func))


  (type (instance
    (export "res" (type $r (sub resource)))
    (export "[constructor]res" (func (result (own $r))))
    (export "[method]res.get" (func (param "self" (borrow $r)) (result u32)))
    (export "[static]res.count" (func (result u32)))
    (export "ns:pkg/iface@1.0.0" (instance))
  ))
  (type (component
    (import "ns:pkg/dep@2.0.0" (instance))
    (export "ns:pkg/out" (instance))
  ))

  (instance $empty)
  (export "an-export" (instance $empty))
  (export "ns:pkg/exported-iface@0.1.0" (instance $empty))
  (export "ns:pkg/exported-iface" (instance $empty))
  (export "blob-out" (type $blob))
  (instance
    (export "inner-a" (instance $empty))
    (export "ns:pkg/inner@3.0.0" (instance $empty))
  )
)
