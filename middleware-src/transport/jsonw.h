/* Writing JSON: the runtime's writer (wacpy_json.h), growing in the transport's arena. */
#ifndef TRANSPORT_JSONW_H
#define TRANSPORT_JSONW_H

#include "mem.h"
#include "wacpy_json.h"

/* A buffer growing in the arena (`buf b = {0};`): its drain is the transport's
 * `wacpy_out_default_drain`, which doubles it. */
typedef wacpy_out buf;

TRANSPORT_INLINE void buf_put(buf *b, const void *data, size_t n) { wacpy_out_write(b, data, n); }
void buf_char(buf *b, char c);
#define buf_lit(b, literal) buf_put((b), (literal), sizeof(literal) - 1)
TRANSPORT_INLINE str buf_str(const buf *b) { return (str){(const char *)b->buf, (uint32_t)b->len}; }

/* `"key":value` (raw key with its quotes, raw JSON value) into an object being written, after a
 * comma unless it is the object's first member (`*first`, which it clears). */
void buf_member(buf *b, str raw_key, str value, int *first);

/* A JSON string literal for UTF-8 text. */
TRANSPORT_INLINE void buf_string(buf *b, str s) { wacpy_json_string_bytes(b, (const uint8_t *)s.ptr, s.len); }
TRANSPORT_INLINE void buf_u64(buf *b, uint64_t v) { wacpy_json_u64(b, v); }
void buf_i64(buf *b, int64_t v);
/* A JSON number: the shortest decimal that reads back as `v`; NaN and infinities become null. */
TRANSPORT_INLINE void buf_f64(buf *b, double v) { wacpy_json_f64(b, v); }
/* A JSON string of the base64 encoding of `data`. */
TRANSPORT_INLINE void buf_base64(buf *b, const uint8_t *data, size_t n) { wacpy_json_base64(b, data, n); }
/* JSON text from elsewhere, minified (so it fits one SSE data line or one stdio line); 0 when
 * `json` is not a valid JSON value (nothing is written then). */
TRANSPORT_INLINE int buf_json(buf *b, str json) { return wacpy_json_minified(b, (const uint8_t *)json.ptr, json.len); }

#endif
