/* Reading JSON from freestanding C: a validating scanner (no recursion, one depth limit) and
 * lookups over raw text spans, with no allocation.
 *
 * `wacpy_json_valid` checks RFC 8259 (strings valid UTF-8) with containers nested at most
 * WACPY_JSON_MAX_DEPTH deep. Every other function expects text that `wacpy_json_valid` accepted:
 * the transport validates each message once and then navigates it; the author SDK validates a
 * tool's arguments before looking members up.
 */
#ifndef WACPY_JSON_READ_H
#define WACPY_JSON_READ_H

#include "wacpy_cabi.h"

/* How deep objects and arrays may nest: `[[1]]` is 2 deep. Deeper text is not valid. */
#define WACPY_JSON_MAX_DEPTH 128

WACPY_INLINE int wacpy_json_is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
WACPY_INLINE int wacpy_json_is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

WACPY_INLINE int wacpy_json_hex_value(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

WACPY_INLINE size_t wacpy_json_skip_ws(const uint8_t *s, size_t n, size_t i) {
    while (i < n && wacpy_json_is_ws(s[i])) i++;
    return i;
}

/* JSON's short escapes, for reading and writing: the pair whose letter (the one after the
 * backslash; `side` 0) or whose character (`side` 1) is `c`, or 0 when there is none. */
WACPY_NOINLINE const char *wacpy_json_escape_pair(uint8_t c, int side) {
    static const char pairs[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (const char *p = pairs; *p; p += 2)
        if ((uint8_t)p[side] == c) return p;
    return 0;
}

/* The value of four hex digits (after `\u`), or -1 when one is not a hex digit. */
WACPY_NOINLINE int32_t wacpy_json_hex4(const uint8_t *s) {
    int32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int d = wacpy_json_hex_value(s[k]);
        if (d < 0) return -1;
        v = v << 4 | d;
    }
    return v;
}

/* -- validation ------------------------------------------------------------------------------ */

/* One UTF-8 sequence starting at s[i] (a byte >= 0x80); its length, or 0 when invalid. */
WACPY_INLINE size_t wacpy_utf8_sequence(const uint8_t *s, size_t n, size_t i) {
    uint8_t c = s[i], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n - i < len) return 0;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[i + k] & 0xC0) != 0x80) return 0;
    return len;
}

/* A string starting at the quote s[i]; the index after the closing quote, or 0. */
WACPY_NOINLINE size_t wacpy_json_scan_string(const uint8_t *s, size_t n, size_t i) {
    i++;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '"') return i + 1;
        if (c < 0x20) return 0;
        if (c == '\\') {
            if (i + 1 >= n) return 0;
            uint8_t e = s[i + 1];
            if (e == 'u') {
                if (n - i < 6 || wacpy_json_hex4(s + i + 2) < 0) return 0;
                i += 6;
            } else if (wacpy_json_escape_pair(e, 0)) {
                i += 2;
            } else {
                return 0;
            }
        } else if (c >= 0x80) {
            size_t len = wacpy_utf8_sequence(s, n, i);
            if (!len) return 0;
            i += len;
        } else {
            i++;
        }
    }
    return 0;
}

WACPY_INLINE size_t wacpy_json_scan_number(const uint8_t *s, size_t n, size_t i) {
    if (i < n && s[i] == '-') i++;
    if (i >= n) return 0;
    if (s[i] == '0') i++;
    else if (s[i] >= '1' && s[i] <= '9') while (i < n && wacpy_json_is_digit(s[i])) i++;
    else return 0;
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !wacpy_json_is_digit(s[i])) return 0;
        while (i < n && wacpy_json_is_digit(s[i])) i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || !wacpy_json_is_digit(s[i])) return 0;
        while (i < n && wacpy_json_is_digit(s[i])) i++;
    }
    return i;
}

WACPY_INLINE size_t wacpy_json_scan_literal(const uint8_t *s, size_t n, size_t i, const char *lit) {
    for (; *lit; lit++, i++)
        if (i >= n || s[i] != (uint8_t)*lit) return 0;
    return i;
}

/* After the key and colon of a member whose key starts at s[i]; 0 when they are not there. */
WACPY_NOINLINE size_t wacpy_json_scan_key(const uint8_t *s, size_t n, size_t i) {
    if (i >= n || s[i] != '"' || !(i = wacpy_json_scan_string(s, n, i))) return 0;
    i = wacpy_json_skip_ws(s, n, i);
    return i < n && s[i] == ':' ? i + 1 : 0;
}

