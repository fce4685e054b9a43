(component
  (type $types
    (instance
      (export "token" (type (sub resource)))
    )
  )
  (import "test:pkg/types@0.2.1" (instance (type $types)))
)
