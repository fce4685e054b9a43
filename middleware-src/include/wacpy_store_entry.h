/* The bytes of one store entry, the same in every backend: a 24-byte header, then the value.
 *
 *   0  "wacpyse1"                magic and format version
 *   8  u64 LE  written at        seconds since the Unix epoch (wall clock)
 *  16  u32 LE  value length
 *  20  u32 LE  FNV-1a of the value (catches truncation and stray edits, not attacks: the store
 *              is the server's own)
 *  24  the value
 *
 * And how keys and scopes become names a backend can hold: letters, digits, `-` and `_` stay,
 * `.` too except first, every other byte is `%XX`.
 */
#ifndef WACPY_STORE_ENTRY_H
#define WACPY_STORE_ENTRY_H

#include "wacpy_cabi.h"

#define WACPY_STORE_HEADER 24u
#define WACPY_STORE_VALUE_LIMIT (1u << 20)
#define WACPY_STORE_NAME_LIMIT 120u    /* bytes of a scope or key */
#define WACPY_STORE_ESCAPED_LIMIT 255u /* bytes of the name a backend keeps */

static const uint8_t wacpy_store_magic[8] = {'w', 'a', 'c', 'p', 'y', 's', 'e', '1'};

static inline uint32_t wacpy_store_fnv1a(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static inline void wacpy_store_put_le(uint8_t *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t wacpy_store_get_le(const uint8_t *p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static inline void wacpy_store_header(uint8_t *h, uint64_t written, const uint8_t *value, size_t len) {
    __builtin_memcpy(h, wacpy_store_magic, 8);
    wacpy_store_put_le(h + 8, written, 8);
    wacpy_store_put_le(h + 16, len, 4);
    wacpy_store_put_le(h + 20, wacpy_store_fnv1a(value, len), 4);
}

/* Checks an entry's bytes: 0 and the value and write time, or a static message saying what is wrong. */
static inline const char *wacpy_store_check(const uint8_t *p, size_t n, wacpy_string *value, uint64_t *written) {
    if (n < WACPY_STORE_HEADER || !wacpy_bytes_eq(p, wacpy_store_magic, 8)) return "not an entry (bad header)";
    uint64_t len = wacpy_store_get_le(p + 16, 4);
    if (len != n - WACPY_STORE_HEADER) return "truncated or padded (its length does not match)";
    if (wacpy_store_get_le(p + 20, 4) != wacpy_store_fnv1a(p + WACPY_STORE_HEADER, len)) return "corrupt (checksum mismatch)";
    *value = (wacpy_string){p + WACPY_STORE_HEADER, len};
    *written = wacpy_store_get_le(p + 8, 8);
    return 0;
}

static inline int wacpy_store_plain(uint8_t c, size_t at) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           (c == '.' && at > 0);
}

/* Escapes `name` into `out` (room for 3 bytes a byte); returns the length. */
static inline size_t wacpy_store_escape(wacpy_string name, uint8_t *out) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (size_t i = 0; i < name.len; i++) {
        uint8_t c = name.ptr[i];
        if (wacpy_store_plain(c, i)) {
            out[n++] = c;
        } else {
            out[n++] = '%';
            out[n++] = (uint8_t)hex[c >> 4];
            out[n++] = (uint8_t)hex[c & 15];
        }
    }
    return n;
}

static inline int wacpy_store_hex_digit(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Unescapes `name` in place; returns the length, or -1 when it is not a name `wacpy_store_escape` writes. */
static inline long wacpy_store_unescape(uint8_t *name, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] != '%') {
            if (!wacpy_store_plain(name[i], n)) return -1;
            name[n++] = name[i];
            continue;
        }
        if (i + 2 >= len) return -1;
        int hi = wacpy_store_hex_digit(name[i + 1]), lo = wacpy_store_hex_digit(name[i + 2]);
        if (hi < 0 || lo < 0) return -1;
        name[n++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return (long)n;
}

#endif
