/* Writing JSON from freestanding C: a byte writer with a pluggable drain, string escaping, numbers
 * (integers exactly, other doubles as the shortest decimal that reads back the same), base64, and
 * JSON text from elsewhere embedded as it is or minified.
 *
 * A `wacpy_out` owns a buffer; when it is full, `drain` makes room: `wacpy_out_grow` (below) grows
 * the buffer in an arena, a stream writer flushes it to an output stream and empties it; without
 * one, `wacpy_out_default_drain`. After a failed drain, `failed` is set and further writes are
 * dropped.
 */
#ifndef WACPY_JSON_H
#define WACPY_JSON_H

#include "wacpy_alloc.h"
#include "wacpy_cabi.h"
#include "wacpy_json_read.h"

typedef struct wacpy_out wacpy_out;
struct wacpy_out {
    uint8_t *buf;
    size_t len, cap;
    /* Make room for at least one more byte (`need` is how many are waiting); 0 on success. */
    int (*drain)(wacpy_out *out, size_t need);
    void *ctx;
    int failed;
};

/* The drain of a writer that has none: it fails, so the writer stops at its capacity, unless the
 * component defines WACPY_OUT_DEFAULT_DRAIN and its own (the transport's grows the buffer in its
 * arena). */
int wacpy_out_default_drain(wacpy_out *o, size_t need);
#ifndef WACPY_OUT_DEFAULT_DRAIN
__attribute__((weak)) int wacpy_out_default_drain(wacpy_out *o, size_t need) {
    (void)o, (void)need;
    return -1;
}
#endif

WACPY_NOINLINE void wacpy_out_write(wacpy_out *o, const void *data, size_t n) {
    const uint8_t *p = (const uint8_t *)data;
    while (n && !o->failed) {
        if (o->len == o->cap) {
            if ((o->drain ? o->drain : wacpy_out_default_drain)(o, n) != 0 || o->len == o->cap) {
                o->failed = 1;
                return;
            }
            continue;
        }
        size_t k = o->cap - o->len < n ? o->cap - o->len : n;
        __builtin_memcpy(o->buf + o->len, p, k);
        o->len += k;
        p += k;
        n -= k;
    }
}

WACPY_NOINLINE void wacpy_out_byte(wacpy_out *o, uint8_t c) { wacpy_out_write(o, &c, 1); }
WACPY_INLINE void wacpy_out_str(wacpy_out *o, wacpy_string s) { wacpy_out_write(o, s.ptr, s.len); }
/* A string literal. */
#define wacpy_out_lit(o, s) wacpy_out_write((o), (s), sizeof(s) - 1)

/* A drain that doubles the buffer in the arena `o->ctx` (a `wacpy_arena *`). */
WACPY_INLINE int wacpy_out_grow(wacpy_out *o, size_t need) {
    size_t cap = o->cap ? o->cap * 2 : 256;
    if (cap < o->len + need) cap = o->len + need;
    o->buf = (uint8_t *)wacpy_arena_realloc((wacpy_arena *)o->ctx, o->buf, o->len, 1, cap);
    o->cap = cap;
    return 0;
}

/* An empty writer growing in `arena`. */
WACPY_INLINE wacpy_out wacpy_out_in_arena(wacpy_arena *arena) {
    wacpy_out o = {0, 0, 0, wacpy_out_grow, arena, 0};
    return o;
}

/* `n` bytes of UTF-8 at `p` as a JSON string literal, quotes included. Bytes >= 0x80 pass through
 * (WIT strings are UTF-8). */
WACPY_NOINLINE void wacpy_json_string_bytes(wacpy_out *o, const uint8_t *p, size_t n) {
    wacpy_string s = {p, n};
    static const char hex[] = "0123456789abcdef";
    wacpy_out_byte(o, '"');
    size_t run = 0; /* bytes that need no escape, written in one go */
    for (size_t i = 0; i < s.len; i++) {
        uint8_t c = s.ptr[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        wacpy_out_write(o, s.ptr + run, i - run);
        run = i + 1;
        const char *pair = wacpy_json_escape_pair(c, 1);
        uint8_t esc[6] = {'\\', pair ? (uint8_t)pair[0] : 'u', '0', '0', (uint8_t)hex[c >> 4], (uint8_t)hex[c & 15]};
        wacpy_out_write(o, esc, pair ? 2 : 6);
    }
    wacpy_out_write(o, s.ptr + run, s.len - run);
    wacpy_out_byte(o, '"');
}

/* `s` as a JSON string literal, quotes included. */
WACPY_INLINE void wacpy_json_string(wacpy_out *o, wacpy_string s) { wacpy_json_string_bytes(o, s.ptr, s.len); }

/* JSON text given by a component (`json` in WIT), verbatim except that CR and LF become spaces:
 * they can only be whitespace between tokens in valid JSON, and one-line JSON is what SSE `data:`
 * lines and NDJSON need. Empty text becomes `null`. */
WACPY_NOINLINE void wacpy_json_raw(wacpy_out *o, wacpy_string s) {
    if (s.len == 0) {
        wacpy_out_lit(o, "null");
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] != '\n' && s.ptr[i] != '\r') continue;
        wacpy_out_write(o, s.ptr + run, i - run);
        wacpy_out_byte(o, ' ');
        run = i + 1;
    }
    wacpy_out_write(o, s.ptr + run, s.len - run);
}

