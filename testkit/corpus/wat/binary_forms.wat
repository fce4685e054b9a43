;; features: none
;; Encodings that the text format cannot produce, written as raw bytes with
;; `(component binary ...)`: the legacy 0x01 leading byte of an import and
;; an export name (the decoder must accept it; re-encoders normally emit
;; 0x00), and an export with an explicit externtype ascription byte.
(component binary
  "\00asm" "\0d\00\01\00"          ;; preamble: magic, version 0x0d, layer 1
  "\07\05"                         ;; type section, 5 bytes
  "\01"                            ;;   1 type
  "\40\00\01\00"                   ;;   func, no params, no result
  "\0a\06"                         ;; import section, 6 bytes
  "\01"                            ;;   1 import
  "\01\01a"                        ;;   name "a" with the 0x01 prefix
  "\01\00"                         ;;   (func (type 0))
  "\0b\0f"                         ;; export section, 15 bytes
  "\02"                            ;;   2 exports
  "\01\01b" "\01\00" "\00"         ;;   "b" (0x01 prefix) = func 0, no ascription
  "\00\01c" "\01\00" "\01\01\00"   ;;   "c" = func 0, ascribed (func (type 0))
)
