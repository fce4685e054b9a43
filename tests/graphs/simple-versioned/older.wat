(component
  (type $types
    (instance
      (type $rec (record (field "n" u32)))
      (export "rec" (type (eq $rec)))
      (type $f (func (param "r" 1)))
      (export "take" (func (type $f)))
      (export "handle" (type (sub resource)))
    )
  )
  (import "test:pkg/types@0.2.0" (instance (type $types)))
)
