#include "json.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

str json_decode_string(str raw) {
  uint32_t n = raw.len - 2;
  uint8_t *out = mem_alloc(n ? n : 1, 1);
  return (str){(const char *)out, (uint32_t)wacpy_json_unescape(raw.w, out, 0)};
}

int json_get_string(str object, const char *key, str *out) {
  str v;
  if (!json_get(object, key, &v) || json_kind(v) != '"') return 0;
  *out = json_decode_string(v);
  return 1;
}

#pragma clang attribute pop
