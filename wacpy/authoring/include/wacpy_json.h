/* Writing JSON from freestanding C: a byte writer with a pluggable drain, string escaping, and
 * numbers (integers exactly, other doubles as the shortest decimal that reads back the same).
 *
 * A `wacpy_out` owns a buffer; when it is full, `drain` makes room: `wacpy_out_grow` (below) grows
 * the buffer in an arena, a stream writer flushes it to an output stream and empties it. After a
 * failed drain, `failed` is set and further writes are dropped.
 */
#ifndef WACPY_JSON_H
#define WACPY_JSON_H

#include "wacpy_alloc.h"
#include "wacpy_cabi.h"

typedef struct wacpy_out wacpy_out;
struct wacpy_out {
    uint8_t *buf;
    size_t len, cap;
    /* Make room for at least one more byte (`need` is how many are waiting); 0 on success. */
    int (*drain)(wacpy_out *out, size_t need);
    void *ctx;
    int failed;
};

WACPY_NOINLINE void wacpy_out_write(wacpy_out *o, const void *data, size_t n) {
    const uint8_t *p = (const uint8_t *)data;
    while (n && !o->failed) {
        if (o->len == o->cap) {
            if (!o->drain || o->drain(o, n) != 0 || o->len == o->cap) {
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

static inline void wacpy_out_byte(wacpy_out *o, uint8_t c) { wacpy_out_write(o, &c, 1); }
static inline void wacpy_out_str(wacpy_out *o, wacpy_string s) { wacpy_out_write(o, s.ptr, s.len); }
/* A string literal. */
#define wacpy_out_lit(o, s) wacpy_out_write((o), (s), sizeof(s) - 1)

/* A drain that doubles the buffer in the arena `o->ctx` (a `wacpy_arena *`). */
static inline int wacpy_out_grow(wacpy_out *o, size_t need) {
    size_t cap = o->cap ? o->cap * 2 : 256;
    if (cap < o->len + need) cap = o->len + need;
    o->buf = (uint8_t *)wacpy_arena_realloc((wacpy_arena *)o->ctx, o->buf, o->len, 1, cap);
    o->cap = cap;
    return 0;
}

/* An empty writer growing in `arena`. */
static inline wacpy_out wacpy_out_in_arena(wacpy_arena *arena) {
    wacpy_out o = {0, 0, 0, wacpy_out_grow, arena, 0};
    return o;
}

/* `s` as a JSON string literal, quotes included. Bytes >= 0x80 pass through (WIT strings are UTF-8). */
WACPY_NOINLINE void wacpy_json_string(wacpy_out *o, wacpy_string s) {
    static const char hex[] = "0123456789abcdef";
    wacpy_out_byte(o, '"');
    size_t run = 0; /* bytes that need no escape, written in one go */
    for (size_t i = 0; i < s.len; i++) {
        uint8_t c = s.ptr[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        wacpy_out_write(o, s.ptr + run, i - run);
        run = i + 1;
        uint8_t esc[6] = {'\\', 0, 0, 0, 0, 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = (uint8_t)hex[c >> 4];
            esc[5] = (uint8_t)hex[c & 15];
            wacpy_out_write(o, esc, 6);
            continue;
        }
        wacpy_out_write(o, esc, 2);
    }
    wacpy_out_write(o, s.ptr + run, s.len - run);
    wacpy_out_byte(o, '"');
}

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

WACPY_NOINLINE void wacpy_json_u64(wacpy_out *o, uint64_t v) {
    uint8_t digits[20];
    size_t n = sizeof digits;
    do {
        digits[--n] = (uint8_t)('0' + v % 10);
        v /= 10;
    } while (v);
    wacpy_out_write(o, digits + n, sizeof digits - n);
}

static inline void wacpy_json_i64(wacpy_out *o, int64_t v) {
    if (v < 0) {
        wacpy_out_byte(o, '-');
        wacpy_json_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        wacpy_json_u64(o, (uint64_t)v);
    }
}

/* -- doubles: exact big-integer arithmetic for the shortest round-trip digits (Steele & White /
 * Burger & Dybvig free-format printing). Values up to 2^1080 fit in 36 32-bit words. */
#define WACPY_BN_WORDS 40
typedef struct {
    uint32_t n; /* words in use; w[n-1] != 0 unless n == 0 */
    uint32_t w[WACPY_BN_WORDS];
} wacpy_bn;

WACPY_NOINLINE void wacpy_bn_set(wacpy_bn *a, uint64_t v) {
    a->n = 0;
    while (v) {
        a->w[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

WACPY_NOINLINE void wacpy_bn_shl(wacpy_bn *a, unsigned bits) {
    if (a->n == 0) return;
    unsigned words = bits / 32, s = bits % 32;
    uint32_t n = a->n;
    a->w[n + words] = 0;
    for (uint32_t i = n; i-- > 0;) {
        uint64_t x = (uint64_t)a->w[i] << s;
        a->w[i + words + 1] |= (uint32_t)(x >> 32);
        a->w[i + words] = (uint32_t)x;
    }
    for (unsigned i = 0; i < words; i++) a->w[i] = 0;
    a->n = n + words + 1;
    while (a->n && a->w[a->n - 1] == 0) a->n--;
}

WACPY_NOINLINE void wacpy_bn_mul_small(wacpy_bn *a, uint32_t m) {
    uint64_t carry = 0;
    for (uint32_t i = 0; i < a->n; i++) {
        uint64_t x = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)x;
        carry = x >> 32;
    }
    if (carry) a->w[a->n++] = (uint32_t)carry;
}

WACPY_NOINLINE void wacpy_bn_add(wacpy_bn *r, const wacpy_bn *a, const wacpy_bn *b) {
    uint32_t n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t x = carry + (i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
        r->w[i] = (uint32_t)x;
        carry = x >> 32;
    }
    r->n = n;
    if (carry) r->w[r->n++] = (uint32_t)carry;
}

WACPY_NOINLINE int wacpy_bn_cmp(const wacpy_bn *a, const wacpy_bn *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (uint32_t i = a->n; i-- > 0;)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a -= b, where a >= b. */
WACPY_NOINLINE void wacpy_bn_sub(wacpy_bn *a, const wacpy_bn *b) {
    int64_t borrow = 0;
    for (uint32_t i = 0; i < a->n; i++) {
        int64_t x = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        borrow = x < 0;
        a->w[i] = (uint32_t)(x + (borrow << 32));
    }
    while (a->n && a->w[a->n - 1] == 0) a->n--;
}

/* The shortest digits of a finite v > 0 that read back as v (the closest such when several are
 * equally short); `*point` is where the decimal point goes: v ~ 0.DIGITS x 10^point. */
WACPY_NOINLINE size_t wacpy_f64_digits(double v, uint8_t digits[17], int *point) {
    uint64_t bits;
    __builtin_memcpy(&bits, &v, 8);
    uint64_t f = bits & ((1ull << 52) - 1);
    int be = (int)((bits >> 52) & 0x7ff);
    int e;
    if (be == 0) {
        e = -1074;
    } else {
        f |= 1ull << 52;
        e = be - 1075;
    }
    /* v = r / s; the neighbours are (r - m_minus) / s and (r + m_plus) / s, halfway points. */
    wacpy_bn r, s, mp, mm, t;
    int unequal = f == (1ull << 52) && be > 1; /* the gap below is half the gap above */
    if (e >= 0) {
        wacpy_bn_set(&r, f);
        wacpy_bn_shl(&r, (unsigned)e + 1 + unequal);
        wacpy_bn_set(&s, 2u << unequal);
        wacpy_bn_set(&mp, 1);
        wacpy_bn_shl(&mp, (unsigned)e + unequal);
        wacpy_bn_set(&mm, 1);
        wacpy_bn_shl(&mm, (unsigned)e);
    } else {
        wacpy_bn_set(&r, f << (1 + unequal));
        wacpy_bn_set(&s, 1);
        wacpy_bn_shl(&s, (unsigned)(1 - e + unequal));
        wacpy_bn_set(&mp, 1u << unequal);
        wacpy_bn_set(&mm, 1);
    }
    int even = (f & 1) == 0; /* round-half-even reading: the halfway points themselves read as v */
    int k = 0;
    for (;;) { /* scale so that (r + m_plus) / s < 1 <= 10 (r + m_plus) / s */
        wacpy_bn_add(&t, &r, &mp);
        int c = wacpy_bn_cmp(&t, &s);
        if (c > 0 || (even && c == 0)) {
            wacpy_bn_mul_small(&s, 10);
            k++;
            continue;
        }
        wacpy_bn_mul_small(&t, 10);
        c = wacpy_bn_cmp(&t, &s);
        if (c < 0 || (!even && c == 0)) {
            wacpy_bn_mul_small(&r, 10);
            wacpy_bn_mul_small(&mp, 10);
            wacpy_bn_mul_small(&mm, 10);
            k--;
            continue;
        }
        break;
    }
    *point = k;
    size_t n = 0;
    for (;;) {
        wacpy_bn_mul_small(&r, 10);
        wacpy_bn_mul_small(&mp, 10);
        wacpy_bn_mul_small(&mm, 10);
        uint8_t d = 0;
        while (wacpy_bn_cmp(&r, &s) >= 0) {
            wacpy_bn_sub(&r, &s);
            d++;
        }
        int c = wacpy_bn_cmp(&r, &mm);
        int low = c < 0 || (even && c == 0);
        wacpy_bn_add(&t, &r, &mp);
        c = wacpy_bn_cmp(&t, &s);
        int high = c > 0 || (even && c == 0);
        if (!low && !high && n < 16) {
            digits[n++] = d;
            continue;
        }
        if (low && high) { /* both ends in range: round to the nearer, ties to even */
            wacpy_bn_add(&t, &r, &r);
            c = wacpy_bn_cmp(&t, &s);
            if (c > 0 || (c == 0 && (d & 1))) d++;
        } else if (high) {
            d++;
        }
        digits[n++] = d;
        return n;
    }
}

/* A double as a JSON number, formatted like JavaScript's `Number.prototype.toString`, except that
 * integral values below 2^64 in magnitude are written exactly. NaN and infinities become `null`. */
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
    uint8_t d[17], text[32];
    int point;
    size_t n = wacpy_f64_digits(v, d, &point), len = 0;
    for (size_t i = 0; i < n; i++) d[i] = (uint8_t)(d[i] + '0');
    if (point > 0 && point <= 21) { /* 123.45 or 12300 */
        for (int i = 0; i < point || (size_t)i < n; i++) {
            if (i == point) text[len++] = '.';
            text[len++] = (size_t)i < n ? d[i] : '0';
        }
    } else if (point <= 0 && point > -6) { /* 0.00123 */
        text[len++] = '0';
        text[len++] = '.';
        for (int i = point; i < 0; i++) text[len++] = '0';
        for (size_t i = 0; i < n; i++) text[len++] = d[i];
    } else { /* 1.2345e-7 or 1e+21 */
        text[len++] = d[0];
        if (n > 1) text[len++] = '.';
        for (size_t i = 1; i < n; i++) text[len++] = d[i];
        int x = point - 1;
        text[len++] = 'e';
        text[len++] = x < 0 ? '-' : '+';
        if (x < 0) x = -x;
        if (x >= 100) text[len++] = (uint8_t)('0' + x / 100);
        if (x >= 10) text[len++] = (uint8_t)('0' + x / 10 % 10);
        text[len++] = (uint8_t)('0' + x % 10);
    }
    wacpy_out_write(o, text, len);
}

#endif
