(component
  (type $types
    (instance
      (export "other" (type (sub resource)))
    )
  )
  (import "test:pkg/types@0.3.0" (instance (type $types)))
)
