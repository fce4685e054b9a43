;; features: none
;; The smallest component: just the preamble (magic, version 0x0d, layer 1).
(component)