/* The `n` bytes of JSON text at `p`, from elsewhere, minified so that they fit one SSE data line or
 * one stdio line; 0 (and nothing written) when they are not valid JSON. */
WACPY_NOINLINE int wacpy_json_minified(wacpy_out *o, const uint8_t *p, size_t n) {
    wacpy_string json = {p, n};
    if (!wacpy_json_valid(json)) return 0;
    size_t run = 0;
    int in_string = 0;
    for (size_t i = 0; i < json.len; i++) {
        uint8_t c = json.ptr[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (wacpy_json_is_ws(c)) {
            wacpy_out_write(o, json.ptr + run, i - run);
            run = i + 1;
        }
    }
    wacpy_out_write(o, json.ptr + run, json.len - run);
    return 1;
}

/* `n` bytes as a JSON string of their base64 encoding (RFC 4648, padded). */
WACPY_NOINLINE void wacpy_json_base64(wacpy_out *o, const uint8_t *data, size_t n) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    wacpy_out_byte(o, '"');
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = 0;
        for (size_t k = 0; k < 3; k++) v = v << 8 | (i + k < n ? data[i + k] : 0);
        uint8_t out[4];
        for (size_t k = 0; k < 4; k++) out[k] = i + k <= n ? (uint8_t)alphabet[v >> (18 - 6 * k) & 63] : '=';
        wacpy_out_write(o, out, 4);
    }
    wacpy_out_byte(o, '"');
}

WACPY_NOINLINE void wacpy_json_u64(wacpy_out *o, uint64_t v) {
    uint8_t digits[20];
    size_t n = sizeof digits;
    do {
        digits[--n] = (uint8_t)('0' + v % 10);
        v /= 10;
    } while (v);
    wacpy_out_write(o, digits + n, sizeof digits - n);
}

WACPY_INLINE void wacpy_json_i64(wacpy_out *o, int64_t v) {
    if (v < 0) {
        wacpy_out_byte(o, '-');
        wacpy_json_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        wacpy_json_u64(o, (uint64_t)v);
    }
}

/* -- doubles: the shortest digits that read back as the same double, by exact big-integer
 * arithmetic (free-format printing in the manner of Steele & White and Burger & Dybvig). A bignum
 * is up to 36 32-bit words, least significant first; the numbers of one double all have the same
 * number of words `n`, enough for the largest of them (below 2^1144), so the operations need no
 * carries past it and no length bookkeeping. */
#define WACPY_BN_WORDS 36
typedef struct {
    uint32_t n;
    uint32_t w[WACPY_BN_WORDS];
} wacpy_bn;

WACPY_NOINLINE void wacpy_bn_mul_small(wacpy_bn *a, uint32_t m) {
    uint64_t carry = 0;
    for (uint32_t i = 0; i < a->n; i++) {
        carry += (uint64_t)a->w[i] * m;
        a->w[i] = (uint32_t)carry;
        carry >>= 32;
    }
}

/* a = v * 2^e, in n words. */
WACPY_NOINLINE void wacpy_bn_set(wacpy_bn *a, uint64_t v, unsigned e, uint32_t n) {
    __builtin_memset(a, 0, sizeof *a);
    a->n = n;
    a->w[0] = (uint32_t)v;
    a->w[1] = (uint32_t)(v >> 32);
    for (; e > 31; e -= 31) wacpy_bn_mul_small(a, 1u << 31);
    wacpy_bn_mul_small(a, 1u << e);
}

/* r = a + b, or a - b when `minus` (then a >= b): adding the complement and one. r may be a. */
WACPY_NOINLINE void wacpy_bn_add(wacpy_bn *r, const wacpy_bn *a, const wacpy_bn *b, uint32_t minus) {
    uint64_t carry = minus;
    r->n = a->n;
    for (uint32_t i = 0; i < a->n; i++) {
        carry += (uint64_t)a->w[i] + (b->w[i] ^ (0u - minus));
        r->w[i] = (uint32_t)carry;
        carry >>= 32;
    }
}

