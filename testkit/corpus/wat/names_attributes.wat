;; features: cm-implements,cm-canon-names
;; The newer name-with-attributes encoding (nameattributes 0x02): the
;; `implements` attribute on plain-named instance imports/exports, the
;; `version-suffix` attribute completing a short interface version, the
;; `external-id` attribute on every kind of import/export, and
;; combinations of attributes, in components, component types, instance
;; types and inline export bags.
(component
  (component
    (import "primary" (implements "wasi:keyvalue/store@0.2.0") (instance))
    (import "backup" (implements "wasi:keyvalue/store@0.2.0") (instance))
    (import "cache" (implements "ns:pkg/iface") (instance))
    (import "a:b/c@1" (version-suffix ".2.3") (instance))
    (import "a:b/c@0.2" (version-suffix ".3") (instance))
    (import "a:b/d@0.0.3-rc.1" (instance))
    (import "ext-func" (external-id "some opaque id") (func))
    (import "ext-comp" (external-id "") (component))
    (import "ext-type" (external-id "https://example.com/type") (type (sub resource)))
    (import "ext-mod" (external-id "tab\tnul\00 \u{1F600}") (core module))
    (import "both" (implements "ns:pkg/iface@1.0.0") (external-id "x") (instance))
    (import "x:y/z@2" (version-suffix ".0.0") (external-id "y") (instance))
    (instance $i)
    (export "out" (implements "ns:pkg/iface") (instance $i))
    (export "ns:pkg/iface@1" (version-suffix ".0.0") (instance $i))
    (export "ext-out" (external-id "z") (instance $i))
  )
  (type (instance
    (export "a" (implements "a:b/c") (instance))
    (export "b:c/d@1" (version-suffix ".0.0") (instance))
    (export "c" (external-id "id") (func))
  ))
  (type (component
    (import "a" (implements "a:b/c@1.0.0") (instance))
    (export "b" (implements "a:b/c") (external-id "id") (instance))
  ))
  (instance $a)
  (instance
    (export "impl" (implements "a:b/c") (instance $a))
    (export "ext" (external-id "q") (instance $a))
  )
)
