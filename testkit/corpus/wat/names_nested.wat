;; features: cm-nested-names
;; Nested namespaces and nested interface projections in interface names
;; (ns:sub:pkg/iface/sub-iface@version), on imports, exports and in types.
(component
  (import "a:b:c/d" (func))
  (import "org:team:project:pkg/iface/sub/leaf@1.0.0" (instance))
  (import "x:y/one/two" (instance))
  (type (instance (export "deep:er:pkg/a/b@0.1.0" (func))))
  (instance $e)
  (export "out:er:pkg/iface/part@2.0.0-rc.1" (instance $e))
)
