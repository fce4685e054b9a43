/* Canonical-ABI basics for freestanding C components: attributes, strings, lists, options.
 *
 * C structs laid out with wasm32's natural alignment match the canonical ABI's memory layout:
 * a record is a struct, a variant or option is a u8 tag followed by the payload at the payload's
 * alignment, an enum is a u8, flags are a u8/u16/u32, a string or list is (pointer, length).
 */
#ifndef WACPY_CABI_H
#define WACPY_CABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Larger helpers: one copy per component instead of one per call site; `static inline` keeps
 * -Wunused-function quiet in translation units that do not use them. A component of several .c
 * files that would rather be small than fast (the transport) defines WACPY_SHARED_MINSIZE before
 * the first include: the helpers become weak definitions, so the linker keeps one copy for all the
 * files, optimised for size (and the small `WACPY_INLINE` helpers too). */
#ifdef WACPY_SHARED_MINSIZE
#define WACPY_NOINLINE __attribute__((weak, noinline, minsize))
#define WACPY_INLINE static inline __attribute__((minsize))
#else
#define WACPY_NOINLINE static inline __attribute__((noinline))
#define WACPY_INLINE static inline
#endif
#define WACPY_EXPORT(name) __attribute__((export_name(name)))
#define WACPY_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
/* A return area: results too wide for one core value are written here (exports return its address;
 * imports take it as their last parameter). 8-aligned, as the widest canonical type needs. */
#define WACPY_RETAREA(name, size) static _Alignas(8) uint8_t name[size]

/* The pointer half of a flattened string or list parameter. */
typedef const uint8_t *wacpy_ptr;

typedef struct wacpy_string {
    const uint8_t *ptr;
    size_t len;
} wacpy_string;

typedef struct wacpy_list {
    void *ptr;
    size_t len;
} wacpy_list;

/* What the generated bindings (wacpy_world_*.h, wacpy_mcp.h) assert about every type they define. */
#define WACPY_LAYOUT(T, size, align) \
    _Static_assert(sizeof(T) == (size) && _Alignof(T) == (align), "canonical layout of " #T)
#define WACPY_OFFSET(T, field, offset) _Static_assert(offsetof(T, field) == (offset), "offset of " #T "." #field)

/* The typed wrapper of an import in the generated bindings: always inlined, so the lowering of
 * arguments known at the call (a variant's tag, say) folds away, even in -Oz/minsize code. */
#define WACPY_WRAPPER static inline __attribute__((always_inline))
/* What the canonical ABI guarantees about a lifted value (a bool is 0 or 1, an enum in range). */
#define WACPY_ASSUME(cond) __builtin_assume(cond)

/* A float in an integer slot of a flattened variant, and back. */
static inline int32_t wacpy_f32_bits(float f) {
    union { float f; int32_t i; } u = {.f = f};
    return u.i;
}
static inline float wacpy_bits_f32(int32_t i) {
    union { int32_t i; float f; } u = {.i = i};
    return u.f;
}
static inline int64_t wacpy_f64_bits(double f) {
    union { double f; int64_t i; } u = {.f = f};
    return u.i;
}
static inline double wacpy_bits_f64(int64_t i) {
    union { int64_t i; double f; } u = {.i = i};
    return u.f;
}

/* A string literal as a `wacpy_string`. */
#define WACPY_LIT(s) ((wacpy_string){(const uint8_t *)(s), sizeof(s) - 1})

static inline int wacpy_bytes_eq(const void *a, const void *b, size_t n) {
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return 0;
    return 1;
}

static inline int wacpy_string_eq(wacpy_string a, wacpy_string b) {
    return a.len == b.len && wacpy_bytes_eq(a.ptr, b.ptr, a.len);
}

static inline int wacpy_starts_with(wacpy_string s, wacpy_string prefix) {
    return s.len >= prefix.len && wacpy_bytes_eq(s.ptr, prefix.ptr, prefix.len);
}

/* `n` bytes as 2n lower-case hex digits at `out` (ids, temporary names). */
static inline void wacpy_hex(uint8_t *out, const uint8_t *bytes, size_t n) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = (uint8_t)digits[bytes[i] >> 4];
        out[2 * i + 1] = (uint8_t)digits[bytes[i] & 15];
    }
}

/* `v` as 16 hex digits, most significant first. */
static inline void wacpy_hex_u64(uint8_t *out, uint64_t v) {
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(v >> (56 - 8 * i));
    wacpy_hex(out, bytes, 8);
}

/* 1 and the number in `*out` when `s` is decimal digits only, at least 1 and at most `max`
 * (a setting such as a number of seconds); else 0. */
static inline int wacpy_positive_decimal(wacpy_string s, uint64_t max, uint64_t *out) {
    uint64_t n = 0;
    if (!s.len) return 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
        n = n * 10 + (uint64_t)(s.ptr[i] - '0');
        if (n > max) return 0;
    }
    if (!n) return 0;
    *out = n;
    return 1;
}

#endif
