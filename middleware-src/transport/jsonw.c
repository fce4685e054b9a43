#include "jsonw.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

int wacpy_out_default_drain(wacpy_out *o, size_t need) {
  size_t cap = o->cap ? o->cap : 256;
  while (cap < o->len + need) cap *= 2;
  o->buf = mem_realloc(o->buf, o->cap, cap, 1);
  o->cap = cap;
  return 0;
}

/* Out of line: it is called from everywhere, and inlined copies made the code bigger. */
void buf_char(buf *b, char c) { wacpy_out_write(b, &c, 1); }

void buf_i64(buf *b, int64_t v) { wacpy_json_i64(b, v); }

void buf_member(buf *b, str raw_key, str value, int *first) {
  if (!*first) buf_char(b, ',');
  *first = 0;
  buf_put(b, raw_key.ptr, raw_key.len);
  buf_char(b, ':');
  buf_put(b, value.ptr, value.len);
}

#pragma clang attribute pop
