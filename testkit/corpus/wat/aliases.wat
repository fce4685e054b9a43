;; features: none
;; Alias section (section 6), written with explicit `alias` forms:
;;  * export aliases of every non-value sort (func, type, component,
;;    instance, core module) out of a component instance;
;;  * core export aliases of every core sort (func, table, memory, global,
;;    tag) out of a core instance;
;;  * outer aliases of every allowed sort (core module, core type, type,
;;    component) with counts 0, 1 and 2;
;;  * aliases inside instance and component types.
(component $top
  (type $t (func (result string)))
  (core type $ct (func (param i32)))
  (core module $cm (func (export "f")))
  (component $cc)

  (import "i" (instance $i
    (export "f" (func))
    (export "t" (type (sub resource)))
    (export "c" (component))
    (export "inner" (instance (export "g" (func))))
    (export "m" (core module))
  ))
  (alias export $i "f" (func $i-f))
  (alias export $i "t" (type $i-t))
  (alias export $i "c" (component $i-c))
  (alias export $i "inner" (instance $i-inner))
  (alias export $i "m" (core module $i-m))
  (alias export $i-inner "g" (func $i-inner-g))

  (core module $provider
    (func (export "f"))
    (table (export "tbl") 1 funcref)
    (memory (export "mem") 1)
    (global (export "glob") i32 (i32.const 0))
    (tag (export "tag"))
  )
  (core instance $p (instantiate $provider))
  (alias core export $p "f" (core func $p-f))
  (alias core export $p "tbl" (core table $p-tbl))
  (alias core export $p "mem" (core memory $p-mem))
  (alias core export $p "glob" (core global $p-glob))
  (alias core export $p "tag" (core tag $p-tag))
  (core instance (export "f" (func $p-f))
                 (export "tbl" (table $p-tbl))
                 (export "mem" (memory $p-mem))
                 (export "glob" (global $p-glob))
                 (export "tag" (tag $p-tag)))

  ;; outer count 0: re-alias within the same scope
  (alias outer 0 $t (type $t-again))
  (alias outer 0 $cm (core module $cm-again))
  (alias outer 0 $ct (core type $ct-again))
  (alias outer 0 $cc (component $cc-again))

  (component $child
    ;; outer count 1, every sort
    (alias outer $top $t (type $t1))
    (alias outer $top $ct (core type $ct1))
    (alias outer $top $cm (core module $cm1))
    (alias outer $top $cc (component $cc1))
    (component $grandchild
      ;; outer count 2
      (alias outer $top $t (type $t2))
      (alias outer 2 $cm (core module $cm2))
      (alias outer $child $cc1 (component $cc2))
      (import "x" (func (type $t2)))
    )
    (import "f" (func (type $t1)))
    (core type $ct1-module (module
      (alias outer 1 $ct1 (type $from-child))
      (import "a" "b" (func (type $from-child)))))
    (import "m" (core module (type $ct1-module)))
  )

  ;; aliases inside types: outer type aliases and export aliases of instances
  (type $it (instance
    (alias outer $top $t (type $it-t))
    (export "g" (func (type $it-t)))
    (export "sub" (instance (export "r" (type (sub resource)))))
    (alias export 0 "r" (type $sub-r))
    (export "h" (func (param "r" (borrow $sub-r))))
  ))
  (type $ctype (component
    (alias outer $top $t (type $ct-t))
    (alias outer $top $ct (core type $ct-core))
    (core type $ct-mod (module (import "a" "b" (func (param i32)))))
    (import "needs-mod" (core module (type $ct-mod)))
    (import "g" (func (type $ct-t)))
    (import "sub" (instance $s (export "r" (type (sub resource)))))
    (alias export $s "r" (type $r))
    (export "h" (func (param "r" (own $r))))
  ))

  (export "f" (func $i-f))
  (export "c" (component $i-c))
  (export "inner" (instance $i-inner))
  (export "m" (core module $i-m))
  (export "g" (func $i-inner-g))
  (export "t" (type $i-t))
)