/* 1 when the `n` bytes at `s` are exactly one JSON value with optional whitespace around it.
 * (Functions taking a span as pointer and length make smaller calls than a struct by value.) */
WACPY_NOINLINE int wacpy_json_valid_bytes(const uint8_t *s, size_t n) {
    size_t i = 0, depth = 0;
    char stack[WACPY_JSON_MAX_DEPTH]; /* '{' or '[' per open container */
    for (;;) {
        /* a value */
        i = wacpy_json_skip_ws(s, n, i);
        if (i >= n) return 0;
        uint8_t c = s[i];
        if (c == '{' || c == '[') {
            if (depth == WACPY_JSON_MAX_DEPTH) return 0;
            stack[depth++] = (char)c;
            i = wacpy_json_skip_ws(s, n, i + 1);
            if (i < n && s[i] == (c == '{' ? '}' : ']')) {
                depth--;
                i++;
            } else if (c == '{') {
                if (!(i = wacpy_json_scan_key(s, n, i))) return 0;
                continue;
            } else {
                continue;
            }
        } else if (c == '"') {
            if (!(i = wacpy_json_scan_string(s, n, i))) return 0;
        } else if (c == '-' || wacpy_json_is_digit(c)) {
            if (!(i = wacpy_json_scan_number(s, n, i))) return 0;
        } else {
            const char *literal = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : 0;
            if (!literal || !(i = wacpy_json_scan_literal(s, n, i, literal))) return 0;
        }
        /* after a value: close containers or move on to the next member or item */
        for (;;) {
            i = wacpy_json_skip_ws(s, n, i);
            if (depth == 0) return i == n;
            if (i >= n) return 0;
            char open = stack[depth - 1];
            if (s[i] == (open == '{' ? '}' : ']')) {
                depth--;
                i++;
                continue;
            }
            if (s[i] != ',') return 0;
            i = wacpy_json_skip_ws(s, n, i + 1);
            if (open == '{' && !(i = wacpy_json_scan_key(s, n, i))) return 0;
            break;
        }
    }
}

WACPY_INLINE int wacpy_json_valid(wacpy_string text) { return wacpy_json_valid_bytes(text.ptr, text.len); }

/* -- navigation over valid text -------------------------------------------------------------- */

