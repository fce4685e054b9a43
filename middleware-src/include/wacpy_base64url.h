/* Unpadded base64url (RFC 4648 §5), strictly: the context provider's sealed `requestState` and
 * the transport's JWTs. Decoding is canonical: bits past the last byte must be zero, so one byte
 * string has one text and no changed character decodes to the same bytes. */
#ifndef WACPY_BASE64URL_H
#define WACPY_BASE64URL_H

#include <stddef.h>
#include <stdint.h>

static inline int wacpy_base64url_digit(uint8_t c) {
    return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
         : c == '-' ? 62 : c == '_' ? 63 : -1;
}

/* The bytes `text` encodes into `out` (room for len / 4 * 3 + 2); their number, or -1 when `text`
 * is not canonical unpadded base64url. */
static inline long wacpy_base64url_decode(const uint8_t *text, size_t len, uint8_t *out) {
    if (len % 4 == 1) return -1;
    uint32_t acc = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int d = wacpy_base64url_digit(text[i]);
        if (d < 0) return -1;
        acc = acc << 6 | (uint32_t)d;
        if (i % 4 == 3) out[n++] = (uint8_t)(acc >> 16), out[n++] = (uint8_t)(acc >> 8), out[n++] = (uint8_t)acc;
    }
    if ((len % 4 == 2 && (acc & 15)) || (len % 4 == 3 && (acc & 3))) return -1;
    if (len % 4 == 2) out[n++] = (uint8_t)(acc >> 4);
    if (len % 4 == 3) out[n++] = (uint8_t)(acc >> 10), out[n++] = (uint8_t)(acc >> 2);
    return (long)n;
}

#endif
