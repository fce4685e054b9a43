(component
  ;; test:geo/shapes exports the record `point`.
  (type $shapes
    (instance
      (type $p (record (field "x" s32) (field "y" s32)))
      (export "point" (type (eq $p)))
    )
  )
  (import "test:geo/shapes" (instance $shapes (type $shapes)))
  (alias export $shapes "point" (type $point))
  ;; `area` refers to that point by type index, as wit-component writes a `use`d record built on it.
  (type $area (record (field "corner" $point) (field "width" u32)))
  (import "area" (type $area-import (eq $area)))
  (type $measure (func (param "a" $area-import) (result u32)))
  (import "measure" (func $measure (type $measure)))
  (export "measure" (func $measure))
)
