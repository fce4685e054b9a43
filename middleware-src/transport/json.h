/* Reading JSON: the runtime's reader (wacpy_json_read.h) over the transport's `str`. Every function
 * but `json_valid` expects text that `json_valid` accepted. */
#ifndef TRANSPORT_JSON_H
#define TRANSPORT_JSON_H

#include "mem.h"
#include "wacpy_json_read.h"

/* 1 when `text` is exactly one JSON value (RFC 8259, strings valid UTF-8, containers nested at most
 * WACPY_JSON_MAX_DEPTH deep) with optional whitespace. */
TRANSPORT_INLINE int json_valid(str text) { return wacpy_json_valid_bytes((const uint8_t *)text.ptr, text.len); }

/* The first value in `text`, without surrounding whitespace. */
TRANSPORT_INLINE str json_trim(str text) { return (str){.w = wacpy_json_trim(text.w)}; }

/* What a value is: '{', '[', '"', 'n', 't', 'f' or '0' (a number). */
TRANSPORT_INLINE char json_kind(str value) { return wacpy_json_kind(value.w); }

/* Members of an object or items of an array, one per call. */
typedef wacpy_json_iter json_iter;
TRANSPORT_INLINE json_iter json_iterate(str container) { return wacpy_json_iterate(container.w); }
TRANSPORT_INLINE int json_next_item(json_iter *it, str *value) { return wacpy_json_next_item(it, &value->w); }
TRANSPORT_INLINE int json_next_member(json_iter *it, str *raw_key, str *value) {
  return wacpy_json_next_member(it, &raw_key->w, &value->w);
}

/* The value of `key` in `object` (the last one when repeated); 0 when absent or not an object. */
TRANSPORT_INLINE int json_get(str object, const char *key, str *value) {
  return wacpy_json_get_bytes((const uint8_t *)object.ptr, object.len, key, &value->w);
}

/* Whether raw string `raw` (with quotes) decodes to `key`. */
TRANSPORT_INLINE int json_string_equals(str raw, const char *key) {
  return wacpy_json_string_equals_bytes((const uint8_t *)raw.ptr, raw.len, key);
}

/* Decode raw string `raw` (with quotes); lone surrogate escapes become U+FFFD. */
str json_decode_string(str raw);
/* Like `json_get` but only for a string value, decoded. */
int json_get_string(str object, const char *key, str *out);

#endif
