/* Writing JSON into a growable buffer in the arena. */
#ifndef TRANSPORT_JSONW_H
#define TRANSPORT_JSONW_H

#include "mem.h"

typedef struct {
  char *ptr;
  uint32_t len, cap;
} buf;

void buf_put(buf *b, const void *data, size_t n);
void buf_char(buf *b, char c);
#define buf_lit(b, literal) buf_put((b), (literal), sizeof(literal) - 1)
static inline str buf_str(const buf *b) { return (str){b->ptr, b->len}; }

/* A JSON string literal for UTF-8 text. */
void buf_string(buf *b, str s);
void buf_u64(buf *b, uint64_t v);
void buf_i64(buf *b, int64_t v);
/* A JSON number (15 significant digits); NaN and infinities become null. */
void buf_f64(buf *b, double v);
/* A JSON string of the base64 encoding of `data`. */
void buf_base64(buf *b, const uint8_t *data, size_t n);
/* JSON text from elsewhere, minified (so it fits one SSE data line or one stdio line); 0 when
 * `json` is not a valid JSON value (nothing is written then). */
int buf_json(buf *b, str json);

#endif
