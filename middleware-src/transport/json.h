/* Reading JSON: a validating scanner (no recursion, bounded depth) and lookups over raw text spans.
 * Every function but `json_valid` expects text that `json_valid` accepted. */
#ifndef TRANSPORT_JSON_H
#define TRANSPORT_JSON_H

#include "mem.h"

#define JSON_MAX_DEPTH 128

/* 1 when `text` is exactly one JSON value (RFC 8259, strings valid UTF-8) with optional whitespace. */
int json_valid(str text);

/* The first value in `text`, without surrounding whitespace. */
str json_trim(str text);

/* What a value is: '{', '[', '"', 'n', 't', 'f' or '0' (a number). */
char json_kind(str value);

/* Members of an object or items of an array, one per call. */
typedef struct { str text; uint32_t pos; } json_iter;
json_iter json_iterate(str container);
int json_next_member(json_iter *it, str *raw_key, str *value);
int json_next_item(json_iter *it, str *value);

/* The value of `key` in `object` (the last one when repeated); 0 when absent or not an object. */
int json_get(str object, const char *key, str *value);
/* Like `json_get` but only for a string value, decoded. */
int json_get_string(str object, const char *key, str *out);

/* Whether raw string `raw` (with quotes) decodes to `key`. */
int json_string_equals(str raw, const char *key);
/* Decode raw string `raw` (with quotes); lone surrogate escapes become U+FFFD. */
str json_decode_string(str raw);

#endif