WACPY_NOINLINE int wacpy_bn_cmp(const wacpy_bn *a, const wacpy_bn *b) {
    for (uint32_t i = a->n; i-- > 0;)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* Compare a + b with c. */
WACPY_NOINLINE int wacpy_bn_cmp_sum(const wacpy_bn *a, const wacpy_bn *b, const wacpy_bn *c) {
    wacpy_bn t;
    wacpy_bn_add(&t, a, b, 0);
    return wacpy_bn_cmp(&t, c);
}

/* The shortest ASCII digits of a finite v > 0 that read back as v (the closest to v when several
 * are as short); `*point` is where the decimal point goes: v ~ 0.DIGITS x 10^point. */
WACPY_NOINLINE size_t wacpy_f64_digits(double v, uint8_t digits[17], int *point) {
    uint64_t bits;
    __builtin_memcpy(&bits, &v, 8);
    uint64_t f = bits & ((1ull << 52) - 1);
    int be = (int)(bits >> 52), e = be ? be - 1075 : -1074;
    if (be) f |= 1ull << 52;
    /* v = r / s; the neighbours' halfway points are (r - mm) / s and (r + mp) / s. Where the
     * exponent steps up, the gap below is half the gap above (`unequal`). */
    unsigned unequal = f == (1ull << 52) && be > 1, up = e > 0 ? (unsigned)e : 0, down = e < 0 ? (unsigned)-e : 0;
    /* r, s and the sums stay below 2^(max(up, down) + 53 + 2) times 10 (and 2 for rounding);
     * one of up and down is 0 */
    uint32_t n = (up + down + 102) / 32;
    wacpy_bn r, s, mp, mm;
    wacpy_bn_set(&r, f, up + 1 + unequal, n);
    wacpy_bn_set(&s, 1, down + 1 + unequal, n);
    wacpy_bn_set(&mp, 1, up + unequal, n);
    wacpy_bn_set(&mm, 1, up, n);
    /* Round-half-even reading: the halfway points themselves read as v when f is even. A
     * comparison c (-1, 0, 1) reaches a halfway point when c + even > 0. */
    int even = (f & 1) == 0, k = 0;
    /* scale s so that (r + mp) / s < 1: v's digits start after the decimal point */
    while (wacpy_bn_cmp_sum(&r, &mp, &s) + even > 0) {
        wacpy_bn_mul_small(&s, 10);
        k++;
    }
    size_t count = 0;
    for (;;) {
        wacpy_bn_mul_small(&r, 10);
        wacpy_bn_mul_small(&mp, 10);
        wacpy_bn_mul_small(&mm, 10);
        uint8_t d = '0';
        while (wacpy_bn_cmp(&r, &s) >= 0) {
            wacpy_bn_add(&r, &r, &s, 1);
            d++;
        }
        int low = wacpy_bn_cmp(&mm, &r) + even > 0, high = wacpy_bn_cmp_sum(&r, &mp, &s) + even > 0;
        if (!low && !high && count < 16) {
            if (count || d != '0') digits[count++] = d;
            else k--; /* a leading zero: v < 0.1 x 10^k */
            continue;
        }
        /* both ends in range: round to the nearer, ties to even */
        if (low && high ? wacpy_bn_cmp_sum(&r, &r, &s) + (d & 1) > 0 : high) d++;
        digits[count++] = d;
        *point = k;
        return count;
    }
}

/* A double as a JSON number, formatted like JavaScript's `Number.prototype.toString` (shortest
 * round-trip digits; exponent form from 1e21 and below 1e-6), except that integral values below
 * 2^64 in magnitude are written exactly. -0 is `0`; NaN and infinities become `null`. */
WACPY_NOINLINE void wacpy_json_f64(wacpy_out *o, double v) {
    if (v != v || v - v != 0) {
        wacpy_out_lit(o, "null");
        return;
    }
    if (v < 0) {
        wacpy_out_byte(o, '-');
        v = -v;
    }
    if (v < 18446744073709551616.0 && v == (double)(uint64_t)v) {
        wacpy_json_u64(o, (uint64_t)v);
        return;
    }
    uint8_t d[17];
    int point;
    int n = (int)wacpy_f64_digits(v, d, &point), exponent = point - 1;
    int scientific = point > 21 || point <= -6; /* 1.2345e-7 or 1e+21 */
    if (scientific) point = 1;
    /* Digit j stands for 10^(point - 1 - j): 123.45, 12300, or 0.00123 from the integral zero on. */
    for (int j = point > 0 ? 0 : point - 1; j < n || j < point; j++) {
        if (j == point) wacpy_out_byte(o, '.');
        wacpy_out_byte(o, j >= 0 && j < n ? d[j] : '0');
    }
    if (scientific) {
        wacpy_out_byte(o, 'e');
        wacpy_out_byte(o, exponent < 0 ? '-' : '+');
        wacpy_json_u64(o, (uint64_t)(exponent < 0 ? -exponent : exponent));
    }
}

#endif
