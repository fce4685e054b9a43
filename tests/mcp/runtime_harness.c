/* A core module (no component) that exposes the C runtime of middleware-src/include to tests: the
 * float formatter, the JSON reader and writer, and the author SDK's argument lookups. Inputs are
 * written at `in_ptr()`, results read at `out_ptr()`; functions return the result's length, or -1. */
#include "wacpy_json.h"
#include "wacpy_provider.h"

#define IN_SIZE (1u << 20)
#define OUT_SIZE (8u << 20)

static uint8_t in[IN_SIZE];
static uint8_t out[OUT_SIZE];

WACPY_EXPORT("in_ptr") uint8_t *in_ptr(void) { return in; }
WACPY_EXPORT("out_ptr") uint8_t *out_ptr(void) { return out; }

static wacpy_out fixed_writer(void) {
    wacpy_out o = {out, 0, OUT_SIZE, 0, 0, 0};
    return o;
}

static int32_t written(const wacpy_out *o) { return o->failed ? -1 : (int32_t)o->len; }

static int32_t copy_out(wacpy_string s) {
    __builtin_memcpy(out, s.ptr, s.len);
    return (int32_t)s.len;
}

static wacpy_string input(uint32_t len) { return (wacpy_string){in, len}; }

/* `v` as JSON text. */
WACPY_EXPORT("f64") int32_t f64(double v) {
    wacpy_out o = fixed_writer();
    wacpy_json_f64(&o, v);
    return written(&o);
}

/* The shortest digits of `v` > 0; the decimal point's place goes to the 4 bytes after them. */
WACPY_EXPORT("digits") int32_t digits(double v) {
    int point;
    size_t n = wacpy_f64_digits(v, out, &point);
    __builtin_memcpy(out + n, &point, 4);
    return (int32_t)n;
}

WACPY_EXPORT("valid") int32_t valid(uint32_t len) { return wacpy_json_valid(input(len)); }

WACPY_EXPORT("escape") int32_t escape(uint32_t len) {
    wacpy_out o = fixed_writer();
    wacpy_json_string(&o, input(len));
    return written(&o);
}

/* A valid JSON string decoded; -1 when it held a lone surrogate (which became U+FFFD). */
WACPY_EXPORT("unescape") int32_t unescape(uint32_t len) {
    int lone = 0;
    size_t n = wacpy_json_unescape(input(len), out, &lone);
    return lone ? -1 : (int32_t)n;
}

WACPY_EXPORT("base64") int32_t base64(uint32_t len) {
    wacpy_out o = fixed_writer();
    wacpy_json_base64(&o, in, len);
    return written(&o);
}

WACPY_EXPORT("minified") int32_t minified(uint32_t len) {
    wacpy_out o = fixed_writer();
    return wacpy_json_minified(&o, in, len) ? written(&o) : -1;
}

/* The author SDK: member `key` (NUL-terminated at in + key_at) of the JSON text in[0..len). */
WACPY_EXPORT("member") int32_t member(uint32_t len, uint32_t key_at) {
    wacpy_string raw;
    return wacpy_json_member(input(len), (const char *)in + key_at, &raw) ? copy_out(raw) : -1;
}

/* The author SDK: string argument `key`, or -1 with the problem text at out_ptr() (length in `*`). */
WACPY_EXPORT("arg_string") int32_t arg_string(uint32_t len, uint32_t key_at) {
    wacpy_string value;
    int32_t n;
    if (wacpy_arg_string(input(len), (const char *)in + key_at, &value)) n = copy_out(value);
    else n = -1 - copy_out(wacpy_arg_problem());
    wacpy_arena_reset(&wacpy_provider_arena);
    return n;
}