/* The end of the value starting at s[i]. */
WACPY_NOINLINE size_t wacpy_json_skip_value(const uint8_t *s, size_t n, size_t i) {
    size_t depth = 0;
    do {
        uint8_t c = s[i];
        if (c == '"') {
            i++;
            while (i < n && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
            i++;
        } else if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            depth--;
            i++;
        } else if (wacpy_json_is_ws(c) || c == ',' || c == ':') {
            i++;
        } else {
            while (i < n && !wacpy_json_is_ws(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') i++;
        }
    } while (depth > 0 && i < n);
    return i;
}

/* The first value in `text`, without the whitespace around it. */
WACPY_NOINLINE wacpy_string wacpy_json_trim(wacpy_string text) {
    size_t i = wacpy_json_skip_ws(text.ptr, text.len, 0);
    if (i >= text.len) return (wacpy_string){text.ptr + i, 0};
    size_t end = wacpy_json_skip_value(text.ptr, text.len, i);
    return (wacpy_string){text.ptr + i, end - i};
}

/* What a value is: '{', '[', '"', 'n', 't', 'f' or '0' (a number); 0 for empty text. */
WACPY_INLINE char wacpy_json_kind(wacpy_string value) {
    if (!value.len) return 0;
    uint8_t c = value.ptr[0];
    return c == '-' || wacpy_json_is_digit(c) ? '0' : (char)c;
}

/* Members of an object or items of an array, one per call. */
typedef struct {
    wacpy_string text;
    size_t pos;
} wacpy_json_iter;

WACPY_INLINE wacpy_json_iter wacpy_json_iterate(wacpy_string container) {
    wacpy_json_iter it = {container, 1};
    return it;
}

/* The next item of an array (or key or value of an object); 0 at the end. */
WACPY_NOINLINE int wacpy_json_next_item(wacpy_json_iter *it, wacpy_string *value) {
    const uint8_t *s = it->text.ptr;
    size_t n = it->text.len, i = wacpy_json_skip_ws(s, n, it->pos);
    if (i < n && s[i] == ',') i = wacpy_json_skip_ws(s, n, i + 1);
    if (i >= n || s[i] == '}' || s[i] == ']') return 0;
    size_t end = wacpy_json_skip_value(s, n, i);
    *value = (wacpy_string){s + i, end - i};
    it->pos = end;
    return 1;
}

/* The next member of an object: its key as raw text (quotes and escapes included) and its value. */
WACPY_NOINLINE int wacpy_json_next_member(wacpy_json_iter *it, wacpy_string *raw_key, wacpy_string *value) {
    if (!wacpy_json_next_item(it, raw_key)) return 0;
    it->pos = wacpy_json_skip_ws(it->text.ptr, it->text.len, it->pos) + 1; /* the colon */
    return wacpy_json_next_item(it, value);
}

/* -- strings --------------------------------------------------------------------------------- */

/* The character at s[*i] of a raw string's body, as UTF-8 in `out` (its length is returned);
 * advances `*i` past it. A lone surrogate escape gives U+FFFD and sets `*lone` (when given). */
WACPY_NOINLINE size_t wacpy_json_next_char(const uint8_t *s, size_t n, size_t *i, uint8_t out[4], int *lone) {
    size_t at = *i;
    if (s[at] != '\\') {
        *out = s[at];
        *i = at + 1;
        return 1;
    }
    uint8_t e = s[at + 1];
    *i = at + 2;
    if (e != 'u') {
        *out = (uint8_t)wacpy_json_escape_pair(e, 0)[1];
        return 1;
    }
    uint32_t cp = (uint32_t)wacpy_json_hex4(s + at + 2);
    *i = at + 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && at + 12 <= n && s[at + 6] == '\\' && s[at + 7] == 'u') {
        uint32_t low = (uint32_t)wacpy_json_hex4(s + at + 8);
        if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            *i = at + 12;
        }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        cp = 0xFFFD;
        if (lone) *lone = 1;
    }
    if (cp < 0x80) return out[0] = (uint8_t)cp, 1;
    size_t len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (size_t k = len; --k > 0; cp >>= 6) out[k] = (uint8_t)(0x80 | (cp & 0x3F));
    out[0] = (uint8_t)((0xF00 >> len) | cp); /* 110xxxxx, 1110xxxx or 11110xxx */
    return len;
}

/* Decode the raw string `raw` (quotes included) into `out`, which has room for `raw.len - 2`
 * bytes (an escape never decodes to more bytes than it takes); returns the decoded length. */
WACPY_NOINLINE size_t wacpy_json_unescape(wacpy_string raw, uint8_t *out, int *lone) {
    const uint8_t *s = raw.ptr + 1;
    size_t n = raw.len - 2, o = 0;
    for (size_t i = 0; i < n;) o += wacpy_json_next_char(s, n, &i, out + o, lone);
    return o;
}

/* Whether the raw string of `len` bytes at `raw` (quotes included) decodes to the C string `key`. */
WACPY_NOINLINE int wacpy_json_string_equals_bytes(const uint8_t *raw, size_t len, const char *key) {
    const uint8_t *s = raw + 1;
    size_t n = len - 2, k = 0;
    for (size_t i = 0; i < n;) {
        uint8_t c[4];
        size_t len = wacpy_json_next_char(s, n, &i, c, 0);
        for (size_t j = 0; j < len; j++, k++)
            if (!key[k] || (uint8_t)key[k] != c[j]) return 0;
    }
    return key[k] == 0;
}

WACPY_INLINE int wacpy_json_string_equals(wacpy_string raw, const char *key) {
    return wacpy_json_string_equals_bytes(raw.ptr, raw.len, key);
}

/* The value of `key` in `object` (the last one when the key is repeated, as JSON.parse does); 0
 * when absent or `object` is not an object. */
WACPY_NOINLINE int wacpy_json_get_bytes(const uint8_t *s, size_t n, const char *key, wacpy_string *value) {
    wacpy_string object = {s, n};
    if (wacpy_json_kind(object) != '{') return 0;
    wacpy_json_iter it = wacpy_json_iterate(object);
    wacpy_string k, v;
    int found = 0;
    while (wacpy_json_next_member(&it, &k, &v))
        if (wacpy_json_string_equals(k, key)) *value = v, found = 1;
    return found;
}

WACPY_INLINE int wacpy_json_get(wacpy_string object, const char *key, wacpy_string *value) {
    return wacpy_json_get_bytes(object.ptr, object.len, key, value);
}

#endif
